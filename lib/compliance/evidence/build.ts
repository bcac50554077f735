import { createHash } from 'crypto';
import type { EnvironmentConfig } from '../../config';
import {
  CIS_EKS_BENCHMARK,
  CIS_EKS_GROUPS,
  CIS_EKS_RECOMMENDATIONS,
  cisGroupOf,
  cisSectionOf,
  type CisRecommendation,
} from './frameworks/cis-eks';
import { NSA_CISA_GUIDE, NSA_CISA_SECTIONS } from './frameworks/nsa-cisa';
import { controlRole, TACTICS, TECHNIQUES, THREAT_MATRIX, techniquesOf } from './frameworks/threat-matrix';
import type { KubeBenchInput, VerifyInput } from './inputs';
import {
  CIS_COVERAGES,
  CONTROL_STATUSES,
  type AcknowledgementEntry,
  type AdmissionPolicyEntry,
  type AlarmEntry,
  type CisCoverage,
  type CisEntry,
  type ControlEntry,
  type ControlStatus,
  type CountsOf,
  type EvidenceReport,
  type LiveStatus,
  type QueryEntry,
  type ReportDeviation,
} from './model';
import type { Control, Deviation, Finding } from './sources';

/** The blueprint's synth-time rules, run over one environment's templates. */
export interface SynthEvidence {
  readonly templates: number;
  /** Controls that have a rule. */
  readonly ruleControls: readonly string[];
  readonly findings: readonly Finding[];
}

/** Everything the report is made of, gathered by collect.ts (or a test); building it is pure. */
export interface EvidenceInput {
  readonly environment: EnvironmentConfig;
  /** ISO 8601 UTC. */
  readonly generatedAt: string;
  readonly blueprint: { readonly name: string; readonly version: string };
  readonly controls: readonly Control[];
  /** Deviations of every environment; the report keeps this one's. A `reason` is used when given. */
  readonly deviations: readonly (Deviation & { readonly reason?: string })[];
  readonly acknowledgements: readonly AcknowledgementEntry[];
  readonly admissionPolicies: readonly AdmissionPolicyEntry[];
  readonly alarms: readonly AlarmEntry[];
  readonly queries: readonly QueryEntry[];
  readonly synth: SynthEvidence;
  readonly verify?: VerifyInput;
  readonly kubeBench?: KubeBenchInput;
}

/** JSON with object keys sorted at every level: the same config always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function configDigest(environment: EnvironmentConfig): string {
  return `sha256:${createHash('sha256').update(canonicalJson(environment)).digest('hex')}`;
}

/**
 * Controls whose mechanism this environment does not deploy, and why. A weakened control is a deviation,
 * not this: here nothing is there to be enforced (no tenants, no repositories).
 */
const NOT_APPLICABLE: Readonly<Record<string, (e: EnvironmentConfig) => string | undefined>> = {
  'EKS-K8S-TEN-001': (e) => (e.tenants.length === 0 ? 'no tenants are configured (tenants)' : undefined),
  'EKS-K8S-TEN-002': (e) => (e.tenants.length === 0 ? 'no tenants are configured (tenants)' : undefined),
  ...Object.fromEntries(
    ['EKS-IMG-001', 'EKS-IMG-002', 'EKS-IMG-003', 'EKS-IMG-004'].map((id) => [
      id,
      (e: EnvironmentConfig) =>
        e.detection.images.repositoryNames.length === 0
          ? 'no image repositories are configured (detection.imageRepositories)'
          : undefined,
    ]),
  ),
  'EKS-VER-005': (e) =>
    e.detection.guardDuty.mode === 'off'
      ? 'GuardDuty is not configured for this environment (detection.guardDuty.mode "off")'
      : undefined,
};

function countBy<K extends string>(keys: readonly K[], values: readonly K[]): CountsOf<K> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) out[v] += 1;
  return out;
}

const INEFFECTIVE: readonly ControlStatus[] = ['deviation', 'failed-live', 'not-applicable'];

