import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAddonsCommand,
  ListInsightsCommand,
  ListNodegroupsCommand,
  type Insight,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dispatch } from '../../bin/hardened-eks';
import { main } from '../../lib/upgrade/cli';
import { testContext } from '../helpers';

/*
 * upgrade-plan against aws-sdk-client-mock: the running cluster is described per test, the config is the
 * fixture config's `test` environment (kubernetesVersion 1.36). Versions in the expectations are the AWS
 * add-on tables' literals (lib/config/version-matrix.ts names the pages), written out here.
 */

const CLUSTER = 'acme-test';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-upgrade-'));
fs.writeFileSync(
  path.join(dir, 'cdk.json'),
  JSON.stringify({ context: { blueprint: testContext({ tenants: [] }) } }),
);

interface Live {
  readonly version: string;
  readonly nodegroups: Record<string, string>;
  readonly addons: Record<string, string>;
  readonly insights?: Insight[];
}

const eks = mockClient(EKSClient);
afterEach(() => eks.reset());

function live(state: Live): void {
  eks.on(DescribeClusterCommand).resolves({ cluster: { name: CLUSTER, version: state.version } });
  eks.on(ListAddonsCommand).resolves({ addons: Object.keys(state.addons) });
  for (const [addonName, addonVersion] of Object.entries(state.addons)) {
    eks
      .on(DescribeAddonCommand, { clusterName: CLUSTER, addonName })
      .resolves({ addon: { addonName, addonVersion, status: 'ACTIVE' } });
  }
  eks.on(ListNodegroupsCommand).resolves({ nodegroups: Object.keys(state.nodegroups) });
  for (const [nodegroupName, version] of Object.entries(state.nodegroups)) {
    eks
      .on(DescribeNodegroupCommand, { clusterName: CLUSTER, nodegroupName })
      .resolves({ nodegroup: { nodegroupName, version, status: 'ACTIVE' } });
  }
  const insights = state.insights ?? [];
  eks.on(ListInsightsCommand).resolves({
    insights: insights.map((i) => ({ id: i.id, name: i.name, insightStatus: i.insightStatus })),
  });
  for (const insight of insights) eks.on(DescribeInsightCommand, { id: insight.id }).resolves({ insight });
}

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    cwd: dir,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { status, stdout, stderr };
}

const plan = async (args: string[] = []) => {
  const res = await run(['--env', 'test', '--format', 'json', ...args]);
  return { ...res, json: res.stdout ? JSON.parse(res.stdout) : undefined };
};

const AT_135 = {
  'kube-proxy': 'v1.35.3-eksbuild.13',
  coredns: 'v1.14.3-eksbuild.3',
  'vpc-cni': 'v1.20.1-eksbuild.3',
};
const AT_136 = { ...AT_135, 'kube-proxy': 'v1.36.0-eksbuild.14' };

