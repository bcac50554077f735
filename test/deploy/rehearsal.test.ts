import { App } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import Ajv from 'ajv';
import * as path from 'path';
import { AdmissionEvaluator, checkObjects, type KubeObject, type UserInfo } from '../../lib/admission';
import { buildBlueprint } from '../../lib/app';
import { resolveConfig, type EnvironmentConfig } from '../../lib/config';
import { TEST_APP_PROPS, testContext } from '../helpers';
import { Deployment, type Located } from '../support/assembly';
import { describeWithChart, fixtureChart, helmTemplate } from '../support/charts';
import { runCheck } from '../support/check';
import { stringify } from 'yaml';

/*
 * The first `cdk deploy`, rehearsed offline: every object every Kubernetes custom resource of every stack
 * applies, plus the External Secrets chart rendered by the real helm from the real chart with the values
 * the template carries, through the admission policies the template applies, as the identity that
 * applies them (the kubectl provider's role, with the groups of its access entry in the template).
 */

const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';
const HELM = 'Custom::AWSCDK-EKS-HelmChart';
const PLAIN_USER: UserInfo = { username: 'app-ci', groups: ['system:authenticated'] };

function synthesize(tenants: object[]): { deployment: Deployment; env: EnvironmentConfig } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-rehearsal-'));
  const app = new App({ ...TEST_APP_PROPS, outdir });
  const config = resolveConfig(testContext({ tenants }));
  buildBlueprint(app, config, { compliance: false });
  return { deployment: new Deployment(app.synth()), env: config.environments[0] };
}

const objectsOf = (m: Located): KubeObject[] => JSON.parse(m.resource.Properties!.Manifest);

/** The identity EKS presents for the role that runs a custom resource's handler, from the template. */
function applyingIdentity(d: Deployment, cr: Located): { userInfo: UserInfo; entry: Located } {
  const framework = d.target(cr.stack, cr.resource.Properties!.ServiceToken)!;
  const handler = d.target(
    framework.stack,
    framework.resource.Properties!.Environment.Variables.USER_ON_EVENT_FUNCTION_ARN,
  )!;
  const role = d.target(handler.stack, handler.resource.Properties!.Role)!;
  const entries = d
    .resourcesOfType('AWS::EKS::AccessEntry')
    .filter((e) => d.target(e.stack, e.resource.Properties!.PrincipalArn)?.resource === role.resource);
  expect(entries).toHaveLength(1); // an IAM principal can be in only one access entry
  const entry = entries[0];
  const p = entry.resource.Properties!;
  return {
    entry,
    userInfo: {
      // What EKS presents for a role's access entry unless the entry sets a username.
      username: p.Username ?? `arn:aws:sts::111111111111:assumed-role/${role.logicalId}/{{SessionName}}`,
      groups: [...(p.KubernetesGroups ?? []), 'system:authenticated'],
    },
  };
}

const { deployment: d, env } = synthesize([
  { name: 'team-a', ownerRoleArns: ['arn:aws:iam::111111111111:role/TeamAOwner'] },
  { name: 'team-b', allowExec: true },
]);
const manifests = d.resourcesOfType(MANIFEST);
const [helm] = d.resourcesOfType(HELM);
const version = helm.resource.Properties!.Version as string;

describe('deploy rehearsal | the applying identity', () => {
  test('every manifest and the chart are applied by the kubectl provider, whose access entry is in the deployer group', () => {
    const ids = [helm, ...manifests].map((m) => applyingIdentity(d, m));
    const { userInfo, entry } = ids[0];
    for (const other of ids) expect(other.entry.resource).toBe(entry.resource);
    expect(entry.stack.name).toBe('acme-test-cluster');
    expect(entry.resource.Properties!.KubernetesGroups).toEqual(['platform:deployers']);
    expect(userInfo.groups).toContain(env.deployerGroup);
  });
});