/** Builds the report of one environment from its gathered evidence. Pure. */
export function buildEvidenceReport(input: EvidenceInput): EvidenceReport {
  const env = input.environment;
  const titleOf = new Map(input.controls.map((c) => [c.id, c.title]));
  const deviations: ReportDeviation[] = input.deviations
    .filter((d) => d.environment === env.name)
    .map((d) => ({
      controlId: d.controlId,
      field: d.field,
      value: d.value,
      reason:
        d.reason ??
        `declared in config; weakens ${d.controlId} (${titleOf.get(d.controlId) ?? 'unknown control'})`,
    }));
  const checks = input.verify?.checks ?? [];

  const controls: ControlEntry[] = input.controls.map((c) => {
    const devs = deviations.filter((d) => d.controlId === c.id);
    const findings = input.synth.findings.filter((f) => f.controlId === c.id);
    const live = checks
      .filter((x) => x.controlId === c.id)
      .map((x) => ({ check: x.check, status: x.status, evidence: x.evidence }));
    const notApplicable = NOT_APPLICABLE[c.id]?.(env);
    const failing = live.filter((x) => x.status === 'NON_COMPLIANT');
    const status: ControlStatus =
      failing.length > 0
        ? 'failed-live'
        : devs.length > 0 || findings.length > 0
          ? 'deviation'
          : notApplicable
            ? 'not-applicable'
            : live.some((x) => x.status === 'COMPLIANT')
              ? 'passed-live'
              : 'enforced';
    const evidence = [
      ...failing.flatMap((x) => x.evidence.map((line) => `${x.check}: ${line}`)),
      ...devs.map((d) => `${d.field} = ${d.value}`),
      ...findings.map((f) => `template resource ${f.logicalId}: ${f.message}`),
      ...(notApplicable ? [notApplicable] : []),
    ];
    return {
      id: c.id,
      title: c.title,
      rationale: c.rationale,
      role: controlRole(c.id),
      status,
      evidence,
      enforcedBy: c.enforcedBy,
      provedBy: c.provedBy,
      ...(c.deviationField ? { deviationField: c.deviationField } : {}),
      ...(c.limitation ? { limitation: c.limitation } : {}),
      frameworks: {
        cisEks: c.frameworks.cisEks ?? [],
        nsa: c.frameworks.nsa ?? [],
        mitre: c.frameworks.mitre ?? [],
      },
      ...(input.synth.ruleControls.includes(c.id)
        ? { synthCheck: { templates: input.synth.templates, findings: findings.map((f) => f.message) } }
        : {}),
      live,
    };
  });

  const recommendations = CIS_EKS_RECOMMENDATIONS.map((r) => cisEntry(r, controls, input.kubeBench));
  const sections = CIS_EKS_GROUPS.filter((g) => !g.id.includes('.')).map((s) => ({
    id: s.id,
    title: s.title,
    groups: CIS_EKS_GROUPS.filter((g) => g.id.startsWith(`${s.id}.`)).map((g) => ({
      id: g.id,
      title: g.title,
    })),
    counts: countBy(
      CIS_COVERAGES,
      recommendations.filter((r) => r.section === s.id).map((r) => r.coverage),
    ),
  }));

  const liveCounts = (statuses: readonly LiveStatus[]) =>
    countBy<LiveStatus>(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'], statuses);

  return {
    reportVersion: 1,
    environment: env.name,
    generatedAt: input.generatedAt,
    blueprint: input.blueprint,
    configDigest: configDigest(env),
    cluster: {
      name: env.clusterName,
      account: env.account,
      region: env.region,
      kubernetesVersion: env.kubernetesVersion,
    },
    inputs: {
      ...(input.verify
        ? {
            verify: {
              cluster: input.verify.cluster,
              result: input.verify.result,
              checks: checks.length,
              counts: liveCounts(checks.map((c) => c.status)),
            },
          }
        : {}),
      ...(input.kubeBench
        ? {
            kubeBench: {
              benchmark: input.kubeBench.benchmark,
              results: Object.keys(input.kubeBench.results).length,
            },
          }
        : {}),
    },
    summary: {
      controls: {
        total: controls.length,
        ...countBy(
          CONTROL_STATUSES,
          controls.map((c) => c.status),
        ),
      },
      cis: {
        total: recommendations.length,
        ...countBy(
          CIS_COVERAGES,
          recommendations.map((r) => r.coverage),
        ),
      },
      deviations: deviations.length,
      acknowledgements: input.acknowledgements.length,
    },
    controls,
    frameworks: {
      cisEks: {
        name: CIS_EKS_BENCHMARK.name,
        version: CIS_EKS_BENCHMARK.version,
        sections,
        recommendations,
      },
      nsaCisa: {
        name: NSA_CISA_GUIDE.name,
        version: NSA_CISA_GUIDE.version,
        sections: NSA_CISA_SECTIONS.map((s) => ({
          id: s.id,
          chapter: s.chapter,
          title: s.title,
          controls: controls
            .filter((c) => c.frameworks.nsa.some((ref) => s.refs.includes(ref)))
            .map((c) => c.id),
        })),
      },
      threatMatrix: {
        name: THREAT_MATRIX.name,
        tactics: TACTICS.map((t) => {
          const addressing = controls.filter((c) =>
            techniquesOf(c.frameworks.mitre).some((tech) => t.techniques.includes(tech)),
          );
          return {
            id: t.id,
            name: t.name,
            techniques: t.techniques.map((id) => ({ id, name: TECHNIQUES[id] })),
            preventive: addressing.filter((c) => c.role === 'preventive').map((c) => c.id),
            detective: addressing.filter((c) => c.role === 'detective').map((c) => c.id),
          };
        }),
      },
    },
    deviations,
    acknowledgements: input.acknowledgements,
    admissionPolicies: input.admissionPolicies,
    alarms: input.alarms,
    queries: input.queries,
  };
}

/** One CIS recommendation: its basis, then what the catalogue, `verify` and kube-bench say about it. */
function cisEntry(
  r: CisRecommendation,
  controls: readonly ControlEntry[],
  kubeBench: KubeBenchInput | undefined,
): CisEntry {
  const group = cisGroupOf(r.id);
  const naming = controls.filter(
    (c) => c.frameworks.cisEks.includes(r.id) || c.frameworks.cisEks.includes(group),
  );
  const exact = naming.filter((c) => c.frameworks.cisEks.includes(r.id));
  const evidence: string[] = [];
  let coverage: CisCoverage;
  if (r.basis === 'blueprint') {
    const effective = exact.filter((c) => !INEFFECTIVE.includes(c.status));
    coverage = effective.length > 0 ? 'enforced' : 'not-met';
    if (coverage === 'not-met') {
      evidence.push(
        ...(exact.length === 0
          ? ['no catalogue control names this recommendation']
          : exact.map((c) => `${c.id} is ${c.status}${c.evidence[0] ? `: ${c.evidence[0]}` : ''}`)),
      );
    }
  } else {
    coverage = r.basis === 'kube-bench' ? 'kube-bench' : r.basis;
  }

  let live: 'passed' | 'failed' | undefined;
  const rows = naming.flatMap((c) => c.live.map((x) => ({ id: c.id, ...x })));
  const failed = rows.filter((x) => x.status === 'NON_COMPLIANT');
  if (failed.length > 0) {
    live = 'failed';
    coverage = 'not-met';
    evidence.push(...failed.flatMap((x) => x.evidence.map((line) => `${x.id} ${x.check}: ${line}`)));
  } else if (rows.some((x) => x.status === 'COMPLIANT')) {
    live = 'passed';
    if (coverage === 'enforced') {
      coverage = 'verified-live';
      evidence.push(
        ...rows.filter((x) => x.status === 'COMPLIANT').map((x) => `${x.id} ${x.check}: passed live`),
      );
    }
  }

  const bench = kubeBench?.results[r.id];
  if (bench?.status === 'FAIL') {
    coverage = 'not-met';
    evidence.push(
      `kube-bench FAIL${bench.reason ? `: ${bench.reason}` : bench.actual ? `: ${bench.actual}` : ''}`,
    );
  }
  return {
    id: r.id,
    section: cisSectionOf(r.id),
    group,
    title: r.title,
    assessment: r.assessment,
    coverage,
    controls: naming.map((c) => c.id),
    ...(r.note ? { note: r.note } : {}),
    evidence,
    ...(bench ? { kubeBench: bench } : {}),
    ...(live ? { live } : {}),
  };
}
