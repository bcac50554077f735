/**
 * Config of the admission policies (policies/): registries, labels, groups, exceptions and which policies
 * only warn. Schema, defaults and resolution live here; schema.ts, types.ts and load.ts wire it in.
 */
import { z } from 'zod';
import type { ConfigIssue } from './errors';
import { EKS_SYSTEM_NAMESPACES } from './namespaces';

/** The blueprint's admission policies, by id (= file name in policies/). */
export const ADMISSION_POLICY_IDS = [
  'namespace-pod-security',
  'pod-security',
  'allowed-registries',
  'image-pinning',
  'container-resources',
  'required-labels',
  'rbac-guardrails',
  'service-exposure',
  'secrets-hygiene',
  'pod-exec',
] as const;
export type AdmissionPolicyId = (typeof ADMISSION_POLICY_IDS)[number];

export const ADMISSION_DEFAULTS = {
  extraAllowedRegistries: [] as string[],
  requireImageDigests: false,
  requiredLabels: ['app.kubernetes.io/name', 'owner'] as string[],
  breakGlassGroup: 'platform:break-glass',
  podSecurityExceptions: {} as Record<string, 'baseline' | 'privileged'>,
  // The namespaces EKS itself runs in; the policies never bind there.
  systemNamespaces: [...EKS_SYSTEM_NAMESPACES] as string[],
  internetFacingLoadBalancerNamespaces: [] as string[],
  allowPodExec: false,
  execAllowedNamespaces: [] as string[],
  warnOnlyPolicies: [] as AdmissionPolicyId[],
} as const;

const namespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name (DNS-1123 label)')
  .max(63);
const labelKey = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    'must be a label key',
  );
const registry = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*\/?$/,
    'must be a registry host with an optional path prefix, such as public.ecr.aws/eks-distro',
  );
const group = z
  .string()
  .regex(/^[a-z0-9][a-z0-9:._-]{0,62}$/, 'must be a Kubernetes group name such as platform:break-glass')
  .refine((g) => !g.startsWith('system:'), 'must not start with "system:" (reserved by Kubernetes)');

/** `admission` in an environment or in `org` (each key overrides the org's key as a whole). */
export const admissionLayerSchema = z.strictObject({
  /** Registries allowed besides the environment's own ECR (`<account>.dkr.ecr.<region>.amazonaws.com`). */
  extraAllowedRegistries: z.array(registry).optional(),
  requireImageDigests: z.boolean().optional(),
  requiredLabels: z.array(labelKey).optional(),
  breakGlassGroup: group.optional(),
  podSecurityExceptions: z.record(namespaceName, z.enum(['baseline', 'privileged'])).optional(),
  systemNamespaces: z.array(namespaceName).optional(),
  internetFacingLoadBalancerNamespaces: z.array(namespaceName).optional(),
  allowPodExec: z.boolean().optional(),
  execAllowedNamespaces: z.array(namespaceName).optional(),
  warnOnlyPolicies: z
    .array(
      z.enum(ADMISSION_POLICY_IDS, {
        error: () => `must be a policy id: ${ADMISSION_POLICY_IDS.join(', ')}`,
      }),
    )
    .optional(),
});
export type AdmissionLayer = z.infer<typeof admissionLayerSchema>;

/** The admission settings of one environment, every default resolved. */
export interface AdmissionConfig {
  /** Image registries (host or host/path prefix): the environment's ECR first, then the extra ones. */
  readonly allowedRegistries: readonly string[];
  /**
   * Registries of the baseline's own images (Fluent Bit, kube-bench, the External Secrets operator) that
   * `allowedRegistries` does not list: allowed only in platform and system namespaces, never for tenants.
   */
  readonly platformRegistries: readonly string[];
  /** Deny images not pinned by digest. */
  readonly requireImageDigests: boolean;
  readonly requiredLabels: readonly string[];
  /** The only group that may bind cluster-admin-like subjects and exec into pods. */
  readonly breakGlassGroup: string;
  /** The Kubernetes group the admin access entries map to (`adminGroup`): may write privileged RBAC. */
  readonly platformAdminGroup: string;
  /**
   * The group of the identity that applies the baseline (`deployerGroup`): may grant the narrow, named
   * admission-configuration writes the platform's operators need, and nothing else beyond any user.
   */
  readonly platformDeployerGroup: string;
  /** Namespaces allowed a Pod Security level below restricted. Weakens EKS-ADM-001; a deviation. */
  readonly podSecurityExceptions: Readonly<Record<string, 'baseline' | 'privileged'>>;
  /** Excluded from every policy by namespace selector. */
  readonly systemNamespaces: readonly string[];
  /** Namespaces allowed internet-facing LoadBalancers. Weakens EKS-ADM-008; a deviation. */
  readonly internetFacingLoadBalancerNamespaces: readonly string[];
  /** Allow exec/attach/port-forward for everyone. Weakens EKS-ADM-010; a deviation. */
  readonly allowPodExec: boolean;
  /** Namespaces where anyone RBAC allows may exec/attach/port-forward. Weakens EKS-ADM-010; a deviation. */
  readonly execAllowedNamespaces: readonly string[];
  /** Policies bound with [Warn, Audit] instead of [Deny, Audit] (staged rollout). */
  readonly warnOnlyPolicies: readonly AdmissionPolicyId[];
}

