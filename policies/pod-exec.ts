/**
 * Policy 10: `kubectl exec`, `attach` and `port-forward` (CONNECT on pods/exec, pods/attach,
 * pods/portforward) only for the break-glass group (MITRE "Exec into container"). Bound in every
 * namespace, the system ones included (exec into kube-system is the most dangerous of all), except the
 * namespaces the config explicitly opens (`execAllowedNamespaces`).
 */
import type { KubeObject, ValidationAction } from '../lib/admission/types';
import {
  DEFAULT_ACTIONS,
  celString,
  excludeNamespaces,
  renderPolicy,
  type PolicyValidation,
} from './private/vap';

export interface PodExecProps {
  readonly breakGlassGroup: string;
  /** Namespaces left out of the binding (RBAC alone decides there). @default [] */
  readonly allowedNamespaces?: readonly string[];
  /** @default ['Deny', 'Audit'] */
  readonly validationActions?: readonly ValidationAction[];
}

export class PodExec {
  public static readonly id = 'pod-exec';
  public static readonly controls = ['EKS-ADM-010'];

  constructor(private readonly props: PodExecProps) {}

  public get validations(): readonly PolicyValidation[] {
    return [
      {
        expression: `${celString(this.props.breakGlassGroup)} in request.userInfo.groups`,
        message: `exec, attach and port-forward are reserved to the break-glass group ${this.props.breakGlassGroup}`,
        messageExpression: `request.subResource + ' into pod ' + request.namespace + '/' + request.name + ' is reserved to the break-glass group ${this.props.breakGlassGroup}'`,
      },
    ];
  }

  public manifests(): KubeObject[] {
    return renderPolicy({
      name: PodExec.id,
      id: PodExec.id,
      controls: PodExec.controls,
      description: 'exec/attach/port-forward only for the break-glass group',
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods/exec', 'pods/attach', 'pods/portforward'],
          operations: ['CONNECT'],
        },
      ],
      validations: this.validations,
      validationActions: this.props.validationActions ?? DEFAULT_ACTIONS,
      namespaceSelector: excludeNamespaces(this.props.allowedNamespaces ?? []),
    });
  }
}
