import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { securityDashboardName } from '../naming';
import type { BuiltAuditAlarm } from './audit-alarms';
import { kubeletVersionsQuery } from './audit/queries';

export interface SecurityDashboardProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /** The audit alarms and their metrics. */
  readonly auditAlarms: readonly BuiltAuditAlarm[];
  /** Name of the EventBridge rule matching GuardDuty findings about the cluster. */
  readonly findingsRuleName: string;
  readonly controlPlaneLogGroupName: string;
  /**
   * Whether Container Insights metrics exist (node count widget).
   * @default true
   */
  readonly containerInsights?: boolean;
}

const WIDTH = 24;
const FIVE_MINUTES = Duration.minutes(5);

/**
 * The page an on-call engineer opens first (control EKS-DET-015): alarm states, the audit-alarm metrics
 * over time, API-server 4xx rates, admission denials, GuardDuty findings, node count and kubelet versions.
 */
export class SecurityDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SecurityDashboardProps) {
    super(scope, id);
    const { clusterName } = props;
    const byId = (id: string) => props.auditAlarms.find((a) => a.definition.id === id);
    const eks = (metricName: string, label: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/EKS',
        metricName,
        dimensionsMap: { ClusterName: clusterName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
        label,
      });
    const findings = new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensionsMap: { RuleName: props.findingsRuleName },
      statistic: 'Sum',
      period: FIVE_MINUTES,
      label: 'GuardDuty findings',
    });
    const alarmMetrics = props.auditAlarms
      .filter((a) => a.definition.direction === 'high')
      .map((a) => a.metric.with({ label: a.definition.metricName, period: FIVE_MINUTES }));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: securityDashboardName(clusterName),
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          `# ${clusterName} security (Kubernetes ${props.kubernetesVersion})`,
          `Saved queries: CloudWatch Logs Insights, folder \`${clusterName}/security\`. Audit log: \`${props.controlPlaneLogGroupName}\`.`,
        ].join('\n\n'),
        width: WIDTH,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Security alarms',
        alarms: props.auditAlarms.map((a) => a.alarm),
        width: WIDTH,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Audit alarm metrics (events per 5 minutes)',
        left: alarmMetrics,
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API server 4xx / 429 / 5xx and 401+403 responses',
        left: [
          eks('apiserver_request_total_4XX', '4xx'),
          eks('apiserver_request_total_429', '429'),
          eks('apiserver_request_total_5XX', '5xx'),
          ...(byId('authFailures')
            ? [byId('authFailures')!.metric.with({ label: '401+403 (audit)', period: FIVE_MINUTES })]
            : []),
        ],
        width: 12,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Admission denials (Pod Security, policies, webhooks)',
        left: byId('admissionDenials')
          ? [byId('admissionDenials')!.metric.with({ label: 'denials', period: FIVE_MINUTES })]
          : [],
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'GuardDuty findings',
        left: [findings],
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Nodes',
        left:
          (props.containerInsights ?? true)
            ? ['cluster_node_count', 'cluster_failed_node_count'].map(
                (m) =>
                  new cloudwatch.Metric({
                    namespace: 'ContainerInsights',
                    metricName: m,
                    dimensionsMap: { ClusterName: clusterName },
                    statistic: 'Average',
                    period: FIVE_MINUTES,
                  }),
              )
            : [],
        width: 8,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Node kubelet versions (from the audit log)',
        logGroupNames: [props.controlPlaneLogGroupName],
        queryString: kubeletVersionsQuery(),
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: WIDTH,
        height: 6,
      }),
    );
  }
}
