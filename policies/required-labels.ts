/**
 * Policy 6: workloads carry the configured labels, on the object and on what it creates (pod template,
 * a CronJob's job template), so a label missing on the template is caught at the controller.
 */
import type { KubeObject } from '../lib/admission/types';
import {
  DEFAULT_ACTIONS,
  POD_VARIABLES,
  WORKLOAD_RULES,
  celList,
  excludeNamespaces,
  renderPolicy,
  type PolicyProps,
  type PolicyValidation,
} from './private/vap';

export interface RequiredLabelsProps extends PolicyProps {
  readonly labels: readonly string[];
}

export class RequiredLabels {
  public static readonly id = 'required-labels';
  public static readonly controls = ['EKS-ADM-006'];

  constructor(private readonly props: RequiredLabelsProps) {
    if (props.labels.length === 0) throw new Error('RequiredLabels: list at least one label');
  }

  public get validations(): readonly PolicyValidation[] {
    const keys = celList(this.props.labels);
    return [
      {
        expression: `variables.labelSets.all(l, ${keys}.all(k, k in l && l[k] != ''))`,
        message: `workloads and their pod templates must carry the labels ${this.props.labels.join(', ')}`,
        messageExpression: `'workloads and their pod templates must carry the labels ${this.props.labels.join(', ')}; missing: ' + ${keys}.filter(k, !variables.labelSets.all(l, k in l && l[k] != '')).join(', ')`,
        reason: 'Invalid',
      },
    ];
  }

  public manifests(): KubeObject[] {
    return renderPolicy({
      name: RequiredLabels.id,
      id: RequiredLabels.id,
      controls: RequiredLabels.controls,
      description: 'Workloads carry the configured labels',
      rules: WORKLOAD_RULES,
      variables: [
        ...POD_VARIABLES,
        {
          name: 'labelSets',
          expression:
            "[object.metadata.?labels.orValue({}), variables.podMeta.?labels.orValue({})] + (object.kind == 'CronJob' ? [object.?spec.?jobTemplate.?metadata.?labels.orValue({})] : [])",
        },
      ],
      validations: this.validations,
      validationActions: this.props.validationActions ?? DEFAULT_ACTIONS,
      namespaceSelector: excludeNamespaces(this.props.exemptNamespaces),
    });
  }
}
