import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildBlueprint } from '../../lib/app';
import { resolveConfig } from '../../lib/config';
import { TEST_APP_PROPS, testContext } from '../helpers';
import { namedResources, namesOverLimits } from '../config/name-limits';

const root = path.join(__dirname, '..', '..');

/**
 * Runs the real CDK app entry as `cdk synth` would (`npx tsx bin/app.ts`, here as `node --import tsx`: the
 * same loader in one process instead of two): context through CDK_CONTEXT_JSON, output to CDK_OUTDIR.
 */
function runApp(context: Record<string, unknown>) {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-bin-')), 'cdk.out');
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: root,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
    encoding: 'utf-8',
  });
  return { ...res, outdir };
}

describe('bin/app.ts |', () => {
  test('bad config exits 1 with one readable line, no stack trace and no output written', () => {
    const res = runApp({ blueprint: testContext({ vpcCidr: '10.0.0.0/33' }) });
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toEqual([
      'Invalid blueprint config at environments.test.vpcCidr: has a prefix length above 32 (got "10.0.0.0/33")',
    ]);
    expect(res.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(fs.existsSync(res.outdir)).toBe(false);
  });

  test('an unknown -c env exits 1 naming the known environments', () => {
    const res = runApp({ blueprint: testContext(), env: 'staging' });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toMatch(
      /^Invalid blueprint config at env: .*use one of: test \(got "staging"\)$/,
    );
  });

  test('org and environment names too long for a stack name: exit 1, one line naming the field and the limit', () => {
    const shipped = testContext() as { org: Record<string, unknown>; environments: { test: unknown } };
    const env = `e${'n'.repeat(62)}`;
    const res = runApp({
      blueprint: {
        org: { ...shipped.org, name: `o${'r'.repeat(62)}` },
        environments: { [env]: { ...(shipped.environments.test as object), clusterName: 'short' } },
      },
    });
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^Invalid blueprint config at environments\\.${env}: .* 137 characters long; AWS allows 128`,
      ),
    );
    expect(fs.existsSync(res.outdir)).toBe(false);
  });

  test('a 100-character clusterName, a 63-character tenant and a public vpcCidr: synthesized, names fit, one warning line', () => {
    // In memory (without cdk-nag, which does not change names): the name errors these limits caused came
    // from aws-cdk-lib while building the stacks, and the config path through bin/app.ts is tested above.
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-names-'));
    const config = resolveConfig(
      testContext({
        clusterName: `c${'x'.repeat(99)}`,
        vpcCidr: '198.18.0.0/16',
        tenants: [{ name: `t${'a'.repeat(62)}` }],
      }),
    );
    expect(config.warnings).toEqual([
      expect.stringContaining(
        'Warning: blueprint config at environments.test.vpcCidr: is public address space (not RFC 1918 or RFC 6598 100.64.0.0/10)',
      ),
    ]);
    const app = new App({ ...TEST_APP_PROPS, outdir });
    buildBlueprint(app, config, { compliance: false });
    app.synth();
    const templates = fs
      .readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf-8')));
    expect(templates).toHaveLength(4);
    expect(namedResources(templates)).toBeGreaterThan(20);
    expect(namesOverLimits(templates)).toEqual([]);
  });
});
