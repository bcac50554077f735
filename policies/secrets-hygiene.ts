/**
 * Policy 9: Secrets reach containers as files, never as environment variables (CIS EKS 4.4.1), and no
 * workload runs in the `default` namespace (CIS EKS 4.5.2).
 */
import type { KubeObject } from '../lib/admission/types';
import {
  DEFAULT_ACTIONS,
  POD_VARIABLES,
  WORKLOAD_RULES,
  excludeNamespaces,
  renderPolicy,
  type PolicyProps,
  type PolicyValidation,
} from './private/vap';

const NO_SECRET_ENV =
  '!c.?env.orValue([]).exists(e, has(e.valueFrom) && has(e.valueFrom.secretKeyRef)) && !c.?envFrom.orValue([]).exists(e, has(e.secretRef))';

export class SecretsHygiene {
  public static readonly id = 'secrets-hygiene';
  public static readonly controls = ['EKS-ADM-009'];

  constructor(private readonly props: PolicyProps) {}

  public get validations(): readonly PolicyValidation[] {
    return [
      {
        expression: `variables.containers.all(c, ${NO_SECRET_ENV})`,
        message:
          'Secrets must be mounted as files, not passed as environment variables (secretKeyRef, envFrom.secretRef)',
        messageExpression: `'Secrets must be mounted as files, not passed as environment variables (secretKeyRef, envFrom.secretRef); containers: ' + variables.containers.filter(c, !(${NO_SECRET_ENV})).map(c, c.name).join(', ')`,
      },
      {
        expression: "request.namespace != 'default'",
        message: 'workloads must not run in the default namespace; use a tenant namespace',
      },
    ];
  }

  public manifests(): KubeObject[] {
    return renderPolicy({
      name: SecretsHygiene.id,
      id: SecretsHygiene.id,
      controls: SecretsHygiene.controls,
      description: 'No Secrets in environment variables, no workloads in default',
      rules: WORKLOAD_RULES,
      variables: POD_VARIABLES,
      validations: this.validations,
      validationActions: this.props.validationActions ?? DEFAULT_ACTIONS,
      namespaceSelector: excludeNamespaces(this.props.exemptNamespaces),
    });
  }
}
