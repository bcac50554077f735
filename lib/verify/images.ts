import {
  GetRepositoryPolicyCommand,
  paginateDescribeRepositories,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { ECR_PULL_ACTIONS } from '../constructs/image-repository';
import { call, isErrorNamed, pages, toVerifyError } from './errors';
import type { ExpectedCluster } from './expected';
import { sameKey, type ResolvedKeys } from './keys';
import { notApplicable, result, type CheckResult } from './types';

const CHECKS = {
  scan: ['EKS-IMG-001', 'ECR repositories: scan on push'],
  tags: ['EKS-IMG-002', 'ECR repositories: immutable tags'],
  kms: ['EKS-IMG-003', 'ECR repositories: KMS images key'],
  pull: ['EKS-IMG-004', 'ECR repositories: only nodes pull'],
} as const;

/** One configured repository as ECR answers for it. */
export interface ImageRepositoryState {
  /** Full repository name, `<cluster>/<name>`. */
  readonly name: string;
  /** Unset: the repository does not exist in the registry. */
  readonly repository?: Repository;
  /** The repository policy document (JSON); unset: the repository has no policy. */
  readonly policyText?: string;
}

/** The registry id (account) of `<account>.dkr.ecr.<region>.amazonaws.com`. */
function registryIdOf(registry: string): string {
  return registry.split('.')[0];
}

/**
 * Every configured repository and its policy. One DescribeRepositories per name: with `repositoryNames`,
 * ECR fails the whole call when any one name is missing, and a missing repository is drift, not an error.
 */
export async function describeImageRepositories(
  ecr: ECRClient,
  expected: ExpectedCluster,
): Promise<ImageRepositoryState[]> {
  const registryId = registryIdOf(expected.imageRepositories.registry);
  const out: ImageRepositoryState[] = [];
  for (const name of expected.imageRepositories.names) {
    let repository: Repository | undefined;
    try {
      for await (const page of pages(
        'ecr:DescribeRepositories',
        paginateDescribeRepositories({ client: ecr }, { registryId, repositoryNames: [name] }),
      )) {
        repository ??= (page.repositories ?? []).find((r) => r.repositoryName === name);
      }
    } catch (err) {
      if (!isErrorNamed(err, 'RepositoryNotFoundException')) {
        throw toVerifyError('ecr:DescribeRepositories', err);
      }
    }
    if (!repository) {
      out.push({ name });
      continue;
    }
    let policyText: string | undefined;
    try {
      const res = await call('ecr:GetRepositoryPolicy', () =>
        ecr.send(new GetRepositoryPolicyCommand({ registryId, repositoryName: name })),
      );
      policyText = res.policyText;
    } catch (err) {
      if (!isErrorNamed(err, 'RepositoryPolicyNotFoundException')) {
        throw toVerifyError('ecr:GetRepositoryPolicy', err);
      }
    }
    out.push({ name, repository, ...(policyText !== undefined ? { policyText } : {}) });
  }
  return out;
}

interface PolicyStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

const asList = (x: unknown): string[] =>
  x === undefined ? [] : (Array.isArray(x) ? x : [x]).map((v) => String(v));

/** Does the IAM pattern (`*` and `?` wildcards, case-insensitive) match `value`? */
function globMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(value);
}

/** The pull actions a statement covers; `NotAction` counts as covering every action it does not name. */
function pullActionsOf(s: PolicyStatement): string[] {
  if (s.NotAction !== undefined) {
    const not = asList(s.NotAction);
    return ECR_PULL_ACTIONS.filter((a) => !not.some((p) => globMatches(p, a)));
  }
  const actions = asList(s.Action);
  return ECR_PULL_ACTIONS.filter((a) => actions.some((p) => globMatches(p, a)));
}

/** `*`, or every principal value (`AWS`, `Service`, `Federated`, ...) a statement names. */
function principalsOf(s: PolicyStatement): string[] {
  const p = s.Principal;
  if (p === '*') return ['*'];
  if (p && typeof p === 'object') return Object.values(p).flatMap(asList);
  return [];
}

/** A Deny for everyone but the node roles: principal `*`, all pull actions, `aws:PrincipalArn` not a node role. */
function deniesOthers(s: PolicyStatement, nodeRoles: readonly string[]): boolean {
  if (s.Effect !== 'Deny' || !principalsOf(s).includes('*')) return false;
  if (pullActionsOf(s).length !== ECR_PULL_ACTIONS.length) return false;
  return Object.entries(s.Condition ?? {}).some(
    ([op, keys]) =>
      /^(Arn|String)Not(Equals|Like)$/.test(op) &&
      Object.entries(keys).some(
        ([key, values]) =>
          key.toLowerCase() === 'aws:principalarn' &&
          nodeRoles.every((role) => asList(values).some((v) => globMatches(v, role))),
      ),
  );
}

