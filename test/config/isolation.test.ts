import { AdmissionEvaluator, namespaceObject, requestFor } from '../../lib/admission';
import { resolveConfig } from '../../lib/config';
import { admissionPolicies, POLICY_ID_LABEL } from '../../policies';
import { configErrorOf, testContext } from '../helpers';

const errorOf = (overrides: Record<string, unknown>) => configErrorOf(testContext(overrides));
const PUBLIC = { endpointAccess: 'public-and-private' };

describe('config | refuses what silently weakens isolation, naming the field', () => {
  test('a tenant or default in admission.systemNamespaces (it switches every policy off there)', () => {
    expect(errorOf({ admission: { systemNamespaces: ['kube-system', 'team-a'] } })).toBe(
      'Invalid blueprint config at environments.test.admission.systemNamespaces[1]: is a tenant namespace; listing it switches every admission policy off there: remove it (use podSecurityExceptions or warnOnlyPolicies for a narrower exception) (got "team-a")',
    );
    expect(errorOf({ admission: { systemNamespaces: ['default'] } })).toMatch(
      /admission\.systemNamespaces\[0\]: is the default namespace; .*\(got "default"\)$/,
    );
  });

  test.each([
    [
      'a tenant group equal to the platform admin group',
      { tenants: [{ name: 'team-a', ownersGroup: 'platform:admins' }] },
      'tenants[0].ownersGroup: is also the group of the platform admins (environments.test.adminGroup)',
    ],
    [
      "a tenant group equal to another tenant's group",
      {
        tenants: [
          { name: 'team-a', developersGroup: 'shared:devs' },
          { name: 'team-b', ownersGroup: 'shared:devs' },
        ],
      },
      "tenants[1].ownersGroup: is also the group of tenant team-a's developers (environments.test.tenants[0].developersGroup)",
    ],
    [
      "a tenant's owners and developers in one group",
      { tenants: [{ name: 'team-a', ownersGroup: 'team-a', developersGroup: 'team-a' }] },
      "tenants[0].developersGroup: is also the group of tenant team-a's owners",
    ],
    [
      'a tenant group equal to break-glass',
      { tenants: [{ name: 'team-a', ownersGroup: 'platform:break-glass' }] },
      'tenants[0].ownersGroup: is also the group of break-glass (environments.test.admission.breakGlassGroup)',
    ],
    [
      'the deployer group equal to the viewer group',
      { deployerGroup: 'platform:viewers' },
      'environments.test.deployerGroup: is also the group of the platform viewers (environments.test.viewerGroup)',
    ],
    [
      'the auditor group equal to the admin group',
      { baseline: { auditorGroup: 'platform:admins' } },
      'environments.test.baseline.auditorGroup: is also the group of the platform admins',
    ],
    [
      'the viewer group equal to the admin group',
      { viewerGroup: 'platform:admins' },
      'environments.test.viewerGroup: is also the group of the platform admins',
    ],
  ])('%s', (_, overrides, expected) => {
    const msg = errorOf(overrides);
    expect(msg).toContain(expected);
    expect(msg.split('\n')).toHaveLength(1);
  });

  test('deployerGroup: platform:deployers by default, overridable in org and environment', () => {
    expect(resolveConfig(testContext()).environments[0].deployerGroup).toBe('platform:deployers');
    const ctx = testContext({ deployerGroup: 'ci:deployers' }) as { org: Record<string, unknown> };
    expect(resolveConfig(ctx).environments[0].deployerGroup).toBe('ci:deployers');
    const org = testContext() as { org: Record<string, unknown> };
    org.org = { ...org.org, deployerGroup: 'org:deployers' };
    expect(resolveConfig(org).environments[0].deployerGroup).toBe('org:deployers');
  });

  test('public endpoint CIDRs wider than a /8, or together covering more than a /8', () => {
    expect(errorOf({ ...PUBLIC, publicEndpointCidrs: ['0.0.0.0/1', '128.0.0.0/1'] }).split('\n')).toEqual([
      expect.stringMatching(/publicEndpointCidrs\[0\]: must not open the API endpoint to a \/1 /),
      expect.stringMatching(/publicEndpointCidrs\[1\]: must not open the API endpoint to a \/1 /),
    ]);
    expect(errorOf({ ...PUBLIC, publicEndpointCidrs: ['10.0.0.0/7'] })).toMatch(/\[0\]: .* a \/7 /);
    // Three /9s: 3 × 8,388,608 addresses, more than one /8 (16,777,216).
    expect(errorOf({ ...PUBLIC, publicEndpointCidrs: ['11.0.0.0/9', '12.0.0.0/9', '13.0.0.0/9'] })).toBe(
      'Invalid blueprint config at environments.test.publicEndpointCidrs: must not open the API endpoint to more than one /8 (16777216 addresses) in total; these cover 25165824: use a /32 per admin egress IP, or keep endpointAccess "private" (got ["11.0.0.0/9","12.0.0.0/9","13.0.0.0/9"])',
    );
    // Overlaps count once: a /8 and a /9 inside it is still one /8.
    const ok = resolveConfig(testContext({ ...PUBLIC, publicEndpointCidrs: ['11.0.0.0/8', '11.0.0.0/9'] }));
    expect(ok.environments[0].publicEndpointCidrs).toEqual(['11.0.0.0/8', '11.0.0.0/9']);
  });

  test('a tenant egress rule to the instance metadata address only (the carve-out would leave nothing)', () => {
    const tenant = (cidr: string) => ({
      tenants: [{ name: 'team-a', allowedEgress: [{ cidr, ports: [80] }] }],
    });
    expect(errorOf(tenant('169.254.169.254/32'))).toBe(
      'Invalid blueprint config at environments.test.tenants[0].allowedEgress[0].cidr: is the instance metadata service, which no tenant may reach (EKS-K8S-NET-002): remove the rule (got "169.254.169.254/32")',
    );
    // A larger block keeps the carve-out (test/charts: the NetworkPolicy excepts 169.254.169.254/32).
    expect(
      resolveConfig(testContext(tenant('169.254.0.0/16'))).environments[0].tenants[0].allowedEgress,
    ).toHaveLength(1);
  });

  test('a public vpcCidr is a warning line, not an error; RFC 1918 and RFC 6598 ranges are not', () => {
    expect(resolveConfig(testContext({ vpcCidr: '198.18.0.0/16' })).warnings).toEqual([
      'Warning: blueprint config at environments.test.vpcCidr: is public address space (not RFC 1918 or RFC 6598 100.64.0.0/10): traffic to those addresses on the internet would stay inside the VPC; use a private range unless you own this block (got "198.18.0.0/16")',
    ]);
    for (const vpcCidr of ['10.10.0.0/16', '172.16.0.0/16', '192.168.0.0/16', '100.64.0.0/16']) {
      expect(resolveConfig(testContext({ vpcCidr })).warnings).toEqual([]);
    }
  });
});

