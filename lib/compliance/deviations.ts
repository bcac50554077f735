/**
 * The one list of config values that weaken a control. Each entry names the config field, the control(s) it
 * weakens, why, and how to find the weakening values in an environment's resolved config. The posture
 * report and docs/controls.md (`deviations`), the synth-time control checks (`declaredDeviations`) and the
 * live `verify` read this list; a weakening that is not here is not allowed anywhere.
 */
import {
  AUDIT_ALARM_IDS,
  AWS_ADDON_NAMESPACES,
  DEFAULT_AUDIT_ALARMS,
  DEFAULTS,
  EKS_SYSTEM_NAMESPACES,
  VERIFY_DEFAULTS,
  type BlueprintConfig,
  type EnvironmentConfig,
} from '../config';
import { AUDIT_ALARMS } from '../constructs/audit/audit-rules';
import { POLICIES } from '../../policies';
import type { DeclaredDeviations } from './rules/types';

/** One weakening value found in an environment's config. */
export interface DeviationFinding {
  readonly controlId: string;
  /** The config field, specific where the rule covers several (`tenants[team-a].allowExec`). */
  readonly field: string;
  readonly value: unknown;
}

/** One kind of weakening config value. */
export interface DeviationRule {
  /** The config field (under an environment or `org`), as the README and the catalogue name it. */
  readonly field: string;
  /** Every control the field can weaken. */
  readonly controlIds: readonly string[];
  /** What the weakening costs, for the report. */
  readonly reason: string;
  /** The weakening values in one environment; empty where the secure default holds. */
  readonly find: (env: EnvironmentConfig) => readonly DeviationFinding[];
}

/** A control weakened by an environment's config, as the report shows it. */
export interface Deviation {
  readonly environment: string;
  readonly controlId: string;
  readonly field: string;
  /** The value, as JSON. */
  readonly value: string;
  readonly reason: string;
}

const ADMISSION_CONTROLS = [...new Set(Object.values(POLICIES).flatMap((p) => p.controls))];
const ALARM_CONTROLS = Object.fromEntries(AUDIT_ALARMS.map((a) => [a.id, a.controlId]));

const one = (controlId: string, field: string, value: unknown): DeviationFinding[] => [
  { controlId, field, value },
];
const when = (cond: boolean, controlId: string, field: string, value: unknown): DeviationFinding[] =>
  cond ? one(controlId, field, value) : [];

/** `a.b.c.d` versions compared numerically. */
function versionBelow(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) < (pb[i] ?? 0);
  }
  return false;
}