/**
 * Who a repository policy lets pull, and whether it denies everyone else. Pure.
 * `allowed`: principals of Allow statements covering a pull action.
 */
export function pullAccessOf(
  policyText: string,
  nodeRoles: readonly string[],
): { allowed: string[]; othersDenied: boolean } {
  const doc = JSON.parse(policyText) as { Statement?: PolicyStatement | PolicyStatement[] };
  const statements =
    doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const allowed = new Set<string>();
  for (const s of statements) {
    if (s.Effect === 'Allow' && pullActionsOf(s).length > 0) principalsOf(s).forEach((p) => allowed.add(p));
  }
  return { allowed: [...allowed].sort(), othersDenied: statements.some((s) => deniesOthers(s, nodeRoles)) };
}

/**
 * The configured repositories scan on push (EKS-IMG-001), have immutable tags (EKS-IMG-002), are encrypted
 * with the images key (EKS-IMG-003) and let only the node roles pull (EKS-IMG-004). Pure.
 */
export function checkImageRepositories(
  states: readonly ImageRepositoryState[],
  expected: ExpectedCluster,
  keys: ResolvedKeys,
  nodeRoles: readonly string[],
): CheckResult[] {
  const failures = { scan: [] as string[], tags: [] as string[], kms: [] as string[], pull: [] as string[] };
  const evidence = { scan: [] as string[], tags: [] as string[], kms: [] as string[], pull: [] as string[] };
  const wantKey = keys.images ?? `${expected.keyAliases.images} (alias not found)`;
  for (const { name, repository: r, policyText } of states) {
    if (!r) {
      const missing = `${name}: does not exist in registry ${expected.imageRepositories.registry}`;
      for (const k of ['scan', 'tags', 'kms', 'pull'] as const) failures[k].push(missing);
      continue;
    }
    const scanOnPush = r.imageScanningConfiguration?.scanOnPush === true;
    if (!scanOnPush) failures.scan.push(`${name}: scanOnPush=false`);
    evidence.scan.push(`${name}: scanOnPush=${scanOnPush}`);

    const mutability = r.imageTagMutability ?? 'unset';
    if (mutability !== 'IMMUTABLE')
      failures.tags.push(`${name}: imageTagMutability=${mutability} (want IMMUTABLE)`);
    evidence.tags.push(`${name}: imageTagMutability=${mutability}`);

    const type = r.encryptionConfiguration?.encryptionType ?? 'unset';
    const key = r.encryptionConfiguration?.kmsKey;
    if (type !== 'KMS') failures.kms.push(`${name}: encryptionType=${type} (want KMS with ${wantKey})`);
    else if (!sameKey(key, keys.images))
      failures.kms.push(`${name}: encrypted with ${key ?? '-'}, want ${wantKey}`);
    evidence.kms.push(`${name}: encryptionType=${type}, kmsKey=${key ?? '-'}`);

    if (policyText === undefined) {
      failures.pull.push(`${name}: no repository policy`);
      continue;
    }
    const { allowed, othersDenied } = pullAccessOf(policyText, nodeRoles);
    const others = allowed.filter((p) => !nodeRoles.includes(p));
    if (others.length > 0)
      failures.pull.push(`${name}: pull granted to ${others.join(', ')} (not a node role)`);
    if (!othersDenied)
      failures.pull.push(`${name}: no statement denies pulls by principals other than the node role`);
    evidence.pull.push(
      `${name}: pull allowed for ${allowed.join(', ') || 'nobody'}; ${othersDenied ? 'others denied' : 'others not denied'}`,
    );
  }
  return (['scan', 'tags', 'kms', 'pull'] as const).map((k) =>
    result(CHECKS[k][0], CHECKS[k][1], failures[k], evidence[k]),
  );
}

export async function probeImageRepositories(
  ecr: ECRClient,
  expected: ExpectedCluster,
  keys: ResolvedKeys,
  nodeRoles: readonly string[],
): Promise<CheckResult[]> {
  if (expected.imageRepositories.names.length === 0) {
    // No repositories in config: nothing to ask ECR, and no ECR permission needed.
    return Object.values(CHECKS).map(([id, check]) =>
      notApplicable(id, check, 'no image repositories configured (detection.imageRepositories is empty)'),
    );
  }
  return checkImageRepositories(await describeImageRepositories(ecr, expected), expected, keys, nodeRoles);
}
