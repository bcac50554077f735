/**
 * The org baseline: every value an environment gets when neither `org` nor the environment sets it.
 * This is the only place a Kubernetes version or a sizing default is written down.
 */

/** Kubernetes versions the blueprint is tested against (EKS standard support). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.32', '1.33', '1.34', '1.35'] as const;
export type KubernetesVersionString = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

export const DEFAULT_KUBERNETES_VERSION: KubernetesVersionString = '1.34';

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
  viewerGroup: 'platform:viewers',
  deployerGroup: 'platform:deployers',
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
