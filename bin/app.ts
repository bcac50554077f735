#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import * as fs from 'fs';
import { buildBlueprint, type EnvironmentStacks } from '../lib/app';
import { ConfigError, loadConfig } from '../lib/config';
import { ExtensionRegistry, loadOrgExtension, OrgExtensionError, orgDirBeside } from '../lib/extensions';
import { writeManifests } from '../lib/manifests';

// `new App()` creates the output directory at once; a config error must leave nothing behind.
const outdir = process.env.CDK_OUTDIR;
const outdirExisted = outdir === undefined || fs.existsSync(outdir);

const app = new App();
let built: EnvironmentStacks[];
try {
  const config = loadConfig(app.node);
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
writeManifests(built, process.env.BLUEPRINT_MANIFEST_DIR);
