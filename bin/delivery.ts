/**
 * `npm run --silent delivery -- github-outputs [--config cdk.json]`: the deploy targets of the config, in
 * its order, for the GitHub workflows (see lib/delivery.ts). Exit 1 with one line on a config error.
 */
import * as fs from 'fs';
import { ConfigError, CONFIG_CONTEXT_KEY, resolveConfig } from '../lib/config';
import { githubOutputs } from '../lib/delivery';

const USAGE = 'usage: npm run --silent delivery -- github-outputs [--config <cdk.json>]';

function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  const valid =
    command === 'github-outputs' && (rest.length === 0 || (rest.length === 2 && rest[0] === '--config'));
  if (!valid) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const file = rest[1] ?? 'cdk.json';
  try {
    const cdkJson = JSON.parse(fs.readFileSync(file, 'utf-8')) as { context?: Record<string, unknown> };
    process.stdout.write(`${githubOutputs(resolveConfig(cdkJson.context?.[CONFIG_CONTEXT_KEY]))}\n`);
  } catch (e) {
    if (ConfigError.isConfigError(e)) process.stderr.write(`${e.message}\n`);
    else if (e instanceof Error && !(e instanceof TypeError))
      process.stderr.write(`delivery: ${file}: ${e.message}\n`);
    else throw e;
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