export const DEVIATION_RULES: readonly DeviationRule[] = [
  {
    field: 'publicEndpointCidrs',
    controlIds: ['EKS-NET-001'],
    reason: 'the Kubernetes API endpoint is reachable from these internet addresses',
    find: (e) =>
      when(e.endpointAccess !== 'private', 'EKS-NET-001', 'publicEndpointCidrs', e.publicEndpointCidrs),
  },
  {
    field: 'logRetentionDays',
    controlIds: ['EKS-LOG-002'],
    reason: `logs (the audit trail among them) are kept for less than the default ${DEFAULTS.logRetentionDays} days`,
    find: (e) =>
      when(
        e.logRetentionDays < DEFAULTS.logRetentionDays,
        'EKS-LOG-002',
        'logRetentionDays',
        e.logRetentionDays,
      ),
  },
  {
    field: 'kmsKeyPendingWindowDays',
    controlIds: ['EKS-KMS-002'],
    reason: `a scheduled key deletion can be undone for less than the default ${DEFAULTS.kmsKeyPendingWindowDays} days`,
    find: (e) =>
      when(
        e.kmsKeyPendingWindowDays < DEFAULTS.kmsKeyPendingWindowDays,
        'EKS-KMS-002',
        'kmsKeyPendingWindowDays',
        e.kmsKeyPendingWindowDays,
      ),
  },
  {
    field: 'cisLevel',
    controlIds: ['EKS-NODE-008'],
    reason: 'nodes run CIS Bottlerocket Level 1 only: Level 2 kernel modules and sysctls are not set',
    find: (e) => when(e.cisLevel !== 2, 'EKS-NODE-008', 'cisLevel', e.cisLevel),
  },
  {
    field: 'podPidsLimit',
    controlIds: ['EKS-NODE-005'],
    reason: `a pod may start more processes than the default ${DEFAULTS.podPidsLimit} (fork bombs reach further)`,
    find: (e) => when(e.podPidsLimit > DEFAULTS.podPidsLimit, 'EKS-NODE-005', 'podPidsLimit', e.podPidsLimit),
  },
  {
    field: 'clusterDeletionProtection',
    controlIds: ['EKS-OPS-001'],
    reason: 'the cluster can be deleted without first turning protection off',
    find: (e) => when(!e.clusterDeletionProtection, 'EKS-OPS-001', 'clusterDeletionProtection', false),
  },
  {
    field: 'terminationProtection',
    controlIds: ['EKS-OPS-001'],
    reason: 'the stacks can be deleted without first turning protection off',
    find: (e) => when(!e.terminationProtection, 'EKS-OPS-001', 'terminationProtection', false),
  },
  {
    field: 'nodeGroups[].forceUpdate',
    controlIds: ['EKS-OPS-002'],
    reason: 'a node roll ignores PodDisruptionBudgets once draining times out',
    find: (e) =>
      e.nodeGroups
        .filter((g) => g.forceUpdate)
        .flatMap((g) => one('EKS-OPS-002', `nodeGroups[${g.name}].forceUpdate`, true)),
  },
  {
    field: 'tenants[].allowExec',
    controlIds: ['EKS-K8S-RBAC-002'],
    reason: "the tenant's developers may exec into and attach to pods",
    find: (e) =>
      e.tenants
        .filter((t) => t.allowExec)
        .flatMap((t) => one('EKS-K8S-RBAC-002', `tenants[${t.name}].allowExec`, true)),
  },
  {
    field: 'baseline.namespaceExceptions',
    controlIds: ['EKS-K8S-PSA-001', 'EKS-K8S-PSA-002'],
    reason: 'the namespace enforces Pod Security below restricted',
    find: (e) =>
      Object.entries(e.baseline.namespaceExceptions).flatMap(([ns, ex]) =>
        ['EKS-K8S-PSA-001', 'EKS-K8S-PSA-002'].flatMap((c) =>
          one(c, `baseline.namespaceExceptions.${ns}`, `${ex.enforce}: ${ex.reason}`),
        ),
      ),
  },
  {
    field: 'admission.warnOnlyPolicies',
    controlIds: ADMISSION_CONTROLS,
    reason: 'the policy warns and audits but does not deny',
    find: (e) =>
      e.admission.warnOnlyPolicies.flatMap((id) =>
        POLICIES[id].controls.map((c) => ({
          controlId: c,
          field: 'admission.warnOnlyPolicies',
          value: `${id}: Warn, Audit (not Deny)`,
        })),
      ),
  },
  {
    field: 'admission.systemNamespaces',
    controlIds: ADMISSION_CONTROLS,
    reason: 'no admission policy applies in these namespaces',
    find: (e) => {
      const builtIn: readonly string[] = [...EKS_SYSTEM_NAMESPACES, ...AWS_ADDON_NAMESPACES];
      const extra = e.admission.systemNamespaces.filter((n) => !builtIn.includes(n));
      return extra.length === 0
        ? []
        : ADMISSION_CONTROLS.map((c) => ({
            controlId: c,
            field: 'admission.systemNamespaces',
            value: extra,
          }));
    },
  },
  {
    field: 'admission.allowPodExec',
    controlIds: ['EKS-ADM-010'],
    reason: 'anyone RBAC allows may exec, attach and port-forward in every namespace',
    find: (e) => when(e.admission.allowPodExec, 'EKS-ADM-010', 'admission.allowPodExec', true),
  },
  {
    field: 'admission.execAllowedNamespaces',
    controlIds: ['EKS-ADM-010'],
    reason: 'anyone RBAC allows may exec, attach and port-forward in these namespaces',
    find: (e) =>
      when(
        e.admission.execAllowedNamespaces.length > 0,
        'EKS-ADM-010',
        'admission.execAllowedNamespaces',
        e.admission.execAllowedNamespaces,
      ),
  },
  {
    field: 'admission.extraAllowedRegistries',
    controlIds: ['EKS-ADM-003'],
    reason: "images may come from registries other than the environment's own ECR",
    find: (e) => {
      // The baseline's own registries (admission.platformRegistries) are allowed in platform and system
      // namespaces only, where the baseline's images run: no weakening for tenants.
      const own = e.detection.images.registry;
      const extra = e.admission.allowedRegistries.filter((r) => r !== own);
      return when(extra.length > 0, 'EKS-ADM-003', 'admission.extraAllowedRegistries', extra);
    },
  },
  {
    field: 'admission.internetFacingLoadBalancerNamespaces',
    controlIds: ['EKS-ADM-008'],
    reason: 'these namespaces may expose internet-facing load balancers',
    find: (e) =>
      when(
        e.admission.internetFacingLoadBalancerNamespaces.length > 0,
        'EKS-ADM-008',
        'admission.internetFacingLoadBalancerNamespaces',
        e.admission.internetFacingLoadBalancerNamespaces,
      ),
  },
  {
    field: 'admission.podSecurityExceptions',
    controlIds: ['EKS-ADM-001'],
    reason: 'the namespace may declare a Pod Security level below restricted',
    find: (e) =>
      Object.entries(e.admission.podSecurityExceptions)
        .filter(([ns]) => e.baseline.namespaceExceptions[ns] === undefined)
        .flatMap(([ns, level]) => one('EKS-ADM-001', `admission.podSecurityExceptions.${ns}`, level)),
  },
  {
    field: 'detection.alarms',
    controlIds: Object.values(ALARM_CONTROLS),
    reason: 'the alarm needs more events, a longer period or more periods than the default to fire',
    find: (e) =>
      AUDIT_ALARM_IDS.flatMap((id) => {
        const d = DEFAULT_AUDIT_ALARMS[id];
        const a = e.detection.alarms[id];
        const silence = AUDIT_ALARMS.find((x) => x.id === id)?.direction === 'low';
        const weaker =
          (silence ? a.threshold < d.threshold : a.threshold > d.threshold) ||
          a.periodMinutes > d.periodMinutes ||
          a.evaluationPeriods > d.evaluationPeriods;
        return when(weaker, ALARM_CONTROLS[id], `detection.alarms.${id}`, a);
      }),
  },
  {
    field: 'detection.guardDuty.mode',
    controlIds: ['EKS-DET-012'],
    reason: 'the blueprint turns on no GuardDuty EKS protection (an org-managed detector may still)',
    find: (e) => when(e.detection.guardDuty.mode === 'off', 'EKS-DET-012', 'detection.guardDuty.mode', 'off'),
  },
  {
    field: 'detection.guardDuty.optOutOfManagedAgent',
    controlIds: ['EKS-DET-012'],
    reason: 'the cluster is tagged GuardDutyManaged=false: no GuardDuty runtime agent is installed',
    find: (e) =>
      when(
        e.detection.guardDuty.optOutOfManagedAgent,
        'EKS-DET-012',
        'detection.guardDuty.optOutOfManagedAgent',
        true,
      ),
  },
  {
    field: 'detection.containerInsights',
    controlIds: ['EKS-DET-014'],
    reason: 'no node, pod and API-server metrics (resource hijacking goes unseen)',
    find: (e) =>
      when(!e.detection.containerInsights.enabled, 'EKS-DET-014', 'detection.containerInsights', false),
  },
  {
    field: 'verify.minSsmAgentVersion',
    controlIds: ['EKS-VER-001'],
    reason: `verify accepts SSM agents older than ${VERIFY_DEFAULTS.minSsmAgentVersion}`,
    find: (e) =>
      when(
        versionBelow(e.verify.minSsmAgentVersion, VERIFY_DEFAULTS.minSsmAgentVersion),
        'EKS-VER-001',
        'verify.minSsmAgentVersion',
        e.verify.minSsmAgentVersion,
      ),
  },
];

