import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, resolveConfig } from '../config';
import { createClients, type ClientOptions } from './clients';
import { VerifyError } from './errors';
import { expectedClusterOf } from './expected';
import { exitCodeOf, renderJson, renderText } from './report';
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

export const USAGE = `Usage: hardened-eks verify --env <name> [--format text|json] [--region <region>] [--profile <profile>] [--config <cdk.json>]

Checks the deployed cluster of one environment against the blueprint, live, through the AWS APIs and SSM.
Exit codes: 0 every check passes, 1 drift (a check fails), 2 usage, credential or permission errors.`;

interface Options {
  env?: string;
  format: 'text' | 'json';
  region?: string;
  profile?: string;
  config?: string;
  help: boolean;
}

const VALUE_FLAGS = ['--env', '--format', '--region', '--profile', '--config'] as const;

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { format: 'text', help: false };
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
    if (flag === '--format') {
      if (value !== 'text' && value !== 'json') {
        throw new VerifyError(`--format must be text or json (got "${value}")`);
      }
      opts.format = value;
    } else {
      opts[flag.slice(2) as 'env' | 'region' | 'profile' | 'config'] = value;
    }
  }
  return opts;
}

const EXAMPLES: Record<string, string> = {
  '--env': 'prod',
  '--format': 'json',
  '--region': 'eu-west-1',
  '--profile': 'auditor',
  '--config': './cdk.json',
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

/** `hardened-eks verify`: returns the exit code; never throws for people's mistakes. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`verify: ${message}\n`);
    return 2;
  };
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (opts.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const configFile = path.resolve(io.cwd ?? process.cwd(), opts.config ?? 'cdk.json');
  const progress = progressSink(io.stderr);
  try {
    const raw = readBlueprintContext(configFile);
    const names = resolveConfig(raw).environments.map((e) => e.name);
    if (opts.env === undefined) return fail(`--env is required; use one of: ${names.join(', ')}`);
    if (!names.includes(opts.env)) {
      return fail(
        `--env ${opts.env} is not an environment in ${configFile}; use one of: ${names.join(', ')}`,
      );
    }
    const env = resolveConfig(raw, opts.env).environments[0];
    const expected = expectedClusterOf(env);
    const region = opts.region ?? env.region;
    const clients = (io.createClients ?? createClients)({
      region,
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    });
    const report = await verifyCluster(clients, { ...expected, region }, progress.step);
    progress.done();
    io.stdout.write(opts.format === 'json' ? renderJson(report) : renderText(report));
    return exitCodeOf(report);
  } catch (err) {
    progress.done();
    if (ConfigError.isConfigError(err)) {
      return fail(err.message.split('\n').join('\nverify: '));
    }
    if (VerifyError.isVerifyError(err)) return fail(err.message);
    const e = err as Error;
    return fail(`${e.name ?? 'Error'}: ${(e.message ?? String(err)).split('\n')[0]}`);
  }
}
