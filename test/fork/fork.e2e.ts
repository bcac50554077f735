import { execFileSync, spawnSync, type SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { costCenterPolicyYaml, deploymentYaml } from '../extensions/fixtures';
import { FIXTURE_CDK_JSON } from '../helpers';

/*
 * `npm run test:fork` (run by .ci/run, not part of `npm test`): copies the project, makes a fork that
 * changes only cdk.json and org/ (the org renamed, its environment renamed into another account and
 * region, a second tenant, an org manifest, an org policy, an org control with its test), and proves
 * that npm test and npm run synth pass there, that the fork's manifest and policy reach the stacks and
 * dist/, that check enforces the fork's policy, and that a privileged container stops synthesis naming
 * its file. The copy sits beside a link to ../shared, as CI has it.
 */
const root = path.join(__dirname, '..', '..');
const ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const ENV = 'prod-eu';
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/web:1.4.2`;

const POLICY = costCenterPolicyYaml({
  matchResources:
    '{ namespaceSelector: { matchExpressions: [{ key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, kube-public, kube-node-lease] }] } }',
});
const deployment = (name: string, labels: Record<string, string>, privileged = false) =>
  deploymentYaml({ name, namespace: 'team-b', image: IMAGE, labels, privileged });

const ORG_INDEX = `import { CONTROLS } from '../lib/compliance/controls';
import { defineOrgExtensions } from '../lib/extensions';

export default defineOrgExtensions({
  controls: [
    {
      ...CONTROLS[0],
      id: 'GLOBEX-001',
      title: 'Every Deployment names its cost center',
      enforcedBy: ['org/policies/require-cost-center.yaml'],
      provedBy: 'org/test/cost-center.test.ts > GLOBEX-001',
    },
  ],
});
`;

const ORG_TEST = `import * as fs from 'fs';
import * as path from 'path';

test('GLOBEX-001: the cost-center policy leaves only the system namespaces out', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', 'policies', 'require-cost-center.yaml'), 'utf-8');
  expect(text).toContain('values: [kube-system, kube-public, kube-node-lease]');
});
`;

/** The fixture's blueprint, forked: org globex, environment prod-eu in another account and region, team-b. */
function forkedBlueprint(): unknown {
  const fixture = JSON.parse(fs.readFileSync(FIXTURE_CDK_JSON, 'utf-8')).context.blueprint;
  const dev = JSON.parse(
    JSON.stringify(fixture.environments.dev)
      .replace(/111111111111/g, ACCOUNT)
      .replace(/10\.10\./g, '10.40.'),
  );
  const teamA = dev.tenants[0];
  const teamB = JSON.parse(
    JSON.stringify(teamA)
      .replace(/team-a/g, 'team-b')
      .replace(/TeamA/g, 'TeamB'),
  );
  return {
    ...fixture,
    org: { ...fixture.org, name: 'globex' },
    environments: { [ENV]: { ...dev, region: REGION, tenants: [teamA, teamB], approval: true } },
  };
}

let work: string;
let fork: string;
const timings: string[] = [];

function run(cmd: string, args: string[], what = `${cmd} ${args.join(' ')}`): SpawnSyncReturns<string> {
  const start = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
  delete env.JEST_WORKER_ID;
  const res = spawnSync(cmd, args, { cwd: fork, env, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  timings.push(`${what}: ${((Date.now() - start) / 1000).toFixed(1)} s (exit ${res.status})`);
  return res;
}
const ok = (res: SpawnSyncReturns<string>) => {
  if (res.status !== 0)
    throw new Error(`exit ${res.status}\n${res.stdout.slice(-6000)}\n${res.stderr.slice(-6000)}`);
};
function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(fork, file)), { recursive: true });
  fs.writeFileSync(path.join(fork, file), text);
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-fork-'));
  fork = path.join(work, 'project');
  // As CI has it: the project, with ../shared beside it.
  const shared = path.resolve(root, '..', 'shared');
  if (fs.existsSync(shared)) fs.symlinkSync(shared, path.join(work, 'shared'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf-8',
  })
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(root, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(fork, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(fork, f));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(fork, 'node_modules'), 'dir');
  // A repository of its own, so the test can show the fork touched nothing but cdk.json and org/.
  const git = (...a: string[]) => execFileSync('git', a, { cwd: fork, stdio: 'pipe' });
  git('init', '-q');
  git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'add', '-A');
  git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qm', 'upstream');

  const cdkJson = JSON.parse(fs.readFileSync(path.join(fork, 'cdk.json'), 'utf-8'));
  cdkJson.context.blueprint = forkedBlueprint();
  write('cdk.json', `${JSON.stringify(cdkJson, null, 2)}\n`);
  write('org/index.ts', ORG_INDEX);
  write('org/test/cost-center.test.ts', ORG_TEST);
  write('org/policies/require-cost-center.yaml', POLICY);
  write('org/manifests/apps/web.yaml', deployment('web', { 'cost-center': 'cc-4711' }));
});

afterAll(() => {
  console.log(`fork test timings:\n  ${timings.join('\n  ')}`);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('a fork that changes only cdk.json and org/ |', () => {
  test('it changed nothing else', () => {
    const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: fork,
      encoding: 'utf-8',
    })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((f) => f !== 'cdk.json' && !f.startsWith('org/'))).toEqual([]);
  });

  test('npm test passes in the fork (upstream tests and the fork test under org/test)', () => {
    const res = run('npm', ['test']);
    ok(res);
    expect(`${res.stdout}${res.stderr}`).toMatch(/PASS org\/test\/cost-center\.test\.ts/);
  });

  test('npm run synth passes; the fork manifest and policy reach the stacks and dist/', () => {
    ok(run('npm', ['run', 'synth']));
    const out = path.join(fork, 'cdk.out');
    const template = (name: string) => fs.readFileSync(path.join(out, `${name}.template.json`), 'utf-8');
    expect(
      fs
        .readdirSync(out)
        .filter((f) => f.endsWith('.template.json'))
        .sort(),
    ).toEqual([
      'globex-prod-eu-cluster.template.json',
      'globex-prod-eu-detection.template.json',
      'globex-prod-eu-network.template.json',
      'globex-prod-eu-org.template.json',
      'globex-prod-eu-tenant-team-a.template.json',
      'globex-prod-eu-tenant-team-b.template.json',
    ]);
    expect(template('globex-prod-eu-org')).toContain(IMAGE);
    expect(template('globex-prod-eu-cluster')).toContain('require-cost-center');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf-8'));
    expect(manifest.artifacts['globex-prod-eu-org'].dependencies).toEqual(
      expect.arrayContaining(['globex-prod-eu-cluster', 'globex-prod-eu-tenant-team-b']),
    );
    expect(manifest.artifacts['globex-prod-eu-network'].environment).toBe(`aws://${ACCOUNT}/${REGION}`);

    const dist = path.join(fork, 'dist', 'manifests', ENV);
    expect(fs.readFileSync(path.join(dist, 'org', 'apps', 'web.yaml'), 'utf-8')).toContain(
      'cost-center: cc-4711',
    );
    expect(fs.readFileSync(path.join(dist, 'org', 'kustomization.yaml'), 'utf-8')).toContain(
      '- apps/web.yaml',
    );
    expect(fs.readFileSync(path.join(dist, 'kustomization.yaml'), 'utf-8')).toMatch(
      /- tenants\/team-b\n {2}- org\n/,
    );
    expect(fs.readFileSync(path.join(dist, '02-admission-policies.yaml'), 'utf-8')).toContain(
      'name: require-cost-center',
    );
  });

  test('check passes the GitOps manifests and enforces the fork policy', () => {
    ok(run('npm', ['run', '--silent', 'check', '--', '--env', ENV, `dist/manifests/${ENV}`]));
    write('k8s/no-cost-center.yaml', deployment('api', {}));
    const res = run('npm', ['run', '--silent', 'check', '--', 'k8s/no-cost-center.yaml']);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain(
      'k8s/no-cost-center.yaml:1: Deployment/team-b/api: [require-cost-center] deployments carry a cost-center label',
    );
  });

  test('a privileged container in org/manifests stops synthesis with one line naming the file', () => {
    write('org/manifests/bad.yaml', deployment('miner', { 'cost-center': 'cc-1' }, true));
    const res = run('npm', ['run', 'synth'], 'npm run synth (privileged org manifest)');
    expect(res.status).not.toBe(0);
    const lines = res.stderr.split('\n').filter((l) => l.startsWith('org/'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(
      /^org\/manifests\/bad\.yaml:1: Deployment\/team-b\/miner: \[pod-security\] .*privileged/,
    );
    expect(res.stderr).not.toMatch(/^\s+at .*\.ts:\d+/m);
  });
});