export interface AdmissionBase {
  readonly account: string;
  readonly region: string;
  readonly adminGroup: string;
  readonly deployerGroup: string;
}

/** Resolves `admission` for environment `envName`: environment keys win over org keys, then defaults. */
/** Where an `admission` key's value came from, for error paths. */
export function admissionPathOf(
  envName: string,
  org: AdmissionLayer | undefined,
  env: AdmissionLayer | undefined,
): (k: keyof AdmissionLayer) => string {
  return (k) =>
    env?.[k] === undefined && org?.[k] !== undefined
      ? `org.admission.${k}`
      : `environments.${envName}.admission.${k}`;
}

export function resolveAdmission(
  envName: string,
  org: AdmissionLayer | undefined,
  env: AdmissionLayer | undefined,
  base: AdmissionBase,
  issues: ConfigIssue[],
): AdmissionConfig {
  const pick = <K extends keyof AdmissionLayer>(k: K): AdmissionLayer[K] => env?.[k] ?? org?.[k];
  const pathOf = admissionPathOf(envName, org, env);
  const systemNamespaces = pick('systemNamespaces') ?? ADMISSION_DEFAULTS.systemNamespaces;
  const podSecurityExceptions = pick('podSecurityExceptions') ?? ADMISSION_DEFAULTS.podSecurityExceptions;
  for (const ns of Object.keys(podSecurityExceptions)) {
    if (systemNamespaces.includes(ns))
      issues.push({
        path: `${pathOf('podSecurityExceptions')}.${ns}`,
        message: 'is a system namespace, which the policies already exclude; remove the exception',
        value: podSecurityExceptions[ns],
      });
  }
  // Distinct from every other group: checked with all groups together (isolation.ts).
  const breakGlassGroup = pick('breakGlassGroup') ?? ADMISSION_DEFAULTS.breakGlassGroup;
  const requiredLabels = pick('requiredLabels') ?? ADMISSION_DEFAULTS.requiredLabels;
  const ecr = `${base.account}.dkr.ecr.${base.region}.amazonaws.com`;
  const extra = pick('extraAllowedRegistries') ?? ADMISSION_DEFAULTS.extraAllowedRegistries;
  return {
    allowedRegistries: [ecr, ...extra.filter((r) => r !== ecr)],
    platformRegistries: [],
    requireImageDigests: pick('requireImageDigests') ?? ADMISSION_DEFAULTS.requireImageDigests,
    requiredLabels: [...requiredLabels],
    breakGlassGroup,
    platformAdminGroup: base.adminGroup,
    platformDeployerGroup: base.deployerGroup,
    podSecurityExceptions: { ...podSecurityExceptions },
    systemNamespaces: [...systemNamespaces],
    internetFacingLoadBalancerNamespaces: [
      ...(pick('internetFacingLoadBalancerNamespaces') ??
        ADMISSION_DEFAULTS.internetFacingLoadBalancerNamespaces),
    ],
    allowPodExec: pick('allowPodExec') ?? ADMISSION_DEFAULTS.allowPodExec,
    execAllowedNamespaces: [...(pick('execAllowedNamespaces') ?? ADMISSION_DEFAULTS.execAllowedNamespaces)],
    warnOnlyPolicies: [...(pick('warnOnlyPolicies') ?? ADMISSION_DEFAULTS.warnOnlyPolicies)],
  };
}
