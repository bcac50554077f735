import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyAlias, type KeyPurpose } from '../naming';
import { BlueprintValidationError } from './private/errors';
import type { ServiceLinkedRole } from './private/service-linked-role';

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
  /**
   * For `ebs` keys: the resource that makes sure Auto Scaling's service-linked role
   * (`AWSServiceRoleForAutoScaling`) exists. The key policy names that role, and KMS refuses a policy whose
   * principal does not exist, so the key is created after it. Required for `ebs`, ignored otherwise.
   */
  readonly autoScalingServiceLinkedRole?: ServiceLinkedRole;
  /**
   * For `alarms` keys: ARN of the SNS topic the key encrypts. CloudWatch and EventBridge may use the key only
   * for that topic (`kms:EncryptionContext:aws:sns:topicArn`). Required for `alarms`, ignored otherwise.
   */
  readonly snsTopicArn?: string;
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
      if (props.snsTopicArn === undefined) {
        throw new BlueprintValidationError('AlarmsKeyWithoutTopic', 'an alarms key needs snsTopicArn', this);
      }
      // CloudWatch alarms and EventBridge publish to the encrypted alarm topic; SNS calls KMS on their behalf
      // with the topic in the encryption context. SNS documents aws:SourceArn/aws:SourceAccount as unsupported
      // here (they sit on the topic policy); the encryption context limits the key to this one topic.
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowAlarmAndEventPublishersToUseTheTopicKey',
          principals: [
            new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
            new iam.ServicePrincipal('events.amazonaws.com'),
          ],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': props.snsTopicArn } },
        }),
      );
    }
    if (props.purpose === 'ebs') {
      // Managed node groups launch through Auto Scaling, whose service-linked role must use the key for
      // the encrypted Bottlerocket volumes (AWS's documented use and grant statements); use restricted to
      // EC2 in this region. The role must exist before KMS accepts a policy naming it.
      const slr = props.autoScalingServiceLinkedRole;
      if (slr === undefined) {
        throw new BlueprintValidationError(
          'EbsKeyWithoutServiceLinkedRole',
          'an ebs key needs autoScalingServiceLinkedRole (a new account has no AWSServiceRoleForAutoScaling yet)',
          this,
        );
      }
      this.key.node.addDependency(slr);
      const asgRole = new iam.ArnPrincipal(slr.roleArn);
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
