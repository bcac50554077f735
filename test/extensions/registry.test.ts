import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkObjects } from '../../lib/admission/check';
import { namespaceObject } from '../../lib/admission/request';
import { buildBlueprint } from '../../lib/app';
import { CONTROLS } from '../../lib/compliance/controls';
import { resolveConfig, type EnvironmentConfig } from '../../lib/config';
import {
  defineOrgExtensions,
  ExtensionRegistry,
  loadOrgExtension,
  OrgExtensionError,
  type BlueprintExtension,
} from '../../lib/extensions';
import { environmentManifestFiles } from '../../lib/manifests';
import { NamespacesChart } from '../../charts/namespaces';
import { TEST_APP_PROPS, testContext } from '../helpers';
import { costCenterPolicyYaml, deploymentYaml } from './fixtures';

const deployment = (
  name: string,
  opts: { privileged?: boolean; namespace?: string; labels?: Record<string, string> } = {},
) => deploymentYaml({ name, ...opts });
const COST_CENTER_POLICY = costCenterPolicyYaml();

/** A fork's project directory in a temp dir: `org/<path>` files from `files`. */
function orgSpace(files: Record<string, string>): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-org-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, 'org', file)), { recursive: true });
    fs.writeFileSync(path.join(project, 'org', file), text);
  }
  return path.join(project, 'org');
}

function env(): EnvironmentConfig {
  return resolveConfig(testContext()).environments[0];
}
/** The baseline's Namespace objects, as the registry receives them (their labels matter). */
const NAMESPACES = () => [
  ...['default', 'kube-system', 'external-secrets', 'logging', 'kube-bench'].map((n) => namespaceObject(n)),
  namespaceObject('team-a', {
    'hardened-eks.io/namespace-kind': 'tenant',
    'pod-security.kubernetes.io/enforce': 'restricted',
  }),
];

function orgError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (OrgExtensionError.isOrgExtensionError(e)) return e.message;
    throw e;
  }
  throw new Error('expected an OrgExtensionError');
}

const registryOf = (files: Record<string, string>, environments = ['test', 'prod']) =>
  ExtensionRegistry.with(loadOrgExtension(orgSpace(files), { environments, hooks: false }));

describe('org/ discovery |', () => {
  test('a first folder named like an environment scopes its files to it; any other folder is for all', () => {
    const org = loadOrgExtension(
      orgSpace({
        'manifests/all.yaml': deployment('all'),
        'manifests/apps/web.yaml': deployment('web'),
        'manifests/prod/only-prod.yaml': deployment('only-prod'),
        'manifests/test/only-test.yml': deployment('only-test'),
        'manifests/README.md': 'not a manifest',
      }),
      { environments: ['test', 'prod'] },
    );
    const names = (e: EnvironmentConfig) => org.manifests?.(e).map((m) => `${m.file}:${m.line}`);
    expect(names(env())).toEqual([
      'org/manifests/all.yaml:1',
      'org/manifests/apps/web.yaml:1',
      'org/manifests/test/only-test.yml:1',
    ]);
    expect(names({ ...env(), name: 'prod' })).toEqual([
      'org/manifests/all.yaml:1',
      'org/manifests/apps/web.yaml:1',
      'org/manifests/prod/only-prod.yaml:1',
    ]);
  });

  test('no org/ at all contributes nothing', () => {
    const org = loadOrgExtension(path.join(os.tmpdir(), 'no-such-dir', 'org'), { environments: ['test'] });
    expect(ExtensionRegistry.with(org).manifests(env(), NAMESPACES)).toEqual([]);
  });

  test('bad YAML, policies in org/manifests and other kinds in org/policies are refused naming the file', () => {
    expect(orgError(() => registryOf({ 'manifests/bad.yaml': 'a: [\n' }))).toMatch(
      /^org\/manifests\/bad\.yaml:\d+: column \d+: /,
    );
    expect(orgError(() => registryOf({ 'manifests/vap.yaml': COST_CENTER_POLICY }))).toBe(
      [
        'org/manifests/vap.yaml:1: ValidatingAdmissionPolicy/require-cost-center: admission policies belong in org/policies, where check enforces them',
        'org/manifests/vap.yaml:14: ValidatingAdmissionPolicyBinding/require-cost-center: admission policies belong in org/policies, where check enforces them',
      ].join('\n'),
    );
    const r = registryOf({ 'policies/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n' });
    expect(orgError(() => r.admissionPolicies(env()))).toBe(
      'org/policies/cm.yaml:1: ConfigMap/x: only ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects are admission policies; put other objects in org/manifests',
    );
  });

  test('org/index.ts must export defineOrgExtensions(...) by default', () => {
    const lib = path.join(__dirname, '..', '..', 'lib', 'extensions');
    const good = orgSpace({
      'index.ts': `import { defineOrgExtensions } from ${JSON.stringify(lib)};\nexport default defineOrgExtensions({ controls: [] });\n`,
    });
    expect(loadOrgExtension(good, { environments: ['test'] }).controls).toEqual([]);
    const bad = orgSpace({ 'index.ts': 'export default { controls: [] };\n' });
    expect(orgError(() => loadOrgExtension(bad, { environments: ['test'] }))).toBe(
      'org/index.ts: must `export default defineOrgExtensions({ ... })` (from lib/extensions)',
    );
  });
});

