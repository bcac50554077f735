import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, resolveConfig, CONFIG_CONTEXT_KEY } from '../../config';
import { buildEvidenceReport } from './build';
import { collectEvidence } from './collect';
import {
  EvidenceInputError,
  parseKubeBenchJson,
  parseVerifyJson,
  type KubeBenchInput,
  type VerifyInput,
} from './inputs';
import { renderReportHtml } from './render/html';
import { CONTROLS, deviations } from './sources';

/** Where the CLI writes and reads; injected so tests run it in-process. */
export interface ReportIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  /** Directory `cdk.json`, the input files and `--out` are resolved against. */
  readonly cwd?: string;
  /** The report's `generatedAt`; default: SOURCE_DATE_EPOCH if set, else now. */
  readonly now?: () => Date;
}

export const USAGE = `Usage: hardened-eks report --env <name> [--verify <verify.json>] [--kube-bench <results.json>] [--out <dir>] [--config <cdk.json>]

Writes <out>/<env>/index.html and <out>/<env>/report.json: every control of the catalogue with its status,
the CIS Amazon EKS Benchmark 1.8, NSA/CISA and Threat Matrix coverage, deviations, cdk-nag
acknowledgements, admission policies, alarms and queries. Offline: it synthesizes the environment
in-process; live evidence comes only from the files given.

  --env <name>              environment in cdk.json (required)
  --verify <file>           output of \`hardened-eks verify --env <name> --format json\`
  --kube-bench <file>       output of \`kube-bench --benchmark eks-1.8.0 --json\`
  --out <dir>               default dist/report
  --config <cdk.json>       default ./cdk.json

Exit codes: 0 written (failing live checks are content), 2 usage errors or an unreadable input file.`;

const FLAGS = ['--env', '--verify', '--kube-bench', '--out', '--config'] as const;
type Flag = (typeof FLAGS)[number];
type Options = Partial<Record<Flag, string>> & { help?: boolean };

const EXAMPLES: Record<Flag, string> = {
  '--env': 'prod',
  '--verify': 'verify.json',
  '--kube-bench': 'kube-bench.json',
  '--out': 'dist/report',
  '--config': './cdk.json',
};

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = {};
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === '-h' || arg === '--help') {
      opts.help = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (!(FLAGS as readonly string[]).includes(flag)) {
      throw new EvidenceInputError(
        arg.startsWith('-')
          ? `unknown option ${flag}; the options are ${FLAGS.join(', ')} (see --help)`
          : `unexpected argument "${arg}"; pass the environment as --env ${arg}`,
      );
    }
    const value = inline ?? argv[++k];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      throw new EvidenceInputError(`${flag} needs a value, e.g. ${flag} ${EXAMPLES[flag as Flag]}`);
    }
    if (opts[flag as Flag] !== undefined) {
      throw new EvidenceInputError(`${flag} is given twice; pass it once`);
    }
    opts[flag as Flag] = value;
  }
  return opts;
}

function readText(file: string, flag: string, fix: string): string {
  try {
    return fs.readFileSync(file, 'utf-8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new EvidenceInputError(`${flag} ${file} cannot be read (${code}); ${fix}`);
  }
}

function generatedAt(io: ReportIo): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const date = io.now?.() ?? (epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date());
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function blueprintPackage(): { name: string; version: string } {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf-8'),
  ) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
}

/** `hardened-eks report`: returns the exit code; people's mistakes are one line on stderr, never a trace. */
export async function main(argv: readonly string[], io: ReportIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`report: ${message}\n`);
    return 2;
  };
  try {
    const opts = parseArgs(argv);
    if (opts.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const cwd = io.cwd ?? process.cwd();
    const resolve = (p: string) => path.resolve(cwd, p);
    const configFile = resolve(opts['--config'] ?? 'cdk.json');
    const configText = readText(
      configFile,
      '--config',
      'run from the project directory or pass --config <path to cdk.json>',
    );
    let context: Record<string, unknown>;
    try {
      context = (JSON.parse(configText) as { context?: Record<string, unknown> }).context ?? {};
    } catch {
      return fail(`--config ${configFile} is not valid JSON; fix it or pass --config <path to cdk.json>`);
    }
    const names = resolveConfig(context[CONFIG_CONTEXT_KEY]).environments.map((e) => e.name);
    const env = opts['--env'];
    if (env === undefined) return fail(`--env is required; use one of: ${names.join(', ')}`);
    if (!names.includes(env)) {
      return fail(`--env ${env} is not an environment in ${configFile}; use one of: ${names.join(', ')}`);
    }

    let verify: VerifyInput | undefined;
    if (opts['--verify'] !== undefined) {
      const file = resolve(opts['--verify']);
      const text = readText(
        file,
        '--verify',
        `pass the output of \`hardened-eks verify --env ${env} --format json\``,
      );
      verify = parseVerifyJson(text, file, env, new Set(CONTROLS.map((c) => c.id)));
    }
    let kubeBench: KubeBenchInput | undefined;
    if (opts['--kube-bench'] !== undefined) {
      const file = resolve(opts['--kube-bench']);
      kubeBench = parseKubeBenchJson(
        readText(file, '--kube-bench', 'pass the output of `kube-bench --benchmark eks-1.8.0 --json`'),
        file,
      );
    }

    const collected = collectEvidence(context, env);
    const report = buildEvidenceReport({
      environment: collected.environment,
      generatedAt: generatedAt(io),
      blueprint: blueprintPackage(),
      controls: CONTROLS,
      deviations: deviations(collected.config),
      acknowledgements: collected.acknowledgements,
      admissionPolicies: collected.admissionPolicies,
      alarms: collected.alarms,
      queries: collected.queries,
      synth: collected.synth,
      ...(verify ? { verify } : {}),
      ...(kubeBench ? { kubeBench } : {}),
    });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    const page = renderReportHtml(report);

    const dir = path.join(resolve(opts['--out'] ?? path.join('dist', 'report')), env);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'report.json'), json);
      fs.writeFileSync(path.join(dir, 'index.html'), page);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      return fail(`--out ${dir} cannot be written (${code}); pass --out <a writable directory>`);
    }
    const s = report.summary;
    io.stdout.write(
      `report: wrote ${path.relative(cwd, dir) || '.'}/index.html and report.json: ` +
        `${s.controls.total} controls (${s.controls.enforced + s.controls['passed-live']} in force, ` +
        `${s.controls.deviation} deviation, ${s.controls['failed-live']} failed live, ` +
        `${s.controls['not-applicable']} not applicable); CIS ${s.cis.total - s.cis.manual - s.cis['not-met']} of ${s.cis.total} met, ${s.cis['not-met']} not met\n`,
    );
    return 0;
  } catch (err) {
    if (EvidenceInputError.isEvidenceInputError(err)) return fail(err.message);
    if (ConfigError.isConfigError(err)) return fail(err.message.split('\n').join('\nreport: '));
    const e = err as Error;
    return fail(`${e.name ?? 'Error'}: ${(e.message ?? String(err)).split('\n')[0]}`);
  }
}
