import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dispatch } from '../../bin/hardened-eks';
import type { ClientOptions } from '../../lib/verify/clients';
import { main, parseDuration, type CliIo } from '../../lib/verify/cli';
import { testContext } from '../helpers';
import { compliantWorld, mockedClients, PROGRESS_LINES, RECORDED_CLUSTER_CONFIG, type World } from './world';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-cli-'));
fs.writeFileSync(
  path.join(dir, 'cdk.json'),
  JSON.stringify({ context: { blueprint: testContext({ ...RECORDED_CLUSTER_CONFIG, tenants: [] }) } }),
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
      'verify: Unknown option --regoin; the options are --env, --format, --region, --profile, --config, --connect-timeout, --request-timeout, --deadline, --max-attempts (see --help)',
    ],
    [['test'], 'verify: Unexpected argument "test"; pass the environment as --env test'],
    [
      ['--env', 'test', '--deadline', 'soon'],
      'verify: --deadline must be a duration from 1ms to 24h, like 500ms, 20s or 10m (got "soon")',
    ],
    [
      ['--env', 'test', '--request-timeout=0s'],
      'verify: --request-timeout must be a duration from 1ms to 24h, like 500ms, 20s or 10m (got "0s")',
    ],
    [
      ['--env', 'test', '--connect-timeout', '-5'],
      'verify: --connect-timeout must be a duration from 1ms to 24h, like 500ms, 20s or 10m (got "-5")',
    ],
    [
      ['--env', 'test', '--max-attempts', '0'],
      'verify: --max-attempts must be a whole number from 1 to 20 (got "0")',
    ],
    [
      ['--env', 'test', '--max-attempts', '2.5'],
      'verify: --max-attempts must be a whole number from 1 to 20 (got "2.5")',
    ],
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
    expect(res.stderr.split('\n').filter(Boolean)).toEqual(PROGRESS_LINES);
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

  test('durations are milliseconds, seconds (the default unit) or minutes, within 1ms to 24h', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5')).toBe(1500);
    expect(parseDuration('20s')).toBe(20_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1440m')).toBe(86_400_000);
    for (const bad of ['0', '0.0001s', '1441m', '5h', '-1s', 's', '1e3', '']) {
      expect(parseDuration(bad)).toBeUndefined();
    }
  });

  test('the timeout, deadline and attempt flags reach the clients; unset, the defaults do', async () => {
    const seen: ClientOptions[] = [];
    const capture = (options: ClientOptions) => {
      seen.push(options);
      return mockedClients(compliantWorld()).clients;
    };
    await run(['--env', 'test'], compliantWorld(), { createClients: capture });
    const args = ['--env', 'test', '--connect-timeout', '250ms', '--request-timeout=2s', '--deadline', '1m'];
    await run([...args, '--max-attempts', '3'], compliantWorld(), { createClients: capture });
    expect(seen[0]).toMatchObject({ region: 'us-east-1', connectTimeoutMs: 5000, requestTimeoutMs: 20000 });
    expect(seen[0].maxAttempts).toBeUndefined();
    expect(seen[0].deadline?.ms).toBe(600_000);
    expect(seen[1]).toMatchObject({ connectTimeoutMs: 250, requestTimeoutMs: 2000, maxAttempts: 3 });
    expect(seen[1].deadline?.ms).toBe(60_000);
  });

  test('with --format json a usage error is also a JSON error document on stdout', async () => {
    const res = await run(['--format', 'json', '--env', 'prod']);
    expect(res.status).toBe(2);
    expect(res.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(res.stdout)).toEqual({
      result: 'ERROR',
      error: {
        kind: 'usage',
        message: `--env prod is not an environment in ${path.join(dir, 'cdk.json')}; use one of: test`,
      },
    });
    const flag = await run(['--format=json', '--deadline', 'never']);
    expect(JSON.parse(flag.stdout).error.message).toMatch(/^--deadline must be a duration/);
  });

  test('--deadline also ends a run that waits outside any API call (a credential look-up)', async () => {
    const hanging = () => {
      const { clients, mocks } = mockedClients(compliantWorld());
      // Waits without ever looking at the deadline, as an SSO look-up outside the clients would.
      mocks.eks.on(DescribeClusterCommand).callsFake(() => new Promise(() => undefined));
      return clients;
    };
    const started = Date.now();
    const res = await run(['--env', 'test', '--deadline', '100ms'], compliantWorld(), {
      createClients: hanging,
    });
    expect(res.status).toBe(2);
    expect(res.stderr.split('\n').filter((l) => l.startsWith('verify:'))).toEqual([
      'verify: Gave up: verify ran past its deadline of 0.1s (--deadline) while resolving credentials or waiting outside an AWS API call; raise --deadline, or check the credential source (AWS_PROFILE, SSO)',
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('the hardened-eks dispatcher runs verify and refuses unknown commands', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } };
    expect(await dispatch(['chek'], io)).toBe(2);
    expect(stderr).toBe(
      'hardened-eks: unknown command "chek"; use one of: check, verify, report, upgrade-plan\n',
    );
    expect(await dispatch(['verify', '--format', 'xml'], io)).toBe(2);
  });
});
