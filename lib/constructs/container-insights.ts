import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { logGroupNames } from '../naming';
import { EncryptedLogGroup } from './encrypted-log-group';
import { PodIdentityRole } from './pod-identity-role';

/** The add-on's namespace and the service account its agent runs as. */
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = { namespace: 'amazon-cloudwatch', name: 'cloudwatch-agent' };

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
 */
export class ContainerInsights extends Construct {
  public readonly addon: eks.CfnAddon;
  public readonly role: iam.Role;
  public readonly performanceLogGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    this.role = new PodIdentityRole(this, 'AgentRole', {
      description: 'amazon-cloudwatch-observability agent: Container Insights metrics',
      managedPolicyNames: ['CloudWatchAgentServerPolicy'],
    }).role;
    this.performanceLogGroup = new EncryptedLogGroup(this, 'PerformanceLogs', {
      logGroupName: logGroupNames(props.clusterName).containerInsightsPerformance,
      encryptionKey: props.logsKey,
      retentionDays: props.logRetentionDays,
    });
    this.addon = new eks.CfnAddon(this, 'Addon', {
      clusterName: props.clusterName,
      addonName: 'amazon-cloudwatch-observability',
      addonVersion: props.addonVersion,
      configurationValues: JSON.stringify({ containerLogs: { enabled: false } }),
      podIdentityAssociations: [
        { serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT.name, roleArn: this.role.roleArn },
      ],
      resolveConflicts: 'OVERWRITE',
      preserveOnDelete: false,
    });
    this.addon.node.addDependency(this.performanceLogGroup);
  }
}
