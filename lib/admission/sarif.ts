/**
 * `check --format sarif`: the report as a SARIF 2.1.0 log, so code-scanning UIs (GitHub code scanning and
 * others) show policy violations on the lines of a pull request. One rule per blueprint policy, one result
 * per violation (denials as `error`, warnings of Warn-only policies as `warning`), located by file and line.
 *
 * GitHub code scanning keeps at most 5,000 results of a run (and rejects more than 25,000), so the log
 * holds at most SARIF_RESULT_LIMIT results, errors first; when it truncates, the run says so in its
 * properties and in a tool notification, and the caller prints a line on stderr.
 */
import type * as sarif from 'sarif';
import { CONTROLS_ANNOTATION, DESCRIPTION_ANNOTATION, POLICY_ID_LABEL } from '../../policies/private/vap';
import type { KubeObject } from './types';
import type { CheckResult, CheckViolation } from './check';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Results GitHub code scanning keeps per run ("only the top 5,000 results will be included"). */
export const SARIF_RESULT_LIMIT = 5000;
const TOOL_NAME = 'hardened-eks check';

/** What a SARIF rule says about one blueprint policy. */
export interface SarifRule {
  /** The policy id (`pod-security`), the results' `ruleId`. */
  readonly id: string;
  readonly description: string;
  /** Catalogue control ids the policy enforces. */
  readonly controls: readonly string[];
  /** The messages of its validations. */
  readonly messages: readonly string[];
  /** `error` when the environment denies on it, `warning` when it only warns. */
  readonly level: 'error' | 'warning';
}

/**
 * The rules of a set of ValidatingAdmissionPolicy + Binding manifests, one per blueprint policy id (a
 * policy without the id label stands for itself), sorted by id.
 */
export function sarifRules(manifests: readonly KubeObject[]): SarifRule[] {
  const byId = new Map<
    string,
    { description: string; controls: Set<string>; messages: string[]; deny: boolean }
  >();
  const idOf = (o: KubeObject) => o.metadata?.labels?.[POLICY_ID_LABEL] ?? o.metadata?.name ?? '';
  const entry = (id: string) => {
    let e = byId.get(id);
    if (!e) {
      e = { description: '', controls: new Set(), messages: [], deny: false };
      byId.set(id, e);
    }
    return e;
  };
  for (const o of manifests) {
    const spec = (o.spec ?? {}) as {
      validations?: { message?: string }[];
      validationActions?: string[];
    };
    if (o.kind === 'ValidatingAdmissionPolicy') {
      const e = entry(idOf(o));
      const annotations = o.metadata?.annotations ?? {};
      e.description ||= annotations[DESCRIPTION_ANNOTATION] ?? '';
      for (const c of (annotations[CONTROLS_ANNOTATION] ?? '').split(',').filter(Boolean)) e.controls.add(c);
      for (const v of spec.validations ?? [])
        if (v.message && !e.messages.includes(v.message)) e.messages.push(v.message);
    } else if (o.kind === 'ValidatingAdmissionPolicyBinding') {
      if ((spec.validationActions ?? []).includes('Deny')) entry(idOf(o)).deny = true;
    }
  }
  return [...byId.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, e]) => ({
      id,
      description: e.description || id,
      controls: [...e.controls].sort(),
      messages: e.messages,
      level: e.deny ? 'error' : 'warning',
    }));
}

export interface SarifInput {
  readonly environment: string;
  readonly results: readonly CheckResult[];
  readonly rules: readonly SarifRule[];
  readonly toolVersion: string;
  /** Notes for the run's invocation (e.g. what a directory walk skipped). */
  readonly notes?: readonly string[];
  /** @default SARIF_RESULT_LIMIT */
  readonly resultLimit?: number;
}

export interface SarifOutput {
  readonly log: sarif.Log;
  /** Set when results were left out to stay within the limit. */
  readonly truncated?: { readonly total: number; readonly kept: number };
}