describe("config | the baseline's own images pass the baseline's own image-pinning policy", () => {
  const images = [
    'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8',
    'public.ecr.aws/aws-observability/aws-for-fluent-bit:latest',
    'registry.example.com:5000/fluent-bit',
    `registry.example.com:5000/fluent-bit@sha256:${'a'.repeat(64)}`,
  ];

  /** What the real policy (through the offline evaluator) says about a DaemonSet with this image. */
  function policyDenies(image: string, requireImageDigests: boolean): boolean {
    const admission = resolveConfig(testContext()).environments[0].admission;
    const ev = AdmissionEvaluator.compile(admissionPolicies({ ...admission, requireImageDigests })).filter(
      (p) => p.labels[POLICY_ID_LABEL] === 'image-pinning',
    );
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'fluent-bit', namespace: 'logging' },
      spec: { template: { spec: { containers: [{ name: 'fluent-bit', image }] } } },
    };
    const ns = namespaceObject('logging', { 'pod-security.kubernetes.io/enforce': 'privileged' });
    return !ev.evaluate(requestFor(ds, { namespaceObject: ns })).allowed;
  }

  function configRefuses(image: string, requireImageDigests: boolean): boolean {
    try {
      resolveConfig(testContext({ admission: { requireImageDigests }, baseline: { fluentBit: { image } } }));
      return false;
    } catch (e) {
      return /baseline\.fluentBit\.image: must/.test(String(e));
    }
  }

  test.each(images.flatMap((i) => [[i, false] as const, [i, true] as const]))(
    '%s (digests required: %s): config refuses exactly when the policy denies',
    (image, digests) => {
      expect(configRefuses(image, digests)).toBe(policyDenies(image, digests));
    },
  );

  test('the refusal is one line naming the field', () => {
    expect(errorOf({ baseline: { kubeBench: { image: 'docker.io/aquasec/kube-bench:latest' } } })).toMatch(
      /^Invalid blueprint config at environments\.test\.baseline\.kubeBench\.image: must carry a version tag other than latest .*\(got "docker\.io\/aquasec\/kube-bench:latest"\)$/,
    );
  });
});
