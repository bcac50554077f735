/**
 * Offline evaluation of `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicies and their bindings,
 * with the API server's semantics: match constraints, match conditions, lazy variables, validations with
 * message / messageExpression / reason, audit annotations, failurePolicy and the bindings'
 * validationActions. Every expression is compiled and type-checked up front; a malformed policy or invalid
 * CEL is a `PolicyCompileError` naming the policy, the field and the expression.
 */
import type { Environment, ParseResult } from '@marcbachmann/cel-js';
import { createAdmissionEnvironment, toCel, type CelValue } from './cel/library';
import { matchResources, type MatchResources } from './match';
import type {
  AdmissionDecision,
  AdmissionRequest,
  AuditAnnotation,
  KubeObject,
  ValidationAction,
  Violation,
} from './types';

const ADMISSION_API = 'admissionregistration.k8s.io/v1';
const REASONS = ['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const ACTIONS: readonly ValidationAction[] = ['Deny', 'Warn', 'Audit'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export interface CompileIssue {
  /** `ValidatingAdmissionPolicy/<name>` or `ValidatingAdmissionPolicyBinding/<name>`. */
  readonly object: string;
  /** Field path, e.g. `spec.validations[2].expression`. */
  readonly path: string;
  readonly message: string;
}

/** A policy set that cannot be loaded: one line per problem. */
export class PolicyCompileError extends Error {
  constructor(public readonly issues: readonly CompileIssue[]) {
    super(issues.map((i) => `${i.object} ${i.path}: ${i.message}`).join('\n'));
    this.name = 'PolicyCompileError';
  }
}

interface CompiledExpression {
  readonly source: string;
  readonly run: ParseResult;
}

interface CompiledValidation {
  readonly expression: CompiledExpression;
  readonly message?: string;
  readonly messageExpression?: CompiledExpression;
  readonly reason: string;
}

interface CompiledPolicy {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchConstraints: MatchResources;
  readonly matchConditions: readonly { readonly name: string; readonly expression: CompiledExpression }[];
  readonly variables: readonly { readonly name: string; readonly expression: CompiledExpression }[];
  readonly validations: readonly CompiledValidation[];
  readonly auditAnnotations: readonly {
    readonly key: string;
    readonly valueExpression: CompiledExpression;
  }[];
}

interface CompiledBinding {
  readonly name: string;
  readonly policy: CompiledPolicy;
  readonly actions: readonly ValidationAction[];
  readonly matchResources?: MatchResources;
}

type Dict = Record<string, unknown>;

