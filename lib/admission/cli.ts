/**
 * `hardened-eks check`: evaluates Kubernetes manifests against an environment's admission policies and the
 * target namespace's Pod Security level, offline, before anything is applied. Exit codes: 0 clean,
 * 1 violations, 2 unreadable or invalid input (or bad flags).
 */
import * as fs from 'fs';
import * as path from 'path';
import { POLICY_ID_LABEL } from '../../policies';
import { ConfigError, resolveConfig, type EnvironmentConfig } from '../config';
import { ExtensionRegistry, loadOrgExtension, OrgExtensionError, orgDirBeside } from '../extensions';
import { checkObjects, type CheckResult } from './check';
import { loadManifests, type InputError } from './manifests';

export type { CheckResult, CheckViolation } from './check';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Where `cdk.json` is looked for first. @default process.cwd() */
  readonly cwd?: string;
}

export interface CheckReport {
  readonly environment: string;
  readonly results: readonly CheckResult[];
  readonly summary: { readonly objects: number; readonly denied: number; readonly violations: number };
}

const USAGE = `usage: hardened-eks check [--env <name>] [--namespace <ns>] [--level baseline|restricted|privileged]
                          [--version v1.NN] [--only <policy>[,<policy>]] [--format text|json]
                          [--config <cdk.json>] <files, dirs or - for stdin>...`;

interface Flags {
  env?: string;
  namespace: string;
  level?: string;
  version?: string;
  only: string[];
  format: 'text' | 'json';
  config?: string;
  paths: string[];
}

class UsageError extends Error {}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { namespace: 'default', only: [], format: 'text', paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`${name} needs a value`);
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
          throw new UsageError(`--level must be baseline, restricted or privileged (got "${flags.level}")`);
        break;
      case '--version':
        flags.version = value();
        if (!/^(v1\.\d+|latest)$/.test(flags.version))
          throw new UsageError(`--version must look like v1.34 or be latest (got "${flags.version}")`);
        break;
      case '--only':
        flags.only.push(...value().split(',').filter(Boolean));
        break;
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json (got "${f}")`);
        flags.format = f;
        break;
      }
      case '--config':
        flags.config = value();
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown flag ${a}`);
        flags.paths.push(a);
    }
  }
  if (flags.paths.length === 0) throw new UsageError('name at least one file or directory to check');
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
  if (!file)
    throw new UsageError(`no cdk.json found (looked at ${candidates.join(', ')}); pass --config <path>`);
  let blueprint: unknown;
  try {
    blueprint = (JSON.parse(fs.readFileSync(file, 'utf-8')) as { context?: { blueprint?: unknown } }).context
      ?.blueprint;
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const config = resolveConfig(blueprint, flags.env);
  if (config.environments.length !== 1)
    throw new UsageError(
      `--env is required: ${file} defines ${config.environments.map((e) => e.name).join(', ')}`,
    );
  return { env: config.environments[0], file, names: config.deployOrder };
}

/** Runs `check`; never throws for bad input, returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  let flags: Flags;
  let env: EnvironmentConfig;
  let evaluator;
  try {
    flags = parseFlags(argv);
    const found = environment(flags, cwd);
    env = found.env;
    // The same policies the cluster runs: the blueprint's and those of the fork's org/ beside cdk.json.
    const org = loadOrgExtension(orgDirBeside(found.file), { environments: found.names, hooks: false });
    evaluator = ExtensionRegistry.with(org).evaluator(env);
    const ids = evaluator.policyNames.map((p) => p.labels[POLICY_ID_LABEL] ?? p.name);
    const unknown = flags.only.filter((p) => !ids.includes(p));
    if (unknown.length > 0)
      throw new UsageError(
        `--only: unknown policy ${unknown.join(', ')}; use one of ${[...new Set(ids)].join(', ')}`,
      );
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message ? `hardened-eks check: ${e.message}\n` : ''}${USAGE}\n`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof OrgExtensionError) {
      io.stderr(`hardened-eks check: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  if (flags.only.length > 0)
    evaluator = evaluator.filter((p) => flags.only.includes(p.labels[POLICY_ID_LABEL] ?? p.name));

  const loaded = loadManifests(flags.paths.map((p) => (p === '-' ? p : path.resolve(cwd, p))));
  const rel = (f: string) => (path.isAbsolute(f) ? path.relative(cwd, f) || f : f);
  if (loaded.errors.length > 0) {
    reportErrors(loaded.errors, flags, io, rel);
    return 2;
  }

  const results = checkObjects(evaluator, loaded.objects, {
    namespace: flags.namespace,
    level: flags.level,
    version: flags.version ?? `v${env.kubernetesVersion}`,
    podSecurityExceptions: env.admission.podSecurityExceptions,
  }).map((r) => ({ ...r, file: rel(r.file) }));
  const report: CheckReport = {
    environment: env.name,
    results,
    summary: {
      objects: results.length,
      denied: results.filter((r) => !r.allowed).length,
      violations: results.reduce((n, r) => n + r.violations.length, 0),
    },
  };
  if (flags.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderText(report));
  return report.summary.denied > 0 ? 1 : 0;
}

function reportErrors(
  errors: readonly InputError[],
  flags: Flags,
  io: CliIo,
  rel: (f: string) => string,
): void {
  const shown = errors.map((e) => ({ ...e, file: rel(e.file) }));
  for (const e of shown) io.stderr(`${e.file}:${e.line}:${e.column}: error: ${e.message}\n`);
  if (flags.format === 'json') io.stdout(`${JSON.stringify({ errors: shown, results: [] }, null, 2)}\n`);
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
  return `${lines.join('\n')}\n`;
}
