import { App } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBlueprint } from '../../lib/app';
import { resolveConfig } from '../../lib/config';
import { testContext } from '../helpers';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-'));
}

function templates(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]),
  );
}

describe('synthesis |', () => {
  let fullSynthDir: string | undefined;

  test('the full app synthesizes offline with CloudFormation validation, cdk-nag and the control checks on', () => {
    // The built-in validation prints its warnings (pinned AZs, a deprecated EKS property) to stderr.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const outdir = tmpdir();
    fullSynthDir = outdir;
    const app = new App({ outdir });
    buildBlueprint(app, resolveConfig(testContext()));
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'acme-test-cluster',
      'acme-test-detection',
      'acme-test-network',
      'acme-test-tenant-team-a',
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
    const errors = report.pluginReports.flatMap(
      (r: { violations: Array<{ severity: string; ruleName: string }> }) =>
        r.violations.filter((v) => v.severity === 'error').map((v) => v.ruleName),
    );
    expect(errors).toEqual([]);
  });

  test('EKS-NODE-002: a fork that weakens a control through an escape hatch fails synthesis with the control id', () => {
    const app = new App({ outdir: tmpdir(), builtinCloudFormationValidation: false });
    const [env] = buildBlueprint(app, resolveConfig(testContext()));
    const lt = env.cluster.nodeGroups[0].launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate;
    lt.addPropertyOverride('LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit', 2);
    expect(() => app.synth()).toThrow(/EKS-NODE-002/);
  });

  test('synthesis is deterministic: two runs give byte-identical templates', () => {
    const run = () => {
      const outdir = tmpdir();
      const app = new App({ outdir, builtinCloudFormationValidation: false });
      buildBlueprint(app, resolveConfig(testContext()), { compliance: false });
      app.synth();
      return templates(outdir);
    };
    // The first run is the full synthesis above (validation does not change templates), when it ran.
    const first = fullSynthDir ? templates(fullSynthDir) : run();
    expect(Object.keys(first)).toHaveLength(4);
    expect(run()).toEqual(first);
  });
});
