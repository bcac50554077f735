/** One problem in a fork's `org/` space, located by file and line (line 0: the file as a whole). */
export interface OrgIssue {
  /** Path relative to the project, such as `org/manifests/web.yaml`. */
  readonly file: string;
  readonly line: number;
  /** What is wrong and how to fix it, naming the object where there is one. */
  readonly message: string;
}

/**
 * Raised for anything under `org/` that cannot be used: unreadable YAML, a policy that does not compile,
 * a manifest the environment's admission policies deny. Like `ConfigError`, it is meant for people: one
 * line per issue (`file:line: object: [policy] message`); the CDK app prints it and exits 1 without a
 * stack trace and before anything is synthesized.
 */
export class OrgExtensionError extends Error {
  public readonly issues: readonly OrgIssue[];

  constructor(issues: readonly OrgIssue[]) {
    super(issues.map(formatOrgIssue).join('\n'));
    this.name = 'OrgExtensionError';
    this.issues = issues;
  }

  public static isOrgExtensionError(x: unknown): x is OrgExtensionError {
    return x instanceof OrgExtensionError;
  }
}

export function formatOrgIssue(issue: OrgIssue): string {
  return `${issue.file}${issue.line > 0 ? `:${issue.line}` : ''}: ${issue.message}`;
}
