/** Shapes of the admission objects the evaluator reads and the decisions it returns. */

/** Any Kubernetes object as decoded from JSON or YAML. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
}

/** One admission request, as the API server hands it to admission policies. */
export interface AdmissionRequest {
  readonly operation: Operation;
  readonly kind: GroupVersionKind;
  readonly resource: GroupVersionResource;
  /** `exec`, `attach`, `portforward`, `status`, ... or empty. */
  readonly subResource: string;
  readonly name: string;
  /** Empty for cluster-scoped resources. */
  readonly namespace: string;
  readonly userInfo: UserInfo;
  readonly object: KubeObject | null;
  readonly oldObject: KubeObject | null;
  /** The namespace the request is in; null for cluster-scoped resources. */
  readonly namespaceObject: KubeObject | null;
  readonly dryRun?: boolean;
}

/** One failed validation (or an expression error under failurePolicy Fail). */
export interface Violation {
  /** The ValidatingAdmissionPolicy's name. */
  readonly policy: string;
  readonly binding: string;
  readonly message: string;
  /** `Invalid`, `Forbidden`, `Unauthorized` or `RequestEntityTooLarge`. */
  readonly reason: string;
  /** The expression that failed or errored. */
  readonly expression: string;
  /** True when an expression could not be evaluated (the request is rejected under failurePolicy Fail). */
  readonly error: boolean;
  readonly actions: readonly ValidationAction[];
}

export interface AuditAnnotation {
  readonly key: string;
  readonly value: string;
}

export interface AdmissionDecision {
  /** False when any binding with `Deny` reported a violation. */
  readonly allowed: boolean;
  /** Violations from bindings with `Deny`. */
  readonly denials: readonly Violation[];
  /** Violations from bindings with `Warn` (returned to the client as warnings). */
  readonly warnings: readonly Violation[];
  /** Violations from bindings with `Audit`, plus the policies' audit annotations. */
  readonly audit: readonly Violation[];
  readonly auditAnnotations: readonly AuditAnnotation[];
  /** Names of the policies that matched the request. */
  readonly matched: readonly string[];
}
