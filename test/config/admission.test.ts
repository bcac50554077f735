import { resolveConfig } from '../../lib/config';
import { configErrorOf, testContext } from '../helpers';

const issues = (overrides: Record<string, unknown>): string => configErrorOf(testContext(overrides));

describe('config | admission', () => {
  test('GIVEN no admission config THEN secure defaults: own ECR plus the baseline image paths, deny everywhere, exec denied', () => {
    const a = resolveConfig(testContext()).environments[0].admission;
    expect(a).toEqual({
      // The baseline's own images (configured under baseline.*) are admitted by their registry path only.
      allowedRegistries: ['111111111111.dkr.ecr.us-east-1.amazonaws.com'],
      // The baseline's own image registries: in platform and system namespaces only, never for tenants.
      platformRegistries: [
        'public.ecr.aws/aws-observability',
        'docker.io/aquasec',
        'ghcr.io/external-secrets',
      ],
      requireImageDigests: false,
      requiredLabels: ['app.kubernetes.io/name', 'owner'],
      breakGlassGroup: 'platform:break-glass',
      platformAdminGroup: 'platform:admins',
      platformDeployerGroup: 'platform:deployers',
      // The baseline's declared namespace exceptions (system namespaces are excluded by the bindings;
      // the AWS add-on namespaces stay under namespace-pod-security, which must admit their labels).
      podSecurityExceptions: {
        'amazon-cloudwatch': 'privileged',
        'kube-bench': 'privileged',
        logging: 'privileged',
      },
      // The AWS add-on namespaces are AWS-managed like kube-system, enabled here or not.
      systemNamespaces: [
        'amazon-cloudwatch',
        'amazon-guardduty',
        'kube-node-lease',
        'kube-public',
        'kube-system',
      ],
      internetFacingLoadBalancerNamespaces: [],
      allowPodExec: false,
      execAllowedNamespaces: [],
      warnOnlyPolicies: [],
    });
  });

  test('GIVEN org and environment admission keys THEN the environment key wins, key by key', () => {
    const digest = `@sha256:${'a'.repeat(64)}`;
    const ctx = testContext({
      admission: { requireImageDigests: true },
      baseline: {
        fluentBit: { image: `public.ecr.aws/aws-observability/aws-for-fluent-bit${digest}` },
        kubeBench: { image: `docker.io/aquasec/kube-bench${digest}` },
      },
    }) as any;
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

  test('GIVEN the detection add-ons on or off THEN their namespaces are system namespaces either way', () => {
    // EKS's add-on manager creates them also for add-ons an org turns on outside the blueprint (GuardDuty).
    for (const detection of [{ guardDuty: { mode: 'create' } }, { containerInsights: false }]) {
      const env = resolveConfig(testContext({ detection })).environments[0];
      expect(env.admission.systemNamespaces).toEqual([
        'amazon-cloudwatch',
        'amazon-guardduty',
        'kube-node-lease',
        'kube-public',
        'kube-system',
      ]);
    }
  });

  test('bad values name the field, the value and the fix', () => {
    expect(issues({ admission: { warnOnlyPolicies: ['pod-securty'] } })).toMatch(
      /environments\.test\.admission\.warnOnlyPolicies\[0\]: must be a policy id: namespace-pod-security, pod-security/,
    );
    expect(issues({ admission: { extraAllowedRegistries: ['https://docker.io'] } })).toMatch(
      /admission\.extraAllowedRegistries\[0\]: must be a registry host .*\(got "https:\/\/docker\.io"\)/,
    );
    expect(issues({ admission: { breakGlassGroup: 'platform:admins' } })).toMatch(
      /environments\.test\.admission\.breakGlassGroup: is also the group of the platform admins.*\(got "platform:admins"\)/,
    );
    expect(issues({ admission: { podSecurityExceptions: { 'kube-system': 'privileged' } } })).toMatch(
      /environments\.test\.admission\.podSecurityExceptions\.kube-system: is a system namespace/,
    );
    expect(issues({ admission: { allowPodExec: 'yes' } })).toMatch(
      /environments\.test\.admission\.allowPodExec: /,
    );
  });
});
