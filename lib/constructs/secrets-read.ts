import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';

/** Reading a Secrets Manager secret: its value and its metadata, nothing else. */
export const SECRET_READ_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];

/** ARN pattern of the secrets under a name prefix: Secrets Manager appends a random suffix to each name. */
export function secretArnPattern(scope: IConstruct, region: string, account: string, prefix: string): string {
  return `arn:${Stack.of(scope).partition}:secretsmanager:${region}:${account}:secret:${prefix}*`;
}

/**
 * The two statements a secrets reader needs: read the secrets under one prefix, and decrypt with the
 * secrets key only when Secrets Manager asks on its behalf (`kms:ViaService`), never directly.
 */
export function secretReadStatements(props: {
  readonly sid: string;
  readonly secretArn: string;
  readonly secretsKey: kms.IKey;
  readonly region: string;
}): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ sid: props.sid, actions: SECRET_READ_ACTIONS, resources: [props.secretArn] }),
    new iam.PolicyStatement({
      sid: 'DecryptSecretsThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: [props.secretsKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
    }),
  ];
}
