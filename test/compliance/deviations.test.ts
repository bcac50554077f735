import { CONTROLS } from '../../lib/compliance/controls';
import {
  DEVIATION_RULES,
  declaredDeviations,
  deviations,
  findDeviations,
} from '../../lib/compliance/deviations';
import * as report from '../../lib/compliance/report';
import { resolveConfig } from '../../lib/config';
import { checkTemplate } from '../../lib/compliance/rules';
import { build, resourcesOf, templateJson, testContext } from '../helpers';

const envOf = (overrides: Record<string, unknown>) => resolveConfig(testContext(overrides)).environments[0];
/** `<control> <rule field>` per weakening value found. */
const found = (overrides: Record<string, unknown>) =>
  findDeviations(envOf(overrides)).map(({ rule, finding }) => `${finding.controlId} ${rule.field}`);
const count = (xs: readonly string[], x: string) => xs.filter((y) => y === x).length;

/** One weakening value per rule: the config that sets it, and the control it must show against. */
const WEAKENINGS: readonly [string, Record<string, unknown>, string][] = [
  [
    'publicEndpointCidrs',
    { endpointAccess: 'public-and-private', publicEndpointCidrs: ['203.0.113.10/32'] },
    'EKS-NET-001',
  ],
  ['logRetentionDays', { logRetentionDays: 90 }, 'EKS-LOG-002'],
  ['kmsKeyPendingWindowDays', { kmsKeyPendingWindowDays: 7 }, 'EKS-KMS-002'],
  ['cisLevel', { cisLevel: 1 }, 'EKS-NODE-008'],
  ['podPidsLimit', { podPidsLimit: 65536 }, 'EKS-NODE-005'],
  ['clusterDeletionProtection', { clusterDeletionProtection: false }, 'EKS-OPS-001'],
  ['terminationProtection', { terminationProtection: false }, 'EKS-OPS-001'],
  [
    'nodeGroups[].forceUpdate',
    { nodeGroups: [{ name: 'a', instanceTypes: ['m7i.large'], forceUpdate: true }] },
    'EKS-OPS-002',
  ],
  ['tenants[].allowExec', { tenants: [{ name: 'ops', allowExec: true }] }, 'EKS-K8S-RBAC-002'],
  [
    'baseline.namespaceExceptions',
    {
      baseline: { namespaceExceptions: { legacy: { enforce: 'baseline', reason: 'legacy app needs root' } } },
    },
    'EKS-K8S-PSA-001',
  ],
  ['admission.warnOnlyPolicies', { admission: { warnOnlyPolicies: ['image-pinning'] } }, 'EKS-ADM-004'],
  [
    'admission.systemNamespaces',
    { admission: { systemNamespaces: ['kube-system', 'legacy'] } },
    'EKS-ADM-002',
  ],
  ['admission.allowPodExec', { admission: { allowPodExec: true } }, 'EKS-ADM-010'],
  ['admission.execAllowedNamespaces', { admission: { execAllowedNamespaces: ['ops'] } }, 'EKS-ADM-010'],
  [
    'admission.extraAllowedRegistries',
    { admission: { extraAllowedRegistries: ['public.ecr.aws/eks-distro'] } },
    'EKS-ADM-003',
  ],
  [
    'admission.internetFacingLoadBalancerNamespaces',
    { admission: { internetFacingLoadBalancerNamespaces: ['edge'] } },
    'EKS-ADM-008',
  ],
  [
    'admission.podSecurityExceptions',
    { admission: { podSecurityExceptions: { legacy: 'baseline' } } },
    'EKS-ADM-001',
  ],
  ['detection.alarms', { detection: { alarms: { secretReads: { threshold: 500 } } } }, 'EKS-DET-006'],
  ['detection.alarms', { detection: { alarms: { podExec: { periodMinutes: 60 } } } }, 'EKS-DET-002'],
  ['detection.alarms', { detection: { alarms: { auditLogSilence: { threshold: 0.5 } } } }, 'EKS-DET-008'],
  [
    'detection.guardDuty.optOutOfManagedAgent',
    { detection: { guardDuty: { mode: 'create', optOutOfManagedAgent: true } } },
    'EKS-DET-012',
  ],
  ['detection.containerInsights', { detection: { containerInsights: false } }, 'EKS-DET-014'],
  ['verify.minSsmAgentVersion', { verify: { minSsmAgentVersion: '3.1.0.0' } }, 'EKS-VER-001'],
];

