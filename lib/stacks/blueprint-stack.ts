import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';

/** `acme-prod-network`: names come from the naming module (lib/naming.ts). */
export { stackName } from '../naming';

export interface BlueprintStackProps extends StackProps {
  /** The resolved environment this stack belongs to. */
  readonly environment: EnvironmentConfig;
}

/**
 * Common base of the blueprint's stacks: explicit account and region, availability zones from config (so
 * synthesis never performs a context lookup), termination protection and the environment's tags.
 */
export abstract class BlueprintStack extends Stack {
  public readonly blueprintEnv: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    const env = props.environment;
    super(scope, id, {
      ...props,
      env: { account: env.account, region: env.region },
      terminationProtection: env.terminationProtection,
    });
    this.blueprintEnv = env;
    Tags.of(this).add('blueprint:org', env.org);
    Tags.of(this).add('blueprint:environment', env.name);
    for (const [key, value] of Object.entries(env.tags)) Tags.of(this).add(key, value);
  }

  /** Zones come from config; the default implementation would look them up in the account. */
  public override get availabilityZones(): string[] {
    return [...this.blueprintEnv.availabilityZones];
  }
}
