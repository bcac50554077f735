/**
 * Evaluates loaded manifests as `kubectl apply` would submit them: each object in its namespace, the
 * namespace's Pod Security level taken from a Namespace object in the same input, else from `--level`,
 * the config's exceptions, or restricted. Shared by the `check` command and the tests that prove the
 * baseline's own manifests pass every policy.
 */
import { POLICY_ID_LABEL } from '../../policies/private/vap';
import { PSS_VERSION_LABEL } from '../../policies/pod-security';
import { admissionPolicies } from '../../policies';
import type { AdmissionConfig } from '../config/admission';
import { AdmissionEvaluator } from './evaluator';
import type { LoadedObject } from './manifests';
import { namespaceObject, namespaceOf, requestFor } from './request';
import type { KubeObject, UserInfo, Violation } from './types';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

export interface CheckViolation {
  /** The blueprint policy id (`pod-security`, `allowed-registries`, ...). */
  readonly policy: string;
  /** The ValidatingAdmissionPolicy that reported it. */
  readonly validatingAdmissionPolicy: string;
  readonly message: string;
}

export interface CheckResult {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly allowed: boolean;
  readonly violations: readonly CheckViolation[];
  /** Violations of policies the environment runs in [Warn, Audit]. */
  readonly warnings: readonly CheckViolation[];
}

export interface CheckOptions {
  /** Namespace of objects that name none. @default 'default' */
  readonly namespace?: string;
  /** Pod Security level of every target namespace, overriding labels. @default - from the input or config */
  readonly level?: string;
  /** `enforce-version` of namespaces that do not declare one. @default 'latest' */
  readonly version?: string;
  /** Namespaces the config allows a lower level. @default {} */
  readonly podSecurityExceptions?: Readonly<Record<string, string>>;
  /** @default - the request's default user (not in any platform group) */
  readonly userInfo?: UserInfo;
  /**
   * Namespaces as the cluster holds them (e.g. the environment's baseline namespaces), for objects whose
   * Namespace is not in the input; a Namespace in the input wins. @default - none
   */
  readonly knownNamespaces?: readonly KubeObject[];
}

export function checkObjects(
  evaluator: AdmissionEvaluator,
  objects: readonly LoadedObject[],
  options: CheckOptions = {},
): CheckResult[] {
  const ids = new Map(evaluator.policyNames.map((p) => [p.name, p.labels[POLICY_ID_LABEL] ?? p.name]));
  const toViolation = (v: Violation): CheckViolation => ({
    policy: ids.get(v.policy) ?? v.policy,
    validatingAdmissionPolicy: v.policy,
    message: v.message,
  });
  const declared = new Map<string, KubeObject>();
  for (const object of options.knownNamespaces ?? [])
    if (object.metadata?.name) declared.set(object.metadata.name, object);
  for (const { object } of objects)
    if (object.kind === 'Namespace' && object.apiVersion === 'v1' && object.metadata?.name)
      declared.set(object.metadata.name, object);
  const version = options.version ?? 'latest';
  const nsObject = (ns: string): KubeObject => {
    const labels = declared.get(ns)?.metadata?.labels ?? {};
    const level = options.level ?? labels[ENFORCE] ?? options.podSecurityExceptions?.[ns] ?? 'restricted';
    return namespaceObject(ns, {
      ...labels,
      [ENFORCE]: level,
      [PSS_VERSION_LABEL]: options.level ? version : (labels[PSS_VERSION_LABEL] ?? version),
    });
  };
  const fallback = options.namespace ?? 'default';
  return objects.map(({ file, line, object }) => {
    const namespace = namespaceOf(object, fallback);
    const decision = evaluator.evaluate(
      requestFor(object, {
        namespace: fallback,
        ...(namespace ? { namespaceObject: nsObject(namespace) } : {}),
        ...(options.userInfo ? { userInfo: options.userInfo } : {}),
      }),
    );
    return {
      file,
      line,
      kind: object.kind ?? '',
      name: object.metadata?.name ?? '',
      namespace,
      allowed: decision.allowed,
      violations: decision.denials.map(toViolation),
      warnings: decision.warnings.map(toViolation),
    };
  });
}

/**
 * Checks plain objects (e.g. a chart's synthesized manifests) against every policy of an environment:
 * what a test needs to prove that what the blueprint ships passes its own policies.
 */
export function checkManifests(
  objects: readonly KubeObject[],
  admission: AdmissionConfig,
  options: CheckOptions = {},
): CheckResult[] {
  const evaluator = AdmissionEvaluator.compile(admissionPolicies(admission));
  return checkObjects(
    evaluator,
    objects.map((object, i) => ({ file: '<memory>', line: i + 1, object })),
    options,
  );
}
