import type { BaselineConfig, TenantConfig } from './baseline';
import type { AdmissionConfig } from './admission';
import type { KubernetesVersionString } from './defaults';
import type { PipelineConfig } from './delivery';
import type { DetectionConfig } from './detection';
import type { VerifyConfig } from './verify';
import type { VersionMatrixRow } from './version-matrix';

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
  /**
   * Pinned Bottlerocket release (else the matrix's default for the minor); unset means EKS's latest at
   * creation, and nodes never roll by themselves.
   */
  readonly releaseVersion?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: TaintEffect }[];
  /**
   * The EKS node group's name: `<name>-<hash of the replacement-causing properties>` (lib/naming.ts), so a
   * change that replaces the group gets a new name instead of failing with "already exists". The group
   * also carries the tag `hardened-eks:node-group=<name>`.
   */
  readonly nodegroupName: string;
  /**
   * Finish a roll even where PodDisruptionBudgets block draining (`ForceUpdateEnabled`). Default false;
   * true is a deviation (EKS-OPS-002).
   */
  readonly forceUpdate: boolean;
}

/** What the environment's Kubernetes minor brings with it, from its version matrix row. */
export interface KubernetesVersionConfig {
  /** `@aws-cdk/lambda-layer-kubectl-<id>` of the kubectl provider (within one minor of the cluster). */
  readonly kubectlLayer: VersionMatrixRow['kubectlLayer'];
  /** Value of the `pod-security.kubernetes.io/*-version` labels, e.g. `v1.36`. */
  readonly podSecurityVersion: string;
  readonly standardSupportEnds: string;
  readonly extendedSupportEnds: string;
  /** One line, set while the version is in EKS extended support (billed extra); shown at synthesis. */
  readonly supportWarning?: string;
}

/** One deployable environment: everything the stacks need, with every default resolved. */
export interface EnvironmentConfig {
  /** The environment's key in `blueprint.environments`. */
  readonly name: string;
  readonly org: string;
  readonly account: string;
  readonly region: string;
  readonly kubernetesVersion: KubernetesVersionString;
  /** kubectl, labels and support dates of `kubernetesVersion` (lib/config/version-matrix.ts). */
  readonly kubernetes: KubernetesVersionConfig;
  readonly clusterName: string;
  readonly vpcCidr: string;
  /**
   * The zones the subnets span: names (`ca-central-1d`), or zone IDs (`cac1-az4`) when
   * `availabilityZoneIds` is set (see lib/config/zones.ts).
   */
  readonly availabilityZones: readonly string[];
  /** Set when subnets are placed by zone ID (then equal to `availabilityZones`). */
  readonly availabilityZoneIds?: readonly string[];
  readonly egress: 'nat' | 'isolated';
  readonly endpointAccess: 'private' | 'public-and-private';
  /** Empty unless `endpointAccess` is `public-and-private`. A deviation from EKS-NET-001. */
  readonly publicEndpointCidrs: readonly string[];
  readonly adminRoleArns: readonly string[];
  readonly viewerRoleArns: readonly string[];
  readonly adminGroup: string;
  /**
   * Kubernetes group of the identity that applies the baseline (the kubectl provider's access entry, and
   * any GitOps controller applying dist/manifests): the admission policies let it write the few objects
   * the platform needs and tenants must not. Distinct from every other group.
   */
  readonly deployerGroup: string;
  readonly viewerGroup: string;
  readonly nodeGroups: readonly NodeGroupConfig[];
  readonly cisLevel: 1 | 2;
  readonly podPidsLimit: number;
  readonly logRetentionDays: number;
  readonly clusterDeletionProtection: boolean;
  readonly terminationProtection: boolean;
  readonly kmsKeyPendingWindowDays: number;
  /** Add-on version pins: the version matrix's for the minor, overridden by config `addonVersions`. */
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
  /** Config that is allowed but probably wrong, one formatted line each (`formatWarning`). */
  readonly warnings: readonly string[];
  /** Every environment's name in the order cdk.json lists them (`-c env` leaves none out): the deploy order. */
  readonly deployOrder: readonly string[];
  /** The optional CDK Pipelines delivery (`blueprint.pipeline`). */
  readonly pipeline?: PipelineConfig;
}
