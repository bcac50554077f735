import { compareVersions, minorsBetween } from '../config';
import { UpgradePlanError } from './errors';
import type { LiveCluster, UpgradeInsight, UpgradePlan, UpgradeStep } from './types';

/** What the configuration wants, and the add-on pins of each minor the plan passes through. */
export interface PlanTarget {
  readonly environment: string;
  /** The configured `kubernetesVersion`. */
  readonly version: string;
  /** Add-on pins at a minor: the config's (with overrides) for `version`, the version matrix's before. */
  readonly addonPins: (minor: string) => Readonly<Record<string, string>>;
}

/** The EKS upgrade guide's add-on order: networking first, then DNS and kube-proxy, then the rest. */
const ADDON_ORDER = [
  'vpc-cni',
  'coredns',
  'kube-proxy',
  'eks-pod-identity-agent',
  'aws-ebs-csi-driver',
  'amazon-cloudwatch-observability',
];
const addonRank = (name: string) => {
  const i = ADDON_ORDER.indexOf(name);
  return i < 0 ? ADDON_ORDER.length : i;
};

/**
 * Plans the upgrade from the running cluster to the configured version, one minor at a time and never
 * skipping one. Each round: the control plane; then every managed node group (EKS refuses the next
 * control-plane upgrade until they match); then the add-ons whose pinned versions follow the minor.
 * Node groups already behind the control plane catch up first. Pure.
 */
export function planUpgrade(live: LiveCluster, target: PlanTarget): UpgradePlan {
  if (compareVersions(live.version, target.version) > 0) {
    throw new UpgradePlanError(
      `cluster ${live.name} runs Kubernetes ${live.version}, newer than kubernetesVersion ${target.version} in the config; EKS cannot downgrade: set kubernetesVersion to "${live.version}" or newer`,
    );
  }
  const rounds = minorsBetween(live.version, target.version);
  const steps: UpgradeStep[] = [];
  const nodegroups = new Map(live.nodegroups.map((n) => [n.name, n.version ?? 'unknown']));
  const addons = new Map(live.addons.map((a) => [a.name, a.version ?? 'unknown']));
  const sortedNodegroups = [...nodegroups.keys()].sort();

  const moveNodegroups = (round: string) => {
    for (const name of sortedNodegroups) {
      const from = nodegroups.get(name) as string;
      if (from === round) continue;
      steps.push({ round, component: 'node-group', name, from, to: round });
      nodegroups.set(name, round);
    }
  };
  const moveAddons = (round: string) => {
    const pins = target.addonPins(round);
    for (const name of Object.keys(pins).sort((a, b) => addonRank(a) - addonRank(b) || a.localeCompare(b))) {
      const from = addons.get(name) ?? 'none';
      if (from === pins[name]) continue;
      steps.push({ round, component: 'addon', name, from, to: pins[name] });
      addons.set(name, pins[name]);
    }
  };

  // Node groups behind the control plane must match it before the control plane may move on.
  moveNodegroups(live.version);
  let controlPlane = live.version;
  for (const round of rounds) {
    steps.push({ round, component: 'control-plane', name: live.name, from: controlPlane, to: round });
    controlPlane = round;
    moveNodegroups(round);
    moveAddons(round);
  }
  if (rounds.length === 0) moveAddons(target.version);

  // An upgrade insight names the version it checks readiness for: only those the plan moves to count.
  const insights: UpgradeInsight[] = live.insights
    .filter(
      (i) => rounds.length > 0 && (i.kubernetesVersion === undefined || rounds.includes(i.kubernetesVersion)),
    )
    .map((i) => ({ ...i, blocking: i.status === 'ERROR' }))
    .sort((a, b) => Number(b.blocking) - Number(a.blocking) || a.name.localeCompare(b.name));
  return {
    environment: target.environment,
    cluster: live.name,
    from: live.version,
    to: target.version,
    steps,
    insights,
  };
}

/** 0: nothing to do; 1: steps remain or an insight blocks. */
export function exitCodeOf(plan: UpgradePlan): 0 | 1 {
  return plan.steps.length > 0 || plan.insights.some((i) => i.blocking) ? 1 : 0;
}
