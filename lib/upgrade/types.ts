/** What moves in an upgrade step, in the order the EKS upgrade guide gives within a round. */
export type StepComponent = 'control-plane' | 'node-group' | 'addon';

/** One thing to change, in execution order. */
export interface UpgradeStep {
  /** The Kubernetes minor this step belongs to (the control plane's version once the round is done). */
  readonly round: string;
  readonly component: StepComponent;
  /** Cluster, node group or add-on name. */
  readonly name: string;
  /** Current version (`none` for an add-on the cluster does not run yet). */
  readonly from: string;
  readonly to: string;
}

/** A deprecated API the cluster still serves requests for, from an upgrade insight. */
export interface DeprecatedApiUse {
  readonly usage: string;
  readonly replacedWith?: string;
  readonly stopServingVersion?: string;
  /** Clients (user agents) that called it in the last 30 days. */
  readonly clients: readonly string[];
}

/** An EKS upgrade insight (category UPGRADE_READINESS) in ERROR or WARNING. */
export interface UpgradeInsight {
  readonly id: string;
  readonly name: string;
  /** The Kubernetes version the insight checks readiness for. */
  readonly kubernetesVersion?: string;
  readonly status: 'ERROR' | 'WARNING';
  /** ERROR insights block the upgrade until resolved. */
  readonly blocking: boolean;
  readonly reason?: string;
  readonly recommendation?: string;
  readonly deprecations: readonly DeprecatedApiUse[];
}

/** The running cluster as EKS describes it (read-only calls). */
export interface LiveCluster {
  readonly name: string;
  readonly version: string;
  readonly addons: readonly { readonly name: string; readonly version?: string }[];
  readonly nodegroups: readonly { readonly name: string; readonly version?: string }[];
  /** UPGRADE_READINESS insights in ERROR or WARNING (others are left out). */
  readonly insights: readonly Omit<UpgradeInsight, 'blocking'>[];
}

/** The ordered plan from the running version to the configured one. */
export interface UpgradePlan {
  readonly environment: string;
  readonly cluster: string;
  readonly from: string;
  readonly to: string;
  readonly steps: readonly UpgradeStep[];
  /** Insights for the versions the plan passes through. */
  readonly insights: readonly UpgradeInsight[];
}
