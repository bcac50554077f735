import {
  DescribeAccessEntryCommand,
  paginateListAccessEntries,
  paginateListAssociatedAccessPolicies,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { call, pages } from './errors';
import type { ExpectedCluster } from './expected';
import { result, type CheckResult } from './types';

/** An access entry as the cluster reports it, with its associated access policies. */
export interface ObservedAccessEntry {
  readonly principalArn: string;
  readonly type: string;
  readonly kubernetesGroups: readonly string[];
  readonly policies: readonly { readonly policyArn: string; readonly scope: string }[];
}

export async function describeAccessEntries(
  eks: EKSClient,
  expected: ExpectedCluster,
): Promise<ObservedAccessEntry[]> {
  const clusterName = expected.clusterName;
  const principals: string[] = [];
  for await (const page of pages(
    'eks:ListAccessEntries',
    paginateListAccessEntries({ client: eks }, { clusterName }),
  )) {
    principals.push(...(page.accessEntries ?? []));
  }
  const out: ObservedAccessEntry[] = [];
  for (const principalArn of principals.sort()) {
    const entry = await call('eks:DescribeAccessEntry', () =>
      eks.send(new DescribeAccessEntryCommand({ clusterName, principalArn })),
    );
    const policies: { policyArn: string; scope: string }[] = [];
    for await (const page of pages(
      'eks:ListAssociatedAccessPolicies',
      paginateListAssociatedAccessPolicies({ client: eks }, { clusterName, principalArn }),
    )) {
      for (const p of page.associatedAccessPolicies ?? []) {
        const ns = p.accessScope?.namespaces ?? [];
        const scope = `${p.accessScope?.type ?? '?'}${ns.length > 0 ? `:${ns.join(',')}` : ''}`;
        policies.push({ policyArn: p.policyArn ?? '?', scope });
      }
    }
    out.push({
      principalArn,
      type: entry.accessEntry?.type ?? 'UNKNOWN',
      kubernetesGroups: [...(entry.accessEntry?.kubernetesGroups ?? [])].sort(),
      policies,
    });
  }
  return out;
}

/** The blueprint's kubectl provider role, whose entry aws-eks-v2 creates for applying manifests. */
export function isKubectlProviderRole(principalArn: string): boolean {
  const roleName = principalArn.split('/').pop() ?? '';
  return /kubectl-?provider/i.test(roleName);
}

const policyName = (arn: string) => arn.split('/').pop() ?? arn;
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * Access entries exactly as configured: every configured role present with its group and access policy,
 * nothing else except the node-role entries EKS creates for managed node groups and the blueprint's
 * kubectl provider entry. Pure.
 */
export function checkAccessEntries(
  entries: readonly ObservedAccessEntry[],
  expected: ExpectedCluster,
  nodeRoles: readonly string[],
): CheckResult {
  const failures: string[] = [];
  const evidence: string[] = [];
  const byPrincipal = new Map(entries.map((e) => [e.principalArn, e]));
  for (const want of expected.accessEntries) {
    const got = byPrincipal.get(want.principalArn);
    if (!got) {
      failures.push(`missing: ${want.principalArn}`);
      continue;
    }
    const problems: string[] = [];
    if (got.type !== 'STANDARD') problems.push(`type=${got.type}`);
    if (!sameSet(got.kubernetesGroups, want.kubernetesGroups)) {
      problems.push(
        `kubernetesGroups=${got.kubernetesGroups.join(',') || '-'} (want ${want.kubernetesGroups.join(',')})`,
      );
    }
    const policies = got.policies.map((p) => `${policyName(p.policyArn)}@${p.scope}`);
    const wantPolicies = want.accessPolicies.join(',') || '-';
    if (!sameSet(policies, want.accessPolicies)) {
      problems.push(`policies=${policies.join(',') || '-'} (want ${wantPolicies})`);
    }
    if (problems.length > 0) failures.push(`${want.principalArn}: ${problems.join('; ')}`);
    else evidence.push(`${want.principalArn}: ${want.kubernetesGroups.join(',')}, ${wantPolicies}`);
  }
  const configured = new Set(expected.accessEntries.map((e) => e.principalArn));
  for (const e of entries) {
    if (configured.has(e.principalArn)) continue;
    const policies =
      e.policies.map((p) => `${policyName(p.policyArn)}@${p.scope}`).join(',') || 'no policies';
    if (nodeRoles.includes(e.principalArn) && e.type.startsWith('EC2')) {
      evidence.push(`${e.principalArn}: ${e.type} node role entry (created by EKS)`);
    } else if (e.type === 'STANDARD' && isKubectlProviderRole(e.principalArn)) {
      evidence.push(`${e.principalArn}: kubectl provider entry (${policies})`);
    } else {
      failures.push(
        `extra: ${e.principalArn} (${e.type}, groups=${e.kubernetesGroups.join(',') || '-'}, ${policies})`,
      );
    }
  }
  return result('EKS-IAM-002', 'access entries as configured', failures, evidence);
}
