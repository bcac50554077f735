import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BlueprintValidationError } from './private/errors';

export interface EncryptedLogGroupProps {
  /** Exact log group name, so a redeploy finds the retained group (e.g. `/aws/eks/<cluster>/cluster`). */
  readonly logGroupName: string;
  /** Customer-managed key the group is encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** Retention in days; must be a value CloudWatch accepts. */
  readonly retentionDays: number;
}

/** A named, KMS-encrypted log group with retention, retained on stack deletion (control EKS-LOG-002). */
export class EncryptedLogGroup extends Construct {
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const retention = props.retentionDays as logs.RetentionDays;
    if (!Object.values(logs.RetentionDays).includes(retention) || retention === logs.RetentionDays.INFINITE) {
      throw new BlueprintValidationError(
        'UnsupportedLogRetention',
        `retentionDays ${props.retentionDays} is not a CloudWatch retention value`,
        this,
      );
    }
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.encryptionKey,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
