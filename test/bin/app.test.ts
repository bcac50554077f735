import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { testContext } from '../helpers';

const root = path.join(__dirname, '..', '..');

/** Runs the real CDK app entry as `cdk synth` would: context through CDK_CONTEXT_JSON, output to CDK_OUTDIR. */
function runApp(context: Record<string, unknown>) {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-bin-')), 'cdk.out');
  const res = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
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
});
