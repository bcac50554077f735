/**
 * Every name the blueprint derives from config, in one place: stacks, key aliases, log groups, IAM roles and
 * policies, EventBridge rules, alarms, dashboards, saved queries, topics, ECR repositories, node groups.
 * Constructs build names only through these functions and lib/config validates config against them, so a
 * name that AWS would refuse stops synthesis with one line naming the field, never a CDK stack trace.
 *
 * Two policies, by what a name is for:
 * - names people type or other systems look up by prefix (stack names, ECR repositories, the cluster name)
 *   are never altered: config that makes them too long is refused (lib/config/names.ts);
 * - names only the blueprint itself refers to (the tenant secrets roles, the findings rule, node groups) are
 *   shortened deterministically when too long: the first characters, then `-` and 8 hex characters of the
 *   SHA-256 of the full name (`fitName`), so the same config always gives the same name.
 *
 * Pure: no constructs, no I/O.
 */
import { createHash } from 'crypto';

/** AWS's maximum name lengths (each service's API reference), in characters. */
export const NAME_LIMITS = {
  stack: 128,
  eksCluster: 100,
  eksNodegroup: 63,
  iamRole: 64,
  iamManagedPolicy: 128,
  eventBridgeRule: 64,
  cloudWatchAlarm: 255,
  cloudWatchDashboard: 255,
  cloudWatchNamespace: 255,
  logsQueryDefinition: 255,
  logGroup: 512,
  snsTopic: 256,
  snsDisplayName: 100,
  kmsAlias: 256,
  ecrRepository: 256,
} as const;
export type NameKind = keyof typeof NAME_LIMITS;

/** Length of the hash suffix `fitName` appends, without its `-`. */
const HASH_LENGTH = 8;

/** The first `length` hex characters of the SHA-256 of `input`. */
export function shortHash(input: string, length = HASH_LENGTH): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length);
}

/**
 * `name` when it fits in `max` characters; otherwise its first characters, `-` and a hash of the whole
 * name, exactly `max` characters or fewer. Deterministic, and two names that differ anywhere stay distinct.
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const head = name.slice(0, max - HASH_LENGTH - 1).replace(/[-._/]+$/, '');
  return `${head}-${shortHash(name)}`;
}

/** What a stack name is built from: the org and the environment key (an `EnvironmentConfig` fits). */
export interface StackNameParts {
  readonly org: string;
  readonly name: string;
}

/** The per-environment stacks, in deployment order. */
export const ENVIRONMENT_STACK_PARTS = ['network', 'cluster', 'detection'] as const;
export type EnvironmentStackPart = (typeof ENVIRONMENT_STACK_PARTS)[number];

/** `acme-prod-network`: deterministic, so a redeploy finds the same stacks. Never shortened. */
export function stackName(env: StackNameParts, part: EnvironmentStackPart | string): string {
  return `${env.org}-${env.name}-${part}`;
}

/** `acme-prod-tenant-team-a`: one stack per tenant. Never shortened. */
export function tenantStackName(env: StackNameParts, tenant: string): string {
  return stackName(env, `tenant-${tenant}`);
}

/** `<org>-<env>`: the cluster name when config sets none. */
export function defaultClusterName(org: string, envName: string): string {
  return `${org}-${envName}`;
}

/** What a KMS key encrypts; decides its alias. */
export type KeyPurpose = 'secrets' | 'ebs' | 'logs' | 'alarms' | 'images';

/** `alias/<cluster>/<purpose>`: how keys are found again (verify resolves these). */
export function keyAlias(clusterName: string, purpose: KeyPurpose): string {
  return `alias/${clusterName}/${purpose}`;
}

/** The log groups of one cluster, and the patterns the logs key admits. */
export interface LogGroupNames {
  /** `/aws/eks/<cluster>/cluster`: EKS writes the control-plane logs here. */
  readonly controlPlane: string;
  readonly flowLogs: string;
  /** Fluent Bit's node and container logs. */
  readonly containers: string;
  /** The `existing` GuardDuty mode's updater function. */
  readonly guardDutyFeatures: string;
  /** Container Insights' performance log group. */
  readonly containerInsightsPerformance: string;
  /** The deploy-time function that makes sure Auto Scaling's service-linked role exists. */
  readonly serviceLinkedRoles: string;
  /** Name patterns the logs key may encrypt. */
  readonly patterns: readonly string[];
}

