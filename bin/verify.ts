#!/usr/bin/env node
import { main } from '../lib/verify/cli';

// `npm run verify -- --env <name>`: the same command as `hardened-eks verify`.
void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
