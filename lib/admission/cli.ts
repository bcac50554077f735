/**
 * `hardened-eks check`: evaluates Kubernetes manifests against an environment's admission policies and the
 * target namespace's Pod Security level, offline, before anything is applied. Exit codes: 0 clean,
 * 1 violations, 2 unreadable or invalid input, nothing to check, or bad flags.
 *
 * It is a gate attackers probe, so it never throws for bad input and never prints the input's bytes: every
 * way out of `--format json` (or `sarif`) prints exactly one document on stdout, and stderr gets a few
 * lines at most.
 */
import * as fs from 'fs';
import * as path from 'path';
import { POLICY_ID_LABEL } from '../../policies';
import { baselineNamespaces } from '../../charts';
import { ConfigError, resolveConfig, type EnvironmentConfig } from '../config';
import { ADMISSION_POLICY_IDS } from '../config/admission';
import { AdmissionEvaluator, PolicyCompileError } from './evaluator';
import { ExtensionRegistry, loadOrgExtension, OrgExtensionError, orgDirBeside } from '../extensions';
import { checkObjects, type CheckResult } from './check';
import {
  DEFAULT_MAX_BYTES,
  MAX_MAX_BYTES,
  formatBytes,
  loadManifests,
  type InputError,
  type LoadedInputs,
  type SkippedEntry,
} from './manifests';
import { DEFAULT_USER, impersonatedUser } from './request';
import { SARIF_RESULT_LIMIT, renderSarif, sarifErrorLog, sarifRules } from './sarif';
import { oneLine, printable } from './yaml';
import type { KubeObject, UserInfo } from './types';

export type { CheckResult, CheckViolation } from './check';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Where `cdk.json` is looked for first. @default process.cwd() */
  readonly cwd?: string;
  /** What `-` reads. @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
}

export interface CheckReport {
  readonly environment: string;
  readonly results: readonly CheckResult[];
  readonly summary: { readonly objects: number; readonly denied: number; readonly violations: number };
  /** Entries of checked directories that were not read (not regular files), with the reason. */
  readonly skipped: readonly SkippedEntry[];
}

/** What `--format json` prints when the run checked nothing (exit 2). */
export interface CheckErrorDocument {
  readonly error: {
    /** `usage` (flags), `config` (cdk.json), `input` (unreadable or invalid manifests), `empty`, `internal`. */
    readonly code: 'usage' | 'config' | 'input' | 'empty' | 'internal';
    /** The same line stderr starts with. */
    readonly message: string;
    /** Every problem with the inputs, each with file and line (line 0: the whole input). */
    readonly problems?: readonly InputError[];
    readonly skipped?: readonly SkippedEntry[];
  };
}

type Format = 'text' | 'json' | 'sarif';

const USAGE =
  'usage: hardened-eks check [flags] <files, directories, or - for stdin>...  (--help lists the flags)';

const HELP = `usage: hardened-eks check [flags] <files, directories, or - for stdin>...

Evaluates Kubernetes manifests against an environment's admission policies and Pod Security, offline,
reading them as kubectl does (YAML 1.1, merge keys, lists). Exit 0 clean, 1 violations, 2 unreadable or
invalid input, nothing to check, or bad flags.

  --env <name>              environment of the config (needed when it defines several)
  --config <cdk.json>       config file (default: ./cdk.json)
  -n, --namespace <ns>      namespace of objects that name none (default: default)
  --level <level>           Pod Security level of every namespace: baseline, restricted or privileged
                            (default: from a Namespace in the input, the config's exceptions, restricted)
  --version <v1.NN|latest>  Pod Security version of namespaces that name none (default: the cluster's)
  --only <policy>[,...]     evaluate only these policies (${ADMISSION_POLICY_IDS.join(', ')})
  --as <user>               the user admission sees (request.userInfo.username), as kubectl --as
                            (default: ${DEFAULT_USER.username}, a plain user in ${DEFAULT_USER.groups.join(', ')})
  --as-group <group>        a group of that user, as kubectl --as-group; repeat for several; needs --as
  --format text|json|sarif  output (default: text); sarif is SARIF 2.1.0 for code scanning
  --max-bytes <n>           most bytes read, all inputs together (default: ${formatBytes(DEFAULT_MAX_BYTES).replace(' ', '')};
                            KiB, MiB, GiB suffixes; at most ${formatBytes(MAX_MAX_BYTES).replace(' ', '')})
  --allow-empty             exit 0 when an input holds no Kubernetes objects (default: exit 2)
  -h, --help                this help
`;

interface Flags {
  env?: string;
  namespace: string;
  level?: string;
  version?: string;
  only: string[];
  format: Format;
  config?: string;
  as?: string;
  asGroups: string[];
  maxBytes: number;
  allowEmpty: boolean;
  help: boolean;
  paths: string[];
}