export function logGroupNames(clusterName: string): LogGroupNames {
  const flowLogs = `/aws/vpc/flowlogs/${clusterName}`;
  return {
    controlPlane: `/aws/eks/${clusterName}/cluster`,
    flowLogs,
    containers: `/hardened-eks/${clusterName}/containers`,
    guardDutyFeatures: `/hardened-eks/${clusterName}/guardduty-features`,
    containerInsightsPerformance: `/aws/containerinsights/${clusterName}/performance`,
    serviceLinkedRoles: `/hardened-eks/${clusterName}/service-linked-roles`,
    patterns: [
      `/aws/eks/${clusterName}/*`,
      flowLogs,
      `/hardened-eks/${clusterName}/*`,
      `/aws/containerinsights/${clusterName}/*`,
    ],
  };
}

/** IAM role a tenant's SecretStore assumes; readable by name so the GitOps YAML needs no CDK token. */
export function tenantSecretsRoleName(clusterName: string, tenant: string): string {
  return fitName(`${clusterName}-secrets-${tenant}`, NAME_LIMITS.iamRole);
}

/** The customer-managed policy `verify` runs with; an auditor role in another stack attaches it by name. */
export function verifyPolicyName(clusterName: string): string {
  return fitName(`${clusterName}-verify`, NAME_LIMITS.iamManagedPolicy);
}

/** The EventBridge rule routing GuardDuty findings about the cluster to the alarm topic. */
export function guardDutyFindingsRuleName(clusterName: string): string {
  return fitName(`${clusterName}-guardduty-findings`, NAME_LIMITS.eventBridgeRule);
}

export function alarmTopicName(clusterName: string): string {
  return fitName(`${clusterName}-security-alarms`, NAME_LIMITS.snsTopic);
}

/** The topic's display name (the sender of its e-mails). */
export function alarmTopicDisplayName(clusterName: string): string {
  return fitName(`${clusterName} security alarms`, NAME_LIMITS.snsDisplayName);
}

export function auditAlarmName(clusterName: string, metricName: string): string {
  return fitName(`${clusterName}-audit-${metricName}`, NAME_LIMITS.cloudWatchAlarm);
}

/** CloudWatch metric namespace of the audit metric filters. */
export function auditMetricNamespace(clusterName: string): string {
  return fitName(`HardenedEks/${clusterName}`, NAME_LIMITS.cloudWatchNamespace);
}

export function securityDashboardName(clusterName: string): string {
  return fitName(`${clusterName}-security`, NAME_LIMITS.cloudWatchDashboard);
}

/** Console folder of the saved Logs Insights queries. */
export function savedQueryFolder(clusterName: string): string {
  return `${clusterName}/security`;
}

export function savedQueryName(clusterName: string, queryId: string): string {
  return fitName(`${savedQueryFolder(clusterName)}/${queryId}`, NAME_LIMITS.logsQueryDefinition);
}

/** `<cluster>/<name>`, lowercase as ECR requires. Never shortened: CI pushes to it by name. */
export function imageRepositoryName(clusterName: string, repository: string): string {
  return `${clusterName.toLowerCase()}/${repository}`;
}

/**
 * The properties of a managed node group that force CloudFormation to replace it (EKS User Guide; see
 * ../shared/reference/aws-facts.md). The blueprint sets no DiskSize or RemoteAccess (the launch template
 * holds the disks; remote access is never on), and the node role changes only with the blueprint's code.
 */
export interface NodegroupReplacementKey {
  readonly instanceTypes: readonly string[];
  readonly capacityType: string;
  readonly amiType: string;
  /** What decides the subnets: the zones, the VPC CIDR and the egress mode. */
  readonly subnets: readonly string[];
}

/**
 * `<config name>-<hash>`: a new name whenever a replacement-causing property changes, so CloudFormation can
 * create the replacement next to the old group instead of failing with "already exists". At most 63
 * characters (the config name is cut to fit, the hash keeps the full name).
 */
export function nodegroupName(configName: string, key: NodegroupReplacementKey): string {
  const hash = shortHash(
    JSON.stringify([configName, key.instanceTypes, key.capacityType, key.amiType, key.subnets]),
  );
  const head = configName.slice(0, NAME_LIMITS.eksNodegroup - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}
