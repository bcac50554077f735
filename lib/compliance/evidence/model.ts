/**
 * The evidence report as data: the shape of report.json (docs/report.schema.json documents and checks it)
 * and the input of the HTML renderer. Field names are stable; add fields, never rename them.
 */

/** A catalogue control's standing in one environment. */
export type ControlStatus = 'enforced' | 'deviation' | 'not-applicable' | 'passed-live' | 'failed-live';

/** How a CIS recommendation is covered. */
export type CisCoverage = 'enforced' | 'kube-bench' | 'verified-live' | 'aws-managed' | 'manual' | 'not-met';

export const CONTROL_STATUSES: readonly ControlStatus[] = [
  'failed-live',
  'deviation',
  'passed-live',
  'enforced',
  'not-applicable',
];
export const CIS_COVERAGES: readonly CisCoverage[] = [
  'verified-live',
  'enforced',
  'kube-bench',
  'aws-managed',
  'manual',
  'not-met',
];

/** Status of one `verify` row, as `verify --format json` prints it. */
export type LiveStatus = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
/** Status of one kube-bench result. */
export type KubeBenchStatus = 'PASS' | 'FAIL' | 'WARN' | 'INFO';

export interface LiveCheck {
  readonly check: string;
  readonly status: LiveStatus;
  readonly evidence: readonly string[];
}

export interface ReportDeviation {
  readonly controlId: string;
  readonly field: string;
  readonly value: string;
  readonly reason: string;
}

export interface ControlEntry {
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  /** Whether the control prevents or detects (the Threat Matrix columns). */
  readonly role: 'preventive' | 'detective';
  readonly status: ControlStatus;
  /** Why the status is what it is: deviations, failing live rows, template findings, why not applicable. */
  readonly evidence: readonly string[];
  readonly enforcedBy: readonly string[];
  /** `file > test title`: the test that fails when the control is removed. */
  readonly provedBy: string;
  readonly deviationField?: string;
  readonly limitation?: string;
  readonly frameworks: {
    readonly cisEks: readonly string[];
    readonly nsa: readonly string[];
    readonly mitre: readonly string[];
  };
  /** Whether a synth-time rule checks it over this environment's templates, and what it found. */
  readonly synthCheck?: { readonly templates: number; readonly findings: readonly string[] };
  /** Rows of the `--verify` file for this control. */
  readonly live: readonly LiveCheck[];
}

export interface KubeBenchEvidence {
  readonly status: KubeBenchStatus;
  readonly description: string;
  readonly actual?: string;
  readonly expected?: string;
  readonly reason?: string;
}

export interface CisEntry {
  readonly id: string;
  readonly section: string;
  readonly group: string;
  readonly title: string;
  readonly assessment: 'automated' | 'manual';
  readonly coverage: CisCoverage;
  /** Catalogue controls naming the recommendation or its group. */
  readonly controls: readonly string[];
  /** How it is met or evidenced, or why it is not met. */
  readonly note?: string;
  /** What decided a `not-met` or `verified-live` coverage. */
  readonly evidence: readonly string[];
  readonly kubeBench?: KubeBenchEvidence;
  readonly live?: 'passed' | 'failed';
}

export interface CisSection {
  readonly id: string;
  readonly title: string;
  readonly groups: readonly { readonly id: string; readonly title: string }[];
  readonly counts: Readonly<Record<CisCoverage, number>>;
}

export interface NsaEntry {
  readonly id: string;
  readonly chapter: string;
  readonly title: string;
  readonly controls: readonly string[];
}

export interface TacticEntry {
  readonly id: string;
  readonly name: string;
  readonly techniques: readonly { readonly id: string; readonly name: string }[];
  readonly preventive: readonly string[];
  readonly detective: readonly string[];
}

export interface AcknowledgementEntry {
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
  readonly coveredBy: string;
}

export interface AdmissionPolicyEntry {
  readonly id: string;
  readonly controls: readonly string[];
  /** `enforced` (Deny), `warn-only` (a staged rollout), or `not-deployed` (dropped by config). */
  readonly state: 'enforced' | 'warn-only' | 'not-deployed';
  readonly validationActions: readonly string[];
  readonly failurePolicy?: string;
  readonly excludedNamespaces: readonly string[];
}

export interface AlarmEntry {
  readonly id: string;
  readonly name: string;
  readonly controlId: string;
  readonly description: string;
  /** `>=` fires on at least `threshold` matching events per period; `<` on fewer (a silence alarm). */
  readonly comparison: '>=' | '<';
  readonly threshold: number;
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
}

export interface QueryEntry {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly logGroups: readonly string[];
}

export type CountsOf<K extends string> = Readonly<Record<K, number>>;

export interface EvidenceReport {
  readonly reportVersion: 1;
  readonly environment: string;
  readonly generatedAt: string;
  readonly blueprint: { readonly name: string; readonly version: string };
  /** `sha256:<hex>` of the canonical JSON of the resolved environment config. */
  readonly configDigest: string;
  readonly cluster: {
    readonly name: string;
    readonly account: string;
    readonly region: string;
    readonly kubernetesVersion: string;
  };
  readonly inputs: {
    readonly verify?: {
      readonly cluster: string;
      readonly result: string;
      readonly checks: number;
      readonly counts: CountsOf<LiveStatus>;
    };
    readonly kubeBench?: { readonly benchmark: string; readonly results: number };
  };
  readonly summary: {
    readonly controls: CountsOf<ControlStatus> & { readonly total: number };
    readonly cis: CountsOf<CisCoverage> & { readonly total: number };
    readonly deviations: number;
    readonly acknowledgements: number;
  };
  readonly controls: readonly ControlEntry[];
  readonly frameworks: {
    readonly cisEks: {
      readonly name: string;
      readonly version: string;
      readonly sections: readonly CisSection[];
      readonly recommendations: readonly CisEntry[];
    };
    readonly nsaCisa: {
      readonly name: string;
      readonly version: string;
      readonly sections: readonly NsaEntry[];
    };
    readonly threatMatrix: { readonly name: string; readonly tactics: readonly TacticEntry[] };
  };
  readonly deviations: readonly ReportDeviation[];
  readonly acknowledgements: readonly AcknowledgementEntry[];
  readonly admissionPolicies: readonly AdmissionPolicyEntry[];
  readonly alarms: readonly AlarmEntry[];
  readonly queries: readonly QueryEntry[];
}
