import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { logGroupNames } from '../naming';
import { EncryptedLogGroup } from './encrypted-log-group';
import { PodIdentityRole } from './pod-identity-role';

/** The add-on's namespace and the service account its agent runs as. */
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = { namespace: 'amazon-cloudwatch', name: 'cloudwatch-agent' };

/**
 * The agent's configuration: enhanced Container Insights metrics only. The add-on's default also turns on
 * Application Signals (X-Ray traces, `/aws/application-signals/*` log groups), which the scoped role below
 * does not allow; container log shipping (Fluent Bit, three more log groups) stays off.
 */
export const CONTAINER_INSIGHTS_ADDON_CONFIGURATION = {
  agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } } },
  containerLogs: { enabled: false },
} as const;

export interface ContainerInsightsProps {
  /** Name of the EKS cluster the add-on is installed into. */
  readonly clusterName: string;
  /** Key of the performance log group (the logs key, which admits `/aws/containerinsights/<cluster>/*`). */
  readonly logsKey: kms.IKey;
  /** Retention of the performance log group. */
  readonly logRetentionDays: number;
  /**
   * Pinned add-on version.
   * @default - EKS's default version for the cluster at creation
   */
  readonly addonVersion?: string;
}

/**
 * The Amazon CloudWatch Observability add-on (Container Insights with enhanced observability): node, pod
 * and API-server metrics, with its own Pod Identity role (EKS-DET-014, EKS-IAM-005). The metrics' log
 * group is created first, encrypted and with retention, because the agent would otherwise create it
 * unencrypted and kept forever. Container log shipping (Fluent Bit) is off: it would create three more
 * such groups, and application logs are a workload concern.
 *
 * The agent is privileged on every node, so its role is not AWS's `CloudWatchAgentServerPolicy` (which can
 * create, write to and shorten the retention of every log group, the control-plane audit log included) but a
 * policy scoped to `/aws/containerinsights/<cluster>/*` (its metrics are embedded-metric-format log events
 * there, so no cloudwatch:PutMetricData) and the read-only EC2 calls the agent makes for node metadata
 * (EKS-LOG-004). AWS documents only the managed policy for this add-on: the scoped one is to be confirmed
 * on a first real deploy.
 */
export class ContainerInsights extends Construct {
  public readonly addon: eks.CfnAddon;
  public readonly role: iam.Role;
  /** The agent role's only permissions. */
  public readonly policy: iam.ManagedPolicy;
  public readonly performanceLogGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new PodIdentityRole(this, 'AgentRole', {
      description: 'amazon-cloudwatch-observability agent: Container Insights metrics',
      clusterName: props.clusterName,
      namespace: CLOUDWATCH_AGENT_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT.name,
    }).role;
    const insightsGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/containerinsights/${props.clusterName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.policy = new iam.ManagedPolicy(this, 'AgentPolicy', {
      description: `Container Insights agent of ${props.clusterName}: its own log groups only`,
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteContainerInsightsLogGroups',
          // No CreateLogGroup and no PutRetentionPolicy: the groups are created here, encrypted, with retention.
          actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [insightsGroups, `${insightsGroups}:log-stream:*`],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeNodeVolumesAndTags',
          actions: ['ec2:DescribeTags', 'ec2:DescribeVolumes'],
          resources: ['*'],
        }),
      ],
    });
    this.performanceLogGroup = new EncryptedLogGroup(this, 'PerformanceLogs', {
      logGroupName: logGroupNames(props.clusterName).containerInsightsPerformance,
      encryptionKey: props.logsKey,
      retentionDays: props.logRetentionDays,
    });
    this.addon = new eks.CfnAddon(this, 'Addon', {
      clusterName: props.clusterName,
      addonName: 'amazon-cloudwatch-observability',
      addonVersion: props.addonVersion,
      configurationValues: JSON.stringify(CONTAINER_INSIGHTS_ADDON_CONFIGURATION),
      podIdentityAssociations: [
        { serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT.name, roleArn: this.role.roleArn },
      ],
      resolveConflicts: 'OVERWRITE',
      preserveOnDelete: false,
    });
    this.addon.node.addDependency(this.performanceLogGroup, this.policy);
  }
}
