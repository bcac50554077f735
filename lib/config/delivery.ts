import { z } from 'zod';
import type { ConfigIssue } from './errors';

/*
 * Config of delivery: the per-environment `approval` flag (read by the GitHub deploy workflow and by the
 * optional CDK pipeline) and the optional `pipeline` (CDK Pipelines in the org's own AWS account).
 * Resolved here, once; the pipeline stack and the workflow helper receive plain values.
 */

export const DELIVERY_DEFAULTS = {
  /** Environments deploy without a human approval unless config marks them. */
  approval: false,
  branch: 'main',
} as const;

/** `approval` in an environment (or in `org`, for every environment). */
export const approvalSchema = z.boolean({ error: () => 'must be true or false' });

const connectionArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}:\d{12}:connection\/[0-9a-f-]{36}$/,
    'must be a CodeConnections connection ARN such as arn:aws:codeconnections:us-east-1:123456789012:connection/0c0a1e2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  );

export const pipelineSchema = z.strictObject({
  /** The CodeConnections (formerly CodeStar Connections) connection to the repository host. */
  connectionArn,
  repository: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
      'must be the repository as owner/name, such as acme/platform',
    ),
  branch: z.string().min(1).max(255).optional(),
  /** Environments per wave, waves in order; environments inside a wave deploy in parallel. */
  waves: z.array(z.array(z.string()).min(1, 'a wave names at least one environment')).min(1).optional(),
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'must be an AWS region such as us-east-1')
    .optional(),
});

export type PipelineInput = z.infer<typeof pipelineSchema>;

/** One environment as the pipeline deploys it. */
export interface PipelineEnvironment {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** A manual approval precedes the environment's deployment. */
  readonly approval: boolean;
  /** The role (in the environment's account) the pipeline's `verify` step assumes. */
  readonly verifyRoleArn: string;
}

/** The optional CDK Pipelines delivery, fully resolved. */
export interface PipelineConfig {
  /** The pipeline stack's name: `<org>-pipeline`. */
  readonly stackName: string;
  readonly connectionArn: string;
  readonly repository: string;
  readonly branch: string;
  /** Where the pipeline runs: @default the first environment of the first wave. */
  readonly account: string;
  readonly region: string;
  /** Waves in order, each a list of environments deployed in parallel. */
  readonly waves: readonly (readonly PipelineEnvironment[])[];
}

/** What the pipeline needs to know of each configured environment. */
export interface PipelineEnvironmentFacts {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly approval: boolean;
  readonly auditorRoleArns: readonly string[];
}

/**
 * Resolves `blueprint.pipeline` against every configured environment (`environments` in config order):
 * waves name each environment at most once, and each environment names the role `verify` assumes.
 */
export function resolvePipeline(
  input: PipelineInput | undefined,
  orgName: string,
  environments: readonly PipelineEnvironmentFacts[],
  issues: ConfigIssue[],
): PipelineConfig | undefined {
  if (!input) return undefined;
  const byName = new Map(environments.map((e) => [e.name, e]));
  const names = input.waves ?? environments.map((e) => [e.name]);
  const seen = new Set<string>();
  const waves: PipelineEnvironment[][] = [];
  names.forEach((wave, i) => {
    const resolved: PipelineEnvironment[] = [];
    wave.forEach((name, j) => {
      const path = input.waves ? `pipeline.waves[${i}][${j}]` : `environments.${name}`;
      const env = byName.get(name);
      if (!env) {
        issues.push({
          path,
          message: `is not an environment in blueprint.environments; use one of: ${[...byName.keys()].join(', ')}`,
          value: name,
        });
        return;
      }
      if (seen.has(name)) {
        issues.push({ path, message: 'is already deployed by an earlier wave; list it once', value: name });
        return;
      }
      seen.add(name);
      if (env.auditorRoleArns.length === 0) {
        issues.push({
          path: `environments.${name}.verify.auditorRoleArns`,
          message:
            "is empty, but the pipeline runs verify after deploying this environment; list a role in the environment's account that trusts the pipeline's account (the verify step assumes the first one)",
        });
        return;
      }
      resolved.push({
        name,
        account: env.account,
        region: env.region,
        approval: env.approval,
        verifyRoleArn: env.auditorRoleArns[0],
      });
    });
    waves.push(resolved);
  });
  const first = waves[0]?.[0];
  if (!first) return undefined;
  return {
    stackName: `${orgName}-pipeline`,
    connectionArn: input.connectionArn,
    repository: input.repository,
    branch: input.branch ?? DELIVERY_DEFAULTS.branch,
    account: input.account ?? first.account,
    region: input.region ?? first.region,
    waves,
  };
}
