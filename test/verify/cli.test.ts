import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dispatch } from '../../bin/hardened-eks';
import { main, type CliIo } from '../../lib/verify/cli';
import { testContext } from '../helpers';
import { compliantWorld, mockedClients, type World } from './world';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-cli-'));
fs.writeFileSync(
  path.join(dir, 'cdk.json'),
  JSON.stringify({ context: { blueprint: testContext({ tenants: [] }) } }),
);

async function run(args: string[], world: World = compliantWorld(), extra: Partial<CliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd: dir,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    createClients: () => mockedClients(world).clients,
    ...extra,
  };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

describe('verify CLI |', () => {
  test.each([
    [['--env'], 'verify: --env needs a value, e.g. --env prod'],
    [['--env', 'test', '--format', 'xml'], 'verify: --format must be text or json (got "xml")'],
    [
      ['--env', 'test', '--regoin', 'x'],
      'verify: Unknown option --regoin; the options are --env, --format, --region, --profile, --config (see --help)',
    ],
    [['test'], 'verify: Unexpected argument "test"; pass the environment as --env test'],
    [[], 'verify: --env is required; use one of: test'],
    [
      ['--env', 'prod'],
      `verify: --env prod is not an environment in ${path.join(dir, 'cdk.json')}; use one of: test`,
    ],
    [
      ['--env', 'test', '--config', 'missing.json'],
      `verify: Cannot read ${path.join(dir, 'missing.json')}; run from the project directory or pass --config <path to cdk.json>`,
    ],
  ])('%j exits 2 with one line naming the flag and the fix', async (args, line) => {
    const res = await run(args);
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(`${line}\n`);
  });

  test('an invalid cdk.json prints the config error lines and exits 2', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({ context: { blueprint: testContext({ vpcCidr: '10.0.0.0/33' }) } }),
    );
    const res = await run(['--env', 'test', '--config', bad]);
    expect(res.status).toBe(2);
    expect(res.stderr).toBe(
      'verify: Invalid blueprint config at environments.test.vpcCidr: has a prefix length above 32 (got "10.0.0.0/33")\n',
    );
  });

  test('--help prints the usage and exits 0', async () => {
    const res = await run(['--help']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^Usage: hardened-eks verify --env <name>/);
  });

  test('a compliant cluster exits 0; progress goes to stderr, the report to stdout', async () => {
    const res = await run(['--env', 'test', '--format', 'json']);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ result: 'COMPLIANT', summary: { nonCompliant: 0 } });
    expect(res.stderr.split('\n').filter(Boolean)).toEqual([
      'verifying: cluster...',
      'verifying: add-ons...',
      'verifying: node groups...',
      'verifying: access entries...',
      'verifying: logging...',
      'verifying: image repositories...',
      'verifying: nodes...',
    ]);
  });

  test('on a terminal the progress line is rewritten in place and cleared at the end', async () => {
    let stderr = '';
    const res = await run(['--env', 'test'], compliantWorld(), {
      stderr: { isTTY: true, write: (s: string) => (stderr += s) },
    });
    expect(res.status).toBe(0);
    expect(stderr).toContain('\r\x1b[2Kverifying: nodes: 3 checked...');
    expect(stderr.endsWith('\r\x1b[2K')).toBe(true);
  });

  test('drift exits 1 and the table marks the failing control', async () => {
    const world = compliantWorld();
    world.instances[0].KeyName = 'ops';
    const res = await run(['--env', 'test']);
    expect(res.status).toBe(0);
    const drifted = await run(['--env', 'test'], world);
    expect(drifted.status).toBe(1);
    expect(drifted.stdout).toMatch(/^FAIL {2}EKS-NODE-004 {2}nodes: no key pair +1 of 3 node\(s\) fail$/m);
    expect(drifted.stdout).toMatch(/26 checks: 24 pass, 1 fail, 1 not applicable\n$/);
  });

  test('the hardened-eks dispatcher runs verify and refuses unknown commands', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } };
    expect(await dispatch(['chek'], io)).toBe(2);
    expect(stderr).toBe('hardened-eks: unknown command "chek"; use one of: check, verify, report\n');
    expect(await dispatch(['verify', '--format', 'xml'], io)).toBe(2);
  });
});
