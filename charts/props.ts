import {
  AWS_ADDON_NAMESPACES,
  DEFAULT_NAMESPACE,
  EKS_SYSTEM_NAMESPACES,
  type AdmissionConfig,
  type EnvironmentConfig,
  type NamespaceException,
  type TenantConfig,
} from '../lib/config';
import { logGroupNames, tenantSecretsRoleName } from '../lib/naming';

/** How a namespace came to be managed by the baseline. */
export type NamespaceKind = 'system' | 'platform' | 'tenant';

export interface ManagedNamespace {
  readonly name: string;
  readonly kind: NamespaceKind;
  /** Pod Security level enforced; audit and warn are always `restricted`. */
  readonly enforce: 'privileged' | 'baseline' | 'restricted';
  /** Why the namespace enforces below restricted. */
  readonly exceptionReason?: string;
  /** Whether the baseline creates the namespace (false: it exists already and is only labelled). */
  readonly created: boolean;
}

/** Everything the charts need, as plain literals (no CDK tokens), so the GitOps YAML is self-contained. */
export interface BaselineProps {
  readonly clusterName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly kubernetesVersion: string;
  /** `pod-security.kubernetes.io/*-version` of every namespace (`v1.36`), from the version matrix. */
  readonly podSecurityVersion: string;
  readonly vpcCidr: string;
  readonly environment: string;
  readonly adminGroup: string;
  readonly viewerGroup: string;
  readonly auditorGroup: string;
  readonly namespaces: readonly ManagedNamespace[];
  readonly tenants: readonly TenantConfig[];
  /** The environment's admission policies (applied with the baseline). */
  readonly admission: AdmissionConfig;
  /** Labels on every workload of the baseline and on its pod templates. */
  readonly workloadLabels: Readonly<Record<string, string>>;
  readonly externalSecrets: {
    readonly imageRegistry: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly replicas: number;
    /** Secrets Manager name prefix the platform store may read: `<env>/platform/`. */
    readonly platformPrefix: string;
  };
  readonly fluentBit: { readonly namespace: string; readonly image: string; readonly logGroupName: string };
  readonly kubeBench: {
    readonly namespace: string;
    readonly image: string;
    readonly benchmark: string;
    readonly schedule: string;
  };
}

export const ESO_NAMESPACE = 'external-secrets';
export const ESO_SERVICE_ACCOUNT = 'external-secrets';
export const LOGGING_NAMESPACE = 'logging';
export const FLUENT_BIT_SERVICE_ACCOUNT = 'fluent-bit';
export const KUBE_BENCH_NAMESPACE = 'kube-bench';
/** Link-local address of the EKS Pod Identity agent; pods fetch their credentials there. */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';

// kube-system first: the order the manifests have always been written in.
const SYSTEM_NAMESPACES = [DEFAULT_NAMESPACE, ...[...EKS_SYSTEM_NAMESPACES].reverse()];
const ADDON_NAMESPACES: readonly string[] = AWS_ADDON_NAMESPACES;
const PLATFORM_NAMESPACES = [ESO_NAMESPACE, LOGGING_NAMESPACE, KUBE_BENCH_NAMESPACE];

/** IAM role the tenant's SecretStore assumes (lib/naming.ts): readable by name, no CDK token in the YAML. */
export { tenantSecretsRoleName };

/**
 * IAM path of the cluster's tenant store roles: the External Secrets controller may assume roles under
 * this path only, so adding a tenant never changes the controller's policy.
 */
export function tenantSecretsRolePath(clusterName: string): string {
  return `/hardened-eks/${clusterName}/tenant-secrets/`;
}

/** ARN of the role a tenant's SecretStore assumes, as a literal (the GitOps YAML holds no CDK token). */
export function tenantSecretsRoleArn(
  props: Pick<BaselineProps, 'partition' | 'account' | 'clusterName'>,
  tenant: string,
): string {
  const path = tenantSecretsRolePath(props.clusterName);
  return `arn:${props.partition}:iam::${props.account}:role${path}${tenantSecretsRoleName(props.clusterName, tenant)}`;
}

/** Secrets Manager name prefix a tenant's store may read: `<env>/<tenant>/`. */
export function tenantSecretsPrefix(environment: string, tenant: string): string {
  return `${environment}/${tenant}/`;
}

export function baselinePropsFrom(env: EnvironmentConfig): BaselineProps {
  const exceptions: Readonly<Record<string, NamespaceException>> = env.baseline.namespaceExceptions;
  const ns = (name: string, kind: NamespaceKind): ManagedNamespace => {
    const ex = exceptions[name];
    return {
      name,
      kind,
      enforce: ex?.enforce ?? 'restricted',
      ...(ex ? { exceptionReason: ex.reason } : {}),
      created: kind !== 'system',
    };
  };
  return {
    clusterName: env.clusterName,
    account: env.account,
    region: env.region,
    partition: env.region.startsWith('cn-') ? 'aws-cn' : env.region.includes('-gov-') ? 'aws-us-gov' : 'aws',
    kubernetesVersion: env.kubernetesVersion,
    podSecurityVersion: env.kubernetes.podSecurityVersion,
    vpcCidr: env.vpcCidr,
    environment: env.name,
    adminGroup: env.adminGroup,
    viewerGroup: env.viewerGroup,
    auditorGroup: env.baseline.auditorGroup,
    namespaces: [
      ...SYSTEM_NAMESPACES.map((n) => ns(n, 'system')),
      // Namespaces of the detection stack's EKS add-ons: labelled here, their workloads are AWS's.
      ...ADDON_NAMESPACES.filter((n) => exceptions[n] !== undefined).map((n) => ns(n, 'system')),
      ...PLATFORM_NAMESPACES.map((n) => ns(n, 'platform')),
      ...env.tenants.map((t) => ns(t.name, 'tenant')),
    ],
    tenants: env.tenants,
    admission: env.admission,
    workloadLabels: { ...env.baseline.workloadLabels, 'app.kubernetes.io/part-of': 'hardened-eks' },
    externalSecrets: {
      imageRegistry: env.baseline.externalSecrets.imageRegistry,
      namespace: ESO_NAMESPACE,
      serviceAccount: ESO_SERVICE_ACCOUNT,
      replicas: env.baseline.externalSecrets.replicas,
      platformPrefix: `${env.name}/platform/`,
    },
    fluentBit: {
      namespace: LOGGING_NAMESPACE,
      image: env.baseline.fluentBit.image,
      logGroupName: logGroupNames(env.clusterName).containers,
    },
    kubeBench: { namespace: KUBE_BENCH_NAMESPACE, ...env.baseline.kubeBench },
  };
}