/** A way out with exit code 2: one line for people, a code and details for machines. */
class Refusal extends Error {
  constructor(
    public readonly code: CheckErrorDocument['error']['code'],
    message: string,
    public readonly details: {
      /** What stderr shows instead of `hardened-eks check: <message>`. */
      readonly stderr?: readonly string[];
      readonly problems?: readonly InputError[];
      readonly skipped?: readonly SkippedEntry[];
    } = {},
  ) {
    super(message);
  }
}

const usage = (message: string) =>
  new Refusal('usage', message, { stderr: [`hardened-eks check: ${message}`, USAGE] });

/** `--max-bytes`: bytes, or a number with a KiB/MiB/GiB (or K/M/G, Ki/Mi/Gi) suffix. */
function parseBytes(value: string): number {
  const m = /^(\d+)\s*(k|ki|kib|m|mi|mib|g|gi|gib)?$/i.exec(value.trim());
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as const;
  const n = m ? Number(m[1]) * (m[2] ? unit[m[2][0].toLowerCase() as 'k' | 'm' | 'g'] : 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_MAX_BYTES)
    throw usage(
      `--max-bytes must be a size from 1 byte to ${formatBytes(MAX_MAX_BYTES)}, e.g. 128MiB (got "${oneLine(value, 40)}")`,
    );
  return n;
}

/** The `--format` asked for, read before anything else can fail (so a usage error is JSON when it should be). */
function requestedFormat(argv: readonly string[]): Format {
  let format: Format = 'text';
  for (let i = 0; i < argv.length; i++) {
    const v =
      argv[i] === '--format' ? argv[i + 1] : argv[i].startsWith('--format=') ? argv[i].slice(9) : undefined;
    if (v === 'json' || v === 'sarif' || v === 'text') format = v;
  }
  return format;
}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = {
    namespace: 'default',
    only: [],
    format: 'text',
    asGroups: [],
    maxBytes: DEFAULT_MAX_BYTES,
    allowEmpty: false,
    help: false,
    paths: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw usage(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--env':
        flags.env = value();
        break;
      case '--namespace':
      case '-n':
        flags.namespace = value();
        break;
      case '--level':
        flags.level = value();
        if (!['baseline', 'restricted', 'privileged'].includes(flags.level))
          throw usage(
            `--level must be baseline, restricted or privileged (got "${oneLine(flags.level, 40)}")`,
          );
        break;
      case '--version':
        flags.version = value();
        if (!/^(v1\.\d+|latest)$/.test(flags.version))
          throw usage(`--version must look like v1.34 or be latest (got "${oneLine(flags.version, 40)}")`);
        break;
      case '--only':
        for (const p of value().split(',')) if (p) flags.only.push(p);
        break;
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif')
          throw usage(`--format must be text, json or sarif (got "${oneLine(f, 40)}")`);
        flags.format = f;
        break;
      }
      case '--config':
        flags.config = value();
        break;
      case '--as':
        flags.as = value();
        if (flags.as.trim() === '') throw usage('--as needs a user name (e.g. --as jane@example.com)');
        break;
      case '--as-group': {
        const g = value();
        if (g.trim() === '')
          throw usage('--as-group needs a group name (e.g. --as-group platform:deployers)');
        flags.asGroups.push(g);
        break;
      }
      case '--max-bytes':
        flags.maxBytes = parseBytes(value());
        break;
      case '--allow-empty':
        flags.allowEmpty = true;
        break;
      case '--help':
      case '-h':
        flags.help = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw usage(`unknown flag ${oneLine(a, 60)}`);
        flags.paths.push(a);
    }
  }
  if (flags.help) return flags;
  if (flags.asGroups.length > 0 && flags.as === undefined)
    throw usage(
      '--as-group needs --as <user>: as with kubectl, groups are impersonated together with a user',
    );
  if (flags.paths.length === 0) throw usage('name at least one file or directory to check (- reads stdin)');
  if (flags.paths.filter((p) => p === '-').length > 1) throw usage('- (stdin) can be named only once');
  return flags;
}

/** The environment to check against (`--env`, else the only one configured) and its config file. */
function environment(
  flags: Flags,
  cwd: string,
): { env: EnvironmentConfig; file: string; names: readonly string[] } {
  const candidates = flags.config
    ? [path.resolve(cwd, flags.config)]
    : [path.join(cwd, 'cdk.json'), path.join(__dirname, '..', '..', 'cdk.json')];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) throw usage(`no cdk.json found (looked at ${candidates.join(', ')}); pass --config <path>`);
  let blueprint: unknown;
  try {
    blueprint = (JSON.parse(fs.readFileSync(file, 'utf-8')) as { context?: { blueprint?: unknown } }).context
      ?.blueprint;
  } catch (e) {
    throw new Refusal('config', `${file} is not valid JSON: ${oneLine((e as Error).message)}`);
  }
  let config;
  try {
    config = resolveConfig(blueprint, flags.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new Refusal('config', oneLine(e.message, 500));
    throw e;
  }
  if (config.environments.length !== 1)
    throw usage(`--env is required: ${file} defines ${config.environments.map((e) => e.name).join(', ')}`);
  return { env: config.environments[0], file, names: config.deployOrder };
}