describe('registry |', () => {
  test('EKS-ADM-011: an org manifest the policies deny stops synthesis: file, object and violation on one line', () => {
    const r = registryOf({
      'manifests/web.yaml': `${deployment('ok')}---\n${deployment('web', { privileged: true })}`,
    });
    const lines = orgError(() => r.manifests(env(), NAMESPACES)).split('\n');
    expect(lines).toContain(
      'org/manifests/web.yaml:20: Deployment/team-a/web: [pod-security] Pod Security "restricted": privileged: containers must not set securityContext.privileged=true; containers: app',
    );
    expect(lines.every((l) => l.startsWith('org/manifests/web.yaml:20: Deployment/team-a/web: ['))).toBe(
      true,
    );
    // Without the privileged container the same file passes.
    expect(registryOf({ 'manifests/web.yaml': deployment('web') }).manifests(env(), NAMESPACES)).toHaveLength(
      1,
    );
  });

  test('EKS-ADM-011: org manifests are judged as a plain user, not as the deployer group', () => {
    const role =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: all, namespace: team-a }\nrules:\n  - { apiGroups: [""], resources: [pods], verbs: ["*"] }\n';
    const r = registryOf({ 'manifests/role.yaml': role });
    expect(orgError(() => r.manifests(env(), NAMESPACES))).toMatch(
      /^org\/manifests\/role\.yaml:1: Role\/team-a\/all: \[rbac-guardrails\] /,
    );
    // The platform's admins could apply it: the difference is who applies.
    const [loaded] = loadOrgExtension(orgSpace({ 'manifests/role.yaml': role }), { environments: ['test'] })
      .manifests!(env());
    const asAdmin = checkObjects(r.evaluator(env()), [loaded], {
      userInfo: { username: 'deployer', groups: [env().adminGroup, 'system:authenticated'] },
    });
    expect(asAdmin[0].allowed).toBe(true);
  });

  test('an org manifest in a namespace that nothing creates is refused; one the org creates is fine', () => {
    const r = registryOf({ 'manifests/web.yaml': deployment('web', { namespace: 'team-z' }) });
    expect(orgError(() => r.manifests(env(), NAMESPACES))).toContain(
      'org/manifests/web.yaml:1: Deployment/team-z/web: namespace "team-z" is created by neither the baseline, a tenant of environment test, nor a Namespace in org/manifests; add one',
    );
    const ns =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-z\n  labels: { pod-security.kubernetes.io/enforce: restricted }\n---\n';
    const ok = registryOf({ 'manifests/web.yaml': ns + deployment('web', { namespace: 'team-z' }) });
    expect(ok.manifests(env(), NAMESPACES)).toHaveLength(2);
  });

  test('org policies join the environment: applied with the built-in ones and enforced on org manifests', () => {
    const r = registryOf({
      'policies/cost-center.yaml': COST_CENTER_POLICY,
      'manifests/web.yaml': deployment('web'),
    });
    expect(orgError(() => r.manifests(env(), NAMESPACES))).toBe(
      'org/manifests/web.yaml:1: Deployment/team-a/web: [require-cost-center] deployments carry a cost-center label',
    );
    const ok = registryOf({
      'policies/cost-center.yaml': COST_CENTER_POLICY,
      'manifests/web.yaml': deployment('web', { labels: { 'cost-center': '42' } }),
    });
    expect(ok.manifests(env(), NAMESPACES)).toHaveLength(1);
    const policies = ok.admissionPolicies(env()).map((p) => p.object);
    const builtIn = ExtensionRegistry.builtIn()
      .admissionPolicies(env())
      .map((p) => p.object);
    expect(policies.slice(0, builtIn.length)).toEqual(builtIn);
    expect(policies.slice(builtIn.length).map((p) => `${p.kind}/${p.metadata?.name}`)).toEqual([
      'ValidatingAdmissionPolicy/require-cost-center',
      'ValidatingAdmissionPolicyBinding/require-cost-center',
    ]);
  });

  test("an org policy selecting namespaces by label sees the baseline's labels", () => {
    const tenantsOnly = costCenterPolicyYaml({
      matchResources: '{ namespaceSelector: { matchLabels: { hardened-eks.io/namespace-kind: tenant } } }',
    });
    const r = registryOf({
      'policies/cost-center.yaml': tenantsOnly,
      'manifests/web.yaml': deployment('web'),
    });
    expect(orgError(() => r.manifests(env(), NAMESPACES))).toContain('[require-cost-center]');
    // Without the tenant label on team-a, the binding would not select it.
    const unlabelled = () => [namespaceObject('team-a')];
    expect(r.manifests(env(), unlabelled)).toHaveLength(1);
  });

  test('a policy the offline evaluator cannot compile is refused at synth naming its file', () => {
    const unsupported = costCenterPolicyYaml({
      expression: "authorizer.group('').resource('pods').check('create').allowed()",
    });
    const r = registryOf({ 'policies/authz.yaml': unsupported });
    expect(orgError(() => r.manifests(env(), NAMESPACES))).toMatch(
      /^org\/policies\/authz\.yaml:1: ValidatingAdmissionPolicy\/require-cost-center spec\.validations\[0\]\.expression: /,
    );
  });

  test('a policy named like a built-in one, or by a built-in id, or claiming the id label, is refused', () => {
    const named = (name: string) => COST_CENTER_POLICY.replace(/require-cost-center/g, name);
    expect(
      orgError(() =>
        registryOf({ 'policies/clash.yaml': named('namespace-pod-security') }).admissionPolicies(env()),
      ),
    ).toBe(
      [
        'org/policies/clash.yaml:1: ValidatingAdmissionPolicy/namespace-pod-security: the name is taken by policies/namespace-pod-security.ts; rename it',
        'org/policies/clash.yaml:14: ValidatingAdmissionPolicyBinding/namespace-pod-security: the name is taken by policies/namespace-pod-security.ts; rename it',
      ].join('\n'),
    );
    expect(
      orgError(() => registryOf({ 'policies/id.yaml': named('pod-security') }).admissionPolicies(env())),
    ).toMatch(
      /^org\/policies\/id\.yaml:1: ValidatingAdmissionPolicy\/pod-security: the name is the id of the blueprint's policy in policies\/pod-security\.ts; rename it/,
    );
    const labelled = COST_CENTER_POLICY.replace(
      '  name: require-cost-center\nspec:\n  failurePolicy',
      '  name: require-cost-center\n  labels: { hardened-eks.io/policy: image-pinning }\nspec:\n  failurePolicy',
    );
    expect(orgError(() => registryOf({ 'policies/l.yaml': labelled }).admissionPolicies(env()))).toBe(
      "org/policies/l.yaml:1: ValidatingAdmissionPolicy/require-cost-center: the label hardened-eks.io/policy is reserved for the blueprint's own policies; remove it",
    );
  });

  test('charts and controls must not reuse the names and ids of the built-in ones', () => {
    const clash: BlueprintExtension = {
      name: 'org',
      controls: [{ ...CONTROLS[0] }],
      charts: [
        { name: 'rbac', requires: [], build: (s, id, { props }) => new NamespacesChart(s, id, props) },
      ],
    };
    expect(orgError(() => ExtensionRegistry.with(clash)).split('\n')).toEqual([
      'org/index.ts: chart "rbac" is already defined by hardened-eks; choose another',
      `org/index.ts: control "${CONTROLS[0].id}" is already defined by hardened-eks; choose another`,
    ]);
  });
});

