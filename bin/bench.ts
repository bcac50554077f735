/**
 * `npm run bench`: what synthesis costs, measured on this machine in one run.
 *
 * - `npm run bench`: the default app (the fork's cdk.json and org/) next to a one-bucket CDK app, each run as
 *   a whole process by the same command the CDK CLI runs (`npx tsx <entry>`, context in CDK_CONTEXT_JSON,
 *   output to CDK_OUTDIR), as a ratio; then the admission evaluator's throughput (bench-admission.ts).
 * - `npm run bench -- --tenants 1,100,500`: the default app's first environment with that many tenants,
 *   each size in a process of its own: synth time, CPU time, peak memory, stacks, the largest template and
 *   Kubernetes custom resource, each checked against CloudFormation's limits, and the ratio to the first
 *   size; then one tenant inserted first into the smallest size above 1, which must leave every other
 *   tenant's template byte-identical. Exits 1 when a size does not synthesize, crosses a limit, or moves
 *   a tenant.
 *
 * Both synthesize as `npm run synth` does: built-in CloudFormation validation, cdk-nag (AwsSolutions, NIST
 * 800-53 r5), the blueprint's control checks and the limits check, with the context the CDK CLI sets.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { checkTemplateLimits, templateFigures } from '../lib/compliance/limits-plugin';
import { benchAdmission } from './bench-admission';

const ROOT = path.join(__dirname, '..');
const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf-8')) as {
  app: string;
  context: Record<string, unknown>;
};
const APP_ENTRY = 'bin/app.ts';
const ONE_BUCKET_ENTRY = 'bin/bench/one-bucket.ts';
/** The command before the entry in cdk.json's `app` (`npx tsx`): both apps run through it. */
const RUNNER = cdkJson.app.endsWith(` ${APP_ENTRY}`)
  ? cdkJson.app.slice(0, -APP_ENTRY.length - 1)
  : 'npx tsx';
const USAGE_PRELOAD = path.join(__dirname, 'bench', 'usage.js');
/** The largest context the CDK CLI passes in CDK_CONTEXT_JSON; a larger one goes through a file. */
const CONTEXT_ENV_BYTES = 32 * 1024;

/** The context the CDK CLI gives an app by default (`cdk synth` without flags), plus the bench's counters. */
const CLI_CONTEXT: Record<string, unknown> = {
  [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true,
  [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
  [cxapi.ANALYTICS_REPORTING_ENABLED_CONTEXT]: true,
  [cxapi.BUNDLING_STACKS]: ['**'],
  [cxapi.DISABLE_METADATA_STACK_TRACE]: true,
  // aws-cdk-lib writes its phase timings to CDK_PERF_COUNTERS_FILE when synthesis is "slow"; 0 makes it
  // always do so. It changes nothing in the output.
  '@aws-cdk/core.slowSynthThreshold': 0,
};

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run bench [-- --tenants <n>[,<n>...]] [-- --runs <n>]  (e.g. --tenants 1,100,500)\n`,
  );
  process.exit(2);
}

interface Options {
  readonly tenants?: readonly number[];
  readonly runs: number;
}

function parseArgs(argv: readonly string[]): Options {
  let tenants: number[] | undefined;
  let runs = Number(process.env.BENCH_RUNS ?? 3);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--tenants') {
      const v = value();
      tenants = v.split(',').map((s) => Number(s.trim()));
      if (tenants.some((n) => !Number.isInteger(n) || n < 1))
        usage(`--tenants must be a comma-separated list of whole numbers of at least 1 (got "${v}")`);
    } else if (flag === '--runs') {
      const v = value();
      runs = Number(v);
      if (!Number.isInteger(runs) || runs < 1)
        usage(`--runs must be a whole number of at least 1 (got "${v}")`);
    } else usage(`unknown flag ${argv[i]}`);
  }
  return { ...(tenants ? { tenants } : {}), runs };
}

/** One process of one app, measured. */
interface Measurement {
  readonly wallMs: number;
  /** CPU time of every Node.js process of the run (npx, tsx, the app). */
  readonly cpuMs: number;
  /** Peak resident memory of the app's process. */
  readonly peakRssKiB: number;
  /** aws-cdk-lib's phase timings (ms): phase:Load, phase:Construction, phase:Synthesis, validateTemplates... */
  readonly counters: Readonly<Record<string, number>>;
  /** Time in each validation plugin the app registered (cdk-nag's packs, the control checks, the limits). */
  readonly pluginMs: Readonly<Record<string, number>>;
  readonly outdir: string;
}

function tmpdir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hardened-eks-bench-${prefix}-`));
}

