import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { guardDutyFindingsRuleName } from '../naming';
import type { GuardDutyMode } from '../config';
import { EncryptedLogGroup } from './encrypted-log-group';
import { BlueprintValidationError } from './private/errors';

/**
 * The detector features the blueprint needs: EKS audit-log monitoring, and runtime monitoring whose agent
 * (the `aws-guardduty-agent` EKS add-on, with its VPC endpoint) GuardDuty installs and upgrades itself.
 */
export const GUARDDUTY_EKS_FEATURES = [
  { name: 'EKS_AUDIT_LOGS', status: 'ENABLED' },
  {
    name: 'RUNTIME_MONITORING',
    status: 'ENABLED',
    additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: 'ENABLED' }],
  },
] as const;

export interface GuardDutyEksProps {
  /**
   * `create`: a new detector with the EKS features (fails if the account already has one in the region);
   * `existing`: turn the features on in the detector `detectorId` and leave them on when the stack goes;
   * `off`: create nothing. Anything but `create`/`existing` weakens control EKS-DET-012; the report shows it.
   */
  readonly mode: GuardDutyMode;
  /** The account's detector in this region; required for `existing`. */
  readonly detectorId?: string;
  /** Key of the log group of the `existing` mode's updater function. Required for `existing`. */
  readonly logsKey?: kms.IKey;
  /** Name of that log group (the logs key must admit it). Required for `existing`. */
  readonly logGroupName?: string;
  /** Retention of that log group. @default 365 */
  readonly logRetentionDays?: number;
}

/**
 * GuardDuty EKS Protection (control EKS-DET-012). A detector is per account and region and no
 * CloudFormation resource can change one it did not create, hence the three modes.
 */
export class GuardDutyEks extends Construct {
  public readonly mode: GuardDutyMode;
  public readonly detector?: guardduty.CfnDetector;
  public readonly updater?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: GuardDutyEksProps) {
    super(scope, id);
    this.mode = props.mode;
    if (props.mode === 'create') {
      this.detector = new guardduty.CfnDetector(this, 'Detector', {
        enable: true,
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
        features: GUARDDUTY_EKS_FEATURES.map((f) => ({
          name: f.name,
          status: f.status,
          ...('additionalConfiguration' in f
            ? { additionalConfiguration: f.additionalConfiguration.map((a) => ({ ...a })) }
            : {}),
        })),
      });
      // Findings are evidence; a stack deletion must not take the detector with it.
      this.detector.applyRemovalPolicy(RemovalPolicy.RETAIN);
    } else if (props.mode === 'existing') {
      const { detectorId, logsKey, logGroupName } = props;
      if (detectorId === undefined || logsKey === undefined || logGroupName === undefined) {
        throw new BlueprintValidationError(
          'GuardDutyExistingNeedsDetector',
          'mode "existing" needs detectorId, logsKey and logGroupName',
          this,
        );
      }
      const stack = Stack.of(this);
      const logs = new EncryptedLogGroup(this, 'UpdaterLogs', {
        logGroupName,
        encryptionKey: logsKey,
        retentionDays: props.logRetentionDays ?? 365,
      });
      const call: cr.AwsSdkCall = {
        service: 'GuardDuty',
        action: 'UpdateDetector',
        parameters: {
          DetectorId: detectorId,
          Enable: true,
          Features: GUARDDUTY_EKS_FEATURES.map((f) => ({
            Name: f.name,
            Status: f.status,
            ...('additionalConfiguration' in f
              ? {
                  AdditionalConfiguration: f.additionalConfiguration.map((a) => ({
                    Name: a.name,
                    Status: a.status,
                  })),
                }
              : {}),
          })),
        },
        physicalResourceId: cr.PhysicalResourceId.of(`guardduty-eks-features-${detectorId}`),
      };
      this.updater = new cr.AwsCustomResource(this, 'EnableEksFeatures', {
        resourceType: 'Custom::GuardDutyEksFeatures',
        onCreate: call,
        onUpdate: call,
        // No onDelete: other clusters in the account may rely on the features.
        installLatestAwsSdk: false,
        logGroup: logs.logGroup,
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({
            actions: ['guardduty:UpdateDetector'],
            resources: [
              `arn:${stack.partition}:guardduty:${stack.region}:${stack.account}:detector/${detectorId}`,
            ],
          }),
        ]),
      });
    }
  }
}

export interface GuardDutyFindingsProps {
  readonly clusterName: string;
  /**
   * Where each finding about the cluster goes: the alarm topic's `AlarmTopic#ruleTarget()`, which admits
   * only this rule to publish.
   */
  readonly target: events.IRuleTarget;
}

/**
 * Routes GuardDuty findings about the cluster to the alarm topic. GuardDuty publishes no finding metric,
 * so this rule's `AWS/Events` MatchedEvents metric is the dashboard's finding count (EKS-DET-013). It is
 * created in every mode: an org-managed detector's findings reach the account's event bus too.
 */
export class GuardDutyFindings extends Construct {
  public readonly rule: events.Rule;
  /** The rule's name as a plain string (the MatchedEvents metric's RuleName dimension). */
  public readonly ruleName: string;

  constructor(scope: Construct, id: string, props: GuardDutyFindingsProps) {
    super(scope, id);
    this.ruleName = guardDutyFindingsRuleName(props.clusterName);
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: this.ruleName,
      description: `GuardDuty findings about EKS cluster ${props.clusterName}`,
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Finding'],
        detail: { resource: { eksClusterDetails: { name: [props.clusterName] } } },
      },
      targets: [props.target],
    });
  }
}
