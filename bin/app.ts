#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import * as fs from 'fs';
import { buildBlueprint } from '../lib/app';
import { ConfigError, loadConfig } from '../lib/config';

// `new App()` creates the output directory at once; a config error must leave nothing behind.
const outdir = process.env.CDK_OUTDIR;
const outdirExisted = outdir === undefined || fs.existsSync(outdir);

const app = new App();
try {
  buildBlueprint(app, loadConfig(app.node));
} catch (err) {
  if (ConfigError.isConfigError(err)) {
    // People-facing: one line per issue, no stack trace, and nothing synthesized.
    process.stderr.write(`${err.message}\n`);
    if (!outdirExisted && outdir) fs.rmSync(outdir, { recursive: true, force: true });
    process.exit(1);
  }
  throw err;
}
app.synth();
