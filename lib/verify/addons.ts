import {
  DescribeAddonCommand,
  paginateDescribeAddonVersions,
  type Addon,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { call, isNotFound, pages } from './errors';
import type { ExpectedCluster } from './expected';
import { result, type CheckResult } from './types';

/** An add-on as installed (undefined: not installed) and the versions EKS supports for the cluster. */
export interface ObservedAddon {
  readonly name: string;
  readonly addon?: Addon;
  readonly supportedVersions: readonly string[];
}

export async function describeAddons(
  eks: EKSClient,
  expected: ExpectedCluster,
  clusterVersion: string,
): Promise<ObservedAddon[]> {
  const out: ObservedAddon[] = [];
  for (const want of expected.addons) {
    let addon: Addon | undefined;
    try {
      const res = await call('eks:DescribeAddon', () =>
        eks.send(new DescribeAddonCommand({ clusterName: expected.clusterName, addonName: want.name })),
      );
      addon = res.addon;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const supportedVersions: string[] = [];
    for await (const page of pages(
      'eks:DescribeAddonVersions',
      paginateDescribeAddonVersions(
        { client: eks },
        { addonName: want.name, kubernetesVersion: clusterVersion },
      ),
    )) {
      for (const info of page.addons ?? []) {
        for (const v of info.addonVersions ?? []) if (v.addonVersion) supportedVersions.push(v.addonVersion);
      }
    }
    out.push({ name: want.name, ...(addon ? { addon } : {}), supportedVersions });
  }
  return out;
}

/** Add-ons present, ACTIVE, healthy, supported (and pinned, if pinned); CNI policy and Pod Identity. Pure. */
export function checkAddons(observed: readonly ObservedAddon[], expected: ExpectedCluster): CheckResult[] {
  const failures: string[] = [];
  const evidence: string[] = [];
  const podIdentityFailures: string[] = [];
  const podIdentityEvidence: string[] = [];
  for (const want of expected.addons) {
    const o = observed.find((x) => x.name === want.name);
    const a = o?.addon;
    if (!o || !a) {
      failures.push(`${want.name}: not installed`);
      if (want.podIdentity) podIdentityFailures.push(`${want.name}: not installed`);
      continue;
    }
    const v = a.addonVersion ?? 'unknown';
    const issues = (a.health?.issues ?? []).map((i) => `${i.code ?? '?'}: ${i.message ?? ''}`.trim());
    const problems: string[] = [];
    if (a.status !== 'ACTIVE') problems.push(`status=${a.status ?? 'unknown'}`);
    if (issues.length > 0) problems.push(`health: ${issues.join('; ')}`);
    if (!o.supportedVersions.includes(v))
      problems.push(`version ${v} is not supported for this Kubernetes version`);
    if (want.version !== undefined && v !== want.version)
      problems.push(`version ${v} (pinned ${want.version})`);
    if (problems.length > 0) failures.push(`${want.name}: ${problems.join('; ')}`);
    evidence.push(`${want.name} ${v} ${a.status ?? ''}`.trim());
    if (want.podIdentity) {
      const assoc = a.podIdentityAssociations ?? [];
      if (assoc.length === 0) podIdentityFailures.push(`${want.name}: no Pod Identity association`);
      else podIdentityEvidence.push(`${want.name}: ${assoc.join(',')}`);
    }
  }
  return [
    result('EKS-VER-003', 'managed add-ons healthy and supported', failures, evidence),
    checkNetworkPolicy(observed),
    result('EKS-IAM-005', 'add-ons use Pod Identity', podIdentityFailures, podIdentityEvidence),
  ];
}

function checkNetworkPolicy(observed: readonly ObservedAddon[]): CheckResult {
  const cni = observed.find((o) => o.name === 'vpc-cni')?.addon;
  if (!cni) return result('EKS-NET-005', 'VPC CNI network policy', ['vpc-cni: not installed'], []);
  let values: { enableNetworkPolicy?: unknown } = {};
  try {
    values = JSON.parse(cni.configurationValues || '{}');
  } catch {
    // EKS also accepts YAML configuration values; anything unparsed counts as not enabled.
  }
  const enabled = String(values.enableNetworkPolicy) === 'true';
  return result(
    'EKS-NET-005',
    'VPC CNI network policy',
    enabled ? [] : ['vpc-cni configurationValues lack enableNetworkPolicy: "true"'],
    [`vpc-cni enableNetworkPolicy=${String(values.enableNetworkPolicy ?? 'unset')}`],
  );
}