/**
 * The policies the environment's cluster runs: the blueprint's and those of the fork's `org/policies`
 * beside the config file, through the same registry synthesis uses (it compiles each set once).
 */
function policiesFor(found: { env: EnvironmentConfig; file: string; names: readonly string[] }): {
  evaluator: AdmissionEvaluator;
  manifests: KubeObject[];
} {
  try {
    const org = loadOrgExtension(orgDirBeside(found.file), { environments: found.names, hooks: false });
    const registry = ExtensionRegistry.with(org);
    return {
      evaluator: registry.evaluator(found.env),
      manifests: registry.admissionPolicies(found.env).map((p) => p.object),
    };
  } catch (e) {
    if (e instanceof OrgExtensionError) throw new Refusal('config', oneLine(e.message, 500));
    if (e instanceof PolicyCompileError)
      throw new Refusal('config', `the environment's policies do not compile: ${oneLine(e.message, 300)}`);
    throw e;
  }
}

let toolVersion: string | undefined;
/** The package version for SARIF's tool.driver.version; never fails (it is also used on the error path). */
function version(): string {
  if (toolVersion === undefined) {
    try {
      const pkg = path.join(__dirname, '..', '..', 'package.json');
      toolVersion = String(
        (JSON.parse(fs.readFileSync(pkg, 'utf-8')) as { version?: unknown }).version ?? '0.0.0',
      );
    } catch {
      toolVersion = '0.0.0';
    }
  }
  return toolVersion;
}

/** stderr stays short: the first few lines, then how many more there are. */
const MAX_STDERR_LINES = 5;
function capped(lines: readonly string[], more: string): string[] {
  if (lines.length <= MAX_STDERR_LINES) return [...lines];
  return [
    ...lines.slice(0, MAX_STDERR_LINES - 1),
    `... and ${lines.length - MAX_STDERR_LINES + 1} more ${more}`,
  ];
}

function skippedLine(skipped: readonly SkippedEntry[]): string {
  const shown = skipped.slice(0, 3).map((s) => `${s.file} (${s.reason})`);
  const more = skipped.length > 3 ? `, and ${skipped.length - 3} more` : '';
  return `hardened-eks check: skipped ${skipped.length} input${skipped.length === 1 ? '' : 's'} that ${skipped.length === 1 ? 'is' : 'are'} not Kubernetes objects: ${shown.join(', ')}${more}`;
}

function refuse(io: CliIo, format: Format, r: Refusal): number {
  io.stderr(`${(r.details.stderr ?? [`hardened-eks check: ${r.message}`]).map(printable).join('\n')}\n`);
  const doc: CheckErrorDocument = {
    error: {
      code: r.code,
      message: r.message,
      ...(r.details.problems ? { problems: r.details.problems } : {}),
      ...(r.details.skipped && r.details.skipped.length > 0 ? { skipped: r.details.skipped } : {}),
    },
  };
  if (format === 'json') io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  if (format === 'sarif') io.stdout(`${JSON.stringify(sarifErrorLog(r.message, version()), null, 2)}\n`);
  return 2;
}

/** Runs `check`; never throws, returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const format = requestedFormat(argv);
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof Refusal) return refuse(io, format, e);
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return refuse(io, format, new Refusal('internal', `internal error: ${oneLine(message)}`));
  }
}

/** The user the requests carry: `--as`/`--as-group` as the API server's impersonation makes it, else the default. */
function userOf(flags: Flags): UserInfo {
  return flags.as === undefined ? DEFAULT_USER : impersonatedUser(flags.as, flags.asGroups);
}

