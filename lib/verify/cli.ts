import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, resolveConfig } from '../config';
import { CLIENT_DEFAULTS, createClients, Deadline, type ClientOptions } from './clients';
import { VerifyError } from './errors';
import { expectedClusterOf } from './expected';
import { exitCodeOf, renderJson, renderJsonError, renderText } from './report';
import type { VerifyClients } from './types';
import { verifyCluster } from './verify';

/** Where the CLI writes; injected so tests run it in-process. */
export interface CliIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Directory `cdk.json` is read from unless --config says otherwise. */
  readonly cwd?: string;
  /** Client factory; the default uses the SDK's credential chain. */
  readonly createClients?: (options: ClientOptions) => VerifyClients;
}

export const USAGE = `Usage: hardened-eks verify --env <name> [--format text|json] [--region <region>] [--profile <profile>]
                         [--config <cdk.json>] [--connect-timeout <duration>] [--request-timeout <duration>]
                         [--deadline <duration>] [--max-attempts <n>]

Checks the deployed cluster of one environment against the blueprint, live, through the AWS APIs and SSM.
Durations are seconds, or a number with ms, s or m: 500ms, 20s, 10m.
  --connect-timeout  time to open a connection, per attempt (default 5s)
  --request-timeout  time to the answer, and the longest silence while it streams, per attempt (default 20s)
  --deadline         time for the whole run (default 10m)
  --max-attempts     attempts per call when AWS throttles (default 8; timeouts, network errors and 5xx: 3)
Exit codes: 0 every check passes, 1 drift (a check fails), 2 usage, credential, permission or endpoint
errors (one line on stderr; with --format json also a JSON error document on stdout).`;

/** Defaults of the duration flags, in milliseconds. */
export const CLI_DEFAULTS = {
  connectTimeoutMs: CLIENT_DEFAULTS.connectTimeoutMs,
  requestTimeoutMs: CLIENT_DEFAULTS.requestTimeoutMs,
  deadlineMs: 10 * 60 * 1000,
} as const;

interface Options {
  env?: string;
  format: 'text' | 'json';
  region?: string;
  profile?: string;
  config?: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  deadlineMs: number;
  maxAttempts?: number;
  help: boolean;
}

const VALUE_FLAGS = [
  '--env',
  '--format',
  '--region',
  '--profile',
  '--config',
  '--connect-timeout',
  '--request-timeout',
  '--deadline',
  '--max-attempts',
] as const;

/** Longest value the duration flags accept: a run is bounded, not open-ended. */
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
const MAX_ATTEMPTS = 20;

/** `500ms`, `20s`, `10m` or plain seconds (`1.5`) to milliseconds; undefined when it is none of those. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  return ms >= 1 && ms <= MAX_DURATION_MS ? Math.round(ms) : undefined;
}

function setValue(opts: Options, flag: (typeof VALUE_FLAGS)[number], value: string): void {
  switch (flag) {
    case '--format':
      if (value !== 'text' && value !== 'json') {
        throw new VerifyError(`--format must be text or json (got "${value}")`);
      }
      opts.format = value;
      return;
    case '--connect-timeout':
    case '--request-timeout':
    case '--deadline': {
      const ms = parseDuration(value);
      if (ms === undefined) {
        throw new VerifyError(
          `${flag} must be a duration from 1ms to 24h, like 500ms, 20s or 10m (got "${value}")`,
        );
      }
      if (flag === '--connect-timeout') opts.connectTimeoutMs = ms;
      else if (flag === '--request-timeout') opts.requestTimeoutMs = ms;
      else opts.deadlineMs = ms;
      return;
    }
    case '--max-attempts': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > MAX_ATTEMPTS) {
        throw new VerifyError(
          `--max-attempts must be a whole number from 1 to ${MAX_ATTEMPTS} (got "${value}")`,
        );
      }
      opts.maxAttempts = n;
      return;
    }
    default:
      opts[flag.slice(2) as 'env' | 'region' | 'profile' | 'config'] = value;
  }
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = {
    format: 'text',
    help: false,
    connectTimeoutMs: CLI_DEFAULTS.connectTimeoutMs,
    requestTimeoutMs: CLI_DEFAULTS.requestTimeoutMs,
    deadlineMs: CLI_DEFAULTS.deadlineMs,
  };
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === '-h' || arg === '--help') {
      opts.help = true;
      continue;
    }
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      throw new VerifyError(
        arg.startsWith('-')
          ? `Unknown option ${flag}; the options are ${VALUE_FLAGS.join(', ')} (see --help)`
          : `Unexpected argument "${arg}"; pass the environment as --env ${arg}`,
      );
    }
    const value = inline ?? argv[++k];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      throw new VerifyError(`${flag} needs a value, e.g. ${flag} ${EXAMPLES[flag]}`);
    }
    setValue(opts, flag as (typeof VALUE_FLAGS)[number], value);
  }
  return opts;
}

/** Did the command line ask for JSON? Read leniently, so that even a usage error answers in JSON. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, k) => a === '--format=json' || (a === '--format' && argv[k + 1] === 'json'));
}

const EXAMPLES: Record<string, string> = {
  '--env': 'prod',
  '--format': 'json',
  '--region': 'eu-west-1',
  '--profile': 'auditor',
  '--config': './cdk.json',
  '--connect-timeout': '5s',
  '--request-timeout': '20s',
  '--deadline': '10m',
  '--max-attempts': '8',
};

function readBlueprintContext(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch {
    throw new VerifyError(
      `Cannot read ${file}; run from the project directory or pass --config <path to cdk.json>`,
    );
  }
  try {
    return (JSON.parse(text) as { context?: Record<string, unknown> }).context?.blueprint;
  } catch {
    throw new VerifyError(`${file} is not valid JSON; fix it or pass --config <path to cdk.json>`);
  }
}

function progressSink(stderr: CliIo['stderr']): { step: (m: string) => void; done: () => void } {
  if (stderr.isTTY) {
    return {
      step: (m) => stderr.write(`\r\x1b[2Kverifying: ${m}...`),
      done: () => stderr.write('\r\x1b[2K'),
    };
  }
  let last = '';
  return {
    // Without a terminal, one line per phase; node counts only every few pages would still be noise.
    step: (m) => {
      const phase = m.split(':')[0];
      if (phase !== last) stderr.write(`verifying: ${phase}...\n`);
      last = phase;
    },
    done: () => undefined,
  };
}

/**
 * How long after the deadline the run itself gives up. The clients abort their calls at the deadline and
 * name the call; this catches what waits outside them (an SSO or credential-process look-up).
 */
