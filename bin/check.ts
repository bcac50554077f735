/** `npm run check -- <files>`: the `hardened-eks check` command (see lib/admission/cli.ts). */
import { main } from '../lib/admission/cli';
import { oneLine } from '../lib/admission/yaml';

main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then(
  (code) => {
    process.exitCode = code;
  },
  // main() reports every failure itself; this only guards against a bug in that reporting.
  (e: unknown) => {
    process.stderr.write(
      `hardened-eks check: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`,
    );
    process.exitCode = 2;
  },
);
