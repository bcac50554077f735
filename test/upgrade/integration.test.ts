import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/upgrade/cli';
import { testContext } from '../helpers';
import { fixtureAwsEnv, startFixtureServer, type FixtureServer, type Reply } from '../verify/fixture-server';

/*
 * upgrade-plan end to end against recorded EKS responses on 127.0.0.1: the real SDK client signs,
 * serializes (REST-JSON, ListInsights as a POST with its paging token in the body) and parses.
 */

const root = path.join(__dirname, '..', '..');
const RECORDED = path.join(__dirname, '..', 'fixtures', 'upgrade');
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-upgrade-it-'));
fs.writeFileSync(
  path.join(configDir, 'cdk.json'),
  JSON.stringify({ context: { blueprint: testContext({ tenants: [] }) } }),
);

/** The recorded answers of a scenario: the full 1.35 cluster, with the scenario's own files on top. */
function scenario(name: string): Record<string, (recorded: string) => Reply> {
  const replies: Record<string, (recorded: string) => Reply> = {};
  for (const folder of ['one-minor-behind', name]) {
    for (const file of fs.readdirSync(path.join(RECORDED, folder))) {
      const body = fs.readFileSync(path.join(RECORDED, folder, file), 'utf-8');
      replies[`eks/${file.replace(/\.json$/, '')}`] = () => ({ status: 200, body });
    }
  }
  return replies;
}

const awsEnv = (server: FixtureServer) => fixtureAwsEnv(server, configDir);

async function planOf(name: string, args: string[] = ['--format', 'json']) {
  const server = await startFixtureServer(scenario(name));
  const saved = { ...process.env };
  Object.assign(process.env, awsEnv(server));
  let stdout = '';
  let stderr = '';
  try {
    const status = await main(['--env', 'test', ...args], {
      cwd: configDir,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    });
    return { status, stdout, stderr, requests: [...server.requests] };
  } finally {
    process.env = saved;
    await server.close();
  }
}

const stepsOf = (stdout: string) =>
  (JSON.parse(stdout) as { steps: { round: string; component: string; name: string }[] }).steps.map(
    (s) => `${s.round} ${s.component} ${s.name}`,
  );

describe('upgrade-plan end to end (local endpoint, recorded responses) |', () => {
  test('nothing to do: exit 0, and only read-only EKS calls were made', async () => {
    const res = await planOf('current');
    expect(res.stderr).not.toMatch(/Error|denied/);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ from: '1.36', to: '1.36', steps: [], insights: [] });
    expect(res.requests.every((r) => /^eks\/(Describe|List)/.test(r))).toBe(true);
    expect(res.requests).toEqual(
      expect.arrayContaining([
        'eks/DescribeCluster',
        'eks/ListAddons',
        'eks/ListNodegroups',
        'eks/ListInsights',
      ]),
    );
  });

  test('one minor behind: the hardened-eks bin prints the steps in order, exit 1', async () => {
    const server = await startFixtureServer(scenario('one-minor-behind'));
    try {
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
      const child = spawn(
        process.execPath,
        [path.join(root, 'bin', 'hardened-eks.js'), 'upgrade-plan', '--env', 'test'],
        {
          cwd: configDir,
          env: { ...clean, ...awsEnv(server) },
        },
      );
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(status).toBe(1);
      expect(stdout).toBe(
        [
          'hardened-eks upgrade-plan: cluster acme-test (environment test), 1.35 -> 1.36',
          '',
          'Round 1.36 (set kubernetesVersion "1.36" for test, then deploy: npx cdk deploy --all -c env=test)',
          '   1. control-plane acme-test   1.35 -> 1.36',
          '   2. node-group    system      1.35 -> 1.36',
          '   3. addon         kube-proxy  v1.35.3-eksbuild.13 -> v1.36.0-eksbuild.14',
          '',
          '3 step(s) in 1 round(s); 0 insight(s) block, 0 warn',
          '',
        ].join('\n'),
      );
    } finally {
      await server.close();
    }
  });

  test('two minors behind: two rounds in order', async () => {
    const res = await planOf('two-minors-behind');
    expect(res.status).toBe(1);
    expect(stepsOf(res.stdout)).toEqual([
      '1.35 control-plane acme-test',
      '1.35 node-group system',
      '1.35 addon coredns',
      '1.35 addon kube-proxy',
      '1.36 control-plane acme-test',
      '1.36 node-group system',
      '1.36 addon kube-proxy',
    ]);
  });

  test('a blocking insight (found on the second ListInsights page): exit 1, ERROR first', async () => {
    const res = await planOf('blocking-insight');
    expect(res.status).toBe(1);
    const plan = JSON.parse(res.stdout) as {
      insights: { name: string; blocking: boolean; deprecations: unknown[] }[];
    };
    expect(plan.insights.map((i) => [i.name, i.blocking])).toEqual([
      ['Deprecated APIs removed in Kubernetes v1.36', true],
      ['Kubelet version skew', false],
    ]);
    expect(plan.insights[0].deprecations).toEqual([
      {
        usage: '/apis/example.k8s.io/v1beta1/widgets',
        replacedWith: '/apis/example.k8s.io/v1/widgets',
        stopServingVersion: '1.36',
        clients: ['legacy-operator/1.2'],
      },
    ]);
    expect(res.requests).toEqual(expect.arrayContaining(['eks/ListInsights', 'eks/ListInsights.page2']));
  });
});