describe('deviations | one list of the config values that weaken a control', () => {
  test('every rule names catalogue controls; every catalogue deviation field has its rule', () => {
    const ids = new Set(CONTROLS.map((c) => c.id));
    for (const r of DEVIATION_RULES) for (const id of r.controlIds) expect(ids).toContain(id);
    // adminRoleArns names who administers the cluster: a declaration, not a weakening.
    const declarationsOnly = new Set(['EKS-IAM-002']);
    for (const c of CONTROLS.filter((x) => x.deviationField && !declarationsOnly.has(x.id))) {
      const rules = DEVIATION_RULES.filter(
        (r) =>
          r.controlIds.includes(c.id) &&
          (c.deviationField!.startsWith(r.field) || r.field.startsWith(c.deviationField!)),
      );
      expect([c.id, rules.length > 0]).toEqual([c.id, true]);
    }
  });

  test.each(WEAKENINGS.map(([field, overrides, controlId]) => [field, controlId, overrides] as const))(
    '%s: a weakening value is a deviation of %s',
    (field, controlId, overrides) => {
      const key = `${controlId} ${field}`;
      expect(count(found(overrides), key)).toBeGreaterThan(count(found({}), key));
    },
  );

  test('every rule is exercised above (a new weakening field needs its case)', () => {
    expect([...new Set(WEAKENINGS.map(([f]) => f))].sort()).toEqual(
      DEVIATION_RULES.map((r) => r.field)
        .filter((f) => f !== 'detection.guardDuty.mode') // the default: checked below
        .sort(),
    );
  });

  test('the shipped defaults declare exactly: GuardDuty off and the baseline’s own exceptions', () => {
    // The baseline's own registries are no deviation: allowed in platform namespaces only.
    expect([...new Set(found({}))].sort()).toEqual([
      'EKS-DET-012 detection.guardDuty.mode',
      'EKS-K8S-PSA-001 baseline.namespaceExceptions',
      'EKS-K8S-PSA-002 baseline.namespaceExceptions',
    ]);
    // Stricter than the default is not a deviation.
    expect(
      found({ logRetentionDays: 731, detection: { alarms: { secretReads: { threshold: 5 } } } }),
    ).toEqual(found({}));
  });

  test('the report, the synth checks and docs read this list', () => {
    const config = resolveConfig(testContext({ cisLevel: 1, clusterDeletionProtection: false }));
    expect(report.deviations(config)).toEqual(deviations(config));
    const declared = declaredDeviations(config)['acme-test'];
    expect(declared.cisLevel).toBe(1);
    expect(declared.clusterDeletionProtection).toBe(false);
    expect(declared.publicEndpointCidrs).toEqual([]);
    const md = report.renderControlsMarkdown(CONTROLS, config);
    for (const r of DEVIATION_RULES) expect(md).toContain(`| \`${r.field}\` |`);
  });

  test('EKS-DET-012, EKS-OPS-002: declared deviations reach the template, and the synth checks accept them', () => {
    const b = build({
      nodeGroups: [{ name: 'system', instanceTypes: ['m7i.large'], forceUpdate: true }],
      detection: { guardDuty: { optOutOfManagedAgent: true } },
    });
    const [[, cluster]] = resourcesOf(b.cluster, 'AWS::EKS::Cluster');
    expect(cluster.Properties.Tags).toContainEqual({ Key: 'GuardDutyManaged', Value: 'false' });
    const [[, group]] = resourcesOf(b.cluster, 'AWS::EKS::Nodegroup');
    expect(group.Properties.ForceUpdateEnabled).toBe(true);
    expect(
      checkTemplate({ template: templateJson(b.cluster), deviations: declaredDeviations(b.config) }),
    ).toEqual([]);
    // Without the opt-out the cluster has no such tag: the reviewed template snapshot (test/stacks).
  });
});