const DEADLINE_GRACE_MS = 1000;

function withinDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new VerifyError(
            `Gave up: verify ran past its deadline of ${deadline.ms / 1000}s (--deadline) while resolving credentials or waiting outside an AWS API call; raise --deadline, or check the credential source (AWS_PROFILE, SSO)`,
            'deadline',
          ),
        ),
      Math.max(0, deadline.at - Date.now()) + DEADLINE_GRACE_MS,
    );
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** `hardened-eks verify`: returns the exit code; never throws for people's mistakes. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let json = wantsJson(argv);
  let target: { environment?: string; cluster?: string } = {};
  const fail = (err: VerifyError) => {
    io.stderr.write(`verify: ${err.message.split('\n').join('\nverify: ')}\n`);
    if (json) io.stdout.write(renderJsonError(err, target));
    return 2;
  };
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    return fail(err as VerifyError);
  }
  json = opts.format === 'json';
  if (opts.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const deadline = Deadline.after(opts.deadlineMs);
  const configFile = path.resolve(io.cwd ?? process.cwd(), opts.config ?? 'cdk.json');
  const progress = progressSink(io.stderr);
  let clients: VerifyClients | undefined;
  try {
    const raw = readBlueprintContext(configFile);
    const names = resolveConfig(raw).environments.map((e) => e.name);
    if (opts.env === undefined) {
      return fail(new VerifyError(`--env is required; use one of: ${names.join(', ')}`));
    }
    if (!names.includes(opts.env)) {
      return fail(
        new VerifyError(
          `--env ${opts.env} is not an environment in ${configFile}; use one of: ${names.join(', ')}`,
        ),
      );
    }
    const env = resolveConfig(raw, opts.env).environments[0];
    target = { environment: env.name, cluster: env.clusterName };
    const expected = expectedClusterOf(env);
    const region = opts.region ?? env.region;
    clients = (io.createClients ?? createClients)({
      region,
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
      connectTimeoutMs: opts.connectTimeoutMs,
      requestTimeoutMs: opts.requestTimeoutMs,
      ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
      deadline,
    });
    const report = await withinDeadline(
      verifyCluster(clients, { ...expected, region }, progress.step),
      deadline,
    );
    progress.done();
    io.stdout.write(json ? renderJson(report) : renderText(report));
    return exitCodeOf(report);
  } catch (err) {
    progress.done();
    if (ConfigError.isConfigError(err)) return fail(new VerifyError(err.message));
    if (VerifyError.isVerifyError(err)) return fail(err);
    // Not an API call's error (those are VerifyErrors): a defect, reported in one line all the same.
    const e = err as Error;
    return fail(
      new VerifyError(
        `internal error: ${e.name ?? 'Error'}: ${String(e.message ?? err).split('\n')[0]}`,
        'internal',
      ),
    );
  } finally {
    // Keep-alive sockets would hold the process open after the report.
    for (const c of Object.values(clients ?? {})) c.destroy();
  }
}
