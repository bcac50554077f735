#!/usr/bin/env node
// First: everything loaded after it is compiled once and cached on disk.
import './compile-cache';
import { App } from 'aws-cdk-lib';
import * as fs from 'fs';
import type { EnvironmentStacks } from '../lib/app';
import { ConfigError, loadConfig } from '../lib/config';
import { OrgExtensionError } from '../lib/extensions/errors';

// The blueprint's code (stacks, charts, policies, validation plugins) is loaded once the config is valid:
// a config error is reported in a third of the time.
/* eslint-disable @typescript-eslint/no-require-imports */
const blueprint = () => ({
  ...(require('../lib/app') as typeof import('../lib/app')),
  ...(require('../lib/extensions') as typeof import('../lib/extensions')),
  ...(require('../lib/manifests') as typeof import('../lib/manifests')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

// `new App()` creates the output directory at once; a config error must leave nothing behind.
const outdir = process.env.CDK_OUTDIR;
const outdirExisted = outdir === undefined || fs.existsSync(outdir);

const app = new App();
let built: EnvironmentStacks[];
try {
  const config = loadConfig(app.node);
  const { ExtensionRegistry, buildBlueprint, loadOrgExtension, orgDirBeside } = blueprint();
  // Allowed but probably unintended (e.g. a public vpcCidr): one line each, synthesis goes on.
  for (const warning of config.warnings) process.stderr.write(`${warning}\n`);
  // The fork's org/ sits beside its cdk.json, where the CDK CLI runs the app.
  const org = loadOrgExtension(orgDirBeside(process.cwd()), { environments: config.deployOrder });
  built = buildBlueprint(app, config, { extensions: ExtensionRegistry.with(org) });
} catch (err) {
  if (ConfigError.isConfigError(err) || OrgExtensionError.isOrgExtensionError(err)) {
    // People-facing: one line per issue, no stack trace, and nothing synthesized.
    process.stderr.write(`${err.message}\n`);
    if (!outdirExisted && outdir) fs.rmSync(outdir, { recursive: true, force: true });
    process.exit(1);
  }
  throw err;
}
try {
  app.synth();
} catch (err) {
  // The validation plugins (limits, cdk-nag, the control checks) have printed their report above.
  if (err instanceof Error && err.name === 'ValidationFailed') {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
// Only after a successful synthesis: the GitOps copy of the in-cluster baseline.
blueprint().writeManifests(built, process.env.BLUEPRINT_MANIFEST_DIR);
