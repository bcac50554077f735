/** A CloudFormation resource as it appears in a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, TemplateResource>;
}

/**
 * What config declares for one cluster: the only way a control may be weakened. Built from the one list of
 * weakening config values (lib/compliance/deviations.ts#declaredDeviations).
 */
export interface DeclaredDeviations {
  readonly publicEndpointCidrs: readonly string[];
  readonly clusterDeletionProtection: boolean;
  readonly cisLevel: 1 | 2;
  /** EKS names of the node groups allowed `ForceUpdateEnabled: true`. */
  readonly forceUpdateNodegroups?: readonly string[];
}

export interface RuleContext {
  readonly template: CfnTemplate;
  /** Deviations declared per cluster name. */
  readonly deviations: Readonly<Record<string, DeclaredDeviations>>;
}

export interface Finding {
  readonly controlId: string;
  readonly logicalId: string;
  /** What is wrong, and how to fix it or declare it. */
  readonly message: string;
}

/** A synth-time check of one catalogue control over a template. */
export interface TemplateRule {
  readonly controlId: string;
  check(ctx: RuleContext): Finding[];
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, TemplateResource]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

export function prop<T = unknown>(obj: unknown, ...path: string[]): T | undefined {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur as T | undefined;
}
