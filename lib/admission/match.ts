/** The matching half of admission: resource rules, label selectors, namespace and object selectors. */
import { isNamespaced } from './resources';
import type { AdmissionRequest, KubeObject } from './types';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface NamedRuleWithOperations {
  readonly apiGroups?: readonly string[];
  readonly apiVersions?: readonly string[];
  readonly resources?: readonly string[];
  readonly operations?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly scope?: 'Cluster' | 'Namespaced' | '*';
}

export interface MatchResources {
  readonly namespaceSelector?: LabelSelector;
  readonly objectSelector?: LabelSelector;
  readonly resourceRules?: readonly NamedRuleWithOperations[];
  readonly excludeResourceRules?: readonly NamedRuleWithOperations[];
  readonly matchPolicy?: 'Exact' | 'Equivalent';
}

/** An absent selector matches everything, as does `{}`. */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const r of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, r.key);
    const values = r.values ?? [];
    switch (r.operator) {
      case 'In':
        if (!has || !values.includes(labels[r.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[r.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

function listMatches(patterns: readonly string[] | undefined, value: string): boolean {
  return (patterns ?? []).some((p) => p === '*' || p === value);
}

/** `pods`, `pods/exec`, `*`, `*\/status`, `pods/*` against a resource and subresource. */
function resourceMatches(patterns: readonly string[] | undefined, resource: string, sub: string): boolean {
  const full = sub ? `${resource}/${sub}` : resource;
  return (patterns ?? []).some((p) => {
    if (p === '*') return sub === '';
    if (p === '*/*') return true;
    if (p === full) return true;
    const [r, s] = p.split('/');
    if (s === undefined) return false;
    return (r === '*' || r === resource) && (s === '*' ? sub !== '' : s === sub);
  });
}

export function ruleMatches(rule: NamedRuleWithOperations, req: AdmissionRequest): boolean {
  if (!listMatches(rule.operations, req.operation)) return false;
  if (!listMatches(rule.apiGroups, req.resource.group)) return false;
  if (!listMatches(rule.apiVersions, req.resource.version)) return false;
  if (!resourceMatches(rule.resources, req.resource.resource, req.subResource)) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !rule.resourceNames.includes(req.name))
    return false;
  const scope = rule.scope ?? '*';
  if (scope !== '*') {
    const namespaced = req.namespace !== '' || isNamespaced(req.kind.kind);
    if ((scope === 'Namespaced') !== namespaced) return false;
  }
  return true;
}

function labelsOf(o: KubeObject | null): Readonly<Record<string, string>> {
  return o?.metadata?.labels ?? {};
}

/**
 * Whether a request falls under a MatchResources block. `requireRules` is true for a policy's
 * matchConstraints (rules are mandatory there) and false for a binding's matchResources (no rules = all).
 */
export function matchResources(
  m: MatchResources | undefined,
  req: AdmissionRequest,
  requireRules: boolean,
): boolean {
  if (!m) return !requireRules;
  if (m.resourceRules && m.resourceRules.length > 0) {
    if (!m.resourceRules.some((r) => ruleMatches(r, req))) return false;
  } else if (requireRules) return false;
  if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, req))) return false;
  // A Namespace is matched on its own labels; other cluster-scoped objects are never skipped.
  if (req.kind.kind === 'Namespace' && req.kind.group === '') {
    const own = req.object ?? req.oldObject;
    if (!selectorMatches(m.namespaceSelector, labelsOf(own))) return false;
  } else if (req.namespace !== '') {
    if (!selectorMatches(m.namespaceSelector, labelsOf(req.namespaceObject))) return false;
  }
  if (m.objectSelector) {
    const either =
      selectorMatches(m.objectSelector, labelsOf(req.object)) ||
      (req.oldObject !== null && selectorMatches(m.objectSelector, labelsOf(req.oldObject)));
    if (!either) return false;
  }
  return true;
}
