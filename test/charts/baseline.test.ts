import { Match, Template } from 'aws-cdk-lib/assertions';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { baselineCharts, baselinePropsFrom, buildBaseline, manifestFiles } from '../../charts';
import { EXCEPTION_ANNOTATION, PSA_PREFIX } from '../../charts/namespaces';
import { DEFAULT_DENY_EXEMPT } from '../../charts/network-policies';
import { AdmissionEvaluator, checkObjects } from '../../lib/admission';
import { cidrContainsAddress, resolveConfig } from '../../lib/config';
import { admissionPolicies, POLICY_ID_LABEL } from '../../policies';
import { writeManifests } from '../../lib/manifests';
import { defaultBuild, resourcesOf, testContext, type Built } from '../helpers';

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [k: string]: any;
};

let b: Built;
let objects: K8sObject[];
beforeAll(() => {
  b = defaultBuild();
  objects = baselineCharts(b.stacks.baseline).flatMap((c) => c.toJson() as K8sObject[]);
});

const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
const env = () => b.config.environments[0];

describe('in-cluster baseline |', () => {
  test('EKS-K8S-PSA-001: every namespace has enforce/audit/warn labels pinned to the cluster version', () => {
    const namespaces = ofKind('Namespace');
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(
      [
        'amazon-cloudwatch',
        'default',
        'external-secrets',
        'kube-bench',
        'kube-node-lease',
        'kube-public',
        'kube-system',
        'logging',
        'team-a',
      ].sort(),
    );
    const exceptions = env().baseline.namespaceExceptions;
    for (const ns of namespaces) {
      const labels = ns.metadata.labels ?? {};
      for (const mode of ['enforce', 'audit', 'warn'])
        expect(labels[`${PSA_PREFIX}/${mode}-version`]).toBe('v1.36');
      expect(labels[`${PSA_PREFIX}/audit`]).toBe('restricted');
      expect(labels[`${PSA_PREFIX}/warn`]).toBe('restricted');
      const exception = exceptions[ns.metadata.name];
      expect(labels[`${PSA_PREFIX}/enforce`]).toBe(exception?.enforce ?? 'restricted');
      if (exception) expect(ns.metadata.annotations?.[EXCEPTION_ANNOTATION]).toBe(exception.reason);
    }
    expect(
      namespaces.find((n) => n.metadata.name === 'team-a')!.metadata.labels![`${PSA_PREFIX}/enforce`],
    ).toBe('restricted');
  });

  test('EKS-K8S-PSA-002: every shipped workload passes every admission policy; exceptions are named', () => {
    const policies = admissionPolicies(env().admission);
    const evaluator = AdmissionEvaluator.compile(policies);
    // The operator is installed by Helm: its real chart, rendered with the values the template carries, is
    // checked in test/deploy/rehearsal.test.ts.
    const all = objects.map((object, i) => ({ file: 'baseline', line: i + 1, object }));
    const results = checkObjects(evaluator, all, { version: 'v1.36' });
    expect(
      results
        .filter((r) => !r.allowed)
        .map((r) => `${r.kind}/${r.namespace}/${r.name}: ${r.violations.map((v) => v.message).join('; ')}`),
    ).toEqual([]);
    expect(results.filter((r) => r.warnings.length > 0)).toEqual([]);

    // Which workloads run only thanks to a declared namespace exception: pod-security forced to restricted.
    const restrictedOnly = evaluator.filter((p) => p.labels[POLICY_ID_LABEL] === 'pod-security');
    const needException = checkObjects(restrictedOnly, all, { version: 'v1.36', level: 'restricted' }).filter(
      (r) => !r.allowed,
    );
    expect(needException.map((r) => `${r.namespace}/${r.kind}/${r.name}`).sort()).toEqual([
      'kube-bench/CronJob/kube-bench',
      'logging/DaemonSet/fluent-bit',
    ]);
    for (const r of needException)
      expect(env().baseline.namespaceExceptions[r.namespace].reason).toMatch(/^\S+(\s+\S+){3,}$/);
  });

  test('EKS-K8S-DEF-001: nothing but the labels and the default ServiceAccount is applied to default', () => {
    const inDefault = objects.filter(
      (o) => o.metadata.namespace === 'default' || (o.kind === 'Namespace' && o.metadata.name === 'default'),
    );
    expect(inDefault.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Namespace/default',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
      'ServiceAccount/default',
    ]);
  });

  test('EKS-K8S-NET-001: every managed namespace has default-deny both ways and a DNS allow to CoreDNS', () => {
    const policies = ofKind('NetworkPolicy');
    const managed = ofKind('Namespace')
      .map((n) => n.metadata.name)
      .filter((n) => !(DEFAULT_DENY_EXEMPT as readonly string[]).includes(n));
    expect(managed).toHaveLength(7);
    for (const ns of managed) {
      const deny = policies.find((p) => p.metadata.namespace === ns && p.metadata.name === 'default-deny');
      expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
      const dns = policies.find((p) => p.metadata.namespace === ns && p.metadata.name === 'allow-dns');
      expect(dns?.spec.egress).toEqual([
        {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
        },
      ]);
    }
  });

  test('EKS-K8S-NET-002: no NetworkPolicy allows egress to 169.254.169.254', () => {
    const risky = resolveConfig(
      testContext({ tenants: [{ name: 'web', allowedEgress: [{ cidr: '0.0.0.0/0', ports: [443] }] }] }),
    );
    const all = baselineCharts(buildBaseline(baselinePropsFrom(risky.environments[0]))).flatMap(
      (c) => c.toJson() as K8sObject[],
    );
    const blocks = all
      .filter((o) => o.kind === 'NetworkPolicy')
      .flatMap((p) =>
        (p.spec.egress ?? []).flatMap((e: any) => (e.to ?? []).map((t: any) => t.ipBlock).filter(Boolean)),
      );
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const reachesImds =
        cidrContainsAddress(block.cidr, '169.254.169.254') &&
        !(block.except ?? []).includes('169.254.169.254/32');
      expect({ block, reachesImds }).toEqual({ block, reachesImds: false });
    }
  });

  test('EKS-K8S-RBAC-001: no role uses wildcards, escalate, bind or impersonate', () => {
    const roles = [...ofKind('Role'), ...ofKind('ClusterRole')];
    expect(roles.length).toBeGreaterThanOrEqual(6);
    for (const role of roles) {
      for (const rule of role.rules) {
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['*']));
        for (const v of ['escalate', 'bind', 'impersonate']) expect(rule.verbs).not.toContain(v);
        expect(rule.resources).not.toContain('*');
        expect(rule.apiGroups).not.toContain('*');
      }
    }
  });

  test('EKS-K8S-RBAC-002: no pods/exec, attach or portforward unless a tenant is granted it', () => {
    const grants = (objs: K8sObject[]) =>
      objs
        .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
        .filter((r) =>
          r.rules.some((rule: any) =>
            rule.resources.some((x: string) => /^pods\/(exec|attach|portforward)$/.test(x)),
          ),
        )
        .map((r) => `${r.metadata.namespace ?? ''}/${r.metadata.name}`);
    expect(grants(objects)).toEqual([]);
    const granted = resolveConfig(testContext({ tenants: [{ name: 'ops', allowExec: true }] }));
    const all = baselineCharts(buildBaseline(baselinePropsFrom(granted.environments[0]))).flatMap(
      (c) => c.toJson() as K8sObject[],
    );
    expect(grants(all).sort()).toEqual(['ops/developer', 'ops/namespace-admin']);
  });

  test('EKS-K8S-RBAC-003: no binding to cluster-admin or anonymous groups; read roles cannot read Secrets', () => {
    for (const binding of [...ofKind('RoleBinding'), ...ofKind('ClusterRoleBinding')]) {
      expect(binding.roleRef.name).not.toMatch(/^(cluster-admin|admin|edit)$/);
      for (const s of binding.subjects) {
        expect([
          'system:anonymous',
          'system:unauthenticated',
          'system:masters',
          'system:authenticated',
        ]).not.toContain(s.name);
      }
    }
    for (const name of ['hardened-eks:viewer', 'hardened-eks:auditor']) {
      const role = ofKind('ClusterRole').find((r) => r.metadata.name === name)!;
      expect(role.rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
      const binding = ofKind('ClusterRoleBinding').find((r) => r.metadata.name === name)!;
      expect(binding.subjects).toEqual([
        {
          kind: 'Group',
          apiGroup: 'rbac.authorization.k8s.io',
          name: name.endsWith('viewer') ? 'platform:viewers' : 'platform:auditors',
        },
      ]);
    }
  });

  test('EKS-K8S-RBAC-004: the default ServiceAccount of every managed namespace has automount off', () => {
    const defaults = ofKind('ServiceAccount').filter((s) => s.metadata.name === 'default');
    expect(defaults.map((s) => s.metadata.namespace).sort()).toEqual(
      ofKind('Namespace')
        .map((n) => n.metadata.name)
        .sort(),
    );
    for (const sa of defaults) expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('EKS-K8S-TEN-001: a tenant gets quota, limits, roles bound to its groups and isolation', () => {
    const inTeam = objects.filter((o) => o.metadata.namespace === 'team-a');
    const kinds = inTeam.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        'LimitRange/tenant-limits',
        'ResourceQuota/tenant-quota',
        'Role/developer',
        'Role/namespace-admin',
        'RoleBinding/developer',
        'RoleBinding/namespace-admin',
        'NetworkPolicy/default-deny',
        'NetworkPolicy/allow-dns',
        'NetworkPolicy/allow-egress-same-namespace',
        'NetworkPolicy/allow-ingress-same-namespace',
        'NetworkPolicy/allow-egress-configured-0',
        'SecretStore/aws-secrets-manager',
      ]),
    );
    const quota = inTeam.find((o) => o.kind === 'ResourceQuota')!;
    expect(quota.spec.hard).toMatchObject({
      'requests.cpu': '4',
      'limits.memory': '16Gi',
      pods: 50,
      'services.loadbalancers': 0,
      'services.nodeports': 0,
    });
    const binding = inTeam.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'namespace-admin')!;
    expect(binding.subjects[0].name).toBe('tenant:team-a:admins');
    b.tenants[0].hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111111111111:role/TeamAOwner',
      KubernetesGroups: ['tenant:team-a:admins'],
      AccessPolicies: Match.absent(),
    });
  });

  test('EKS-K8S-TEN-002: the tenant store uses its own role, limited to <env>/<tenant>/*', () => {
    const store = objects.find((o) => o.kind === 'SecretStore' && o.metadata.namespace === 'team-a')!;
    expect(store.spec.provider.aws).toEqual({
      service: 'SecretsManager',
      region: 'us-east-1',
      role: 'arn:aws:iam::111111111111:role/hardened-eks/acme-test/tenant-secrets/acme-test-secrets-team-a',
    });
    const [[roleId, role]] = resourcesOf(b.tenants[0], 'AWS::IAM::Role').filter(
      ([, r]) => r.Properties.RoleName === 'acme-test-secrets-team-a',
    );
    expect(role.Properties.Path).toBe('/hardened-eks/acme-test/tenant-secrets/');
    const trust = JSON.stringify(role.Properties.AssumeRolePolicyDocument);
    expect(trust).toMatch(/ExternalSecretsRole/);
    const [, tenantPolicy] = resourcesOf(b.tenants[0], 'AWS::IAM::ManagedPolicy').find(([, p]) =>
      JSON.stringify(p.Properties.Roles ?? []).includes(roleId),
    )!;
    const resources = JSON.stringify(tenantPolicy.Properties.PolicyDocument.Statement[0].Resource);
    expect(resources).toContain(':secret:test/team-a/*');
    const policies = resourcesOf(b.cluster, 'AWS::IAM::ManagedPolicy');
    const [, esoPolicy] = policies.find(
      ([, p]) => p.Properties.Description === 'External Secrets Operator controller',
    )!;
    const assume = esoPolicy.Properties.PolicyDocument.Statement.find(
      (s: any) => s.Sid === 'AssumeTenantStoreRoles',
    );
    expect(assume.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    // Every tenant store role, and nothing else: the path only tenant stacks create roles under.
    expect(JSON.stringify(assume.Resource)).toContain(
      ':iam::111111111111:role/hardened-eks/acme-test/tenant-secrets/*',
    );
    expect(JSON.stringify(esoPolicy.Properties.PolicyDocument)).toContain(':secret:test/platform/*');
    b.cluster.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'external-secrets',
      ServiceAccount: 'external-secrets',
    });
    const platformStore = ofKind('ClusterSecretStore')[0];
    expect(platformStore.spec.conditions).toEqual([
      { namespaceSelector: { matchLabels: { 'hardened-eks.io/namespace-kind': 'platform' } } },
    ]);
  });

  test('EKS-K8S-LOG-001: Fluent Bit ships to the encrypted node-log group with its own Pod Identity role', () => {
    const ds = ofKind('DaemonSet').find((d) => d.metadata.name === 'fluent-bit')!;
    const image: string = ds.spec.template.spec.containers[0].image;
    expect(image).toMatch(/:\d+\.\d+\.\d+$/);
    const config = ofKind('ConfigMap').find((c) => c.metadata.name === 'fluent-bit-config')!.data[
      'fluent-bit.conf'
    ];
    expect(config).toContain('log_group_name    /hardened-eks/acme-test/containers');
    const [[, group]] = resourcesOf(b.cluster, 'AWS::Logs::LogGroup').filter(
      ([, g]) => g.Properties.LogGroupName === '/hardened-eks/acme-test/containers',
    );
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(group.DeletionPolicy).toBe('Retain');
    b.cluster.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'logging',
      ServiceAccount: 'fluent-bit',
    });
  });

  test('EKS-K8S-CIS-001: weekly kube-bench pinned to the CIS EKS 1.8.0 benchmark with read-only host mounts', () => {
    const cron = ofKind('CronJob').find((c) => c.metadata.name === 'kube-bench')!;
    expect(cron.spec.schedule).toBe('0 3 * * 0');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.containers[0].command).toEqual(expect.arrayContaining(['--benchmark', 'eks-1.8.0']));
    expect(pod.containers[0].image).toMatch(/:v\d+\.\d+\.\d+$/);
    for (const m of pod.containers[0].volumeMounts) expect(m.readOnly).toBe(true);
    expect(env().baseline.namespaceExceptions['kube-bench'].enforce).toBe('privileged');
  });
});

