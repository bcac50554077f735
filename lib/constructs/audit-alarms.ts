import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { auditAlarmName } from '../naming';
import type { AuditAlarmId, AuditAlarmSettings } from '../config';
import { AUDIT_ALARMS, type AuditAlarmDefinition } from './audit/audit-rules';
import { renderFilterPattern } from './audit/filter-pattern';
import { BlueprintValidationError } from './private/errors';

export interface AuditAlarmsProps {
  /** The control-plane log group, `/aws/eks/<cluster>/cluster`. */
  readonly logGroup: logs.ILogGroup;
  /** Namespace of the metrics the filters emit, e.g. `HardenedEks/acme-prod`. */
  readonly metricNamespace: string;
  /** Prefix of the alarm names, e.g. `acme-prod`. */
  readonly alarmNamePrefix: string;
  /** Threshold, period and evaluation periods of each alarm. */
  readonly settings: Readonly<Record<AuditAlarmId, AuditAlarmSettings>>;
  /** Where the alarms notify (on ALARM and on OK). */
  readonly topic: sns.ITopic;
  /**
   * The alarm definitions.
   * @default AUDIT_ALARMS
   */
  readonly definitions?: readonly AuditAlarmDefinition[];
}

/** One audit alarm as built: its metric (for the dashboard) and its alarm. */
export interface BuiltAuditAlarm {
  readonly definition: AuditAlarmDefinition;
  readonly metric: cloudwatch.Metric;
  readonly alarm: cloudwatch.Alarm;
}

/**
 * Metric filters on the control-plane audit log and an alarm per filter (controls EKS-DET-001 to
 * EKS-DET-008). Each filter pattern is rendered from the alarm's typed condition.
 */
export class AuditAlarms extends Construct {
  public readonly alarms: Readonly<Record<AuditAlarmId, BuiltAuditAlarm>>;

  constructor(scope: Construct, id: string, props: AuditAlarmsProps) {
    super(scope, id);
    const definitions = props.definitions ?? AUDIT_ALARMS;
    const built: Partial<Record<AuditAlarmId, BuiltAuditAlarm>> = {};
    const notify = new actions.SnsAction(props.topic);

    for (const def of definitions) {
      const s = props.settings[def.id];
      if (!(s.threshold > 0)) {
        throw new BlueprintValidationError(
          'AlarmThresholdNotPositive',
          `${def.id}: threshold must be greater than 0, got ${s.threshold}`,
          this,
        );
      }
      const filter = new logs.MetricFilter(this, `${def.metricName}Filter`, {
        logGroup: props.logGroup,
        filterName: def.metricName,
        filterPattern: logs.FilterPattern.literal(renderFilterPattern(def.condition)),
        metricNamespace: props.metricNamespace,
        metricName: def.metricName,
        metricValue: '1',
        // Every other audit event emits 0, so a quiet cluster has data and missing data means no logs.
        defaultValue: 0,
      });
      const metric = filter.metric({ statistic: 'Sum', period: Duration.minutes(s.periodMinutes) });
      const alarm = new cloudwatch.Alarm(this, `${def.metricName}Alarm`, {
        alarmName: auditAlarmName(props.alarmNamePrefix, def.metricName),
        alarmDescription: `${def.description} [${def.controlId}]`,
        metric,
        threshold: s.threshold,
        evaluationPeriods: s.evaluationPeriods,
        comparisonOperator:
          def.direction === 'high'
            ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
            : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData:
          def.treatMissingData === 'breaching'
            ? cloudwatch.TreatMissingData.BREACHING
            : cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      built[def.id] = { definition: def, metric, alarm };
    }
    this.alarms = built as Record<AuditAlarmId, BuiltAuditAlarm>;
  }
}