describe('composition |', () => {
  const ORG_CONTROL = {
    ...CONTROLS[0],
    id: 'ACME-001',
    title: 'an org control',
    provedBy: 'org/test/x.test.ts > ACME-001',
  };
  const hooked: string[] = [];
  const org = loadOrgExtension(
    orgSpace({
      'manifests/team-a/web.yaml': deployment('web'),
      'manifests/ns.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-z\n  labels: { pod-security.kubernetes.io/enforce: restricted }\n',
    }),
    { environments: ['test'] },
  );
  const hooks = defineOrgExtensions({
    charts: [
      {
        name: 'org-quotas',
        requires: ['namespaces'],
        build: (s, id, { props }) => new NamespacesChart(s, id, props, {}, []),
      },
    ],
    controls: [ORG_CONTROL],
    stacks: (stacks) => hooked.push(`stacks:${stacks.environment.name}`),
    acknowledgements: (stacks, acknowledge) => {
      acknowledge(stacks.cluster, 'AwsSolutions-IAM4', { reason: 'test', coveredBy: 'ACME-001' });
      hooked.push('acknowledged');
    },
  });
  const app = new App(TEST_APP_PROPS);
  const [stacks] = buildBlueprint(app, resolveConfig(testContext()), {
    compliance: false,
    extensions: ExtensionRegistry.with({ ...org, ...hooks, name: 'org' }),
  });

  test('the org stack applies the org manifests after the cluster and the tenant whose namespace they use', () => {
    expect(stacks.org?.stackName).toBe('acme-test-org');
    expect(stacks.org?.dependencies.map((s) => s.stackName).sort()).toEqual([
      'acme-test-cluster',
      'acme-test-tenant-team-a',
    ]);
    const t = Template.fromStack(stacks.org!);
    const manifests = Object.values(t.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(manifests).toHaveLength(2);
    const kinds = manifests.map((m) => JSON.stringify(m.Properties.Manifest));
    expect(kinds.find((k) => k.includes('Namespace'))).toContain('team-z');
    expect(kinds.find((k) => k.includes('Deployment'))).toContain('\\"name\\":\\"web\\"');
  });

  test('the org manifests and charts reach dist/: an org/ folder after the tenants, and a numbered chart', () => {
    const files = environmentManifestFiles(stacks);
    expect(
      Object.keys(files)
        .filter((f) => f.startsWith('org/'))
        .sort(),
    ).toEqual(['org/kustomization.yaml', 'org/ns.yaml', 'org/team-a/web.yaml']);
    expect(files['kustomization.yaml']).toMatch(/ {2}- tenants\/team-a\n {2}- org\n$/);
    expect(files['08-org-quotas.yaml']).toBeDefined();
  });

  test('hooks run once per environment; acknowledgements may name the org controls', () => {
    expect(hooked).toEqual(['stacks:test', 'acknowledged']);
  });
});

describe('bin/app.ts |', () => {
  test('a denied org manifest exits 1 with one line per violation, no stack trace and nothing written', () => {
    const orgDir = orgSpace({ 'manifests/miner.yaml': deployment('miner', { privileged: true }) });
    const project = path.dirname(orgDir);
    const outdir = path.join(project, 'cdk.out');
    const root = path.join(__dirname, '..', '..');
    // As the CDK CLI runs the app: in the project directory (org/ beside cdk.json), context from the CLI.
    const res = spawnSync(
      process.execPath,
      ['--import', require.resolve('tsx'), path.join(root, 'bin', 'app.ts')],
      {
        cwd: project,
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify({ blueprint: testContext() }),
          CDK_OUTDIR: outdir,
        },
        encoding: 'utf-8',
      },
    );
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toEqual([
      'org/manifests/miner.yaml:1: Deployment/team-a/miner: [pod-security] Pod Security "restricted": privileged: containers must not set securityContext.privileged=true; containers: app',
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
