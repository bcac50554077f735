/**
 * `npm run snapshot [-- --update] [--env <name>]`: the fork's own snapshots in org/snapshots/<env>/ (see
 * lib/snapshots.ts). Without --update it writes the environments that have no snapshot yet and reports
 * how the others drifted (exit 1 on drift); --update rewrites them, accepting the change.
 */
import * as path from 'path';
import { ConfigError } from '../lib/config';
import { OrgExtensionError } from '../lib/extensions';
import {
  configuredEnvironments,
  diffSnapshot,
  readSnapshot,
  SNAPSHOT_DIR,
  synthesizeSnapshot,
  writeSnapshot,
} from '../lib/snapshots';

const USAGE = 'usage: npm run snapshot [-- --update] [--env <name>]';

function main(argv: readonly string[]): number {
  let update = false;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--update' || argv[i] === '-u') update = true;
    else if (argv[i] === '--env' && argv[i + 1]) only = argv[++i];
    else {
      process.stderr.write(`snapshot: unknown argument ${argv[i]}\n${USAGE}\n`);
      return 2;
    }
  }
  const root = process.cwd();
  const source = { cdkJson: path.join(root, 'cdk.json'), orgDir: path.join(root, 'org') };
  const environments = configuredEnvironments(source);
  if (only !== undefined && !environments.includes(only)) {
    process.stderr.write(
      `snapshot: --env ${only} is not an environment in cdk.json; use one of: ${environments.join(', ')}\n`,
    );
    return 2;
  }
  let drifted = 0;
  for (const env of only ? [only] : environments) {
    const dir = path.join(source.orgDir, SNAPSHOT_DIR, env);
    const shown = path.relative(root, dir);
    const actual = synthesizeSnapshot(source, env);
    const expected = readSnapshot(dir);
    const diff = diffSnapshot(expected, actual);
    if (Object.keys(expected).length === 0 || (update && diff.length > 0)) {
      writeSnapshot(dir, actual);
      console.log(
        `${shown}: ${Object.keys(expected).length === 0 ? 'written' : 'updated'} (${Object.keys(actual).length} files)`,
      );
    } else if (diff.length === 0) console.log(`${shown}: matches synthesis`);
    else {
      drifted++;
      console.log(`${shown}: synthesis differs from the snapshot:\n${diff.join('\n')}`);
    }
  }
  if (drifted > 0) console.log('Accept the change with: npm run snapshot -- --update');
  return drifted > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (!ConfigError.isConfigError(e) && !OrgExtensionError.isOrgExtensionError(e)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}