describeWithChart('external-secrets', version, 'deploy rehearsal | admission', (chartDir) => {
  const cluster = d.resourcesOfType('AWS::EKS::Cluster')[0].resource.Properties!;
  const p = helm.resource.Properties!;
  const chart = helmTemplate(chartDir, {
    release: p.Release,
    namespace: p.Namespace,
    valuesJson: p.Values,
    kubernetesVersion: cluster.Version,
  });
  const applied = manifests.flatMap(objectsOf);
  // The policies as the template applies them, not as the code would build them.
  const policies = applied.filter((o) =>
    ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].includes(o.kind ?? ''),
  );
  const evaluator = AdmissionEvaluator.compile(policies);
  const check = (objects: KubeObject[], userInfo: UserInfo) =>
    checkObjects(
      evaluator,
      [...applied.filter((o) => o.kind === 'Namespace'), ...objects].map((object, i) => ({
        file: 'rehearsal',
        line: i + 1,
        object,
      })),
      { userInfo, version: `v${cluster.Version}` },
    ).filter((r) => !r.allowed || r.warnings.length > 0);
  const verdicts = (rs: ReturnType<typeof check>) =>
    rs.map(
      (r) =>
        `${r.kind}/${r.namespace}/${r.name}: ${[...r.violations, ...r.warnings].map((v) => v.message).join('; ')}`,
    );
  const deployer = applyingIdentity(d, helm).userInfo;

  test(`the chart is the pinned ${version}, rendered from the fixture with the template's values`, () => {
    expect(p.Chart).toBe('external-secrets');
    expect('dir' in fixtureChart('external-secrets', version)).toBe(true);
    expect(chart.filter((o) => o.kind === 'CustomResourceDefinition').length).toBeGreaterThan(10);
    expect(
      chart
        .filter((o) => o.kind === 'Deployment')
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['external-secrets', 'external-secrets-cert-controller', 'external-secrets-webhook']);
  });

  test('EKS-ADM-007: everything the stacks apply, and the chart, is admitted for the deploying identity', () => {
    expect(verdicts(check([...applied, ...chart], deployer))).toEqual([]);
  });

  test("EKS-K8S-PSA-002: the chart's pods pass Pod Security restricted in their namespace", () => {
    const ns = applied.find((o) => o.kind === 'Namespace' && o.metadata?.name === p.Namespace)!;
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const workloads = chart.filter((o) => o.kind === 'Deployment');
    expect(verdicts(check(workloads, PLAIN_USER))).toEqual([]);
  });

  test('EKS-ADM-007: the cluster-wide serviceaccounts/token create is gone from the chart, and stays denied for everyone', () => {
    const grantsToken = (o: KubeObject) =>
      ((o as { rules?: { resources?: string[]; verbs?: string[] }[] }).rules ?? []).some(
        (r) => r.resources?.includes('serviceaccounts/token') && r.verbs?.includes('create'),
      );
    expect(chart.filter(grantsToken)).toEqual([]);
    const tokenRole: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'mint-tokens' },
      rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }],
    };
    for (const who of [PLAIN_USER, deployer]) {
      expect(verdicts(check([tokenRole], who))).toEqual([
        'ClusterRole//mint-tokens: roles must not grant nodes/proxy or create on serviceaccounts/token',
      ]);
    }
  });

  test("EKS-ADM-007: the operator's named webhook writes are the deployer's only; any other user is denied them", () => {
    const webhookWriters = chart.filter(
      (o) =>
        o.kind === 'ClusterRole' &&
        JSON.stringify(o).includes('validatingwebhookconfigurations') &&
        JSON.stringify(o).includes('"patch"'),
    );
    expect(webhookWriters.map((o) => o.metadata?.name)).toEqual(['external-secrets-cert-controller']);
    expect(verdicts(check(webhookWriters, deployer))).toEqual([]);
    expect(verdicts(check(webhookWriters, PLAIN_USER))).toEqual([
      expect.stringMatching(
        /^ClusterRole\/\/external-secrets-cert-controller: roles must not grant write access to admission webhook/,
      ),
    ]);
    // Without resourceNames the same rule would reach every webhook, the policies' own included.
    const unnamed = JSON.parse(
      JSON.stringify(webhookWriters[0]).replace(/"resourceNames":\[[^\]]*\],?/g, ''),
    );
    expect(verdicts(check([unnamed], deployer))).toHaveLength(1);
  });

  test('EKS-K8S-SEC-001: every external-secrets.io object the stacks apply is valid against its CRD schema in the chart', () => {
    // The API server validates custom objects against the CRD's structural schema; so does this test.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const crds = chart.filter((o) => o.kind === 'CustomResourceDefinition') as any[];
    const compiled = new Map<string, ReturnType<Ajv['compile']>>();
    const schemaOf = (kind: string, served: any) => {
      if (!compiled.has(kind)) compiled.set(kind, ajv.compile(served.schema.openAPIV3Schema));
      return compiled.get(kind)!;
    };
    const eso = applied.filter((o) => o.apiVersion?.startsWith('external-secrets.io/'));
    expect(eso.map((o) => o.kind).sort()).toEqual([
      'ClusterSecretStore',
      'ExternalSecret',
      'SecretStore',
      'SecretStore',
    ]);
    for (const o of eso) {
      const [group, ver] = o.apiVersion!.split('/');
      const crd = crds.find((c) => c.spec.group === group && c.spec.names.kind === o.kind)!;
      const served = crd.spec.versions.find((v: any) => v.name === ver && v.served);
      expect({ kind: o.kind, served: Boolean(served) }).toEqual({ kind: o.kind, served: true });
      const validate = schemaOf(o.kind!, served);
      validate(o);
      expect({ object: `${o.kind}/${o.metadata?.name}`, errors: validate.errors ?? [] }).toEqual({
        object: `${o.kind}/${o.metadata?.name}`,
        errors: [],
      });
    }
    // And the schema really is enforced: a store without a provider is rejected.
    const store = eso.find((o) => o.kind === 'SecretStore') as any;
    const crd = crds.find((c) => c.spec.names.kind === 'SecretStore');
    const validate = ajv.compile(crd.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema);
    expect(
      validate({ ...store, metadata: undefined, spec: { provider: { aws: { region: 'us-east-1' } } } }),
    ).toBe(false);
  });

  test('check --as/--as-group: the rendered chart is admitted for the deployer, not for a plain user', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-chart-')), 'chart.yaml');
    fs.writeFileSync(file, chart.map((o) => stringify(o)).join('---\n'));
    const as = ['--as', deployer.username, '--env', 'dev'];
    const deploying = await runCheck([...as, '--as-group', env.deployerGroup, file]);
    expect(deploying.code).toBe(0);
    const plain = await runCheck(['--as', deployer.username, '--env', 'dev', '--format', 'json', file]);
    expect(plain.code).toBe(1);
    const denied = JSON.parse(plain.stdout).results.filter((r: { allowed: boolean }) => !r.allowed);
    expect(denied.map((r: { kind: string; name: string }) => `${r.kind}/${r.name}`)).toEqual([
      'ClusterRole/external-secrets-cert-controller',
    ]);
    const token = path.join(path.dirname(file), 'token.yaml');
    fs.writeFileSync(
      token,
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: mint-tokens }\nrules:\n  - { apiGroups: [""], resources: [serviceaccounts/token], verbs: [create] }\n',
    );
    expect((await runCheck([...as, token])).code).toBe(1);
    expect((await runCheck([...as, '--as-group', env.deployerGroup, token])).code).toBe(1);
  });
});

