import { checkAccessEntries, describeAccessEntries } from './access';
import { checkAddons, describeAddons } from './addons';
import { checkCluster, describeCluster } from './cluster';
import { VerifyError } from './errors';
import type { ExpectedCluster } from './expected';
import { probeGuardDuty } from './guardduty';
import { probeImageRepositories } from './images';
import { resolveKeys } from './keys';
import { checkControlPlaneLogGroup, describeControlPlaneLogGroup } from './logging';
import { checkNodegroups, describeNodegroups, nodeRolesOf, nodesWantedBy } from './nodegroups';
import { probeNodes } from './nodes';
import { describeKubectlRole } from './stack';
import type { CheckResult, ProgressSink, VerifyClients } from './types';

export interface VerifyReport {
  readonly environment: string;
  readonly clusterName: string;
  readonly region: string;
  readonly account: string;
  /** Sorted by control id, then check. */
  readonly results: readonly CheckResult[];
}

/** Probes the live cluster of one environment against what its config says it must be. */
export async function verifyCluster(
  clients: VerifyClients,
  expected: ExpectedCluster,
  progress: ProgressSink = () => undefined,
): Promise<VerifyReport> {
  progress('cluster');
  const cluster = await describeCluster(clients.eks, expected);
  const account = cluster.arn?.split(':')[4];
  if (account && account !== expected.account) {
    throw new VerifyError(
      `Cluster "${expected.clusterName}" found in account ${account}, but environment "${expected.environment}" deploys to ${expected.account}; use credentials for ${expected.account} (--profile)`,
      'credentials',
      'eks:DescribeCluster',
    );
  }
  const keys = await resolveKeys(clients.kms, expected);
  const results: CheckResult[] = [...checkCluster(cluster, expected, keys)];

  progress('add-ons');
  const addons = await describeAddons(clients.eks, expected, cluster.version ?? expected.kubernetesVersion);
  results.push(...checkAddons(addons, expected));

  progress('node groups');
  const groups = await describeNodegroups(clients.eks, expected);
  results.push(...checkNodegroups(groups, expected));
  const nodeRoles = nodeRolesOf(groups);

  progress('access entries');
  const kubectl = await describeKubectlRole(clients.cloudformation, expected);
  results.push(
    checkAccessEntries(await describeAccessEntries(clients.eks, expected), expected, nodeRoles, kubectl),
  );

  progress('logging');
  const group = await describeControlPlaneLogGroup(clients.logs, expected);
  results.push(checkControlPlaneLogGroup(group, expected, keys));
  results.push(await probeGuardDuty(clients.guardduty, expected));

  progress('image repositories');
  results.push(...(await probeImageRepositories(clients.ecr, expected, keys, nodeRoles)));

  progress('nodes');
  const fleet = { nodeRoles, wantedBy: nodesWantedBy(groups, expected) };
  results.push(...(await probeNodes(clients, expected, keys, fleet, progress)));

  return {
    environment: expected.environment,
    clusterName: expected.clusterName,
    region: expected.region,
    account: expected.account,
    results: [...results].sort(
      (a, b) => a.controlId.localeCompare(b.controlId) || a.check.localeCompare(b.check),
    ),
  };
}
