/**
 * Policy 7: RBAC guardrails. Bindings never grant cluster-admin (except to the break-glass group) nor bind
 * `system:masters`, `system:anonymous` or `system:unauthenticated`; Roles and ClusterRoles hold no
 * wildcard and no privilege-escalation verbs or resources unless written by the platform admin group.
 * The platform's deployer group (the identity that applies the baseline and its operators) may in
 * addition grant write access to admission configurations named by `resourceNames` — what an operator
 * such as External Secrets' cert controller needs to keep its own webhook's CA bundle current — and
 * nothing else beyond what any user may grant.
 */
import type { KubeObject } from '../lib/admission/types';
import {
  DEFAULT_ACTIONS,
  celList,
  celString,
  excludeNamespaces,
  renderPolicy,
  type PolicyProps,
  type PolicyValidation,
} from './private/vap';

export interface RbacGuardrailsProps extends PolicyProps {
  readonly breakGlassGroup: string;
  readonly platformAdminGroup: string;
  /** May grant write access to admission configurations, when restricted to named objects. */
  readonly platformDeployerGroup: string;
}

const FORBIDDEN_SUBJECTS = ['system:masters', 'system:anonymous', 'system:unauthenticated'];
const ESCALATION_VERBS = ['bind', 'escalate', 'impersonate'];
const WRITE_VERBS = ['*', 'create', 'delete', 'deletecollection', 'patch', 'update'];
const ADMISSION_RESOURCES = [
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
];
// Kubernetes' own components (the aggregation controller, the API server's bootstrap reconciler) write
// roles such as `admin` that hold `impersonate`, and the EKS control plane (`eks:` users, a prefix access
// entries cannot use) reconciles its own, e.g. cluster-admin for `eks:addon-manager`. Service accounts are
// tenants and are not exempt.
const NOT_A_CONTROL_PLANE_USER =
  "!(request.userInfo.username.startsWith('system:') || request.userInfo.username.startsWith('eks:')) || request.userInfo.username.startsWith('system:serviceaccount:')";

export class RbacGuardrails {
  public static readonly id = 'rbac-guardrails';
  public static readonly controls = ['EKS-ADM-007'];

  constructor(private readonly props: RbacGuardrailsProps) {}

  public get bindingValidations(): readonly PolicyValidation[] {
    const bg = celString(this.props.breakGlassGroup);
    return [
      {
        expression: `object.roleRef.name != 'cluster-admin' || (size(object.?subjects.orValue([])) > 0 && object.subjects.all(s, s.kind == 'Group' && s.name == ${bg}))`,
        message: `cluster-admin may only be bound to the break-glass group ${this.props.breakGlassGroup}`,
      },
      {
        expression: `object.?subjects.orValue([]).all(s, !(s.name in ${celList(FORBIDDEN_SUBJECTS)}))`,
        message: `bindings must not name ${FORBIDDEN_SUBJECTS.join(', ')}`,
        messageExpression: `'bindings must not name ' + object.subjects.filter(s, s.name in ${celList(FORBIDDEN_SUBJECTS)}).map(s, s.name).join(', ')`,
      },
    ];
  }

  public get roleValidations(): readonly PolicyValidation[] {
    const rules = 'object.?rules.orValue([])';
    return [
      {
        expression: `${rules}.all(r, !('*' in r.?verbs.orValue([])) && !('*' in r.?resources.orValue([])))`,
        message: 'roles must not use * in verbs or resources',
      },
      {
        expression: `${rules}.all(r, !sets.intersects(r.?verbs.orValue([]), ${celList(ESCALATION_VERBS)}))`,
        message: 'roles must not grant bind, escalate or impersonate',
      },
      {
        expression: `${rules}.all(r, !('nodes/proxy' in r.?resources.orValue([])) && !('serviceaccounts/token' in r.?resources.orValue([]) && sets.intersects(r.?verbs.orValue([]), ['create', '*'])))`,
        message: 'roles must not grant nodes/proxy or create on serviceaccounts/token',
      },
      {
        // The deployer may grant writes on named admission configurations (an operator's own webhook);
        // a rule without resourceNames would reach every webhook and policy, the tenants' guard included.
        expression: `${rules}.all(r, !(sets.intersects(r.?resources.orValue([]), ${celList(ADMISSION_RESOURCES)}) && sets.intersects(r.?verbs.orValue([]), ${celList(WRITE_VERBS)})) || (${celString(this.props.platformDeployerGroup)} in request.userInfo.groups && size(r.?resourceNames.orValue([])) > 0))`,
        message: `roles must not grant write access to admission webhook or policy configurations (the deployer group ${this.props.platformDeployerGroup} may, for named objects only)`,
      },
    ];
  }

  public manifests(): KubeObject[] {
    const actions = this.props.validationActions ?? DEFAULT_ACTIONS;
    const selector = excludeNamespaces(this.props.exemptNamespaces);
    const write = ['CREATE', 'UPDATE'];
    return [
      ...renderPolicy({
        name: `${RbacGuardrails.id}-bindings`,
        id: RbacGuardrails.id,
        controls: RbacGuardrails.controls,
        description: 'No cluster-admin or system-group bindings',
        rules: [
          {
            apiGroups: ['rbac.authorization.k8s.io'],
            apiVersions: ['v1'],
            resources: ['rolebindings', 'clusterrolebindings'],
            operations: write,
          },
        ],
        matchConditions: [{ name: 'not-control-plane', expression: NOT_A_CONTROL_PLANE_USER }],
        validations: this.bindingValidations,
        validationActions: actions,
        namespaceSelector: selector,
      }),
      ...renderPolicy({
        name: `${RbacGuardrails.id}-roles`,
        id: RbacGuardrails.id,
        controls: RbacGuardrails.controls,
        description: 'No wildcard or privilege-escalation permissions outside the platform admin group',
        rules: [
          {
            apiGroups: ['rbac.authorization.k8s.io'],
            apiVersions: ['v1'],
            resources: ['roles', 'clusterroles'],
            operations: write,
          },
        ],
        matchConditions: [
          { name: 'not-control-plane', expression: NOT_A_CONTROL_PLANE_USER },
          {
            name: 'not-platform-admin',
            expression: `!(${celString(this.props.platformAdminGroup)} in request.userInfo.groups)`,
          },
        ],
        validations: this.roleValidations,
        validationActions: actions,
        namespaceSelector: selector,
      }),
    ];
  }
}
