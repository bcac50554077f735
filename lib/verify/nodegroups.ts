import {
  DescribeNodegroupCommand,
  paginateListNodegroups,
  type EKSClient,
  type Nodegroup,
} from '@aws-sdk/client-eks';
import { call, pages } from './errors';
import type { ExpectedCluster } from './expected';
import { result, type CheckResult } from './types';

/** Every managed node group of the cluster, configured or not. */
export async function describeNodegroups(eks: EKSClient, expected: ExpectedCluster): Promise<Nodegroup[]> {
  const names: string[] = [];
  for await (const page of pages(
    'eks:ListNodegroups',
    paginateListNodegroups({ client: eks }, { clusterName: expected.clusterName }),
  )) {
    names.push(...(page.nodegroups ?? []));
  }
  const out: Nodegroup[] = [];
  for (const nodegroupName of names.sort()) {
    const res = await call('eks:DescribeNodegroup', () =>
      eks.send(new DescribeNodegroupCommand({ clusterName: expected.clusterName, nodegroupName })),
    );
    if (res.nodegroup) out.push(res.nodegroup);
  }
  return out;
}

/** The node roles of the managed node groups; EKS creates their access entries itself. */
export function nodeRolesOf(groups: readonly Nodegroup[]): string[] {
  return [...new Set(groups.map((g) => g.nodeRole).filter((r): r is string => r !== undefined))].sort();
}

/**
 * The node groups that want running nodes, as `<name> (desiredSize=N, minSize=M)`: the live groups by
 * their scaling config, and configured groups EKS does not have by their config. Pure.
 */
export function nodesWantedBy(groups: readonly Nodegroup[], expected: ExpectedCluster): string[] {
  const live = groups
    .filter((g) => Math.max(g.scalingConfig?.desiredSize ?? 0, g.scalingConfig?.minSize ?? 0) > 0)
    .map(
      (g) =>
        `${g.nodegroupName ?? '?'} (desiredSize=${g.scalingConfig?.desiredSize ?? 0}, minSize=${g.scalingConfig?.minSize ?? 0})`,
    );
  const missing = expected.nodeGroups
    .filter((n) => !groups.some((g) => configNameOf(g) === n.name) && Math.max(n.desiredSize, n.minSize) > 0)
    .map((n) => `${n.name} (missing; config desiredSize=${n.desiredSize}, minSize=${n.minSize})`);
  return [...live, ...missing];
}

/** A node group's name in config: its `hardened-eks:node-group` tag, else its EKS name. */
function configNameOf(g: Nodegroup): string {
  return g.tags?.['hardened-eks:node-group'] ?? g.nodegroupName ?? '';
}

/** Node groups as configured: present, Bottlerocket, no remote access. Pure. */
export function checkNodegroups(groups: readonly Nodegroup[], expected: ExpectedCluster): CheckResult[] {
  const byName = new Map(groups.map((g) => [configNameOf(g), g]));
  const amiFailures: string[] = [];
  const amiEvidence: string[] = [];
  const accessFailures: string[] = [];
  for (const want of expected.nodeGroups) {
    if (!byName.has(want.name)) amiFailures.push(`node group ${want.name}: missing`);
  }
  for (const g of groups) {
    const name = g.nodegroupName ?? '?';
    const configured = expected.nodeGroups.find((n) => n.name === configNameOf(g));
    const wantAmi = configured?.arch === 'arm64' ? 'BOTTLEROCKET_ARM_64' : 'BOTTLEROCKET_x86_64';
    const ami = g.amiType ?? 'unset';
    if (!configured) amiFailures.push(`node group ${name}: not in config`);
    if (!ami.startsWith('BOTTLEROCKET_') || (configured && ami !== wantAmi)) {
      amiFailures.push(`node group ${name}: amiType=${ami} (want ${wantAmi})`);
    }
    amiEvidence.push(`${name}: amiType=${ami}, releaseVersion=${g.releaseVersion ?? 'unknown'}`);
    if (g.remoteAccess) {
      accessFailures.push(
        `node group ${name}: remoteAccess ec2SshKey=${g.remoteAccess.ec2SshKey ?? '-'}, sourceSecurityGroups=${(g.remoteAccess.sourceSecurityGroups ?? []).join(',') || '-'}`,
      );
    }
  }
  return [
    result('EKS-NODE-001', 'node groups: Bottlerocket AMI type', amiFailures, amiEvidence),
    result('EKS-NODE-004', 'node groups: no remote access', accessFailures, [
      `${groups.length} node group(s), remoteAccess unset on ${groups.length - accessFailures.length}`,
    ]),
  ];
}
