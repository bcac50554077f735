import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../encrypted-log-group';

/**
 * The error IAM's CreateServiceLinkedRole answers when the role already exists ("Service role name ... has been
 * taken in this account"). The SDK names it `InvalidInputException`; the wire code is `InvalidInput`. With the
 * constant input below (a service name and nothing else) no other input can be invalid, so this code means
 * "already there".
 */
export const SERVICE_LINKED_ROLE_EXISTS_ERROR = '^InvalidInput(Exception)?$';

export interface ServiceLinkedRoleProps {
  /** The service the role is linked to, e.g. `autoscaling.amazonaws.com`. */
  readonly serviceName: string;
  /** The role's fixed name, e.g. `AWSServiceRoleForAutoScaling`. */
  readonly roleName: string;
  /** Key of the deploy-time function's log group. */
  readonly logsKey: kms.IKey;
  /** Name of that log group (the logs key must admit it). */
  readonly logGroupName: string;
  /** Retention of that log group, in days. */
  readonly logRetentionDays: number;
}

/**
 * Makes sure an AWS service-linked role exists, without owning it. `AWS::IAM::ServiceLinkedRole` fails where
 * the role already exists (most accounts), and a key policy naming a role that does not exist yet (a new
 * account) is refused by KMS; so a deploy-time call to `iam:CreateServiceLinkedRole` treats "already taken" as
 * success, and the resource makes no call on delete (other services of the account use the role).
 *
 * The call runs in aws-cdk-lib's `AwsCustomResource` function, outside the VPC: it talks only to IAM, which
 * has no VPC endpoint in most regions, and touches nothing in the cluster. Its role may create this one
 * service-linked role and nothing else.
 */
export class ServiceLinkedRole extends Construct {
  /** ARN of the service-linked role (it exists once this construct's resource is created). */
  public readonly roleArn: string;
  public readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: ServiceLinkedRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.roleArn = `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/${props.serviceName}/${props.roleName}`;
    const logs = new EncryptedLogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retentionDays: props.logRetentionDays,
    });
    const call: cr.AwsSdkCall = {
      service: 'IAM',
      action: 'CreateServiceLinkedRole',
      parameters: { AWSServiceName: props.serviceName },
      ignoreErrorCodesMatching: SERVICE_LINKED_ROLE_EXISTS_ERROR,
      physicalResourceId: cr.PhysicalResourceId.of(props.roleName),
    };
    this.resource = new cr.AwsCustomResource(this, 'Ensure', {
      resourceType: 'Custom::ServiceLinkedRole',
      onCreate: call,
      onUpdate: call,
      // No onDelete: the role belongs to the account, not to this stack.
      installLatestAwsSdk: false,
      logGroup: logs.logGroup,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [this.roleArn],
          conditions: { StringEquals: { 'iam:AWSServiceName': props.serviceName } },
        }),
      ]),
    });
  }
}
