import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EKSClient } from '@aws-sdk/client-eks';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { MiddlewareStack } from '@smithy/types';
import {
  BoundedRetryStrategy,
  boundedResponses,
  DeadlineHttpHandler,
  type Deadline,
  type WireFormat,
} from './transport';
import type { VerifyClients } from './types';

export { Deadline } from './transport';

/** The limits every client gets unless the caller says otherwise (README, "Verify a deployed cluster"). */
export const CLIENT_DEFAULTS = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 20_000,
  maxAttempts: 8,
  /** Attempts for timeouts, network errors and 5xx answers (throttling may use `maxAttempts`). */
  otherAttempts: 3,
  maxResponseBytes: 8 * 1024 * 1024,
} as const;

export interface ClientOptions {
  readonly region: string;
  /** Shared-config profile; unset: the default credential chain. */
  readonly profile?: string;
  /**
   * Time to open a connection to an endpoint, per attempt.
   * @default 5000
   */
  readonly connectTimeoutMs?: number;
  /**
   * Time from sending a request to its response headers, and the longest silence while a body streams,
   * per attempt.
   * @default 20000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Attempts per call when AWS throttles; timeouts, network errors and 5xx answers get at most 3.
   * @default - AWS_MAX_ATTEMPTS when set, else 8
   */
  readonly maxAttempts?: number;
  /**
   * Ends every call of these clients (and the credential lookups they trigger) once it passes.
   * @default - none: each call is bounded by its attempts and timeouts only
   */
  readonly deadline?: Deadline;
  /**
   * Largest response body read; a longer one fails the call.
   * @default 8 MiB
   */
  readonly maxResponseBytes?: number;
}

/** AWS_MAX_ATTEMPTS, the SDK's own setting, when it is a positive integer. */
function envMaxAttempts(): number | undefined {
  const n = Number(process.env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Clients on the SDK's default credential chain and endpoint resolution (so `AWS_ENDPOINT_URL[_<SERVICE>]`
 * works), each call bounded: connection and request timeouts, retries in AWS's standard mode with room
 * for throttling during a 500-node walk, an optional deadline, and responses read up to a size and checked
 * for their wire format before they are parsed.
 */
export function createClients(options: ClientOptions): VerifyClients {
  const maxAttempts = options.maxAttempts ?? envMaxAttempts() ?? CLIENT_DEFAULTS.maxAttempts;
  const requestTimeout = options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs;
  // One handler for all clients; the STS client of the credential chain (assume-role, web identity)
  // inherits it too.
  const requestHandler = new DeadlineHttpHandler(
    {
      connectionTimeout: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
      requestTimeout,
      // Without it the SDK only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
      socketTimeout: requestTimeout,
    },
    options.deadline,
  );
  const config = {
    region: options.region,
    maxAttempts,
    retryStrategy: new BoundedRetryStrategy(maxAttempts, CLIENT_DEFAULTS.otherAttempts, options.deadline),
    requestHandler,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  };
  const maxBytes = options.maxResponseBytes ?? CLIENT_DEFAULTS.maxResponseBytes;
  const bound = <I extends object, O extends object>(stack: MiddlewareStack<I, O>, format: WireFormat) =>
    // Priority low within the deserialize step: inside the SDK's deserializer, so it sees the raw bytes.
    stack.add(boundedResponses<I, O>(format, maxBytes), {
      step: 'deserialize',
      priority: 'low',
      name: 'hardenedEksBoundedResponses',
    });
  const clients: VerifyClients = {
    eks: new EKSClient(config),
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    logs: new CloudWatchLogsClient(config),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    guardduty: new GuardDutyClient(config),
    ecr: new ECRClient(config),
    cloudformation: new CloudFormationClient(config),
  };
  // EC2 query, and AWS query (IAM, CloudFormation), answer in XML; the others in JSON.
  bound(clients.eks.middlewareStack, 'json');
  bound(clients.ec2.middlewareStack, 'xml');
  bound(clients.ssm.middlewareStack, 'json');
  bound(clients.logs.middlewareStack, 'json');
  bound(clients.iam.middlewareStack, 'xml');
  bound(clients.kms.middlewareStack, 'json');
  bound(clients.guardduty.middlewareStack, 'json');
  bound(clients.ecr.middlewareStack, 'json');
  bound(clients.cloudformation.middlewareStack, 'xml');
  return clients;
}
