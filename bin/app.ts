#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildBlueprint } from '../lib/app';
import { ConfigError, loadConfig } from '../lib/config';

const app = new App();
try {
  const config = loadConfig(app.node);
  buildBlueprint(app, config);
} catch (err) {
  if (ConfigError.isConfigError(err)) {
    // People-facing: one line per issue, no stack trace, and nothing synthesized.
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
app.synth();