function isDict(x: unknown): x is Dict {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

class Compiler {
  public readonly issues: CompileIssue[] = [];
  constructor(private readonly env: Environment) {}

  public issue(object: string, path: string, message: string): void {
    this.issues.push({ object, path, message });
  }

  /** Compiles and type-checks; `returns` lists the static types the field accepts (`dyn` always passes). */
  public expression(
    object: string,
    path: string,
    source: unknown,
    returns?: readonly string[],
  ): CompiledExpression | undefined {
    if (typeof source !== 'string' || source.trim() === '') {
      this.issue(object, path, 'must be a non-empty CEL expression');
      return undefined;
    }
    try {
      const run = this.env.parse(source);
      const checked = run.check();
      if (!checked.valid) {
        this.issue(object, path, `invalid CEL ${JSON.stringify(source)}: ${summary(checked.error)}`);
        return undefined;
      }
      const type = String(checked.type);
      if (returns && type !== 'dyn' && !returns.includes(type)) {
        this.issue(
          object,
          path,
          `must evaluate to ${returns.join(' or ')}, but ${JSON.stringify(source)} is ${type}`,
        );
        return undefined;
      }
      return { source, run };
    } catch (e) {
      this.issue(object, path, `invalid CEL ${JSON.stringify(source)}: ${summary(e)}`);
      return undefined;
    }
  }

  public policy(o: KubeObject): CompiledPolicy | undefined {
    const before = this.issues.length;
    const name = o.metadata?.name;
    const id = `ValidatingAdmissionPolicy/${name ?? '<unnamed>'}`;
    if (!name) this.issue(id, 'metadata.name', 'is required');
    const spec = o.spec;
    if (!isDict(spec)) {
      this.issue(id, 'spec', 'is required');
      return undefined;
    }
    if (spec.paramKind !== undefined)
      this.issue(
        id,
        'spec.paramKind',
        'is not supported by the offline evaluator (policies here take no params)',
      );
    const failurePolicy = spec.failurePolicy ?? 'Fail';
    if (failurePolicy !== 'Fail' && failurePolicy !== 'Ignore')
      this.issue(id, 'spec.failurePolicy', `must be Fail or Ignore (got ${JSON.stringify(failurePolicy)})`);
    const mc = spec.matchConstraints;
    if (!isDict(mc) || !Array.isArray(mc.resourceRules) || mc.resourceRules.length === 0)
      this.issue(id, 'spec.matchConstraints.resourceRules', 'must list at least one rule');
    else
      mc.resourceRules.forEach((r, i) => {
        if (
          !isDict(r) ||
          !Array.isArray(r.operations) ||
          !Array.isArray(r.resources) ||
          !Array.isArray(r.apiGroups)
        )
          this.issue(
            id,
            `spec.matchConstraints.resourceRules[${i}]`,
            'needs apiGroups, resources and operations',
          );
      });

    const list = (field: string): Dict[] => {
      const v = spec[field];
      if (v === undefined) return [];
      if (!Array.isArray(v) || !v.every(isDict)) {
        this.issue(id, `spec.${field}`, 'must be a list of objects');
        return [];
      }
      return v;
    };
    const seen = new Set<string>();
    const named = (field: string) =>
      list(field).flatMap((x, i) => {
        const p = `spec.${field}[${i}]`;
        const n = x.name;
        // Variables are CEL identifiers; match conditions are qualified names like label keys.
        const pattern = field === 'variables' ? IDENTIFIER : QUALIFIED_NAME;
        if (typeof n !== 'string' || !pattern.test(n)) {
          const what = field === 'variables' ? 'a CEL identifier' : 'a qualified name';
          this.issue(id, `${p}.name`, `must be ${what} (got ${JSON.stringify(n)})`);
          return [];
        }
        if (seen.has(`${field}/${n}`)) this.issue(id, `${p}.name`, `"${n}" is defined twice`);
        seen.add(`${field}/${n}`);
        const expression = this.expression(
          id,
          `${p}.expression`,
          x.expression,
          field === 'matchConditions' ? ['bool'] : undefined,
        );
        return expression ? [{ name: n, expression }] : [];
      });
    const matchConditions = named('matchConditions');
    // The API server evaluates match conditions before it composes variables.
    matchConditions.forEach((c, i) => {
      if (/\bvariables\./.test(c.expression.source))
        this.issue(
          id,
          `spec.matchConditions[${i}].expression`,
          'cannot use variables (they are not defined yet)',
        );
    });
    const variables = named('variables');
    const defined = new Set(variables.map((v) => v.name));
    const validations = list('validations').flatMap((v, i): CompiledValidation[] => {
      const p = `spec.validations[${i}]`;
      const expression = this.expression(id, `${p}.expression`, v.expression, ['bool']);
      const messageExpression =
        v.messageExpression === undefined
          ? undefined
          : this.expression(id, `${p}.messageExpression`, v.messageExpression, ['string']);
      if (v.message !== undefined && (typeof v.message !== 'string' || /[\r\n]/.test(v.message)))
        this.issue(id, `${p}.message`, 'must be a single-line string');
      const reason = v.reason ?? 'Invalid';
      if (typeof reason !== 'string' || !REASONS.includes(reason))
        this.issue(id, `${p}.reason`, `must be one of ${REASONS.join(', ')} (got ${JSON.stringify(reason)})`);
      if (!expression) return [];
      return [
        { expression, message: v.message as string | undefined, messageExpression, reason: String(reason) },
      ];
    });
    const auditAnnotations = list('auditAnnotations').flatMap((a, i) => {
      const p = `spec.auditAnnotations[${i}]`;
      if (typeof a.key !== 'string' || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(a.key))
        this.issue(id, `${p}.key`, 'must be a qualified name');
      const valueExpression = this.expression(id, `${p}.valueExpression`, a.valueExpression, [
        'string',
        'null',
      ]);
      return valueExpression ? [{ key: String(a.key), valueExpression }] : [];
    });
    if (validations.length === 0 && auditAnnotations.length === 0 && this.issues.length === before)
      this.issue(id, 'spec.validations', 'must hold at least one validation or audit annotation');
    // A reference to an undefined variable would only fail at run time; catch it now.
    const sources = [
      ...variables.map((v) => v.expression.source),
      ...validations.flatMap((v) => [v.expression.source, v.messageExpression?.source ?? '']),
      ...auditAnnotations.map((a) => a.valueExpression.source),
    ];
    for (const src of sources)
      for (const m of src.matchAll(/\bvariables\.([A-Za-z_][A-Za-z0-9_]*)/g))
        if (!defined.has(m[1]))
          this.issue(
            id,
            'spec.variables',
            `"variables.${m[1]}" is used in ${JSON.stringify(src)} but not defined`,
          );
    if (this.issues.length > before || !name) return undefined;
    return {
      name,
      labels: o.metadata?.labels ?? {},
      failurePolicy: failurePolicy as 'Fail' | 'Ignore',
      matchConstraints: mc as MatchResources,
      matchConditions,
      variables,
      validations,
      auditAnnotations,
    };
  }

  public binding(
    o: KubeObject,
    policies: ReadonlyMap<string, CompiledPolicy>,
    known: ReadonlySet<string>,
  ): CompiledBinding | undefined {
    const name = o.metadata?.name;
    const id = `ValidatingAdmissionPolicyBinding/${name ?? '<unnamed>'}`;
    const spec = o.spec;
    if (!name) this.issue(id, 'metadata.name', 'is required');
    if (!isDict(spec)) {
      this.issue(id, 'spec', 'is required');
      return undefined;
    }
    const policyName = spec.policyName;
    const policy = typeof policyName === 'string' ? policies.get(policyName) : undefined;
    if (typeof policyName !== 'string' || !known.has(policyName)) {
      this.issue(
        id,
        'spec.policyName',
        `names no ValidatingAdmissionPolicy in the set (got ${JSON.stringify(policyName)})`,
      );
    }
    if (spec.paramRef !== undefined)
      this.issue(id, 'spec.paramRef', 'is not supported by the offline evaluator');
    const actions = spec.validationActions;
    if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => ACTIONS.includes(a))) {
      this.issue(
        id,
        'spec.validationActions',
        `must list some of ${ACTIONS.join(', ')} (got ${JSON.stringify(actions)})`,
      );
    } else if (actions.includes('Deny') && actions.includes('Warn')) {
      this.issue(id, 'spec.validationActions', 'must not combine Deny and Warn');
    }
    if (spec.matchResources !== undefined && !isDict(spec.matchResources))
      this.issue(id, 'spec.matchResources', 'must be an object');
    if (!policy || !name || !Array.isArray(actions)) return undefined;
    return {
      name,
      policy,
      actions: actions as ValidationAction[],
      matchResources: spec.matchResources as MatchResources | undefined,
    };
  }
}

