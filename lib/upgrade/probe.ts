import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  paginateListAddons,
  paginateListInsights,
  paginateListNodegroups,
  type EKSClient,
  type Insight,
} from '@aws-sdk/client-eks';
import { isNotFound } from '../verify/errors';
import { call, pages, UpgradePlanError } from './errors';
import type { DeprecatedApiUse, LiveCluster } from './types';

/** The read-only EKS actions upgrade-plan calls (README "Upgrading" lists them for IAM). */
export const UPGRADE_PLAN_ACTIONS = [
  'eks:DescribeCluster',
  'eks:ListAddons',
  'eks:DescribeAddon',
  'eks:ListNodegroups',
  'eks:DescribeNodegroup',
  'eks:ListInsights',
  'eks:DescribeInsight',
] as const;

/** Reads the cluster, its add-ons, managed node groups and upgrade insights. Read-only. */
export async function readLiveCluster(
  eks: EKSClient,
  clusterName: string,
  region: string,
  progress: (step: string) => void = () => undefined,
): Promise<LiveCluster> {
  progress('cluster');
  let version: string | undefined;
  try {
    const res = await call('eks:DescribeCluster', () =>
      eks.send(new DescribeClusterCommand({ name: clusterName })),
    );
    version = res.cluster?.version;
  } catch (err) {
    if (isNotFound(err)) {
      throw new UpgradePlanError(
        `cluster ${clusterName} was not found in ${region}; deploy the environment first, or pass --region where it runs`,
      );
    }
    throw err;
  }
  if (!version) throw new UpgradePlanError(`eks:DescribeCluster returned no version for ${clusterName}`);

  progress('add-ons');
  const addonNames: string[] = [];
  for await (const page of pages('eks:ListAddons', paginateListAddons({ client: eks }, { clusterName }))) {
    addonNames.push(...(page.addons ?? []));
  }
  const addons = [];
  for (const addonName of addonNames.sort()) {
    const res = await call('eks:DescribeAddon', () =>
      eks.send(new DescribeAddonCommand({ clusterName, addonName })),
    );
    addons.push({ name: addonName, ...(res.addon?.addonVersion ? { version: res.addon.addonVersion } : {}) });
  }

  progress('node groups');
  const nodegroupNames: string[] = [];
  for await (const page of pages(
    'eks:ListNodegroups',
    paginateListNodegroups({ client: eks }, { clusterName }),
  )) {
    nodegroupNames.push(...(page.nodegroups ?? []));
  }
  const nodegroups = [];
  for (const nodegroupName of nodegroupNames.sort()) {
    const res = await call('eks:DescribeNodegroup', () =>
      eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName })),
    );
    nodegroups.push({
      name: nodegroupName,
      ...(res.nodegroup?.version ? { version: res.nodegroup.version } : {}),
    });
  }

  progress('upgrade insights');
  const flagged: string[] = [];
  const insightPages = paginateListInsights(
    { client: eks },
    { clusterName, filter: { categories: ['UPGRADE_READINESS'], statuses: ['ERROR', 'WARNING'] } },
  );
  for await (const page of pages('eks:ListInsights', insightPages)) {
    for (const i of page.insights ?? []) if (i.id) flagged.push(i.id);
  }
  const insights = [];
  for (const id of flagged) {
    const res = await call('eks:DescribeInsight', () =>
      eks.send(new DescribeInsightCommand({ clusterName, id })),
    );
    const insight = res.insight;
    const status = insight?.insightStatus?.status;
    // The filter asked for these two; anything else EKS returns does not warn or block.
    if (!insight || (status !== 'ERROR' && status !== 'WARNING')) continue;
    insights.push({
      id,
      name: insight.name ?? id,
      ...(insight.kubernetesVersion ? { kubernetesVersion: insight.kubernetesVersion } : {}),
      status,
      ...(insight.insightStatus?.reason ? { reason: insight.insightStatus.reason } : {}),
      ...(insight.recommendation ? { recommendation: insight.recommendation } : {}),
      deprecations: deprecationsOf(insight),
    });
  }
  return { name: clusterName, version, addons, nodegroups, insights };
}

function deprecationsOf(insight: Insight): DeprecatedApiUse[] {
  return (insight.categorySpecificSummary?.deprecationDetails ?? []).map((d) => ({
    usage: d.usage ?? 'unknown',
    ...(d.replacedWith ? { replacedWith: d.replacedWith } : {}),
    ...(d.stopServingVersion ? { stopServingVersion: d.stopServingVersion } : {}),
    clients: (d.clientStats ?? []).map((c) => c.userAgent ?? 'unknown').sort(),
  }));
}
