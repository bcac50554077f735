import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AlarmTopic } from '../constructs/alarm-topic';
import { AuditAlarms } from '../constructs/audit-alarms';
import { AuditQueries } from '../constructs/audit-queries';
import { BlueprintKey } from '../constructs/blueprint-key';
import { ContainerInsights } from '../constructs/container-insights';
import { GuardDutyEks, GuardDutyFindings } from '../constructs/guardduty';
import { ImageRepository } from '../constructs/image-repository';
import { SecurityDashboard } from '../constructs/security-dashboard';
import { BlueprintStack, type BlueprintStackProps } from './blueprint-stack';
import type { ClusterStack } from './cluster-stack';
import { auditMetricNamespace, logGroupNames } from '../naming';
import type { NetworkStack } from './network-stack';

export interface DetectionStackProps extends BlueprintStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
}

/**
 * Detection and evidence on the AWS side: alarms and saved queries over the control-plane audit log,
 * GuardDuty EKS Protection, the image repositories, Container Insights and the security dashboard.
 * Names come from config (cluster name, log group name), so only the keys and the node role are
 * cross-stack references.
 */
export class DetectionStack extends BlueprintStack {
  public readonly alarmTopic: AlarmTopic;
  public readonly auditAlarms: AuditAlarms;
  public readonly auditQueries: AuditQueries;
  public readonly guardDuty: GuardDutyEks;
  public readonly findings: GuardDutyFindings;
  /** Undefined when config lists no image repositories. */
  public readonly imagesKey?: BlueprintKey;
  public readonly imageRepositories: readonly ImageRepository[];
  public readonly containerInsights?: ContainerInsights;
  public readonly dashboard: SecurityDashboard;

  constructor(scope: Construct, id: string, props: DetectionStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const detection = env.detection;
    const names = logGroupNames(env.clusterName);
    const logsKey = props.network.logsKey.key;
    // The control-plane log group and the cluster must exist before filters and add-ons refer to them.
    this.addStackDependency(props.cluster);
    const controlPlaneLogs = logs.LogGroup.fromLogGroupName(this, 'ControlPlaneLogs', names.controlPlane);

    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      namePrefix: env.clusterName,
      email: detection.alarmEmail,
      keyPendingWindowDays: env.kmsKeyPendingWindowDays,
    });

    this.auditAlarms = new AuditAlarms(this, 'AuditAlarms', {
      logGroup: controlPlaneLogs,
      metricNamespace: auditMetricNamespace(env.clusterName),
      alarmNamePrefix: env.clusterName,
      settings: detection.alarms,
      topic: this.alarmTopic.topic,
    });

    this.auditQueries = new AuditQueries(this, 'AuditQueries', {
      clusterName: env.clusterName,
      controlPlaneLogGroupName: names.controlPlane,
      cloudTrailLogGroupName: detection.cloudTrailLogGroupName,
    });

    this.guardDuty = new GuardDutyEks(this, 'GuardDuty', {
      mode: detection.guardDuty.mode,
      detectorId: detection.guardDuty.detectorId,
      logsKey,
      logGroupName: names.guardDutyFeatures,
      logRetentionDays: env.logRetentionDays,
    });
    this.findings = new GuardDutyFindings(this, 'GuardDutyFindings', {
      clusterName: env.clusterName,
      target: this.alarmTopic.ruleTarget(),
    });

    const repositoryNames = detection.images.repositoryNames;
    const imagesKey =
      repositoryNames.length > 0
        ? new BlueprintKey(this, 'ImagesKey', {
            purpose: 'images',
            aliasPrefix: env.clusterName,
            pendingWindowDays: env.kmsKeyPendingWindowDays,
          })
        : undefined;
    this.imagesKey = imagesKey;
    this.imageRepositories = repositoryNames.map(
      (repositoryName) =>
        new ImageRepository(this, `Repository-${repositoryName.split('/').slice(1).join('-')}`, {
          repositoryName,
          encryptionKey: imagesKey!.key,
          nodeRole: props.cluster.nodeRole.role,
          untaggedExpiryDays: detection.images.untaggedExpiryDays,
          maxImageCount: detection.images.maxImageCount,
        }),
    );

    if (detection.containerInsights.enabled) {
      this.containerInsights = new ContainerInsights(this, 'ContainerInsights', {
        clusterName: env.clusterName,
        logsKey,
        logRetentionDays: env.logRetentionDays,
        addonVersion: detection.containerInsights.addonVersion,
      });
    }

    this.dashboard = new SecurityDashboard(this, 'Dashboard', {
      clusterName: env.clusterName,
      kubernetesVersion: env.kubernetesVersion,
      auditAlarms: Object.values(this.auditAlarms.alarms),
      findingsRuleName: this.findings.ruleName,
      controlPlaneLogGroupName: names.controlPlane,
      containerInsights: detection.containerInsights.enabled,
    });
  }
}
