import Ajv from 'ajv';
import { App } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { admissionPolicies } from '../../../policies';
import {
  admissionPolicyEntries,
  buildEvidenceReport,
  evidenceOf,
  parseKubeBenchJson,
  parseVerifyJson,
  type CollectedEvidence,
  type EvidenceReport,
} from '../../../lib/compliance/evidence';
import { CONTROLS, deviations } from '../../../lib/compliance/evidence/sources';
import { resolveConfig, type BlueprintConfig } from '../../../lib/config';
import { buildBlueprint } from '../../../lib/app';
import { FIXTURE_CDK_JSON, TEST_APP_PROPS } from '../../helpers';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');
export const VERIFY_FAILING = path.join(FIXTURES, 'verify-failing.json');
export const KUBE_BENCH = path.join(FIXTURES, 'kube-bench.json');
/** Where the report tests leave what a person may want to look at (screenshots, a sample report). */
export const TEST_OUTPUT = path.join(ROOT, 'dist', 'test-output', 'report');

export function fixtureCdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(FIXTURE_CDK_JSON, 'utf-8')).context;
}

let cached: { app: App; evidence: CollectedEvidence } | undefined;
/**
 * The fixture's `dev` environment, built and synthesized once per test file, as `collectEvidence` does
 * (the app is kept, for tests that look at the construct tree).
 */
export function built(): { app: App; evidence: CollectedEvidence } {
  if (!cached) {
    const context = fixtureCdkJsonContext();
    const config = resolveConfig(context.blueprint, 'dev');
    const app = new App({
      ...TEST_APP_PROPS,
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-report-test-')),
      context: { ...TEST_APP_PROPS.context, ...context },
    });
    const [stacks] = buildBlueprint(app, config, { compliance: false });
    cached = { app, evidence: evidenceOf(app, stacks, config) };
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
  return cached;
}

export const collected = (): CollectedEvidence => built().evidence;

export interface ReportOptions {
  readonly verify?: string;
  readonly kubeBench?: string;
  /** Another config for the same environment, e.g. with a weakening; the synthesized parts stay. */
  readonly config?: BlueprintConfig;
}

export function reportOf(opts: ReportOptions = {}): EvidenceReport {
  const c = collected();
  const config = opts.config ?? c.config;
  const known = new Set(CONTROLS.map((x) => x.id));
  const environment = config.environments[0];
  return buildEvidenceReport({
    environment,
    generatedAt: '2026-01-02T03:04:05Z',
    blueprint: { name: 'hardened-eks', version: '0.0.0-test' },
    controls: CONTROLS,
    deviations: deviations(config),
    acknowledgements: c.acknowledgements,
    admissionPolicies: opts.config
      ? admissionPolicyEntries(admissionPolicies(environment.admission))
      : c.admissionPolicies,
    alarms: c.alarms,
    queries: c.queries,
    synth: c.synth,
    ...(opts.verify
      ? { verify: parseVerifyJson(fs.readFileSync(opts.verify, 'utf-8'), opts.verify, 'dev', known) }
      : {}),
    ...(opts.kubeBench
      ? { kubeBench: parseKubeBenchJson(fs.readFileSync(opts.kubeBench, 'utf-8'), opts.kubeBench) }
      : {}),
  });
}

/** Errors of `value` against docs/report.schema.json; empty when valid. */
export function schemaErrors(value: unknown): string[] {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'report.schema.json'), 'utf-8'));
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  return validate(JSON.parse(JSON.stringify(value)))
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The fixture config with `overrides` merged into its `dev` environment. */
export function fixtureConfig(overrides: Record<string, unknown>): BlueprintConfig {
  const ctx = fixtureCdkJsonContext().blueprint as {
    org: unknown;
    environments: Record<string, Record<string, unknown>>;
  };
  return resolveConfig(
    { org: ctx.org, environments: { dev: { ...ctx.environments.dev, ...overrides } } },
    'dev',
  );
}
