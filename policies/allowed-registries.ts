/** Policy 3: container images come only from the configured registries (CIS EKS 5.1.4). */
import type { KubeObject } from '../lib/admission/types';
import { NAMESPACE_KIND_LABEL } from '../lib/config/namespaces';
import {
  DEFAULT_ACTIONS,
  POD_VARIABLES,
  WORKLOAD_RULES,
  celList,
  celString,
  excludeNamespaces,
  renderPolicy,
  type PolicyProps,
  type PolicyValidation,
} from './private/vap';

export interface AllowedRegistriesProps extends PolicyProps {
  /** Registry hosts, or host/path prefixes (`public.ecr.aws/eks-distro`). */
  readonly registries: readonly string[];
  /**
   * Registries allowed only in namespaces the baseline labels `platform` or `system` (its own images).
   * @default - none
   */
  readonly platformRegistries?: readonly string[];
}

export class AllowedRegistries {
  public static readonly id = 'allowed-registries';
  public static readonly controls = ['EKS-ADM-003'];

  constructor(private readonly props: AllowedRegistriesProps) {
    if (props.registries.length === 0) throw new Error('AllowedRegistries: list at least one registry');
  }

  /** `registry.example.com` allows `registry.example.com/...`; a bare `nginx` names no host and never matches. */
  public get validations(): readonly PolicyValidation[] {
    const asPrefixes = (rs: readonly string[]) => celList(rs.map((r) => (r.endsWith('/') ? r : `${r}/`)));
    const platform = this.props.platformRegistries ?? [];
    // namespaceObject is the namespace the API server holds: its labels, not the object's, decide.
    const inPlatformNamespace = `namespaceObject != null && namespaceObject.metadata.?labels[${celString(NAMESPACE_KIND_LABEL)}].orValue('') in ['platform', 'system']`;
    const ok =
      platform.length === 0
        ? `${asPrefixes(this.props.registries)}.exists(p, c.image.startsWith(p))`
        : `${asPrefixes(this.props.registries)}.exists(p, c.image.startsWith(p)) || (${inPlatformNamespace} && ${asPrefixes(platform)}.exists(p, c.image.startsWith(p)))`;
    const listed = this.props.registries.join(', ');
    const also = platform.length > 0 ? `; in platform namespaces also ${platform.join(', ')}` : '';
    return [
      {
        expression: `variables.containers.all(c, ${ok})`,
        message: `images must come from an allowed registry: ${listed}${also}`,
        messageExpression: `'images must come from an allowed registry (${listed}${also}): ' + variables.containers.filter(c, !(${ok})).map(c, c.image).join(', ')`,
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
