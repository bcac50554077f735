/** Policy 3: container images come only from the configured registries (CIS EKS 5.1.4). */
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

export interface AllowedRegistriesProps extends PolicyProps {
  /** Registry hosts, or host/path prefixes (`public.ecr.aws/eks-distro`). */
  readonly registries: readonly string[];
}

export class AllowedRegistries {
  public static readonly id = 'allowed-registries';
  public static readonly controls = ['EKS-ADM-003'];

  constructor(private readonly props: AllowedRegistriesProps) {
    if (props.registries.length === 0) throw new Error('AllowedRegistries: list at least one registry');
  }

  /** `registry.example.com` allows `registry.example.com/...`; a bare `nginx` names no host and never matches. */
  public get validations(): readonly PolicyValidation[] {
    const prefixes = celList([...this.props.registries].map((r) => (r.endsWith('/') ? r : `${r}/`)));
    const ok = `${prefixes}.exists(p, c.image.startsWith(p))`;
    return [
      {
        expression: `variables.containers.all(c, ${ok})`,
        message: `images must come from an allowed registry: ${this.props.registries.join(', ')}`,
        messageExpression: `'images must come from an allowed registry (${this.props.registries.join(', ')}): ' + variables.containers.filter(c, !(${ok})).map(c, c.image).join(', ')`,
      },
    ];
  }

  public manifests(): KubeObject[] {
    return renderPolicy({
      name: AllowedRegistries.id,
      id: AllowedRegistries.id,
      controls: AllowedRegistries.controls,
      description: 'Images only from the configured registries',
      rules: WORKLOAD_RULES,
      variables: POD_VARIABLES,
      validations: this.validations,
      validationActions: this.props.validationActions ?? DEFAULT_ACTIONS,
      namespaceSelector: excludeNamespaces(this.props.exemptNamespaces),
    });
  }
}
