import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'fs';
import * as path from 'path';
import { buildBlueprint, type EnvironmentStacks } from '../lib/app';
import { ConfigError, resolveConfig, type BlueprintConfig } from '../lib/config';

/**
 * The tests' own config (a cdk.json shape). Upstream tests never read the root cdk.json: that file belongs
 * to a fork, which may rename the org and its environments without breaking upstream's tests.
 */
export const FIXTURE_CDK_JSON = path.join(__dirname, 'fixtures', 'config', 'cdk.json');

/** The `blueprint` context of the fixture config: the tests' baseline (environment `dev`). */
export function fixtureContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(FIXTURE_CDK_JSON, 'utf-8'));
  return cdkJson.context.blueprint;
}

/** A context with one environment `test`, based on the fixture's dev environment plus `overrides`. */
export function testContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const shipped = fixtureContext() as { org: unknown; environments: Record<string, Record<string, unknown>> };
  return { org: shipped.org, environments: { test: { ...shipped.environments.dev, ...overrides } } };
}

export interface Built {
  readonly app: App;
  readonly config: BlueprintConfig;
  readonly stacks: EnvironmentStacks;
  readonly network: Template;
  readonly cluster: Template;
  /** The tenant stacks' templates, in config order. */
  readonly tenants: readonly Template[];
}

/**
 * What tests synthesize with: no built-in template validation (seconds per synth; test/compliance and
 * test/bin run it) and no asset staging (copying the kubectl and AWS CLI layers, about 60 MB, into the
 * output on every synth; templates are the same either way).
 */
export const TEST_APP_PROPS = {
  builtinCloudFormationValidation: false,
  context: { 'aws:cdk:disable-asset-staging': true },
} as const;

/**
 * Builds the `test` environment in memory. The built-in template validation and the compliance plugins
 * are off (they cost seconds per synth); test/compliance runs them.
 */
export function build(overrides: Record<string, unknown> = {}): Built {
  const app = new App(TEST_APP_PROPS);
  const config = resolveConfig(testContext(overrides));
  const [stacks] = buildBlueprint(app, config, { compliance: false });
  return {
    app,
    config,
    stacks,
    network: Template.fromStack(stacks.network),
    cluster: Template.fromStack(stacks.cluster),
    tenants: stacks.tenants.map((t) => Template.fromStack(t)),
  };
}

let cached: Built | undefined;
/** The default build, shared by the tests of one file (read-only use only). */
export function defaultBuild(): Built {
  cached ??= build();
  return cached;
}

/** Deep copy of a template's JSON, for tests that weaken it and expect a check to fail. */
export function templateJson(t: Template): {
  Resources: Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;
} {
  return JSON.parse(JSON.stringify(t.toJSON()));
}

export function resourcesOf(
  t: Template,
  type: string,
): Array<[string, { Properties: Record<string, any>; DeletionPolicy?: string }]> {
  return Object.entries(t.findResources(type)) as Array<
    [string, { Properties: Record<string, any>; DeletionPolicy?: string }]
  >;
}

/** The message of the ConfigError that resolving `ctx` (with `-c env=<env>`) raises; fails if none. */
export function configErrorOf(ctx: unknown, env?: string): string {
  try {
    resolveConfig(ctx, env);
  } catch (e) {
    if (!ConfigError.isConfigError(e)) throw e;
    return e.message;
  }
  throw new Error('expected a ConfigError');
}
