/**
 * Pure builders for ValidatingAdmissionPolicy + Binding manifests (plain objects, deterministic), shared by
 * every policy file. No constructs, no I/O: the cdk8s chart and the offline evaluator both consume the output.
 */
import type { KubeObject, ValidationAction } from '../../lib/admission/types';
import type { LabelSelector, NamedRuleWithOperations } from '../../lib/admission/match';

export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';
/** Label on every policy and binding naming the blueprint policy id it belongs to (used by `check --only`). */
export const POLICY_ID_LABEL = 'hardened-eks.io/policy';
/** The label the API server puts on every namespace; selecting on it needs no cooperation from tenants. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const PSS_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** Annotation on every policy listing the catalogue controls it enforces (comma-separated). */
export const CONTROLS_ANNOTATION = 'hardened-eks.io/controls';
/** Annotation on every policy with its one-line description. */
export const DESCRIPTION_ANNOTATION = 'hardened-eks.io/description';

/** One CEL rule of a policy: the expression that must hold and what to tell the user when it does not. */
export interface PolicyValidation {
  readonly expression: string;
  readonly message: string;
  /** Builds a more specific message (e.g. naming the offending image); falls back to `message`. */
  readonly messageExpression?: string;
  /** @default 'Forbidden' */
  readonly reason?: 'Forbidden' | 'Invalid' | 'Unauthorized';
}

export interface PolicyVariable {
  readonly name: string;
  readonly expression: string;
}

export interface RenderPolicyInput {
  /** The policy's metadata.name (also the binding's). */
  readonly name: string;
  /** The blueprint policy id (file name in policies/). */
  readonly id: string;
  readonly controls: readonly string[];
  readonly description: string;
  readonly rules: readonly NamedRuleWithOperations[];
  readonly variables?: readonly PolicyVariable[];
  readonly matchConditions?: readonly PolicyVariable[];
  readonly validations: readonly PolicyValidation[];
  readonly validationActions: readonly ValidationAction[];
  /** Restricts the binding to namespaces; the system namespaces are excluded here, never inside CEL. */
  readonly namespaceSelector?: LabelSelector;
}

/** Excludes the given namespaces by the name label the API server sets (and tenants cannot change). */
export function excludeNamespaces(names: readonly string[]): LabelSelector {
  return names.length === 0
    ? {}
    : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...names].sort() }] };
}

/** Policy + binding for one rule set. Failure policy is Fail: an expression error denies, never admits. */
export function renderPolicy(input: RenderPolicyInput): KubeObject[] {
  const labels = { 'app.kubernetes.io/part-of': 'hardened-eks', [POLICY_ID_LABEL]: input.id };
  const policy: KubeObject = {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: {
      name: input.name,
      labels,
      annotations: {
        [CONTROLS_ANNOTATION]: input.controls.join(','),
        [DESCRIPTION_ANNOTATION]: input.description,
      },
    },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: input.rules.map((r) => ({ ...r })) },
      ...(input.matchConditions?.length
        ? { matchConditions: input.matchConditions.map((c) => ({ ...c })) }
        : {}),
      ...(input.variables?.length ? { variables: input.variables.map((v) => ({ ...v })) } : {}),
      validations: input.validations.map((v) => ({
        expression: v.expression,
        message: v.message,
        ...(v.messageExpression ? { messageExpression: v.messageExpression } : {}),
        reason: v.reason ?? 'Forbidden',
      })),
    },
  };
  const binding: KubeObject = {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: input.name, labels },
    spec: {
      policyName: input.name,
      validationActions: [...input.validationActions],
      ...(input.namespaceSelector && Object.keys(input.namespaceSelector).length > 0
        ? { matchResources: { namespaceSelector: input.namespaceSelector } }
        : {}),
    },
  };
  return [policy, binding];
}

const WRITE: string[] = ['CREATE', 'UPDATE'];

/** Pods and every kind that carries a pod template. */
export const WORKLOAD_RULES: readonly NamedRuleWithOperations[] = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'replicationcontrollers'], operations: WRITE },
  {
    apiGroups: ['apps'],
    apiVersions: ['v1'],
    resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
    operations: WRITE,
  },
  { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'], operations: WRITE },
];

/**
 * Variables giving every workload kind the same view: the pod spec and metadata (from the object itself, its
 * template, or a CronJob's job template) and all its containers, init and ephemeral ones included.
 */
export const POD_VARIABLES: readonly PolicyVariable[] = [
  {
    name: 'podTemplate',
    expression:
      "object.kind == 'Pod' ? object : object.kind == 'CronJob' ? object.?spec.?jobTemplate.?spec.?template.orValue({}) : object.?spec.?template.orValue({})",
  },
  { name: 'podSpec', expression: 'variables.podTemplate.?spec.orValue({})' },
  { name: 'podMeta', expression: 'variables.podTemplate.?metadata.orValue({})' },
  {
    name: 'containers',
    expression:
      'variables.podSpec.?containers.orValue([]) + variables.podSpec.?initContainers.orValue([]) + variables.podSpec.?ephemeralContainers.orValue([])',
  },
];

/** Props every policy takes. */
export interface PolicyProps {
  /** Namespaces the binding never selects (the EKS system namespaces). */
  readonly exemptNamespaces: readonly string[];
  /** @default ['Deny', 'Audit'] */
  readonly validationActions?: readonly ValidationAction[];
}

export const DEFAULT_ACTIONS: readonly ValidationAction[] = ['Deny', 'Audit'];

/** A CEL list literal of strings. */
export function celList(xs: readonly string[]): string {
  return `[${xs.map(celString).join(', ')}]`;
}

/** A CEL string literal (single-quoted, escaped). */
export function celString(x: string): string {
  return `'${x.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
