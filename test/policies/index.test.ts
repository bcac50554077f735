import { Testing } from 'cdk8s';
import { AdmissionEvaluator, checkManifests, type KubeObject } from '../../lib/admission';
import { CONTROLS } from '../../lib/compliance/controls';
import { ADMISSION_POLICY_IDS } from '../../lib/config/admission';
import { AdmissionPoliciesChart, POLICIES, POLICY_ID_LABEL, admissionPolicies } from '../../policies';
import { FIXTURE_CONFIG } from './helpers';

const spec = (o: KubeObject) => o.spec as Record<string, any>;
const bindings = (ms: KubeObject[]) => ms.filter((m) => m.kind === 'ValidatingAdmissionPolicyBinding');

describe('policies | rendering', () => {
  const manifests = admissionPolicies(FIXTURE_CONFIG);

  test('every policy id has a file, a class naming catalogue controls, and a rendered policy', () => {
    expect(Object.keys(POLICIES).sort()).toEqual([...ADMISSION_POLICY_IDS].sort());
    const ids = new Set(CONTROLS.map((c) => c.id));
    for (const [id, cls] of Object.entries(POLICIES)) {
      expect(cls.id).toBe(id);
      for (const c of cls.controls) expect(ids).toContain(c);
      expect(manifests.some((m) => m.metadata?.labels?.[POLICY_ID_LABEL] === id)).toBe(true);
    }
  });

  test('every policy pairs with a binding, fails closed, and compiles in the evaluator', () => {
    const policies = manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicy');
    expect(bindings(manifests).map((b) => spec(b).policyName)).toEqual(policies.map((p) => p.metadata?.name));
    for (const p of policies) expect(spec(p).failurePolicy).toBe('Fail');
    expect(() => AdmissionEvaluator.compile(manifests)).not.toThrow();
  });

  test('bindings default to [Deny, Audit]; warnOnlyPolicies puts a policy in [Warn, Audit]', () => {
    for (const b of bindings(manifests)) expect(spec(b).validationActions).toEqual(['Deny', 'Audit']);
    const staged = admissionPolicies({ ...FIXTURE_CONFIG, warnOnlyPolicies: ['image-pinning'] });
    const actions = Object.fromEntries(
      bindings(staged).map((b) => [b.metadata?.name, spec(b).validationActions]),
    );
    expect(actions['image-pinning']).toEqual(['Warn', 'Audit']);
    expect(actions['allowed-registries']).toEqual(['Deny', 'Audit']);
  });

  test('system namespaces are excluded by the bindings, never by names inside CEL', () => {
    for (const b of bindings(manifests).filter((x) => x.metadata?.name !== 'pod-exec')) {
      const selector = JSON.stringify(spec(b).matchResources.namespaceSelector);
      expect(selector).toContain('"key":"kubernetes.io/metadata.name","operator":"NotIn"');
      expect(selector).toContain('"kube-system"');
    }
    const cel = JSON.stringify(
      manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicy').map((p) => p.spec),
    );
    expect(cel).not.toMatch(/kube-system|kube-public|kube-node-lease/);
  });

  test('config switches: digests, exec allowed, internet-facing namespaces', () => {
    const digests = admissionPolicies({ ...FIXTURE_CONFIG, requireImageDigests: true });
    const pinning = digests.find((m) => m.metadata?.name === 'image-pinning');
    expect(spec(pinning!).validations).toHaveLength(2);
    expect(
      admissionPolicies({ ...FIXTURE_CONFIG, allowPodExec: true }).some(
        (m) => m.metadata?.name === 'pod-exec',
      ),
    ).toBe(false);
    const lb = bindings(manifests).find((b) => b.metadata?.name === 'service-exposure-load-balancers');
    expect(JSON.stringify(spec(lb!).matchResources)).toContain('"edge"');
  });

  test('the rendered policies are reviewed as a snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('checkManifests runs every policy over plain objects (for the baseline charts)', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
    const [result] = checkManifests([ns], FIXTURE_CONFIG);
    expect(result).toMatchObject({
      kind: 'Namespace',
      allowed: false,
      violations: [{ policy: 'namespace-pod-security' }],
    });
  });

  test('output is deterministic and the chart synthesizes the same objects', () => {
    expect(JSON.stringify(admissionPolicies(FIXTURE_CONFIG))).toBe(JSON.stringify(manifests));
    const chart = new AdmissionPoliciesChart(Testing.app(), 'admission', { admission: FIXTURE_CONFIG });
    const synthesized = Testing.synth(chart);
    expect(synthesized.map((o: KubeObject) => `${o.kind}/${o.metadata?.name}`)).toEqual(
      manifests.map((o) => `${o.kind}/${o.metadata?.name}`),
    );
    expect(synthesized[1].spec).toEqual(manifests[1].spec);
  });
});
