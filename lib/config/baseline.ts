import { z } from 'zod';
import { DEFAULT_KUBERNETES_VERSION } from './defaults';
import { VERSION_MATRIX } from './version-matrix';
import { parseIpv4Cidr } from './cidr';
import type { ConfigIssue } from './errors';
import { RESERVED_NAMESPACES } from './namespaces';

/*
 * Config of the in-cluster baseline (charts/) and its tenants. Resolved here, once; the charts receive
 * plain typed props.
 */

const dns1123Label = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label: lowercase letters, digits and "-"')
  .max(63, 'must be at most 63 characters');

const kubernetesGroup = z
  .string()
  .regex(/^[a-z0-9][a-z0-9:._-]{0,62}$/, 'must be a Kubernetes group name such as tenant:team-a:admins')
  .refine((g) => !g.startsWith('system:'), 'must not start with "system:" (reserved by Kubernetes)');

const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN');

/** A Kubernetes resource quantity such as 500m, 2, 4Gi. */
const quantity = z
  .string()
  .regex(
    /^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$/,
    'must be a Kubernetes quantity such as "500m", "2" or "4Gi"',
  );

const podSecurityLevel = z.enum(['privileged', 'baseline', 'restricted']);

const quotaSchema = z.strictObject({
  requestsCpu: quantity.optional(),
  requestsMemory: quantity.optional(),
  limitsCpu: quantity.optional(),
  limitsMemory: quantity.optional(),
  pods: z.int().min(1).optional(),
  services: z.int().min(0).optional(),
  persistentVolumeClaims: z.int().min(0).optional(),
  requestsStorage: quantity.optional(),
});

const limitsSchema = z.strictObject({
  defaultRequestCpu: quantity.optional(),
  defaultRequestMemory: quantity.optional(),
  defaultCpu: quantity.optional(),
  defaultMemory: quantity.optional(),
  maxCpu: quantity.optional(),
  maxMemory: quantity.optional(),
});