/** Every weakening value of one environment, with its rule. */
export function findDeviations(env: EnvironmentConfig): { rule: DeviationRule; finding: DeviationFinding }[] {
  return DEVIATION_RULES.flatMap((rule) => rule.find(env).map((finding) => ({ rule, finding })));
}

/** Which declared config values weaken which control, per environment (the report's rows). */
export function deviations(config: BlueprintConfig): Deviation[] {
  return config.environments.flatMap((e) =>
    findDeviations(e).map(({ rule, finding }) => ({
      environment: e.name,
      controlId: finding.controlId,
      field: finding.field,
      value: JSON.stringify(finding.value),
      reason: rule.reason,
    })),
  );
}

/** What one environment declares, as the synth-time checks and `verify` compare against. */
export function declaredDeviationsOf(e: EnvironmentConfig): DeclaredDeviations & {
  /** GuardDuty is left off (`detection.guardDuty.mode` "off"): its features are not expected. */
  readonly guardDutyOff: boolean;
} {
  const found = findDeviations(e);
  const has = (field: string) => found.some(({ rule }) => rule.field === field);
  return {
    publicEndpointCidrs: has('publicEndpointCidrs') ? e.publicEndpointCidrs : [],
    clusterDeletionProtection: !has('clusterDeletionProtection'),
    cisLevel: has('cisLevel') ? 1 : 2,
    forceUpdateNodegroups: has('nodeGroups[].forceUpdate')
      ? e.nodeGroups.filter((g) => g.forceUpdate).map((g) => g.nodegroupName)
      : [],
    guardDutyOff: has('detection.guardDuty.mode'),
  };
}

/** What each environment declares, keyed by cluster name, for the synth-time checks (lib/compliance/rules). */
export function declaredDeviations(config: BlueprintConfig): Record<string, DeclaredDeviations> {
  return Object.fromEntries(config.environments.map((e) => [e.clusterName, declaredDeviationsOf(e)]));
}