/** Runs `<RUNNER> <entry>` as the CDK CLI would, with `context`; throws with its stderr when it fails. */
function runApp(entry: string, context: Record<string, unknown>): Measurement {
  const work = tmpdir('run');
  const outdir = path.join(work, 'cdk.out');
  const usageFile = path.join(work, 'usage.jsonl');
  const countersFile = path.join(work, 'counters.json');
  const contextJson = JSON.stringify(context);
  const contextEnv: Record<string, string> = {};
  if (Buffer.byteLength(contextJson) <= CONTEXT_ENV_BYTES) contextEnv[cxapi.CONTEXT_ENV] = contextJson;
  else {
    const file = path.join(work, 'context.json');
    fs.writeFileSync(file, contextJson);
    contextEnv[cxapi.CONTEXT_OVERFLOW_LOCATION_ENV] = file;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...contextEnv,
    [cxapi.OUTDIR_ENV]: outdir,
    [cxapi.PERF_COUNTERS_FILE_ENV]: countersFile,
    BLUEPRINT_MANIFEST_DIR: path.join(work, 'manifests'),
    BENCH_USAGE_FILE: usageFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${USAGE_PRELOAD}"`.trim(),
  };
  const start = process.hrtime.bigint();
  const res = spawnSync(`${RUNNER} ${entry}`, { cwd: ROOT, env, shell: true, encoding: 'utf-8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) {
    throw new Error(
      `${RUNNER} ${entry} exited ${res.status}:\n${res.stderr.split('\n').slice(-20).join('\n')}`,
    );
  }
  const processes = fs
    .readFileSync(usageFile, 'utf-8')
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          argv: string[];
          maxRssKiB: number;
          cpuMs: number;
          pluginMs?: Record<string, number>;
        },
    );
  const app = processes.filter((p) => p.argv.some((a) => a.endsWith(entry)));
  const counters = fs.existsSync(countersFile)
    ? (JSON.parse(fs.readFileSync(countersFile, 'utf-8')) as { counters: Record<string, number> }).counters
    : {};
  return {
    wallMs,
    cpuMs: processes.reduce((s, p) => s + p.cpuMs, 0),
    peakRssKiB: Math.max(...(app.length > 0 ? app : processes).map((p) => p.maxRssKiB)),
    counters,
    pluginMs: Object.assign({}, ...processes.map((p) => p.pluginMs ?? {})) as Record<string, number>,
    outdir,
  };
}

function removeRun(m: Measurement): void {
  fs.rmSync(path.dirname(m.outdir), { recursive: true, force: true });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const kib = (bytes: number) => (bytes / 1024).toFixed(0);

/** Every template of a cloud assembly (nested stage assemblies too), by file name. */
function templates(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name.startsWith('assembly-'))
      for (const [k, v] of templates(p)) out.set(k, v);
    else if (entry.name.endsWith('.template.json')) out.set(entry.name, fs.readFileSync(p, 'utf-8'));
  }
  return out;
}

