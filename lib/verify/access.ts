import {
  DescribeAccessEntryCommand,
  paginateListAccessEntries,
  paginateListAssociatedAccessPolicies,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { call, pages } from './errors';
import type { ExpectedCluster } from './expected';
import type { KubectlRole } from './stack';
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

const policyName = (arn: string) => arn.split('/').pop() ?? arn;
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/** What aws-eks-v2 grants its kubectl provider: cluster admin through an access policy, no groups. */
const KUBECTL_ENTRY_POLICIES = ['AmazonEKSClusterAdminPolicy@cluster'];

/**
 * Access entries exactly as configured: every configured role present with its group and access policy,
 * nothing else except the node-role entries EKS creates for managed node groups and the blueprint's
 * kubectl provider entry, recognised by the exact role ARN the cluster stack publishes. Pure.
 */
export function checkAccessEntries(
  entries: readonly ObservedAccessEntry[],
  expected: ExpectedCluster,
  nodeRoles: readonly string[],
  kubectl: KubectlRole,
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
    } else if ('roleArn' in kubectl && e.principalArn === kubectl.roleArn) {
      const shape = e.policies.map((p) => `${policyName(p.policyArn)}@${p.scope}`);
      if (
        e.type === 'STANDARD' &&
        e.kubernetesGroups.length === 0 &&
        sameSet(shape, KUBECTL_ENTRY_POLICIES)
      ) {
        evidence.push(`${e.principalArn}: kubectl provider entry (${policies})`);
      } else {
        failures.push(
          `${e.principalArn}: kubectl provider entry is ${e.type}, groups=${e.kubernetesGroups.join(',') || '-'}, ${policies} (want STANDARD, no groups, ${KUBECTL_ENTRY_POLICIES.join(',')})`,
        );
      }
    } else {
      failures.push(
        `extra: ${e.principalArn} (${e.type}, groups=${e.kubernetesGroups.join(',') || '-'}, ${policies})`,
      );
    }
  }
  if ('roleArn' in kubectl) {
    if (!byPrincipal.has(kubectl.roleArn))
      failures.push(`missing: kubectl provider entry ${kubectl.roleArn}`);
  } else {
    evidence.push(`kubectl provider role unknown: ${kubectl.unknown}`);
  }
  return result('EKS-IAM-002', 'access entries as configured', failures, evidence);
}
