/** One problem in the configuration, located by its path in cdk.json's `blueprint` context. */
export interface ConfigIssue {
  /** Dotted path such as `environments.prod.vpcCidr` or `org.nodeGroups[0].maxSize`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
}

/**
 * Raised for any invalid configuration. Its message is meant for people: one line per issue, each naming
 * the field, the bad value and what to write instead. The CDK app prints it and exits non-zero without a
 * stack trace and before anything is synthesized.
 */
export class ConfigError extends Error {
  public readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  public static isConfigError(x: unknown): x is ConfigError {
    return x instanceof ConfigError;
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const shown = issue.value === undefined ? '' : ` (got ${JSON.stringify(issue.value)})`;
  return `Invalid blueprint config at ${issue.path}: ${issue.message}${shown}`;
}

/** A warning: the config is used as written, but probably not what was meant. */
export function formatWarning(issue: ConfigIssue): string {
  const shown = issue.value === undefined ? '' : ` (got ${JSON.stringify(issue.value)})`;
  return `Warning: blueprint config at ${issue.path}: ${issue.message}${shown}`;
}

/** Joins zod-style path segments into `a.b[0].c`. */
export function joinPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    const s = String(seg);
    return acc === '' ? s : `${acc}.${s}`;
  }, '');
}