/** The errors of the validation plugins (cdk-nag, the control checks, the limits), from the report. */
function validationErrors(outdir: string): string[] {
  const file = path.join(outdir, cxapi.VALIDATION_REPORT_FILE);
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf-8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
  };
  return report.pluginReports.flatMap((r) =>
    r.violations.filter((v) => v.severity === 'error').map((v) => `${r.pluginName}: ${v.ruleName}`),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The default app against a one-bucket app.

/** One run's wall time by phase (ms), from aws-cdk-lib's counters and the plugin timings. */
interface Phases {
  /** Node.js, npx and tsx starting, until the app's first line runs. */
  readonly start: number;
  /** Loading the app's modules and reading its config (aws-cdk-lib's `phase:Load`). */
  readonly load: number;
  /** Building the construct tree (`phase:Construction`). */
  readonly build: number;
  /** Synthesis without validation: resolving tokens, writing templates and assets. */
  readonly synth: number;
  /** aws-cdk-lib's built-in CloudFormation validation (its engine's start and every template). */
  readonly cfnValidation: number;
  /** The validation plugins the app registers: cdk-nag's packs, the control checks, the limits. */
  readonly checks: number;
}

function phasesOf(m: Measurement): Phases {
  const c = m.counters;
  const load = c['phase:Load'] ?? 0;
  const build = c['phase:Construction'] ?? 0;
  const synthesis = c['phase:Synthesis'] ?? 0;
  const validation = c.validateTemplates ?? 0;
  const checks = Object.values(m.pluginMs).reduce((s, t) => s + t, 0);
  return {
    start: m.wallMs - load - build - synthesis,
    load,
    build,
    synth: synthesis - validation,
    cfnValidation: validation - checks,
    checks,
  };
}

const PHASE_NAMES: Record<keyof Phases, string> = {
  start: 'start',
  load: 'load',
  build: 'build',
  synth: 'synth',
  cfnValidation: 'CloudFormation validation',
  checks: 'blueprint checks',
};

function phases(m: Measurement): string {
  const p = phasesOf(m);
  return (Object.keys(PHASE_NAMES) as (keyof Phases)[])
    .map((k) => `${PHASE_NAMES[k]} ${seconds(p[k])}`)
    .join('  ');
}

function benchDefaultApp(runs: number): void {
  const blueprintContext = { ...CLI_CONTEXT, ...cdkJson.context };
  const blueprint = () => runApp(APP_ENTRY, blueprintContext);
  const oneBucket = () => runApp(ONE_BUCKET_ENTRY, CLI_CONTEXT);
  // Warm-up: tsx's transpile cache and the file cache are not what is measured.
  removeRun(blueprint());
  removeRun(oneBucket());
  const b: Measurement[] = [];
  const o: Measurement[] = [];
  // Alternated, so a change in the machine's load hits both alike.
  for (let i = 0; i < runs; i++) {
    b.push(blueprint());
    o.push(oneBucket());
  }
  const pick = (ms: Measurement[]) => ms.find((m) => m.wallMs === median(ms.map((x) => x.wallMs)))!;
  const rows = [
    ['default blueprint app', b],
    ['one-bucket CDK app', o],
  ] as const;
  console.log(`Synthesis through \`${RUNNER} <entry>\` as the CDK CLI runs it, median of ${runs}:`);
  for (const [name, ms] of rows) {
    const m = pick(ms);
    console.log(
      `${name.padEnd(22)} ${seconds(median(ms.map((x) => x.wallMs))).padStart(6)} s  cpu ${seconds(median(ms.map((x) => x.cpuMs))).padStart(6)} s  peak ${(m.peakRssKiB / 1024).toFixed(0).padStart(4)} MiB   (${phases(m)})`,
    );
  }
  const ratio = (f: (m: Measurement) => number) => (median(b.map(f)) / median(o.map(f))).toFixed(2);
  console.log(
    `ratio blueprint / one-bucket: ${ratio((m) => m.wallMs)}x by the clock, ${ratio((m) => m.cpuMs)}x by CPU time (target: at most 1.3x)`,
  );
  // Where the difference goes, phase by phase (medians), and what is left once aws-cdk-lib's own
  // CloudFormation validation, which both apps run and which grows with the resource types validated, is
  // set aside.
  const medianPhase = (ms: Measurement[], k: keyof Phases) => median(ms.map((m) => phasesOf(m)[k]));
  const diff = (Object.keys(PHASE_NAMES) as (keyof Phases)[]).map(
    (k) => `${PHASE_NAMES[k]} ${seconds(medianPhase(b, k) - medianPhase(o, k))}`,
  );
  console.log(`the difference by phase (s): ${diff.join('  ')}`);
  const plugins = Object.entries(pick(b).pluginMs)
    .map(([name, ms]) => `${name} ${seconds(ms)}`)
    .join(', ');
  console.log(`blueprint checks (s): ${plugins}`);
  const withoutCfn = (ms: Measurement[]) => median(ms.map((m) => m.wallMs - phasesOf(m).cfnValidation));
  console.log(
    `without the CloudFormation validation's share in both: ${seconds(withoutCfn(b))} s vs ${seconds(withoutCfn(o))} s, ${(withoutCfn(b) / withoutCfn(o)).toFixed(2)}x`,
  );
  [...b, ...o].forEach(removeRun);
}

// ---------------------------------------------------------------------------------------------------------
// Tenants at scale.

interface EnvironmentContext {
  readonly account: string;
  readonly tenants?: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

/** The default app's blueprint context with `n` tenants in its first environment (`first` before them). */
function withTenants(n: number, first?: string): { context: Record<string, unknown>; names: string[] } {
  const blueprint = cdkJson.context.blueprint as { environments: Record<string, EnvironmentContext> };
  const [envName, env] = Object.entries(blueprint.environments)[0];
  // Every tenant like the config's first one (quota, egress), with its own name and roles: an IAM role can
  // be in only one access entry.
  const shape = env.tenants?.[0] ?? {};
  const tenant = (name: string) => {
    const role = name.replace(/(^|-)(\w)/g, (_, _dash, c: string) => c.toUpperCase());
    return {
      ...shape,
      name,
      ownerRoleArns: [`arn:aws:iam::${env.account}:role/${role}Owner`],
      developerRoleArns: [`arn:aws:iam::${env.account}:role/${role}Developer`],
    };
  };
  const names = [
    ...(first ? [first] : []),
    ...Array.from({ length: n }, (_, i) => `tenant-${String(i + 1).padStart(4, '0')}`),
  ];
  return {
    names,
    context: {
      ...CLI_CONTEXT,
      ...cdkJson.context,
      // -c env=<first>: that environment's stacks only.
      env: envName,
      blueprint: {
        ...blueprint,
        environments: { ...blueprint.environments, [envName]: { ...env, tenants: names.map(tenant) } },
      },
    },
  };
}

interface SizeResult {
  readonly tenants: number;
  readonly m: Measurement;
  readonly stacks: number;
  readonly maxResources: { readonly figure: number; readonly stack: string };
  readonly maxBytes: { readonly figure: number; readonly stack: string };
  readonly maxCustomResource: { readonly figure: number; readonly stack: string };
  /** Limit findings and validation errors: empty when the size is inside every limit. */
  readonly problems: readonly string[];
}

function measureSize(n: number, first?: string): SizeResult {
  const { context } = withTenants(n, first);
  const m = runApp(APP_ENTRY, context);
  const maxResources = { figure: 0, stack: '' };
  const maxBytes = { figure: 0, stack: '' };
  const maxCustomResource = { figure: 0, stack: '' };
  const problems: string[] = [];
  const all = templates(m.outdir);
  for (const [file, body] of all) {
    const stack = file.replace(/\.template\.json$/, '');
    const f = templateFigures(body);
    if (f.resources > maxResources.figure) Object.assign(maxResources, { figure: f.resources, stack });
    if (f.bytes > maxBytes.figure) Object.assign(maxBytes, { figure: f.bytes, stack });
    for (const cr of f.customResources)
      if (cr.bytes > maxCustomResource.figure)
        Object.assign(maxCustomResource, { figure: cr.bytes, stack: `${stack}/${cr.logicalId}` });
    for (const finding of checkTemplateLimits(stack, body))
      problems.push(`${stack}: ${finding.rule} ${finding.figure} > ${finding.limit}`);
  }
  problems.push(...validationErrors(m.outdir));
  return {
    tenants: n + (first ? 1 : 0),
    m,
    stacks: all.size,
    maxResources,
    maxBytes,
    maxCustomResource,
    problems,
  };
}

function benchTenants(sizes: readonly number[]): number {
  let failed = false;
  const results: SizeResult[] = [];
  console.log(
    'Tenants in the first environment of the default app, each size synthesized in a process of its own (as `npm run synth`: CloudFormation validation, cdk-nag, control checks, limits):',
  );
  console.log(
    `${'tenants'.padStart(7)} ${'stacks'.padStart(6)} ${'synth s'.padStart(8)} ${'cpu s'.padStart(7)} ${'ratio'.padStart(6)} ${'cpu ratio'.padStart(9)} ${'peak MiB'.padStart(8)}  ${'largest template'.padEnd(38)} ${'largest custom resource'.padEnd(24)} limits`,
  );
  const base = () => results[0];
  const print = (r: SizeResult, note = '') => {
    const ratio = (f: (m: Measurement) => number) => (f(r.m) / f(base().m)).toFixed(2);
    const short = (stack: string) => stack.replace(/^.*?-.*?-/, '');
    const template = `${r.maxResources.figure} res (${short(r.maxResources.stack)}), ${kib(r.maxBytes.figure)} KiB (${short(r.maxBytes.stack)})`;
    console.log(
      `${String(r.tenants).padStart(7)} ${String(r.stacks).padStart(6)} ${seconds(r.m.wallMs).padStart(8)} ${seconds(r.m.cpuMs).padStart(7)} ${`${ratio((m) => m.wallMs)}x`.padStart(6)} ${`${ratio((m) => m.cpuMs)}x`.padStart(9)} ${(r.m.peakRssKiB / 1024).toFixed(0).padStart(8)}  ${template.padEnd(38)} ${`${kib(r.maxCustomResource.figure)} KiB (${short(r.maxCustomResource.stack.split('/')[0])})`.padEnd(24)} ${r.problems.length === 0 ? 'inside' : `OVER: ${r.problems.join('; ')}`}${note}`,
    );
    if (r.problems.length > 0) failed = true;
  };
  for (const n of sizes) {
    let r: SizeResult;
    try {
      r = measureSize(n);
    } catch (e) {
      console.log(`${String(n).padStart(7)} did not synthesize: ${(e as Error).message}`);
      failed = true;
      continue;
    }
    results.push(r);
    print(r);
  }
  // Inserting a tenant first must not move any other: their templates stay byte-identical.
  const target = results.find((r) => r.tenants > 1);
  if (target) {
    try {
      const inserted = measureSize(target.tenants, 'tenant-0000');
      print(inserted, '   (one tenant inserted first)');
      const before = templates(target.m.outdir);
      const after = templates(inserted.m.outdir);
      const tenantFiles = [...before.keys()].filter((f) => /-tenant-tenant-\d{4}\.template\.json$/.test(f));
      const same = tenantFiles.filter((f) => after.get(f) === before.get(f));
      console.log(
        `inserting one tenant first into ${target.tenants}: ${same.length} of ${tenantFiles.length} other tenant templates byte-identical`,
      );
      if (same.length !== tenantFiles.length || tenantFiles.length !== target.tenants) failed = true;
      removeRun(inserted.m);
    } catch (e) {
      console.log(`${target.tenants + 1} (one inserted first) did not synthesize: ${(e as Error).message}`);
      failed = true;
    }
  }
  const largest = results[results.length - 1];
  if (results.length > 1 && base().tenants === 1) {
    const wall = largest.m.wallMs / base().m.wallMs;
    const cpu = largest.m.cpuMs / base().m.cpuMs;
    console.log(
      `${largest.tenants} tenants: ${wall.toFixed(2)}x the 1-tenant time by the clock, ${cpu.toFixed(2)}x by CPU time (target: at most 3x)`,
    );
  }
  results.forEach((r) => removeRun(r.m));
  return failed ? 1 : 0;
}

const options = parseArgs(process.argv.slice(2));
if (options.tenants) {
  process.exitCode = benchTenants(options.tenants);
} else {
  benchDefaultApp(options.runs);
  benchAdmission();
}
