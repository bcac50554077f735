/**
 * What the delivery workflows read from config at run time (see .github/workflows/): one deploy target per
 * environment in cdk.json's order. Reading it at run time, instead of generating the workflow from
 * config, keeps .github/ an upstream file a fork never edits.
 */
import { baselinePropsFrom } from '../charts';
import type { BlueprintConfig } from './config';

/** One environment as a workflow job deploys it. */
export interface DeployTarget {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** `aws`, `aws-cn` or `aws-us-gov`: the role ARNs the jobs assume are built from it. */
  readonly partition: string;
  /** The job runs only after a person approves (GitHub environment reviewers). */
  readonly approval: boolean;
}

/** Every environment, in cdk.json's order (`config` must hold all of them: no `-c env`). */
export function deployTargets(config: BlueprintConfig): DeployTarget[] {
  return config.deployOrder.map((name) => {
    const env = config.environments.find((e) => e.name === name);
    if (!env) throw new Error(`environment ${name} was not resolved; resolve the config without -c env`);
    return {
      name,
      account: env.account,
      region: env.region,
      partition: baselinePropsFrom(env).partition,
      approval: env.approval,
    };
  });
}

/**
 * The `key=value` lines a workflow step appends to `$GITHUB_OUTPUT`: `matrix` (a strategy matrix with one
 * entry per environment, in order) and `pipeline` (the pipeline stack's name, empty without a pipeline).
 */
export function githubOutputs(config: BlueprintConfig): string {
  return [
    `matrix=${JSON.stringify({ include: deployTargets(config) })}`,
    `pipeline=${config.pipeline?.stackName ?? ''}`,
  ].join('\n');
}
