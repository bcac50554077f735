import { z } from 'zod';
import { CIS_EKS_BENCHMARK, CIS_EKS_RECOMMENDATIONS } from './frameworks/cis-eks';
import type { KubeBenchEvidence, KubeBenchStatus, LiveStatus } from './model';

/**
 * The live evidence files `report` reads: `verify --format json` output and `kube-bench --json` output.
 * Both are parsed strictly enough that a wrong file is refused with one line naming the field, never
 * half-merged into a report an auditor would trust.
 */

/** A problem with the command line or an input file: exit code 2, one line for people. */
export class EvidenceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvidenceInputError';
  }

  public static isEvidenceInputError(x: unknown): x is EvidenceInputError {
    return x instanceof EvidenceInputError;
  }
}

export interface VerifyCheck {
  readonly controlId: string;
  readonly check: string;
  readonly status: LiveStatus;
  readonly evidence: readonly string[];
}

export interface VerifyInput {
  readonly environment: string;
  readonly cluster: string;
  readonly result: string;
  readonly checks: readonly VerifyCheck[];
}

export interface KubeBenchInput {
  readonly benchmark: string;
  /** One result per CIS recommendation id (the worst, if the file repeats an id). */
  readonly results: Readonly<Record<string, KubeBenchEvidence>>;
}

const verifySchema = z.object({
  environment: z.string(),
  cluster: z.string(),
  result: z.enum(['COMPLIANT', 'NON_COMPLIANT']),
  checks: z.array(
    z.object({
      controlId: z.string().min(1),
      check: z.string(),
      status: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']),
      evidence: z.array(z.string()),
    }),
  ),
});

const KUBE_BENCH_STATUSES = ['PASS', 'FAIL', 'WARN', 'INFO'] as const;

// Go marshals empty slices as null, so every list may be null.
const kubeBenchControlsSchema = z.array(
  z.object({
    id: z.string(),
    version: z.string(),
    text: z.string().optional(),
    tests: z
      .array(
        z.object({
          section: z.string(),
          results: z
            .array(
              z.object({
                test_number: z.string().min(1),
                test_desc: z.string(),
                status: z.enum(KUBE_BENCH_STATUSES),
                actual_value: z.string().optional(),
                expected_result: z.string().optional(),
                reason: z.string().optional(),
              }),
            )
            .nullable(),
        }),
      )
      .nullable(),
  }),
);
/** `--json` prints the controls with totals; `--json --noTotals`, the bare list. */
const kubeBenchSchema = z.object({ Controls: kubeBenchControlsSchema });

/** The first zod issue as `path: message (got value)`. */
function firstIssue(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  let value: unknown = input;
  for (const seg of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[seg];
  const where = issue.path.reduce<string>(
    (acc, seg) =>
      typeof seg === 'number' ? `${acc}[${seg}]` : acc === '' ? String(seg) : `${acc}.${String(seg)}`,
    '',
  );
  const got = value === undefined ? 'missing' : `got ${JSON.stringify(value)?.slice(0, 60)}`;
  return `${where || 'the top level'}: ${issue.message} (${got})`;
}

function parseJson(text: string, flag: string, file: string, produce: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new EvidenceInputError(`${flag} ${file} is not JSON; pass the output of ${produce}`);
  }
}

const VERIFY_PRODUCER = '`hardened-eks verify --format json`';
const KUBE_BENCH_PRODUCER = `\`kube-bench --benchmark ${CIS_EKS_BENCHMARK.kubeBench} --json\``;

/**
 * Parses `verify --format json` output for `environment`. Refuses a file of another environment and rows
 * naming controls the catalogue does not know (a file from another blueprint).
 */
export function parseVerifyJson(
  text: string,
  file: string,
  environment: string,
  knownControls: ReadonlySet<string>,
): VerifyInput {
  const raw = parseJson(text, '--verify', file, VERIFY_PRODUCER);
  const parsed = verifySchema.safeParse(raw);
  if (!parsed.success) {
    throw new EvidenceInputError(
      `--verify ${file}: ${firstIssue(parsed.error, raw)}; pass the output of ${VERIFY_PRODUCER}`,
    );
  }
  const v = parsed.data;
  if (v.environment !== environment) {
    throw new EvidenceInputError(
      `--verify ${file} is for environment "${v.environment}", not "${environment}"; run verify with --env ${environment}`,
    );
  }
  const unknown = v.checks.find((c) => !knownControls.has(c.controlId));
  if (unknown) {
    throw new EvidenceInputError(
      `--verify ${file}: control ${unknown.controlId} is not in this blueprint's catalogue; run verify from the same version of the blueprint`,
    );
  }
  return v;
}

const SEVERITY: Record<KubeBenchStatus, number> = { FAIL: 3, WARN: 2, INFO: 1, PASS: 0 };

/** Parses `kube-bench --json` output (with or without totals) of the pinned EKS benchmark. */
export function parseKubeBenchJson(text: string, file: string): KubeBenchInput {
  const raw = parseJson(text, '--kube-bench', file, KUBE_BENCH_PRODUCER);
  const parsed = Array.isArray(raw)
    ? kubeBenchControlsSchema.transform((Controls) => ({ Controls })).safeParse(raw)
    : kubeBenchSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EvidenceInputError(
      `--kube-bench ${file}: ${firstIssue(parsed.error, raw)}; pass the output of ${KUBE_BENCH_PRODUCER}`,
    );
  }
  const other = parsed.data.Controls.find((c) => c.version !== CIS_EKS_BENCHMARK.kubeBench);
  if (other) {
    throw new EvidenceInputError(
      `--kube-bench ${file} holds benchmark "${other.version}", not ${CIS_EKS_BENCHMARK.kubeBench}; run kube-bench with --benchmark ${CIS_EKS_BENCHMARK.kubeBench}`,
    );
  }
  const known = new Set(CIS_EKS_RECOMMENDATIONS.map((r) => r.id));
  const results: Record<string, KubeBenchEvidence> = {};
  for (const control of parsed.data.Controls) {
    for (const group of control.tests ?? []) {
      for (const r of group.results ?? []) {
        if (!known.has(r.test_number)) {
          throw new EvidenceInputError(
            `--kube-bench ${file}: test ${r.test_number} is not a ${CIS_EKS_BENCHMARK.name} ${CIS_EKS_BENCHMARK.version} recommendation; pass the output of ${KUBE_BENCH_PRODUCER}`,
          );
        }
        const previous = results[r.test_number];
        if (previous && SEVERITY[previous.status] >= SEVERITY[r.status]) continue;
        const trim = (s: string | undefined) => (s && s.trim() !== '' ? s.trim() : undefined);
        results[r.test_number] = {
          status: r.status,
          description: r.test_desc,
          ...(trim(r.actual_value) ? { actual: trim(r.actual_value) } : {}),
          ...(trim(r.expected_result) ? { expected: trim(r.expected_result) } : {}),
          ...(trim(r.reason) ? { reason: trim(r.reason) } : {}),
        };
      }
    }
  }
  if (Object.keys(results).length === 0) {
    throw new EvidenceInputError(
      `--kube-bench ${file} holds no results; pass the output of ${KUBE_BENCH_PRODUCER}`,
    );
  }
  return { benchmark: CIS_EKS_BENCHMARK.kubeBench, results };
}