function nothingToCheck(loaded: LoadedInputs, rel: (f: string) => string): string[] {
  return loaded.inputs
    .filter((i) => i.objects === 0)
    .map((i) => {
      const name = i.input === '<stdin>' ? i.input : rel(i.input);
      const why =
        i.input === '<stdin>'
          ? 'standard input holds no Kubernetes objects (did the command before | fail?)'
          : !isDirectory(i.input)
            ? 'no Kubernetes objects in it (empty, or only comments and ---)'
            : i.files === 0
              ? 'no .yaml, .yml or .json files in it'
              : `its ${i.files} manifest file${i.files === 1 ? '' : 's'} hold${i.files === 1 ? 's' : ''} no Kubernetes objects`;
      return `${name}: nothing to check: ${why}`;
    });
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const flags = parseFlags(argv);
  if (flags.help) {
    io.stdout(HELP);
    return 0;
  }
  const found = environment(flags, cwd);
  const env = found.env;
  const { evaluator: all, manifests } = policiesFor(found);
  const ids = all.policyNames.map((p) => p.labels[POLICY_ID_LABEL] ?? p.name);
  const unknown = flags.only.filter((p) => !ids.includes(p));
  if (unknown.length > 0)
    throw usage(`--only: unknown policy ${unknown.join(', ')}; use one of ${[...new Set(ids)].join(', ')}`);
  const keep = (id: string) => flags.only.length === 0 || flags.only.includes(id);
  const evaluator =
    flags.only.length > 0 ? all.filter((p) => keep(p.labels[POLICY_ID_LABEL] ?? p.name)) : all;

  // Paths below the working directory print relative to it, others as they are (/dev/zero, not ../../dev/zero).
  const rel = (f: string) => {
    if (!path.isAbsolute(f)) return f;
    const r = path.relative(cwd, f);
    return r === '' || r.startsWith('..') || path.isAbsolute(r) ? f : r;
  };
  const loaded = await loadManifests(
    flags.paths.map((p) => (p === '-' ? p : path.resolve(cwd, p))),
    { maxBytes: flags.maxBytes, ...(io.stdin ? { stdin: io.stdin } : {}) },
  );
  const skipped = loaded.skipped.map((s) => ({ ...s, file: rel(s.file) }));
  if (skipped.length > 0) io.stderr(`${printable(skippedLine(skipped))}\n`);
  if (loaded.errors.length > 0) {
    const problems = loaded.errors.map((e) => ({ ...e, file: rel(e.file) }));
    const lines = problems.map((e) => `${e.file}:${e.line}:${e.column}: error: ${e.message}`);
    const first = lines[0];
    throw new Refusal(
      'input',
      problems.length === 1 ? first : `${problems.length} problems with the input; the first: ${first}`,
      { stderr: capped(lines, 'problems (--format json lists all)'), problems, skipped },
    );
  }
  const empty = flags.allowEmpty ? [] : nothingToCheck(loaded, rel);
  if (empty.length > 0) {
    const message = `${empty[0]}; pass --allow-empty if that is expected`;
    throw new Refusal('empty', message, {
      stderr: capped([message, ...empty.slice(1)], 'inputs with nothing to check').map(
        (l) => `hardened-eks check: ${l}`,
      ),
      skipped,
    });
  }

  const results = checkObjects(evaluator, loaded.objects, {
    namespace: flags.namespace,
    level: flags.level,
    version: flags.version ?? `v${env.kubernetesVersion}`,
    podSecurityExceptions: env.admission.podSecurityExceptions,
    userInfo: userOf(flags),
    knownNamespaces: baselineNamespaces(env),
  }).map((r) => ({ ...r, file: rel(r.file) }));
  let violations = 0;
  let denied = 0;
  for (const r of results) {
    violations += r.violations.length;
    if (!r.allowed) denied++;
  }
  const report: CheckReport = {
    environment: env.name,
    results,
    summary: { objects: results.length, denied, violations },
    skipped,
  };
  if (flags.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.format === 'sarif') {
    const rules = sarifRules(manifests).filter((r) => keep(r.id));
    const out = renderSarif({
      environment: env.name,
      results,
      rules,
      toolVersion: version(),
      notes: skipped.length > 0 ? [skippedLine(skipped)] : [],
    });
    io.stdout(`${JSON.stringify(out.log, null, 2)}\n`);
    if (out.truncated)
      io.stderr(
        `hardened-eks check: the SARIF log holds ${out.truncated.kept} of ${out.truncated.total} results (code scanning keeps at most ${SARIF_RESULT_LIMIT} per run; errors come first); --format json lists all\n`,
      );
  } else io.stdout(renderText(report));
  return denied > 0 ? 1 : 0;
}

function objectName(r: CheckResult): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

export function renderText(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    for (const v of r.violations)
      lines.push(`${r.file}:${r.line}: ${objectName(r)}: [${v.policy}] ${v.message}`);
    for (const v of r.warnings)
      lines.push(`${r.file}:${r.line}: ${objectName(r)}: warning: [${v.policy}] ${v.message}`);
  }
  const s = report.summary;
  lines.push(
    `${s.objects} object${s.objects === 1 ? '' : 's'} checked against environment ${report.environment}: ${s.denied} denied, ${s.violations} violation${s.violations === 1 ? '' : 's'}`,
  );
  // Names and messages come from the input: a terminal must show them, not obey them.
  return `${lines.map(printable).join('\n')}\n`;
}
