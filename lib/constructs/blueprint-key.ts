import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyAlias, type KeyPurpose } from '../naming';
import { BlueprintValidationError } from './private/errors';

/** What a key encrypts; decides its alias and which service its policy admits. */
export type { KeyPurpose };

export interface BlueprintKeyProps {
  /** What the key encrypts. */
  readonly purpose: KeyPurpose;
  /** Prefix of the alias, `alias/<aliasPrefix>/<purpose>`, e.g. `acme-prod`. */
  readonly aliasPrefix: string;
  /**
   * Days KMS waits before deleting the key once deletion is scheduled.
   * @default 30
   */
  readonly pendingWindowDays?: number;
  /**
   * For `logs` keys: the log group names (or `/prefix*` patterns) CloudWatch Logs may use the key for.
   * Required for `logs`, ignored otherwise.
   */
  readonly logGroupNames?: readonly string[];
}

/**
 * A customer-managed KMS key with rotation, a deterministic alias and RETAIN on stack deletion, whose key
 * policy admits only the service that uses it (controls EKS-KMS-001, EKS-KMS-002).
 */
export class BlueprintKey extends Construct {
  public readonly key: kms.Key;
  public readonly purpose: KeyPurpose;

  constructor(scope: Construct, id: string, props: BlueprintKeyProps) {
    super(scope, id);
    const pendingWindowDays = props.pendingWindowDays ?? 30;
    if (pendingWindowDays < 7 || pendingWindowDays > 30) {
      throw new BlueprintValidationError(
        'KeyPendingWindowOutOfRange',
        `pendingWindowDays must be 7..30, got ${pendingWindowDays}`,
        this,
      );
    }
    this.purpose = props.purpose;
    this.key = new kms.Key(this, 'Key', {
      alias: keyAlias(props.aliasPrefix, props.purpose),
      description: `${props.aliasPrefix}: ${DESCRIPTIONS[props.purpose]}`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(pendingWindowDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const stack = Stack.of(this);
    if (props.purpose === 'logs') {
      const names = props.logGroupNames ?? [];
      if (names.length === 0) {
        throw new BlueprintValidationError('LogsKeyWithoutLogGroups', 'a logs key needs logGroupNames', this);
      }
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchLogsForTheseLogGroups',
          principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
          actions: [
            'kms:Encrypt*',
            'kms:Decrypt*',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:Describe*',
          ],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': names.map(
                (n) => `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${n}`,
              ),
            },
          },
        }),
      );
    }
    if (props.purpose === 'alarms') {
      // CloudWatch alarms and EventBridge publish to the encrypted alarm topic; SNS calls KMS on their behalf.
      // No source condition: the services' documented key policy has none, and SNS limits use to the topic.
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowAlarmAndEventPublishersToUseTheTopicKey',
          principals: [
            new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
            new iam.ServicePrincipal('events.amazonaws.com'),
          ],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
    }
    if (props.purpose === 'ebs') {
      // Managed node groups launch through Auto Scaling, whose service-linked role must use the key for
      // the encrypted Bottlerocket volumes; restricted to EC2 in this region.
      const asgRole = new iam.ArnPrincipal(
        `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      );
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowAutoScalingToUseTheKeyForEbs',
          principals: [asgRole],
          actions: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:DescribeKey',
          ],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:ViaService': `ec2.${stack.region}.amazonaws.com` } },
        }),
      );
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowAutoScalingToGrantForAttachedVolumes',
          principals: [asgRole],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    }
  }
}

const DESCRIPTIONS: Record<KeyPurpose, string> = {
  secrets: 'envelope encryption of Kubernetes Secrets (EKS)',
  ebs: 'EBS volumes of Bottlerocket nodes and persistent volumes',
  logs: 'CloudWatch log groups (control plane, VPC flow logs, node logs)',
  alarms: 'SNS topic of security alarms and GuardDuty findings',
  images: 'ECR repositories of the org images',
};