describe('upgrade-plan (aws-sdk-client-mock) |', () => {
  test('GIVEN a cluster on the configured version with matching node groups and add-ons THEN nothing to do, exit 0', async () => {
    live({ version: '1.36', nodegroups: { system: '1.36' }, addons: AT_136 });
    const res = await plan();
    expect(res.status).toBe(0);
    expect(res.json).toEqual({ from: '1.36', to: '1.36', steps: [], insights: [] });
    const text = await run(['--env', 'test']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Nothing to do');
  });

  test('GIVEN one minor behind THEN control plane, then node groups, then the add-ons that follow the minor; exit 1', async () => {
    live({ version: '1.35', nodegroups: { system: '1.35', batch: '1.35' }, addons: AT_135 });
    const res = await plan();
    expect(res.status).toBe(1);
    expect(res.json).toEqual({
      from: '1.35',
      to: '1.36',
      steps: [
        { round: '1.36', component: 'control-plane', name: CLUSTER, from: '1.35', to: '1.36' },
        { round: '1.36', component: 'node-group', name: 'batch', from: '1.35', to: '1.36' },
        { round: '1.36', component: 'node-group', name: 'system', from: '1.35', to: '1.36' },
        {
          round: '1.36',
          component: 'addon',
          name: 'kube-proxy',
          from: 'v1.35.3-eksbuild.13',
          to: 'v1.36.0-eksbuild.14',
        },
      ],
      insights: [],
    });
    const text = await run(['--env', 'test']);
    expect(text.stdout).toContain(
      'Round 1.36 (set kubernetesVersion "1.36" for test, then deploy: npx cdk deploy --all -c env=test)',
    );
    expect(text.stdout).toMatch(/ 1\. control-plane +acme-test +1\.35 -> 1\.36\n/);
    expect(text.stdout).toMatch(/4 step\(s\) in 1 round\(s\); 0 insight\(s\) block, 0 warn\n$/);
  });

  test('GIVEN two minors behind THEN two rounds, never a skip: 1.34 -> 1.35, then 1.35 -> 1.36', async () => {
    live({
      version: '1.34',
      nodegroups: { system: '1.34' },
      addons: { 'kube-proxy': 'v1.34.6-eksbuild.13', coredns: 'v1.13.2-eksbuild.11' },
    });
    const res = await plan();
    expect(res.status).toBe(1);
    expect(res.json.steps).toEqual([
      { round: '1.35', component: 'control-plane', name: CLUSTER, from: '1.34', to: '1.35' },
      { round: '1.35', component: 'node-group', name: 'system', from: '1.34', to: '1.35' },
      {
        round: '1.35',
        component: 'addon',
        name: 'coredns',
        from: 'v1.13.2-eksbuild.11',
        to: 'v1.14.3-eksbuild.3',
      },
      {
        round: '1.35',
        component: 'addon',
        name: 'kube-proxy',
        from: 'v1.34.6-eksbuild.13',
        to: 'v1.35.3-eksbuild.13',
      },
      { round: '1.36', component: 'control-plane', name: CLUSTER, from: '1.35', to: '1.36' },
      { round: '1.36', component: 'node-group', name: 'system', from: '1.35', to: '1.36' },
      {
        round: '1.36',
        component: 'addon',
        name: 'kube-proxy',
        from: 'v1.35.3-eksbuild.13',
        to: 'v1.36.0-eksbuild.14',
      },
    ]);
    const minors = res.json.steps
      .filter((s: { component: string }) => s.component === 'control-plane')
      .map((s: { from: string; to: string }) => Number(s.to.split('.')[1]) - Number(s.from.split('.')[1]));
    expect(minors).toEqual([1, 1]);
  });

  test('GIVEN node groups behind the control plane THEN they catch up before the control plane moves', async () => {
    live({ version: '1.35', nodegroups: { system: '1.34' }, addons: AT_135 });
    const steps = (await plan()).json.steps.slice(0, 3);
    expect(steps).toEqual([
      { round: '1.35', component: 'node-group', name: 'system', from: '1.34', to: '1.35' },
      { round: '1.36', component: 'control-plane', name: CLUSTER, from: '1.35', to: '1.36' },
      { round: '1.36', component: 'node-group', name: 'system', from: '1.35', to: '1.36' },
    ]);
  });

  test('GIVEN an UPGRADE_READINESS insight in ERROR for the next minor THEN it blocks (exit 1) and names the deprecated API and its callers', async () => {
    const blocking: Insight = {
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      name: 'Deprecated APIs removed in Kubernetes v1.36',
      category: 'UPGRADE_READINESS',
      kubernetesVersion: '1.36',
      insightStatus: { status: 'ERROR', reason: 'Deprecated API usage detected within last 30 days.' },
      recommendation: 'Update manifests and API clients to use newer Kubernetes APIs.',
      categorySpecificSummary: {
        deprecationDetails: [
          {
            usage: '/apis/example.k8s.io/v1beta1/widgets',
            replacedWith: '/apis/example.k8s.io/v1/widgets',
            stopServingVersion: '1.36',
            clientStats: [{ userAgent: 'legacy-operator/1.2', numberOfRequestsLast30Days: 40 }],
          },
        ],
      },
    };
    const warning: Insight = {
      id: 'a1b2c3d4-0000-4000-8000-000000000002',
      name: 'Kubelet version skew',
      kubernetesVersion: '1.36',
      insightStatus: { status: 'WARNING', reason: 'Node kubelet versions differ from the control plane.' },
    };
    const passing: Insight = {
      id: 'a1b2c3d4-0000-4000-8000-000000000003',
      name: 'Cluster health issues',
      kubernetesVersion: '1.36',
      insightStatus: { status: 'PASSING' },
    };
    live({
      version: '1.35',
      nodegroups: { system: '1.35' },
      addons: AT_135,
      insights: [warning, passing, blocking],
    });
    const res = await plan();
    expect(res.status).toBe(1);
    expect(res.json.insights).toEqual([
      {
        id: blocking.id,
        name: 'Deprecated APIs removed in Kubernetes v1.36',
        kubernetesVersion: '1.36',
        status: 'ERROR',
        blocking: true,
        reason: 'Deprecated API usage detected within last 30 days.',
        recommendation: 'Update manifests and API clients to use newer Kubernetes APIs.',
        deprecations: [
          {
            usage: '/apis/example.k8s.io/v1beta1/widgets',
            replacedWith: '/apis/example.k8s.io/v1/widgets',
            stopServingVersion: '1.36',
            clients: ['legacy-operator/1.2'],
          },
        ],
      },
      {
        id: warning.id,
        name: 'Kubelet version skew',
        kubernetesVersion: '1.36',
        status: 'WARNING',
        blocking: false,
        reason: 'Node kubelet versions differ from the control plane.',
        deprecations: [],
      },
    ]);
    // Only UPGRADE_READINESS insights in ERROR or WARNING were asked for.
    expect(eks.commandCalls(ListInsightsCommand)[0].args[0].input.filter).toEqual({
      categories: ['UPGRADE_READINESS'],
      statuses: ['ERROR', 'WARNING'],
    });
    const text = await run(['--env', 'test']);
    expect(text.stdout).toContain(
      '  BLOCKS Deprecated APIs removed in Kubernetes v1.36 [1.36]: Deprecated API usage detected within last 30 days.\n' +
        '         /apis/example.k8s.io/v1beta1/widgets (removed in 1.36, use /apis/example.k8s.io/v1/widgets); called by legacy-operator/1.2\n',
    );
    expect(text.stdout).toMatch(/1 insight\(s\) block, 1 warn\n$/);
  });

  test('GIVEN a cluster on the target version and an insight for the minor after it THEN it is not part of the plan: exit 0', async () => {
    live({
      version: '1.36',
      nodegroups: { system: '1.36' },
      addons: AT_136,
      insights: [
        {
          id: 'x',
          name: 'Deprecated APIs removed in Kubernetes v1.37',
          kubernetesVersion: '1.37',
          insightStatus: { status: 'ERROR' },
        },
      ],
    });
    expect((await plan()).status).toBe(0);
  });

  test('GIVEN a cluster newer than the config THEN one line says EKS cannot downgrade, exit 2', async () => {
    live({ version: '1.36', nodegroups: {}, addons: {} });
    const res = await run(['--env', 'test', '--config', writeConfig({ kubernetesVersion: '1.35' })]);
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(
      /upgrade-plan: cluster acme-test runs Kubernetes 1\.36, newer than kubernetesVersion 1\.35 in the config; EKS cannot downgrade: set kubernetesVersion to "1\.36" or newer\n$/,
    );
  });

  test('GIVEN credentials without eks:ListInsights THEN exit 2 naming the action and where the policy is documented', async () => {
    live({ version: '1.35', nodegroups: {}, addons: {} });
    const denied = new Error('User is not authorized to perform: eks:ListInsights');
    denied.name = 'AccessDeniedException';
    eks.on(ListInsightsCommand).rejects(denied);
    const res = await run(['--env', 'test']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(
      /upgrade-plan: Access denied: the credentials lack eks:ListInsights; grant the read-only actions of README "Upgrading" to the role you run as\n$/,
    );
  });

  test('GIVEN no such cluster THEN exit 2 with the region and the fix', async () => {
    const missing = new Error('No cluster found for name: acme-test.');
    missing.name = 'ResourceNotFoundException';
    eks.on(DescribeClusterCommand).rejects(missing);
    const res = await run(['--env', 'test']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(
      /cluster acme-test was not found in us-east-1; deploy the environment first, or pass --region where it runs\n$/,
    );
  });

  test.each([
    [['--env'], 'upgrade-plan: --env needs a value, e.g. --env prod'],
    [['--env', 'test', '--format', 'yaml'], 'upgrade-plan: --format must be text or json (got "yaml")'],
    [[], 'upgrade-plan: --env is required; use one of: test'],
    [['test'], 'upgrade-plan: Unexpected argument "test"; pass the environment as --env test'],
    [
      ['--env', 'test', '--dry-run'],
      'upgrade-plan: Unknown option --dry-run; the options are --env, --format, --region, --profile, --config (see --help)',
    ],
  ])('%j exits 2 with one line naming the flag and the fix', async (args, line) => {
    const res = await run(args);
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(`${line}\n`);
    expect(eks.calls()).toHaveLength(0);
  });

  test('the hardened-eks dispatcher runs upgrade-plan', async () => {
    let stdout = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true } };
    expect(await dispatch(['upgrade-plan', '--help'], io)).toBe(0);
    expect(stdout).toMatch(/^Usage: hardened-eks upgrade-plan --env <name>/);
  });
});

function writeConfig(overrides: Record<string, unknown>): string {
  const file = path.join(dir, `cdk-${Object.values(overrides).join('-')}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({ context: { blueprint: testContext({ tenants: [], ...overrides }) } }),
  );
  return file;
}
