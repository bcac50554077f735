import type { AuditAlarmId } from '../../config';
import { all, any, eq, noneOf, oneOf, type Condition } from './filter-pattern';

/**
 * The audit-log alarms as data: one typed condition per alarm, rendered into a CloudWatch metric filter
 * and proved against sample EKS audit events in test/fixtures/audit/<id>/. EKS fixes the API server's
 * audit policy (Request/RequestResponse for writes to core, rbac and admissionregistration objects,
 * Metadata for secrets), so every field used here is present in the events EKS ships.
 */
export interface AuditAlarmDefinition {
  readonly id: AuditAlarmId;
  /** The catalogue control the alarm implements. */
  readonly controlId: string;
  /** Metric name in the cluster's namespace, and part of the alarm name. */
  readonly metricName: string;
  readonly description: string;
  readonly condition: Condition;
  /** `low`: the alarm fires when fewer events than the threshold arrive (a silence alarm). */
  readonly direction: 'high' | 'low';
  /**
   * Missing data means no matching event (the filters emit 0 for other events), except for the silence
   * alarm, where missing data means no audit log at all.
   */
  readonly treatMissingData: 'notBreaching' | 'breaching';
  /** What the filter-pattern syntax cannot express, and the saved query that covers it. */
  readonly limitation?: { readonly note: string; readonly queryId: string };
}

/** Identities of the control plane itself, whose secret reads are routine. */
export const CONTROL_PLANE_IDENTITIES = [
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:apiserver',
  'system:node:*',
  'system:serviceaccount:kube-system:*',
  'eks:*',
] as const;

/** Non-resource URLs anonymous callers may read by default (system:public-info-viewer). */
export const PUBLIC_INFO_URLS = ['/healthz*', '/livez*', '/readyz*', '/version*'] as const;

/**
 * Subjects of a binding the filter inspects for system:masters: a selector needs a fixed index, and four
 * positions keep the pattern well under CloudWatch's 1024-character limit.
 */
export const RBAC_BINDING_LOOKAHEAD = 4;

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

const privilegedRoleRef = (obj: 'requestObject' | 'responseObject') =>
  eq(`${obj}.roleRef.name`, 'cluster-admin');
const mastersSubject = (obj: 'requestObject' | 'responseObject', i: number) =>
  eq([obj, 'subjects', i, 'name'], 'system:masters');

