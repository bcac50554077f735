import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SSMClient } from '@aws-sdk/client-ssm';

/** The three states of a check, as cdk-nag and the offline checkers use them. */
export type CheckStatus = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** One row of the verify report: a catalogue control proved (or disproved) by a live probe. */
export interface CheckResult {
  /** Catalogue id (lib/compliance/controls.ts). */
  readonly controlId: string;
  /** What was probed, in a few words ("API endpoint access", "node IMDS options"). */
  readonly check: string;
  readonly status: CheckStatus;
  /** What the API answered: ids and values, so a reader can see why without re-running. */
  readonly evidence: readonly string[];
}

/** The AWS clients the probes use; injected so tests can mock them and the CLI can configure them. */
export interface VerifyClients {
  readonly eks: EKSClient;
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
  readonly logs: CloudWatchLogsClient;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
  readonly guardduty: GuardDutyClient;
  readonly ecr: ECRClient;
  /** Reads the cluster stack's outputs (the kubectl provider role, EKS-IAM-002). */
  readonly cloudformation: CloudFormationClient;
}

/** Progress while probing: one short phrase per step, with a count where there is one. */
export type ProgressSink = (message: string) => void;

export function result(
  controlId: string,
  check: string,
  failures: readonly string[],
  evidence: readonly string[],
): CheckResult {
  return {
    controlId,
    check,
    status: failures.length === 0 ? 'COMPLIANT' : 'NON_COMPLIANT',
    evidence: failures.length === 0 ? evidence : [...failures, ...evidence],
  };
}

export function notApplicable(controlId: string, check: string, why: string): CheckResult {
  return { controlId, check, status: 'NOT_APPLICABLE', evidence: [why] };
}
