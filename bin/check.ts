/** `npm run check -- <files>`: the `hardened-eks check` command (see lib/admission/cli.ts). */
import { main } from '../lib/admission/cli';

main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `hardened-eks check: internal error: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exitCode = 2;
  },
);