export const AUDIT_ALARMS: readonly AuditAlarmDefinition[] = [
  {
    id: 'anonymousAllowed',
    controlId: 'EKS-DET-001',
    metricName: 'AnonymousRequestsAllowed',
    description: 'A request by system:anonymous / system:unauthenticated was allowed',
    condition: all(
      any(eq('user.username', 'system:anonymous'), eq(['user', 'groups', 0], 'system:unauthenticated')),
      noneOf('responseStatus.code', [401, 403]),
      noneOf('requestURI', PUBLIC_INFO_URLS),
    ),
    direction: 'high',
    treatMissingData: 'notBreaching',
    limitation: {
      note: 'The authorizer decision is the annotation "authorization.k8s.io/decision", a key a selector cannot address; the filter treats any response other than 401/403 as allowed.',
      queryId: 'anonymous-allowed',
    },
  },
  {
    id: 'podExec',
    controlId: 'EKS-DET-002',
    metricName: 'PodExecAttachPortForward',
    description: 'Someone exec-ed into, attached to, port-forwarded to or debugged a pod',
    condition: all(
      eq('objectRef.resource', 'pods'),
      any(
        oneOf('objectRef.subresource', ['exec', 'attach', 'portforward']),
        // `kubectl debug` adds an ephemeral container: a shell without pods/exec.
        all(eq('objectRef.subresource', 'ephemeralcontainers'), oneOf('verb', ['update', 'patch'])),
      ),
    ),
    direction: 'high',
    treatMissingData: 'notBreaching',
  },
  {
    id: 'privilegedBinding',
    controlId: 'EKS-DET-003',
    metricName: 'PrivilegedRoleBindingChanges',
    description: 'A (Cluster)RoleBinding to cluster-admin or system:masters was created or changed',
    condition: all(
      oneOf('objectRef.resource', ['clusterrolebindings', 'rolebindings']),
      oneOf('verb', ['create', 'update', 'patch']),
      any(
        privilegedRoleRef('requestObject'),
        // A patch's requestObject is the patch; the stored binding is in responseObject.
        privilegedRoleRef('responseObject'),
        ...Array.from({ length: RBAC_BINDING_LOOKAHEAD }, (_, i) => [
          mastersSubject('requestObject', i),
          mastersSubject('responseObject', i),
        ]).flat(),
      ),
    ),
    direction: 'high',
    treatMissingData: 'notBreaching',
    limitation: {
      note: `A selector cannot match "any element" of subjects[], so the filter inspects the first ${RBAC_BINDING_LOOKAHEAD} subjects; the saved query searches the whole binding for system:masters.`,
      queryId: 'rbac-changes',
    },
  },
  {
    id: 'admissionConfigChange',
    controlId: 'EKS-DET-004',
    metricName: 'AdmissionConfigurationChanges',
    description: 'A webhook configuration or admission policy (binding) was created, changed or deleted',
    condition: all(
      oneOf('objectRef.resource', [
        'validatingwebhookconfigurations',
        'mutatingwebhookconfigurations',
        'validatingadmissionpolicies',
        'validatingadmissionpolicybindings',
        'mutatingadmissionpolicies',
        'mutatingadmissionpolicybindings',
      ]),
      oneOf('verb', WRITE_VERBS),
    ),
    direction: 'high',
    treatMissingData: 'notBreaching',
  },
  {
    id: 'authFailures',
    controlId: 'EKS-DET-005',
    metricName: 'UnauthorizedOrForbiddenResponses',
    description: 'A spike of 401 Unauthorized / 403 Forbidden responses',
    condition: oneOf('responseStatus.code', [401, 403]),
    direction: 'high',
    treatMissingData: 'notBreaching',
  },
  {
    id: 'secretReads',
    controlId: 'EKS-DET-006',
    metricName: 'SecretReadsByWorkloadsAndPeople',
    description: 'Secrets read (get/list/watch) by identities other than the control plane',
    condition: all(
      eq('objectRef.resource', 'secrets'),
      oneOf('verb', ['get', 'list', 'watch']),
      noneOf('user.username', CONTROL_PLANE_IDENTITIES),
    ),
    direction: 'high',
    treatMissingData: 'notBreaching',
  },
  {
    id: 'admissionDenials',
    controlId: 'EKS-DET-007',
    metricName: 'AdmissionDenials',
    description: 'Requests denied by Pod Security admission, an admission policy or a validating webhook',
    condition: any(
      all(eq('responseStatus.code', 403), eq('responseStatus.message', '*violates PodSecurity*')),
      // Wildcards only at both ends: "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: ...".
      eq('responseStatus.message', '*denied request*'),
      // 'admission webhook "w" denied the request: ...'
      eq('responseStatus.message', '*denied the request*'),
    ),
    direction: 'high',
    treatMissingData: 'notBreaching',
    limitation: {
      note: 'Audit- and warn-mode violations are only annotations ("pod-security.kubernetes.io/audit-violations", "validation.policy.admission.k8s.io/validation_failure"), keys a selector cannot address; the saved query reports them.',
      queryId: 'policy-violations',
    },
  },
  {
    id: 'auditLogSilence',
    controlId: 'EKS-DET-008',
    metricName: 'AuditEvents',
    description: 'The control plane stopped delivering audit events (logging disabled or broken)',
    condition: all(eq('kind', 'Event'), eq('apiVersion', 'audit.k8s.io/v1')),
    direction: 'low',
    treatMissingData: 'breaching',
  },
];
