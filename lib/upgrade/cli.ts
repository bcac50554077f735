import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, isAcceptedVersion, resolveConfig, versionRow, type EnvironmentConfig } from '../config';
import { createClients } from '../verify/clients';
import type { CliIo } from '../verify/cli';
import { UpgradePlanError } from './errors';
import { exitCodeOf, planUpgrade, type PlanTarget } from './plan';
import { readLiveCluster } from './probe';
import { renderJson, renderText } from './report';

export const USAGE = `Usage: hardened-eks upgrade-plan --env <name> [--format text|json] [--region <region>] [--profile <profile>] [--config <cdk.json>]

Reads the environment's running cluster (read-only EKS calls) and prints the ordered steps to reach the
configured kubernetesVersion, one minor at a time: control plane, managed node groups, then add-ons,
with the EKS upgrade insights that block or warn.
Exit codes: 0 nothing to do, 1 steps remain or an insight blocks, 2 usage, credential or endpoint errors.`;

type Flag = 'env' | 'format' | 'region' | 'profile' | 'config';
const FLAGS: Record<`--${Flag}`, string> = {
  '--env': 'prod',
  '--format': 'json',
  '--region': 'eu-west-1',
  '--profile': 'platform-readonly',
  '--config': './cdk.json',
};

/** Parses argv; a mistake throws one line naming the flag and the fix. */
function parseArgs(argv: readonly string[]): Partial<Record<Flag, string>> & { help?: true } {
  const out: Partial<Record<Flag, string>> & { help?: true } = {};
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift() as string;
    if (arg === '-h' || arg === '--help') {
      out.help = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(flag in FLAGS)) {
      throw new UpgradePlanError(
        flag.startsWith('-')
          ? `Unknown option ${flag}; the options are ${Object.keys(FLAGS).join(', ')} (see --help)`
          : `Unexpected argument "${arg}"; pass the environment as --env ${arg}`,
      );
    }
    const value = eq > 0 ? arg.slice(eq + 1) : rest[0]?.startsWith('--') ? undefined : rest.shift();
    if (!value)
      throw new UpgradePlanError(`${flag} needs a value, e.g. ${flag} ${FLAGS[flag as `--${Flag}`]}`);
    if (flag === '--format' && value !== 'text' && value !== 'json') {
      throw new UpgradePlanError(`--format must be text or json (got "${value}")`);
    }
    out[flag.slice(2) as Flag] = value;
  }
  return out;
}

function blueprintContextOf(file: string): unknown {
  if (!fs.existsSync(file)) {
    throw new UpgradePlanError(
      `Cannot read ${file}; run from the project directory or pass --config <path to cdk.json>`,
    );
  }
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf-8')) as { context?: { blueprint?: unknown } }).context
      ?.blueprint;
  } catch {
    throw new UpgradePlanError(`${file} is not valid JSON; fix it or pass --config <path to cdk.json>`);
  }
}

/**
 * Add-on pins per minor: the environment's own (matrix plus overrides, and Container Insights when it
 * runs) for the configured version; the version matrix's for the minors on the way.
 */
export function planTargetOf(env: EnvironmentConfig): PlanTarget {
  const insights = env.detection.containerInsights;
  return {
    environment: env.name,
    version: env.kubernetesVersion,
    addonPins: (minor) => {
      if (minor === env.kubernetesVersion) {
        return {
          ...env.addonVersions,
          ...(insights.enabled && insights.addonVersion
            ? { 'amazon-cloudwatch-observability': insights.addonVersion }
            : {}),
        };
      }
      if (!isAcceptedVersion(minor)) return {};
      const { 'amazon-cloudwatch-observability': cloudwatch, ...pins } = versionRow(minor).addons;
      return {
        ...pins,
        ...(insights.enabled && cloudwatch ? { 'amazon-cloudwatch-observability': cloudwatch } : {}),
      };
    },
  };
}

/** `hardened-eks upgrade-plan`: returns the exit code; never throws for people's mistakes. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`upgrade-plan: ${message.split('\n').join('\nupgrade-plan: ')}\n`);
    return 2;
  };
  try {
    const opts = parseArgs(argv);
    if (opts.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const configFile = path.resolve(io.cwd ?? process.cwd(), opts.config ?? 'cdk.json');
    const raw = blueprintContextOf(configFile);
    const names = resolveConfig(raw).environments.map((e) => e.name);
    if (opts.env === undefined) return fail(`--env is required; use one of: ${names.join(', ')}`);
    if (!names.includes(opts.env)) {
      return fail(
        `--env ${opts.env} is not an environment in ${configFile}; use one of: ${names.join(', ')}`,
      );
    }
    const env = resolveConfig(raw, opts.env).environments[0];
    const region = opts.region ?? env.region;
    const clients = (io.createClients ?? createClients)({
      region,
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    });
    const live = await readLiveCluster(clients.eks, env.clusterName, region, (step) =>
      io.stderr.write(`upgrade-plan: reading ${step}...\n`),
    );
    const plan = planUpgrade(live, planTargetOf(env));
    io.stdout.write(opts.format === 'json' ? renderJson(plan) : renderText(plan));
    return exitCodeOf(plan);
  } catch (err) {
    if (ConfigError.isConfigError(err) || UpgradePlanError.isUpgradePlanError(err)) return fail(err.message);
    const e = err as Error;
    return fail(`${e.name ?? 'Error'}: ${(e.message ?? String(err)).split('\n')[0]}`);
  }
}