describe('baseline delivery |', () => {
  const stripPrune = (o: K8sObject): K8sObject => {
    const labels = Object.fromEntries(
      Object.entries(o.metadata.labels ?? {}).filter(([k]) => !k.startsWith('aws.cdk.eks/prune-')),
    );
    const metadata = { ...o.metadata, labels };
    if (Object.keys(labels).length === 0) delete (metadata as any).labels;
    return { ...o, metadata };
  };

  test('the cluster and tenant templates apply every chart, and dist/ holds exactly the same objects', () => {
    const manifests = [b.cluster, ...b.tenants].flatMap((t) =>
      resourcesOf(t, 'Custom::AWSCDK-EKS-KubernetesResource'),
    );
    const applied = manifests.flatMap(([, r]) =>
      (JSON.parse(r.Properties.Manifest) as K8sObject[]).map(stripPrune),
    );
    expect(applied).toEqual(objects);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-dist-'));
    writeManifests([b.stacks], dir);
    const files = (fs.readdirSync(path.join(dir, 'test'), { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, 'test', f)).isFile())
      .sort();
    expect(files).toEqual(Object.keys(manifestFiles(b.stacks.baseline)).sort());
    const fromDist = files
      .filter((f) => f !== 'audit-policy.yaml' && path.basename(f) !== 'kustomization.yaml')
      .flatMap((f) =>
        parseAllDocuments(fs.readFileSync(path.join(dir, 'test', f), 'utf-8')).map((d) => d.toJSON()),
      );
    expect(fromDist).toEqual(objects);
  });

  test('namespaces are retained on stack deletion; CRD users wait for the operator; the chart version is pinned', () => {
    const manifests = Template.fromJSON(b.cluster.toJSON()).findResources(
      'Custom::AWSCDK-EKS-KubernetesResource',
    );
    const nsManifest = Object.values(manifests).find((r: any) =>
      r.Properties.Manifest.includes('"kind":"Namespace"'),
    ) as any;
    expect(nsManifest.DeletionPolicy).toBe('Retain');
    // No prune label: an update that drops a namespace from the chart leaves the namespace alone.
    expect(nsManifest.Properties.PruneLabel).toBeUndefined();
    const [[helmId, helm]] = resourcesOf(b.cluster, 'Custom::AWSCDK-EKS-HelmChart');
    expect(helm.Properties).toMatchObject({
      Chart: 'external-secrets',
      Version: '2.9.0',
      Namespace: 'external-secrets',
    });
    const platformStores = Object.values(manifests).find((r: any) =>
      r.Properties.Manifest.includes('"kind":"ClusterSecretStore"'),
    ) as any;
    expect(platformStores.DependsOn).toEqual(expect.arrayContaining([helmId]));
    // A tenant's objects are in its own stack, deployed after the cluster stack (and so the operator):
    // its namespace is kept on deletion and everything else waits for it.
    expect(b.stacks.tenants[0].dependencies).toContain(b.stacks.cluster);
    const tenant = b.tenants[0].findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const [nsId, tenantNs] = Object.entries(tenant).find(([, r]: [string, any]) =>
      r.Properties.Manifest.includes('"kind":"Namespace"'),
    ) as [string, any];
    expect(tenantNs.DeletionPolicy).toBe('Retain');
    // Applied, so an existing namespace (from the earlier one-chart layout) is adopted, not a failure.
    expect(tenantNs.Properties.Overwrite).toBe(true);
    const store = Object.values(tenant).find((r: any) =>
      r.Properties.Manifest.includes('"kind":"SecretStore"'),
    ) as any;
    expect(store.DependsOn).toEqual(expect.arrayContaining([nsId]));
  });

  test('snapshot of the GitOps files, for review of diffs', () => {
    expect(manifestFiles(b.stacks.baseline)).toMatchSnapshot();
  });

  test('the GitOps files are deterministic and hold no CDK tokens', () => {
    const again = manifestFiles(buildBaseline(baselinePropsFrom(env())));
    expect(again).toEqual(manifestFiles(b.stacks.baseline));
    for (const content of Object.values(again)) expect(content).not.toMatch(/\$\{Token\[|Fn::|\{"Ref"/);
    expect(again['audit-policy.yaml']).toMatch(/kind: Policy/);
  });

  test('every manifest validates against the Kubernetes OpenAPI schema (kubernetes-models)', () => {
    // kubernetes-models 5 (Kubernetes 1.35 APIs) is ESM only: it validates in a child Node process.
    const input = objects.filter((o) => !o.apiVersion.startsWith('external-secrets.io/')); // CRDs: charts/imports
    const out = execFileSync(process.execPath, [path.join(__dirname, 'validate-manifests.mjs')], {
      input: JSON.stringify(input),
      cwd: path.join(__dirname, '..', '..'),
    });
    const { validated, errors } = JSON.parse(out.toString()) as { validated: number; errors: string[] };
    expect(errors).toEqual([]);
    expect(validated).toBe(input.length);
    expect(validated).toBeGreaterThan(40);
  });
});
