import type { VerifyError } from './errors';
import type { CheckStatus } from './types';
import type { VerifyReport } from './verify';

const LABEL: Record<CheckStatus, string> = {
  COMPLIANT: 'PASS',
  NON_COMPLIANT: 'FAIL',
  NOT_APPLICABLE: 'N/A',
};

export function summarize(report: VerifyReport): {
  compliant: number;
  nonCompliant: number;
  notApplicable: number;
} {
  const count = (s: CheckStatus) => report.results.filter((r) => r.status === s).length;
  return {
    compliant: count('COMPLIANT'),
    nonCompliant: count('NON_COMPLIANT'),
    notApplicable: count('NOT_APPLICABLE'),
  };
}

/** 0 when every check passes (or does not apply), 1 on drift. */
export function exitCodeOf(report: VerifyReport): 0 | 1 {
  return report.results.some((r) => r.status === 'NON_COMPLIANT') ? 1 : 0;
}

/** A table for people: one row per check, evidence lines indented under it. Deterministic. */
export function renderText(report: VerifyReport): string {
  const idWidth = Math.max(...report.results.map((r) => r.controlId.length), 'CONTROL'.length);
  const checkWidth = Math.max(...report.results.map((r) => r.check.length), 'CHECK'.length);
  const row = (status: string, id: string, check: string, evidence: string) =>
    `${status.padEnd(6)}${id.padEnd(idWidth + 2)}${check.padEnd(checkWidth + 2)}${evidence}`.trimEnd();
  const indent = ' '.repeat(6 + idWidth + 2 + checkWidth + 2);
  const lines = [
    `hardened-eks verify: cluster ${report.clusterName} (environment ${report.environment}, ${report.account}/${report.region})`,
    '',
    row('', 'CONTROL', 'CHECK', 'EVIDENCE'),
  ];
  for (const r of report.results) {
    const [first = '', ...rest] = r.evidence;
    lines.push(row(LABEL[r.status], r.controlId, r.check, first));
    for (const e of rest) lines.push(`${indent}${e}`);
  }
  const s = summarize(report);
  lines.push(
    '',
    `${report.results.length} checks: ${s.compliant} pass, ${s.nonCompliant} fail, ${s.notApplicable} not applicable`,
  );
  return `${lines.join('\n')}\n`;
}

/** The same report for pipelines. */
export function renderJson(report: VerifyReport): string {
  return `${JSON.stringify(
    {
      environment: report.environment,
      cluster: report.clusterName,
      account: report.account,
      region: report.region,
      result: exitCodeOf(report) === 0 ? 'COMPLIANT' : 'NON_COMPLIANT',
      summary: summarize(report),
      checks: report.results,
    },
    null,
    2,
  )}\n`;
}

/**
 * For pipelines, when verification stopped before a verdict (exit code 2): what was being verified, where
 * it stopped (`action`, the API call, when there was one) and the same one-line message as on stderr.
 */
export function renderJsonError(
  err: VerifyError,
  target: { readonly environment?: string; readonly cluster?: string },
): string {
  return `${JSON.stringify(
    {
      ...(target.environment !== undefined ? { environment: target.environment } : {}),
      ...(target.cluster !== undefined ? { cluster: target.cluster } : {}),
      result: 'ERROR',
      error: {
        kind: err.kind,
        ...(err.action !== undefined ? { action: err.action } : {}),
        message: err.message,
      },
    },
    null,
    2,
  )}\n`;
}