function objectName(r: CheckResult): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** A relative file path as a URI reference (forward slashes, each segment percent-encoded). */
function fileUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function tool(version: string, rules: readonly SarifRule[]): sarif.Tool {
  return {
    driver: {
      name: TOOL_NAME,
      version,
      rules: rules.map((r): sarif.ReportingDescriptor => ({
        id: r.id,
        name: r.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
        shortDescription: { text: r.description },
        fullDescription: {
          text: `${r.description}. Enforces ${r.controls.join(', ') || 'no catalogue control'}.`,
        },
        help: {
          text: [
            `${r.description} (admission policy ${r.id}; controls ${r.controls.join(', ') || 'none'}).`,
            ...r.messages.map((m) => `- ${m}`),
          ].join('\n'),
        },
        defaultConfiguration: { level: r.level },
        properties: { controls: [...r.controls], tags: ['security', 'kubernetes', 'admission'] },
      })),
    },
  };
}

/** The SARIF log of a check run. Deterministic: no timestamps, paths as the report gives them. */
export function renderSarif(input: SarifInput): SarifOutput {
  const limit = input.resultLimit ?? SARIF_RESULT_LIMIT;
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const toResult = (r: CheckResult, v: CheckViolation, level: 'error' | 'warning'): sarif.Result => {
    const logical: sarif.LogicalLocation = {
      name: r.name,
      fullyQualifiedName: objectName(r),
      kind: 'object',
    };
    // Objects read from stdin have no file to point at; they keep their logical location only.
    const location: sarif.Location =
      r.file === '<stdin>' || r.file === '<memory>'
        ? { logicalLocations: [logical] }
        : {
            physicalLocation: {
              artifactLocation: { uri: fileUri(r.file), uriBaseId: '%SRCROOT%' },
              region: { startLine: Math.max(1, r.line) },
            },
            logicalLocations: [logical],
          };
    const index = ruleIndex.get(v.policy);
    return {
      ruleId: v.policy,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level,
      message: { text: `${objectName(r)}: ${v.message}` },
      locations: [location],
      properties: { validatingAdmissionPolicy: v.validatingAdmissionPolicy },
    };
  };
  const errors: sarif.Result[] = [];
  const warnings: sarif.Result[] = [];
  for (const r of input.results) {
    for (const v of r.violations) errors.push(toResult(r, v, 'error'));
    for (const v of r.warnings) warnings.push(toResult(r, v, 'warning'));
  }
  const total = errors.length + warnings.length;
  // Errors first, so a truncated log still carries every denial it can.
  const results: sarif.Result[] = [];
  for (const x of errors) if (results.length < limit) results.push(x);
  for (const x of warnings) if (results.length < limit) results.push(x);
  const truncated = total > results.length ? { total, kept: results.length } : undefined;
  const notes = [...(input.notes ?? [])];
  if (truncated)
    notes.push(
      `results truncated: ${truncated.kept} of ${truncated.total} kept (code scanning keeps at most ${SARIF_RESULT_LIMIT} per run); --format json lists all`,
    );
  const run: sarif.Run = {
    tool: tool(input.toolVersion, input.rules),
    automationDetails: { id: `hardened-eks-check/${input.environment}/` },
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: notes.map((text) => ({ level: 'warning', message: { text } })),
      },
    ],
    results,
    properties: {
      environment: input.environment,
      objects: input.results.length,
      denied: input.results.filter((r) => !r.allowed).length,
      ...(truncated ? { truncated: true, totalResults: truncated.total, keptResults: truncated.kept } : {}),
    },
  };
  return {
    log: { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] },
    ...(truncated ? { truncated } : {}),
  };
}

/** A SARIF log for a run that could not check anything (exit 2): no results, the reason as a notification. */
export function sarifErrorLog(message: string, toolVersion: string): sarif.Log {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: tool(toolVersion, []),
        invocations: [
          {
            executionSuccessful: false,
            toolExecutionNotifications: [{ level: 'error', message: { text: message } }],
          },
        ],
        results: [],
      },
    ],
  };
}
