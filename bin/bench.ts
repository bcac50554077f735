/**
 * `npm run bench`: synthesis time of the default blueprint app next to a one-bucket CDK app, measured in
 * the same run on the same machine, reported as a ratio. Both synthesize in memory with the same settings
 * (built-in CloudFormation validation on, as `npm run synth` does); the blueprint also runs cdk-nag and
 * its own control checks, which is part of what it costs.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBlueprint } from '../lib/app';
import { resolveConfig } from '../lib/config';
import { ExtensionRegistry, loadOrgExtension } from '../lib/extensions';
import { benchAdmission } from './bench-admission';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf-8'));

function outdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-bench-'));
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// The fork's app, as `npm run synth` builds it: its cdk.json and its org/ (the one place outside tests
// that reads the root cdk.json: it measures what the fork synthesizes).
const config = resolveConfig(cdkJson.context.blueprint);
const org = loadOrgExtension(path.join(__dirname, '..', 'org'), { environments: config.deployOrder });
const blueprint = () => {
  const app = new App({ outdir: outdir() });
  buildBlueprint(app, config, { extensions: ExtensionRegistry.with(org) });
  app.synth();
};
const oneBucket = () => {
  const app = new App({ outdir: outdir() });
  const stack = new Stack(app, 'OneBucket', { env: { account: '111111111111', region: 'us-east-1' } });
  new s3.Bucket(stack, 'Bucket');
  app.synth();
};

// The built-in validation prints its warnings on every synth; they are not what is measured.
const consoleError = console.error;
console.error = () => undefined;
// Warm-up: module loading and JIT are not what is measured.
blueprint();
oneBucket();
const b = Array.from({ length: RUNS }, () => time(blueprint));
const o = Array.from({ length: RUNS }, () => time(oneBucket));
console.error = consoleError;
const rows = [
  ['default blueprint app', median(b)],
  ['one-bucket CDK app', median(o)],
] as const;
for (const [name, ms] of rows)
  console.log(`${name.padEnd(24)} ${ms.toFixed(0).padStart(7)} ms (median of ${RUNS})`);
console.log(`ratio blueprint / one-bucket: ${(median(b) / median(o)).toFixed(2)}x`);
benchAdmission();
