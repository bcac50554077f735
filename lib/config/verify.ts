import { z } from 'zod';
import type { ConfigIssue } from './errors';

/*
 * Config of the live `verify` command and of the read-only policy the cluster stack ships for it.
 * Resolved here, once; the policy construct and the CLI receive plain values.
 */

const roleArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN such as arn:aws:iam::123456789012:role/SecurityAuditor',
  );

export const verifySchema = z.strictObject({
  auditorRoleArns: z.array(roleArn).optional(),
  minSsmAgentVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+\.\d+$/, 'must be an SSM agent version such as 3.3.0.0')
    .optional(),
});

export type VerifyInput = z.infer<typeof verifySchema>;

export interface VerifyConfig {
  /**
   * IAM roles the read-only verify policy is attached to (people or pipelines that run `verify`).
   * Empty: the policy exists, attached to nothing.
   */
  readonly auditorRoleArns: readonly string[];
  /**
   * Oldest SSM agent version `verify` accepts on a node (EKS-VER-001). Bottlerocket ships the agent in
   * its control container, so "latest" per SSM is not the bar; a floor is.
   */
  readonly minSsmAgentVersion: string;
}

export const VERIFY_DEFAULTS = {
  auditorRoleArns: [] as string[],
  minSsmAgentVersion: '3.2.0.0',
} as const;

/** Environment values win over `org` values, field by field. */
export function resolveVerify(
  org: VerifyInput | undefined,
  env: VerifyInput | undefined,
  pathOf: (field: string) => string,
  issues: ConfigIssue[],
): VerifyConfig {
  const auditorRoleArns = env?.auditorRoleArns ?? org?.auditorRoleArns ?? VERIFY_DEFAULTS.auditorRoleArns;
  const seen = new Set<string>();
  auditorRoleArns.forEach((arn, i) => {
    if (seen.has(arn)) {
      issues.push({
        path: `${pathOf('verify')}.auditorRoleArns[${i}]`,
        message: 'lists a role twice; list each auditor role once',
        value: arn,
      });
    }
    seen.add(arn);
  });
  return {
    auditorRoleArns,
    minSsmAgentVersion:
      env?.minSsmAgentVersion ?? org?.minSsmAgentVersion ?? VERIFY_DEFAULTS.minSsmAgentVersion,
  };
}
