import { VERSION_MATRIX } from './version-matrix';

/**
 * The org baseline: every value an environment gets when neither `org` nor the environment sets it.
 * This is the only place a default Kubernetes version or a sizing default is written down; what each
 * version brings with it (kubectl, add-on pins, labels) is in the version matrix (version-matrix.ts).
 */

/** A Kubernetes minor EKS serves and the blueprint carries a matrix row for. */
export type KubernetesVersionString = keyof typeof VERSION_MATRIX;

/** Every version the blueprint accepts, oldest first: EKS standard and extended support. */
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(VERSION_MATRIX) as [
  KubernetesVersionString,
  ...KubernetesVersionString[],
];

/**
 * The newest minor in EKS standard support that aws-cdk-lib (KubernetesVersion), Bottlerocket
 * (aws-k8s-<minor> variants) and a published kubectl layer package all support.
 */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersionString = '1.36';

/** Retention values CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DEFAULTS = {
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  vpcCidr: '10.0.0.0/16',
  availabilityZones: 3,
  egress: 'nat',
  endpointAccess: 'private',
  publicEndpointCidrs: [] as string[],
  adminRoleArns: [] as string[],
  viewerRoleArns: [] as string[],
  adminGroup: 'platform:admins',
  deployerGroup: 'platform:deployers',
  viewerGroup: 'platform:viewers',
  cisLevel: 2,
  podPidsLimit: 4096,
  logRetentionDays: 365,
  clusterDeletionProtection: true,
  terminationProtection: true,
  kmsKeyPendingWindowDays: 30,
  addonVersions: {} as Record<string, string>,
  tags: {} as Record<string, string>,
} as const;

/** The node group an environment gets when no layer defines `nodeGroups`. */
export const DEFAULT_NODE_GROUP = {
  name: 'system',
  instanceTypes: ['m7i.large'] as string[],
  arch: 'x86_64' as 'x86_64' | 'arm64',
  minSize: 2,
  maxSize: 6,
  desiredSize: 3,
  capacityType: 'ON_DEMAND' as 'ON_DEMAND' | 'SPOT',
  osVolumeSizeGiB: 4,
  dataVolumeSizeGiB: 50,
  maxUnavailable: 1,
  forceUpdate: false,
  labels: {} as Record<string, string>,
  taints: [] as { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[],
} as const;
