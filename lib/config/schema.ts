import { z } from 'zod';
import { admissionLayerSchema } from './admission';
import { parseIpv4Cidr } from './cidr';
import { baselineSchema, tenantSchema } from './baseline';
import { LOG_RETENTION_DAYS, SUPPORTED_KUBERNETES_VERSIONS } from './defaults';
import { approvalSchema, pipelineSchema } from './delivery';
import { detectionLayerSchema } from './detection';
import { REGIONS } from './regions';
import { verifySchema } from './verify';

/*
 * The shape of `context.blueprint` in cdk.json. Every field is optional at this level because a value can
 * come from `org` or from the environment; required-ness and defaults are resolved in load.ts.
 * Objects are strict so a typo ("vpcCdir") is an error, not a silently ignored key.
 */

const dns1123Label = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label: lowercase letters, digits and "-"')
  .max(63, 'must be at most 63 characters');

const cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseIpv4Cidr(value);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const roleArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN such as arn:aws:iam::123456789012:role/PlatformAdmin',
  );

const kubernetesGroup = z
  .string()
  .regex(/^[a-z0-9][a-z0-9:._-]{0,62}$/, 'must be a Kubernetes group name such as platform:admins')
  .refine((g) => !g.startsWith('system:'), 'must not start with "system:" (reserved by Kubernetes)');

const taint = z.strictObject({
  key: z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be a label key'),
  value: z.string().max(63).optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

const labels = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be a label key'),
  z.string().max(63, 'label values are at most 63 characters'),
);

export const nodeGroupSchema = z.strictObject({
  name: dns1123Label,
  instanceTypes: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type such as m7i.large'))
    .min(1, 'must list at least one instance type'),
  arch: z.enum(['x86_64', 'arm64']).optional(),
  minSize: z.int().min(0).optional(),
  maxSize: z.int().min(1).optional(),
  desiredSize: z.int().min(0).optional(),
  capacityType: z.enum(['ON_DEMAND', 'SPOT']).optional(),
  osVolumeSizeGiB: z.int().min(2).max(1024).optional(),
  dataVolumeSizeGiB: z.int().min(20).max(16384).optional(),
  maxUnavailable: z.int().min(1).max(100).optional(),
  releaseVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+-[0-9a-f]{8}$/, 'must be a Bottlerocket release such as 1.42.0-6d8d9a4b')
    .optional(),
  labels: labels.optional(),
  taints: z.array(taint).optional(),
  /** Finish a roll even where PodDisruptionBudgets block draining. A deviation (EKS-OPS-002). */
  forceUpdate: z.boolean().optional(),
});

/** Every field an environment (or `org`, as shared defaults) may set. */
export const environmentFields = {
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'must be an AWS region such as us-east-1')
    .refine((r) => Object.hasOwn(REGIONS, r), {
      message:
        'is not an AWS region the blueprint knows (lib/config/regions.ts, from the AWS General Reference); check the spelling, such as us-east-1',
    }),
  kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS, {
    error: () => `must be one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')} (quoted, as a string)`,
  }),
  clusterName: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9-]*$/, 'must start with a letter and hold letters, digits and "-"')
    .max(100, 'must be at most 100 characters (the EKS limit for a cluster name)'),
  vpcCidr: cidr,
  availabilityZones: z.int().min(2, 'must be at least 2 for a highly available control plane').max(6),
  availabilityZoneNames: z
    .array(
      z
        .string()
        .regex(
          /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}[a-z]$/,
          'must be an Availability Zone name such as ca-central-1d',
        ),
    )
    .optional(),
  availabilityZoneIds: z
    .array(z.string().regex(/^[a-z]+\d+-az\d+$/, 'must be an Availability Zone ID such as cac1-az4'))
    .optional(),
  egress: z.enum(['nat', 'isolated']),
  endpointAccess: z.enum(['private', 'public-and-private']),
  publicEndpointCidrs: z.array(cidr),
  adminRoleArns: z.array(roleArn),
  viewerRoleArns: z.array(roleArn),
  adminGroup: kubernetesGroup,
  deployerGroup: kubernetesGroup,
  viewerGroup: kubernetesGroup,
  nodeGroups: z.array(nodeGroupSchema).min(1, 'must define at least one node group'),
  cisLevel: z.union([z.literal(1), z.literal(2)], { error: () => 'must be 1 or 2' }),
  podPidsLimit: z.int().min(64).max(1_048_576),
  logRetentionDays: z.int().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `must be a CloudWatch retention value: ${LOG_RETENTION_DAYS.join(', ')}`,
  }),
  clusterDeletionProtection: z.boolean(),
  terminationProtection: z.boolean(),
  kmsKeyPendingWindowDays: z.int().min(7).max(30),
  // partialRecord: with an enum key, zod's record would demand every add-on.
  addonVersions: z.partialRecord(
    z.enum(['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'aws-ebs-csi-driver']),
    z
      .string()
      .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'must be an add-on version such as v1.19.2-eksbuild.1'),
  ),
  tags: z.record(z.string().min(1).max(128), z.string().max(256)),
  baseline: baselineSchema,
  tenants: z.array(tenantSchema),
  admission: admissionLayerSchema,
  detection: detectionLayerSchema,
  verify: verifySchema,
  approval: approvalSchema,
};

const layerShape = Object.fromEntries(
  Object.entries(environmentFields).map(([key, schema]) => [key, schema.optional()]),
) as { [K in keyof typeof environmentFields]: z.ZodOptional<(typeof environmentFields)[K]> };

/** One environment as written in cdk.json: any subset of the fields. */
export const environmentLayerSchema = z.strictObject(layerShape);

/** `org`: the org's name plus shared defaults for every environment. */
export const orgLayerSchema = z.strictObject({
  name: dns1123Label.optional(),
  ...layerShape,
});

export const blueprintContextSchema = z.strictObject({
  org: orgLayerSchema.optional(),
  environments: z
    .record(dns1123Label, environmentLayerSchema)
    .refine((envs) => Object.keys(envs).length > 0, 'must define at least one environment'),
  pipeline: pipelineSchema.optional(),
});

export type EnvironmentLayer = z.infer<typeof environmentLayerSchema>;
export type OrgLayer = z.infer<typeof orgLayerSchema>;
export type BlueprintContext = z.infer<typeof blueprintContextSchema>;
export type NodeGroupInput = z.infer<typeof nodeGroupSchema>;
