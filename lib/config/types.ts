import type { BaselineConfig, TenantConfig } from './baseline';
import type { AdmissionConfig } from './admission';
import type { KubernetesVersionString } from './defaults';
import type { PipelineConfig } from './delivery';
import type { DetectionConfig } from './detection';
import type { VerifyConfig } from './verify';

export type Arch = 'x86_64' | 'arm64';
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** A Bottlerocket managed node group, fully resolved. */
export interface NodeGroupConfig {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly arch: Arch;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly capacityType: 'ON_DEMAND' | 'SPOT';
  /** Size of the Bottlerocket OS volume (/dev/xvda). */
  readonly osVolumeSizeGiB: number;
  /** Size of the Bottlerocket data volume (/dev/xvdb): images, container storage, ephemeral volumes. */
  readonly dataVolumeSizeGiB: number;
  /** Nodes replaced at once when the release version or launch template changes. */
  readonly maxUnavailable: number;
  /** Pinned Bottlerocket release; unset means EKS's latest at creation, and nodes never roll by themselves. */
  readonly releaseVersion?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: TaintEffect }[];
}

/** One deployable environment: everything the stacks need, with every default resolved. */
export interface EnvironmentConfig {
  /** The environment's key in `blueprint.environments`. */
  readonly name: string;
  readonly org: string;
  readonly account: string;
  readonly region: string;
  readonly kubernetesVersion: KubernetesVersionString;
  readonly clusterName: string;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly egress: 'nat' | 'isolated';
  readonly endpointAccess: 'private' | 'public-and-private';
  /** Empty unless `endpointAccess` is `public-and-private`. A deviation from EKS-NET-001. */
  readonly publicEndpointCidrs: readonly string[];
  readonly adminRoleArns: readonly string[];
  readonly viewerRoleArns: readonly string[];
  readonly adminGroup: string;
  readonly viewerGroup: string;
  readonly nodeGroups: readonly NodeGroupConfig[];
  readonly cisLevel: 1 | 2;
  readonly podPidsLimit: number;
  readonly logRetentionDays: number;
  readonly clusterDeletionProtection: boolean;
  readonly terminationProtection: boolean;
  readonly kmsKeyPendingWindowDays: number;
  readonly addonVersions: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** The in-cluster baseline (charts/). */
  readonly baseline: BaselineConfig;
  readonly tenants: readonly TenantConfig[];
  /** Admission policy settings (policies/). */
  readonly admission: AdmissionConfig;
  /** Audit alarms, GuardDuty, image repositories, Container Insights (lib/config/detection.ts). */
  readonly detection: DetectionConfig;
  /** The live `verify` command and its read-only policy. */
  readonly verify: VerifyConfig;
  /**
   * A person approves before the environment deploys (GitHub environment reviewers in the deploy workflow,
   * a manual approval step in the CDK pipeline).
   */
  readonly approval: boolean;
}

/** The validated, frozen configuration: the only thing downstream code receives. */
export interface BlueprintConfig {
  readonly org: string;
  /** The environments to synthesize (all, or the one chosen with `-c env=<name>`). */
  readonly environments: readonly EnvironmentConfig[];
  /** Every environment's name in the order cdk.json lists them (`-c env` leaves none out): the deploy order. */
  readonly deployOrder: readonly string[];
  /** The optional CDK Pipelines delivery (`blueprint.pipeline`). */
  readonly pipeline?: PipelineConfig;
}
