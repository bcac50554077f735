/** `npm run report -- --env <name>`: the `hardened-eks report` command (see lib/compliance/evidence/cli.ts). */
import { main } from '../lib/compliance/evidence/cli';

void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