describe('deploy rehearsal | apply order', () => {
  const creates = (m: Located, ns: string) =>
    objectsOf(m).some((o) => o.kind === 'Namespace' && o.metadata?.name === ns);
  const createdBy = (ns: string) => manifests.filter((m) => creates(m, ns));

  test('each manifest with namespaced objects waits for the manifest that creates their namespace', () => {
    let checked = 0;
    for (const m of manifests) {
      const namespaces = new Set(
        objectsOf(m).flatMap((o) => (o.metadata?.namespace ? [o.metadata.namespace] : [])),
      );
      for (const ns of namespaces) {
        if (creates(m, ns)) continue; // the same manifest: kubectl applies the Namespace first
        const makers = createdBy(ns);
        expect({ manifest: m.logicalId, ns, makers: makers.length }).toEqual({
          manifest: m.logicalId,
          ns,
          makers: 1,
        });
        expect({ manifest: `${m.stack.name}/${m.logicalId}`, ns, waits: d.waitsFor(m, makers[0]) }).toEqual({
          manifest: `${m.stack.name}/${m.logicalId}`,
          ns,
          waits: true,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  test('each manifest with external-secrets.io objects waits for the chart (its CRDs)', () => {
    const users = manifests.filter((m) =>
      objectsOf(m).some((o) => o.apiVersion?.startsWith('external-secrets.io/')),
    );
    expect(users.map((m) => m.stack.name).sort()).toEqual([
      'acme-test-cluster',
      'acme-test-tenant-team-a',
      'acme-test-tenant-team-b',
    ]);
    for (const m of users)
      expect({ m: m.logicalId, waits: d.waitsFor(m, helm) }).toEqual({ m: m.logicalId, waits: true });
  });

  test('the chart waits for its namespace, a node group and the vpc-cni add-on (Helm waits for ready pods)', () => {
    const [ns] = createdBy(helm.resource.Properties!.Namespace);
    expect(d.waitsFor(helm, ns)).toBe(true);
    const nodeGroups = d.resourcesOfType('AWS::EKS::Nodegroup');
    expect(nodeGroups.some((ng) => d.waitsFor(helm, ng))).toBe(true);
    const cni = d
      .resourcesOfType('AWS::EKS::Addon')
      .find((a) => a.resource.Properties!.AddonName === 'vpc-cni')!;
    expect(d.waitsFor(helm, cni)).toBe(true);
  });
});
