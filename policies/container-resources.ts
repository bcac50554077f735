/** Policy 5: every container, init containers included, requests CPU and memory and limits memory. */
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

// Ephemeral (debug) containers cannot declare resources, so they are not held to this.
const RUNNABLE = 'variables.podSpec.?containers.orValue([]) + variables.podSpec.?initContainers.orValue([])';
const q = (path: string) => `isQuantity(string(c.?resources.${path}.orValue('')))`;
const DECLARED = `${q('?requests.?cpu')} && ${q('?requests.?memory')} && ${q('?limits.?memory')}`;
// The request may not exceed the limit; compared as quantities (`512Mi` vs `1Gi`), not strings.
const CONSISTENT =
  '!quantity(string(c.resources.limits.memory)).isLessThan(quantity(string(c.resources.requests.memory)))';

export class ContainerResources {
  public static readonly id = 'container-resources';
  public static readonly controls = ['EKS-ADM-005'];

  constructor(private readonly props: PolicyProps) {}

  public get validations(): readonly PolicyValidation[] {
    return [
      {
        expression: `(${RUNNABLE}).all(c, ${DECLARED})`,
        message:
          'every container must set resources.requests.cpu, resources.requests.memory and resources.limits.memory',
        messageExpression: `'every container must set resources.requests.cpu, resources.requests.memory and resources.limits.memory; missing in: ' + (${RUNNABLE}).filter(c, !(${DECLARED})).map(c, c.name).join(', ')`,
        reason: 'Invalid',
      },
      {
        expression: `(${RUNNABLE}).all(c, !(${DECLARED}) || ${CONSISTENT})`,
        message: 'resources.requests.memory must not exceed resources.limits.memory',
        reason: 'Invalid',
      },
    ];
  }

  public manifests(): KubeObject[] {
    return renderPolicy({
      name: ContainerResources.id,
      id: ContainerResources.id,
      controls: ContainerResources.controls,
      description: 'CPU and memory requests and a memory limit on every container',
      rules: WORKLOAD_RULES,
      variables: POD_VARIABLES,
      validations: this.validations,
      validationActions: this.props.validationActions ?? DEFAULT_ACTIONS,
      namespaceSelector: excludeNamespaces(this.props.exemptNamespaces),
    });
  }
}
