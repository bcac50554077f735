import { resolveConfig } from '../../lib/config';
import { configErrorOf, testContext } from '../helpers';

const issues = (overrides: Record<string, unknown>): string => configErrorOf(testContext(overrides));

describe('config | admission', () => {
  test('GIVEN no admission config THEN secure defaults: own ECR plus the baseline image paths, deny everywhere, exec denied', () => {
    const a = resolveConfig(testContext()).environments[0].admission;
    expect(a).toEqual({
      // The baseline's own images (configured under baseline.*) are admitted by their registry path only.
      allowedRegistries: [
        '111111111111.dkr.ecr.us-east-1.amazonaws.com',
        'public.ecr.aws/aws-observability',
        'docker.io/aquasec',
        'ghcr.io/external-secrets',
      ],
      requireImageDigests: false,
      requiredLabels: ['app.kubernetes.io/name', 'owner'],
      breakGlassGroup: 'platform:break-glass',
      platformAdminGroup: 'platform:admins',
      platformDeployerGroup: 'platform:deployers',
      // The baseline's declared namespace exceptions (system namespaces are excluded by the bindings).
      podSecurityExceptions: { 'kube-bench': 'privileged', logging: 'privileged' },
      // Container Insights is on by default: its add-on namespace is AWS-managed like kube-system.
      systemNamespaces: ['amazon-cloudwatch', 'kube-node-lease', 'kube-public', 'kube-system'],
      internetFacingLoadBalancerNamespaces: [],
      allowPodExec: false,
      execAllowedNamespaces: [],
      warnOnlyPolicies: [],
    });
  });

  test('GIVEN org and environment admission keys THEN the environment key wins, key by key', () => {
    const ctx = testContext({ admission: { requireImageDigests: true } }) as any;
    ctx.org = {
      ...ctx.org,
      admission: { extraAllowedRegistries: ['public.ecr.aws/eks-distro'], requireImageDigests: false },
    };
    const a = resolveConfig(ctx).environments[0].admission;
    expect(a.requireImageDigests).toBe(true);
    expect(a.allowedRegistries.slice(0, 2)).toEqual([
      '111111111111.dkr.ecr.us-east-1.amazonaws.com',
      'public.ecr.aws/eks-distro',
    ]);
  });

  test('GIVEN a tenant granted exec THEN its namespace is left to RBAC by the exec policy', () => {
    const a = resolveConfig(testContext({ tenants: [{ name: 'ops', allowExec: true }, { name: 'web' }] }))
      .environments[0].admission;
    expect(a.execAllowedNamespaces).toEqual(['ops']);
  });

  test('GIVEN the detection add-ons THEN their namespaces are system namespaces, and only then', () => {
    const on = resolveConfig(testContext({ detection: { guardDuty: { mode: 'create' } } })).environments[0];
    expect(on.admission.systemNamespaces).toEqual(
      expect.arrayContaining(['amazon-cloudwatch', 'amazon-guardduty', 'kube-system']),
    );
    const off = resolveConfig(testContext({ detection: { containerInsights: false } })).environments[0];
    expect(off.admission.systemNamespaces).toEqual(['kube-node-lease', 'kube-public', 'kube-system']);
  });

  test('bad values name the field, the value and the fix', () => {
    expect(issues({ admission: { warnOnlyPolicies: ['pod-securty'] } })).toMatch(
      /environments\.test\.admission\.warnOnlyPolicies\[0\]: must be a policy id: namespace-pod-security, pod-security/,
    );
    expect(issues({ admission: { extraAllowedRegistries: ['https://docker.io'] } })).toMatch(
      /admission\.extraAllowedRegistries\[0\]: must be a registry host .*\(got "https:\/\/docker\.io"\)/,
    );
    expect(issues({ admission: { breakGlassGroup: 'platform:admins' } })).toMatch(
      /environments\.test\.admission\.breakGlassGroup: must differ from adminGroup.*\(got "platform:admins"\)/,
    );
    expect(issues({ admission: { podSecurityExceptions: { 'kube-system': 'privileged' } } })).toMatch(
      /environments\.test\.admission\.podSecurityExceptions\.kube-system: is a system namespace/,
    );
    expect(issues({ admission: { allowPodExec: 'yes' } })).toMatch(
      /environments\.test\.admission\.allowPodExec: /,
    );
  });
});