const egressRuleSchema = z.strictObject({
  cidr: z.string().superRefine((value, ctx) => {
    const parsed = parseIpv4Cidr(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  }),
  ports: z.array(z.int().min(1).max(65535)).min(1, 'must list at least one TCP port'),
  description: z.string().max(200).optional(),
});

export const tenantSchema = z.strictObject({
  name: dns1123Label,
  ownersGroup: kubernetesGroup.optional(),
  developersGroup: kubernetesGroup.optional(),
  ownerRoleArns: z.array(roleArn).optional(),
  developerRoleArns: z.array(roleArn).optional(),
  allowExec: z.boolean().optional(),
  allowIntraNamespace: z.boolean().optional(),
  quota: quotaSchema.optional(),
  limits: limitsSchema.optional(),
  allowedEgress: z.array(egressRuleSchema).optional(),
});

export const baselineSchema = z.strictObject({
  auditorGroup: kubernetesGroup.optional(),
  namespaceExceptions: z
    .record(
      dns1123Label,
      z.strictObject({
        enforce: podSecurityLevel.exclude(['restricted']),
        reason: z.string().min(10, 'must explain why the namespace cannot run at restricted'),
      }),
    )
    .optional(),
  externalSecrets: z
    .strictObject({
      chartVersion: z
        .string()
        .regex(/^\d+\.\d+\.\d+$/, 'must be a chart version such as 2.9.0')
        .optional(),
      chartRepository: z
        .string()
        .regex(/^(https:\/\/|oci:\/\/)\S+$/, 'must be an https:// chart repository or an oci:// registry')
        .optional(),
      replicas: z.int().min(1).max(5).optional(),
      imageRegistry: z
        .string()
        .regex(
          /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/,
          'must be a registry and path such as ghcr.io/external-secrets',
        )
        .optional(),
    })
    .optional(),
  workloadLabels: z.record(z.string().min(1).max(317), z.string().max(63)).optional(),
  fluentBit: z
    .strictObject({ image: z.string().regex(/^\S+:\S+$/, 'must be an image with a tag') })
    .optional(),
  kubeBench: z
    .strictObject({
      image: z
        .string()
        .regex(/^\S+:\S+$/, 'must be an image with a tag')
        .optional(),
      benchmark: z
        .string()
        .regex(/^eks-\d+\.\d+\.\d+$/, 'must be a kube-bench EKS benchmark such as eks-1.8.0')
        .optional(),
      schedule: z
        .string()
        .regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron expression such as "0 3 * * 0"')
        .optional(),
    })
    .optional(),
});

export type TenantInput = z.infer<typeof tenantSchema>;
export type BaselineInput = z.infer<typeof baselineSchema>;
export type PodSecurityLevel = z.infer<typeof podSecurityLevel>;

export interface TenantConfig {
  readonly name: string;
  /** Kubernetes group with namespace-admin in the tenant namespace. */
  readonly ownersGroup: string;
  /** Kubernetes group with developer rights in the tenant namespace. */
  readonly developersGroup: string;
  /** IAM roles given an access entry into `ownersGroup` (RBAC only, no EKS access policy). */
  readonly ownerRoleArns: readonly string[];
  readonly developerRoleArns: readonly string[];
  /** Grants `pods/exec` and `pods/attach` to developers; a deviation from EKS-K8S-RBAC-002. */
  readonly allowExec: boolean;
  readonly allowIntraNamespace: boolean;
  readonly quota: Readonly<Required<z.infer<typeof quotaSchema>>>;
  readonly limits: Readonly<Required<z.infer<typeof limitsSchema>>>;
  readonly allowedEgress: readonly {
    readonly cidr: string;
    readonly ports: readonly number[];
    readonly description?: string;
  }[];
}

export interface NamespaceException {
  readonly enforce: 'privileged' | 'baseline';
  readonly reason: string;
}

export interface BaselineConfig {
  readonly auditorGroup: string;
  /** Namespaces that enforce below restricted, with the reason (they still audit and warn at restricted). */
  readonly namespaceExceptions: Readonly<Record<string, NamespaceException>>;
  readonly externalSecrets: {
    readonly chartVersion: string;
    readonly chartRepository: string;
    readonly replicas: number;
    /** Registry and path the operator's images come from (`<imageRegistry>/external-secrets`). */
    readonly imageRegistry: string;
  };
  /** Labels every workload of the baseline carries (to satisfy the required-labels policy). */
  readonly workloadLabels: Readonly<Record<string, string>>;
  readonly fluentBit: { readonly image: string };
  readonly kubeBench: { readonly image: string; readonly benchmark: string; readonly schedule: string };
}

export const BASELINE_DEFAULTS = {
  auditorGroup: 'platform:auditors',
  externalSecrets: {
    chartVersion: '2.9.0',
    chartRepository: 'https://charts.external-secrets.io',
    replicas: 2,
    imageRegistry: 'ghcr.io/external-secrets',
  },
  workloadLabels: { owner: 'platform' } as Record<string, string>,
  fluentBit: { image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8' },
  // The benchmark follows the Kubernetes minor (version matrix); this is the default version's.
  kubeBench: {
    image: 'docker.io/aquasec/kube-bench:v0.16.0',
    benchmark: VERSION_MATRIX[DEFAULT_KUBERNETES_VERSION].kubeBenchBenchmark as string,
    schedule: '0 3 * * 0',
  },
  /** Namespaces the blueprint itself needs below restricted. */
  namespaceExceptions: {
    'kube-system': {
      enforce: 'privileged',
      reason:
        'EKS add-ons (aws-node, kube-proxy, EBS CSI node, Pod Identity agent) run privileged with host networking',
    },
    logging: {
      enforce: 'privileged',
      reason: 'Fluent Bit reads node and container logs through read-only hostPath mounts of /var/log',
    },
    'kube-bench': {
      enforce: 'privileged',
      reason:
        'kube-bench needs hostPID and read-only host mounts of the kubelet config for the CIS node checks',
    },
  } as Record<string, NamespaceException>,
  tenantQuota: {
    requestsCpu: '4',
    requestsMemory: '8Gi',
    limitsCpu: '8',
    limitsMemory: '16Gi',
    pods: 50,
    services: 20,
    persistentVolumeClaims: 10,
    requestsStorage: '100Gi',
  },
  tenantLimits: {
    defaultRequestCpu: '100m',
    defaultRequestMemory: '128Mi',
    defaultCpu: '500m',
    defaultMemory: '512Mi',
    maxCpu: '2',
    maxMemory: '4Gi',
  },
} as const;

export function resolveBaseline(
  org: BaselineInput | undefined,
  env: BaselineInput | undefined,
): BaselineConfig {
  const d = BASELINE_DEFAULTS;
  return {
    auditorGroup: env?.auditorGroup ?? org?.auditorGroup ?? d.auditorGroup,
    namespaceExceptions: {
      ...d.namespaceExceptions,
      ...org?.namespaceExceptions,
      ...env?.namespaceExceptions,
    },
    externalSecrets: { ...d.externalSecrets, ...org?.externalSecrets, ...env?.externalSecrets },
    fluentBit: { ...d.fluentBit, ...org?.fluentBit, ...env?.fluentBit },
    kubeBench: { ...d.kubeBench, ...org?.kubeBench, ...env?.kubeBench },
    workloadLabels: { ...d.workloadLabels, ...org?.workloadLabels, ...env?.workloadLabels },
  };
}

/** The EKS add-ons of the detection stack run below restricted in namespaces EKS creates. */
export const ADDON_NAMESPACE_EXCEPTIONS: Readonly<Record<string, NamespaceException>> = {
  'amazon-cloudwatch': {
    enforce: 'privileged',
    reason:
      'The CloudWatch agent and Fluent Bit of Container Insights read host metrics and logs through hostPath mounts',
  },
  'amazon-guardduty': {
    enforce: 'privileged',
    reason: 'The GuardDuty runtime monitoring agent attaches eBPF programs on the host',
  },
};

export function resolveTenants(
  inputs: readonly TenantInput[],
  path: string,
  issues: ConfigIssue[],
): TenantConfig[] {
  const seen = new Set<string>();
  return inputs.map((t, i) => {
    const at = `${path}[${i}]`;
    if (seen.has(t.name))
      issues.push({ path: `${at}.name`, message: 'must be unique among tenants', value: t.name });
    if (RESERVED_NAMESPACES.includes(t.name)) {
      issues.push({
        path: `${at}.name`,
        message: `is a platform namespace; choose another tenant name`,
        value: t.name,
      });
    }
    seen.add(t.name);
    const quota = { ...BASELINE_DEFAULTS.tenantQuota, ...t.quota };
    const limits = { ...BASELINE_DEFAULTS.tenantLimits, ...t.limits };
    return {
      name: t.name,
      ownersGroup: t.ownersGroup ?? `tenant:${t.name}:admins`,
      developersGroup: t.developersGroup ?? `tenant:${t.name}:developers`,
      ownerRoleArns: t.ownerRoleArns ?? [],
      developerRoleArns: t.developerRoleArns ?? [],
      allowExec: t.allowExec ?? false,
      allowIntraNamespace: t.allowIntraNamespace ?? true,
      quota,
      limits,
      allowedEgress: t.allowedEgress ?? [],
    };
  });
}

/** `registry/path` of an image reference, without the repository's last segment and the tag. */
export function imageRegistryPrefix(image: string): string {
  const withoutTag = image.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
  return withoutTag.split('/').slice(0, -1).join('/');
}

/** Registries the baseline's own workloads pull from; the registry allow-list admits them. */
export function baselineRegistries(baseline: BaselineConfig): string[] {
  return [
    imageRegistryPrefix(baseline.fluentBit.image),
    imageRegistryPrefix(baseline.kubeBench.image),
    baseline.externalSecrets.imageRegistry,
  ];
}

/** What an isolated environment must mirror to ECR: each field of `baseline` that names a registry. */
const MIRRORED_FIELDS = [
  {
    field: 'externalSecrets.chartRepository',
    what: 'the External Secrets chart',
    example: 'oci://<ecr>/charts',
  },
  {
    field: 'externalSecrets.imageRegistry',
    what: 'the External Secrets operator images',
    example: '<ecr>/external-secrets',
  },
  { field: 'fluentBit.image', what: 'the Fluent Bit image', example: '<ecr>/aws-for-fluent-bit:<tag>' },
  { field: 'kubeBench.image', what: 'the kube-bench image', example: '<ecr>/kube-bench:<tag>' },
] as const;

type MirroredField = (typeof MIRRORED_FIELDS)[number]['field'];

function mirroredValue(baseline: BaselineConfig, field: MirroredField): string {
  switch (field) {
    case 'externalSecrets.chartRepository':
      return baseline.externalSecrets.chartRepository;
    case 'externalSecrets.imageRegistry':
      return baseline.externalSecrets.imageRegistry;
    case 'fluentBit.image':
      return baseline.fluentBit.image;
    case 'kubeBench.image':
      return baseline.kubeBench.image;
  }
}

function declared(layer: BaselineInput | undefined, field: MirroredField): boolean {
  const [group, key] = field.split('.') as [keyof BaselineInput, string];
  const section = layer?.[group] as Record<string, unknown> | undefined;
  return section?.[key] !== undefined;
}

/**
 * Whether an image, registry path or `oci://` chart repository lives in a private ECR registry of `region`
 * (`<account>.dkr.ecr.<region>.amazonaws.com`, any account): the only registries an isolated VPC reaches,
 * through its `ecr.api`/`ecr.dkr` endpoints and the S3 gateway.
 */
export function isRegionalEcr(reference: string, region: string): boolean {
  const host = reference.replace(/^oci:\/\//, '').split('/')[0];
  const escaped = region.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\d{12}\\.dkr\\.ecr(-fips)?\\.${escaped}\\.amazonaws\\.com(\\.cn)?$`).test(host);
}

/**
 * With `egress: "isolated"` the VPC has no internet route: every chart and image the baseline deploys must
 * come from an ECR mirror in the region. One issue per field that does not (EKS-NET-007), naming the field
 * where it was set, or `egress` when the public default applies. EKS add-on images need no mirror: they come
 * from EKS's own regional ECR registry through the same endpoints.
 */
export function isolatedEgressIssues(input: {
  readonly envName: string;
  readonly region: string;
  readonly org: BaselineInput | undefined;
  readonly env: BaselineInput | undefined;
  readonly resolved: BaselineConfig;
}): ConfigIssue[] {
  const ecr = `<account>.dkr.ecr.${input.region}.amazonaws.com`;
  const issues: ConfigIssue[] = [];
  for (const m of MIRRORED_FIELDS) {
    const value = mirroredValue(input.resolved, m.field);
    if (isRegionalEcr(value, input.region)) continue;
    const example = m.example.replace('<ecr>', ecr);
    const fix = `mirror ${m.what.endsWith('images') ? 'them' : 'it'} to ECR in ${input.region} and set baseline.${m.field} to "${example}"`;
    if (declared(input.env, m.field) || declared(input.org, m.field)) {
      const layer = declared(input.env, m.field) ? `environments.${input.envName}` : 'org';
      issues.push({
        path: `${layer}.baseline.${m.field}`,
        message: `must be an ECR mirror in ${input.region}: egress is "isolated" (no internet route); ${fix}`,
        value,
      });
    } else {
      const host = value
        .replace(/^oci:\/\//, '')
        .replace(/^https:\/\//, '')
        .split('/')[0];
      issues.push({
        path: `environments.${input.envName}.egress`,
        message: `is "isolated", so ${m.what} cannot come from a public registry (${host}); ${fix}`,
        value: 'isolated',
      });
    }
  }
  return issues;
}