function summary(e: unknown): string {
  if (isDict(e) && typeof e.summary === 'string') return e.summary;
  if (e instanceof Error) return e.message.split('\n')[0];
  return String(e);
}

function isPolicy(o: KubeObject): boolean {
  return o.kind === 'ValidatingAdmissionPolicy';
}

function isBinding(o: KubeObject): boolean {
  return o.kind === 'ValidatingAdmissionPolicyBinding';
}

let sharedEnv: Environment | undefined;

/** The compiled policies and bindings; build once, evaluate many requests. */
export class AdmissionEvaluator {
  /**
   * Compiles every ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding in `manifests` (other
   * kinds are ignored). Throws `PolicyCompileError` listing every problem.
   */
  public static compile(manifests: readonly KubeObject[]): AdmissionEvaluator {
    sharedEnv ??= createAdmissionEnvironment();
    const compiler = new Compiler(sharedEnv);
    for (const o of manifests) {
      if ((isPolicy(o) || isBinding(o)) && o.apiVersion !== ADMISSION_API)
        compiler.issue(
          `${o.kind}/${o.metadata?.name}`,
          'apiVersion',
          `must be ${ADMISSION_API} (got ${JSON.stringify(o.apiVersion)})`,
        );
    }
    const policies = new Map<string, CompiledPolicy>();
    const known = new Set<string>();
    for (const o of manifests.filter(isPolicy)) {
      const name = o.metadata?.name;
      if (name && known.has(name))
        compiler.issue(`ValidatingAdmissionPolicy/${name}`, 'metadata.name', 'is defined twice');
      if (name) known.add(name);
      const p = compiler.policy(o);
      if (p) policies.set(p.name, p);
    }
    const bindings = manifests
      .filter(isBinding)
      .map((o) => compiler.binding(o, policies, known))
      .filter((b): b is CompiledBinding => b !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (compiler.issues.length > 0) throw new PolicyCompileError(compiler.issues);
    return new AdmissionEvaluator([...policies.values()], bindings);
  }

  private constructor(
    private readonly policies: readonly CompiledPolicy[],
    private readonly bindings: readonly CompiledBinding[],
  ) {}

  /** The names and labels of the compiled policies. */
  public get policyNames(): readonly {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
  }[] {
    return this.policies.map((p) => ({ name: p.name, labels: p.labels }));
  }

  /** A copy limited to the bindings whose policy passes `keep`. */
  public filter(
    keep: (policy: { name: string; labels: Readonly<Record<string, string>> }) => boolean,
  ): AdmissionEvaluator {
    return new AdmissionEvaluator(
      this.policies.filter((p) => keep(p)),
      this.bindings.filter((b) => keep(b.policy)),
    );
  }

  public evaluate(request: AdmissionRequest): AdmissionDecision {
    const denials: Violation[] = [];
    const warnings: Violation[] = [];
    const audit: Violation[] = [];
    const auditAnnotations: AuditAnnotation[] = [];
    const matched = new Set<string>();
    const base = {
      object: toCel(request.object),
      oldObject: toCel(request.oldObject),
      namespaceObject: toCel(request.namespaceObject),
      request: toCel({
        kind: request.kind,
        resource: request.resource,
        subResource: request.subResource,
        requestKind: request.kind,
        requestResource: request.resource,
        requestSubResource: request.subResource,
        name: request.name,
        namespace: request.namespace,
        operation: request.operation,
        userInfo: { username: request.userInfo.username, groups: [...request.userInfo.groups] },
        dryRun: request.dryRun ?? false,
      }),
    };
    for (const binding of this.bindings) {
      const policy = binding.policy;
      if (!matchResources(policy.matchConstraints, request, true)) continue;
      if (!matchResources(binding.matchResources, request, false)) continue;
      const found = evaluatePolicy(policy, binding, base);
      if (!found.matched) continue;
      matched.add(policy.name);
      for (const v of found.violations) {
        if (binding.actions.includes('Deny')) denials.push(v);
        if (binding.actions.includes('Warn')) warnings.push(v);
        if (binding.actions.includes('Audit')) audit.push(v);
      }
      auditAnnotations.push(...found.annotations);
    }
    return {
      allowed: denials.length === 0,
      denials,
      warnings,
      audit,
      auditAnnotations,
      matched: [...matched].sort(),
    };
  }
}

interface PolicyOutcome {
  readonly matched: boolean;
  readonly violations: Violation[];
  readonly annotations: AuditAnnotation[];
}

function evaluatePolicy(
  policy: CompiledPolicy,
  binding: CompiledBinding,
  base: Record<string, CelValue>,
): PolicyOutcome {
  const context: Record<string, CelValue> = { ...base, variables: lazyVariables(policy, base) };
  const violation = (expression: string, message: string, reason: string, error: boolean): Violation => ({
    policy: policy.name,
    binding: binding.name,
    message,
    reason,
    expression,
    error,
    actions: binding.actions,
  });
  const errorViolation = (e: CompiledExpression, err: unknown): Violation =>
    violation(
      e.source,
      `policy '${policy.name}' denied the request: expression '${e.source}' resulted in error: ${summary(err)}`,
      'Invalid',
      true,
    );

  // matchConditions: any false skips the policy; an error (with none false) follows failurePolicy.
  let conditionError: Violation | undefined;
  for (const c of policy.matchConditions) {
    try {
      const r = c.expression.run(context);
      if (typeof r !== 'boolean')
        throw new Error(`match condition "${c.name}" must evaluate to bool, got ${typeof r}`);
      if (!r) return { matched: false, violations: [], annotations: [] };
    } catch (e) {
      conditionError ??= errorViolation(c.expression, e);
    }
  }
  if (conditionError) {
    return {
      matched: true,
      violations: policy.failurePolicy === 'Fail' ? [conditionError] : [],
      annotations: [],
    };
  }

  const violations: Violation[] = [];
  for (const v of policy.validations) {
    let ok: unknown;
    try {
      ok = v.expression.run(context);
      if (typeof ok !== 'boolean') throw new Error(`validation must evaluate to bool, got ${typeof ok}`);
    } catch (e) {
      if (policy.failurePolicy === 'Fail') violations.push(errorViolation(v.expression, e));
      continue;
    }
    if (ok) continue;
    violations.push(violation(v.expression.source, messageOf(v, context), v.reason, false));
  }
  const annotations: AuditAnnotation[] = [];
  for (const a of policy.auditAnnotations) {
    try {
      const value = a.valueExpression.run(context);
      if (value === null) continue;
      if (typeof value !== 'string') throw new Error(`audit annotation must evaluate to string or null`);
      annotations.push({ key: `${policy.name}/${a.key}`, value });
    } catch (e) {
      if (policy.failurePolicy === 'Fail') violations.push(errorViolation(a.valueExpression, e));
    }
  }
  return { matched: true, violations, annotations };
}

/** messageExpression wins when it yields a usable single-line string; else message; else the expression. */
function messageOf(v: CompiledValidation, context: Record<string, CelValue>): string {
  if (v.messageExpression) {
    try {
      const m = v.messageExpression.run(context);
      if (typeof m === 'string' && m.trim() !== '' && !/[\r\n]/.test(m)) return m;
    } catch {
      // The API server logs the error and falls back to `message`; so do we.
    }
  }
  return v.message ?? `failed expression: ${v.expression.source}`;
}

/** `variables.x` evaluates on first use and at most once per request, as in the API server. */
function lazyVariables(policy: CompiledPolicy, base: Record<string, CelValue>): Record<string, CelValue> {
  const vars: Record<string, CelValue> = {};
  const context = { ...base, variables: vars };
  for (const v of policy.variables) {
    let done = false;
    let value: CelValue;
    let error: unknown;
    Object.defineProperty(vars, v.name, {
      enumerable: true,
      get() {
        if (!done) {
          done = true;
          try {
            value = v.expression.run(context);
          } catch (e) {
            error = new Error(`variable "${v.name}": ${summary(e)}`);
          }
        }
        if (error) throw error;
        return value;
      },
    });
  }
  return vars;
}
