#!/usr/bin/env node
import { main } from '../lib/upgrade/cli';

// `npm run upgrade-plan -- --env <name>`: the same command as `hardened-eks upgrade-plan`.
void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
