import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EKSClient } from '@aws-sdk/client-eks';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { VerifyClients } from './types';

export interface ClientOptions {
  readonly region: string;
  /** Shared-config profile; unset: the default credential chain. */
  readonly profile?: string;
}

/**
 * Clients on the SDK's default credential chain and endpoint resolution (so `AWS_ENDPOINT_URL[_<SERVICE>]`
 * works), with the standard retry mode given room for throttling during a 500-node walk.
 */
export function createClients(options: ClientOptions): VerifyClients {
  const config = {
    region: options.region,
    // AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, when set, keep their say.
    ...(process.env.AWS_MAX_ATTEMPTS === undefined ? { maxAttempts: 8 } : {}),
    ...(process.env.AWS_RETRY_MODE === undefined ? { retryMode: 'standard' } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  };
  return {
    eks: new EKSClient(config),
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    logs: new CloudWatchLogsClient(config),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    guardduty: new GuardDutyClient(config),
    ecr: new ECRClient(config),
  };
}
