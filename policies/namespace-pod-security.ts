/**
 * Policy 1: every Namespace declares its Pod Security level, and only `restricted` unless the config lists
 * the namespace as an exception. Without the label, the API server's Pod Security Admission enforces
 * nothing in that namespace.
 */
import type { KubeObject } from '../lib/admission/types';
import {
  DEFAULT_ACTIONS,
  PSS_ENFORCE_LABEL,
  celList,
  celString,
  excludeNamespaces,
  renderPolicy,
  type PolicyProps,
  type PolicyValidation,
} from './private/vap';

export interface NamespacePodSecurityProps extends PolicyProps {
  /** Namespaces allowed a lower level. @default {} */
  readonly podSecurityExceptions?: Readonly<Record<string, 'baseline' | 'privileged'>>;
}

const LEVEL = `object.metadata.?labels[?${celString(PSS_ENFORCE_LABEL)}].orValue('')`;

export class NamespacePodSecurity {
  public static readonly id = 'namespace-pod-security';
  public static readonly controls = ['EKS-ADM-001'];

  constructor(private readonly props: NamespacePodSecurityProps) {}

  public get validations(): readonly PolicyValidation[] {
    const exceptions = Object.entries(this.props.podSecurityExceptions ?? {}).sort(([a], [b]) =>
      a.localeCompare(b),
    );
    const allowed = exceptions.map(
      ([ns, level]) =>
        `${celString(ns)}: ${celList(level === 'privileged' ? ['baseline', 'privileged', 'restricted'] : ['baseline', 'restricted'])}`,
    );
    return [
      {
        expression: `${LEVEL} in ['restricted', 'baseline', 'privileged']`,
        message: `namespaces must declare label ${PSS_ENFORCE_LABEL}: restricted`,
        messageExpression: `'namespace ' + object.metadata.name + ' must declare label ${PSS_ENFORCE_LABEL} (restricted, baseline or privileged), got "' + ${LEVEL} + '"'`,
        reason: 'Invalid',
      },
      {
        expression: `${LEVEL} == 'restricted' || !(${LEVEL} in ['baseline', 'privileged']) || ${LEVEL} in {${allowed.join(', ')}}[?object.metadata.name].orValue([])`,
        message: `only restricted is allowed for ${PSS_ENFORCE_LABEL} unless the namespace is in admission.podSecurityExceptions`,
        messageExpression: `'namespace ' + object.metadata.name + ' declares Pod Security "' + ${LEVEL} + '"; only restricted is allowed unless the namespace is in admission.podSecurityExceptions'`,
      },
    ];
  }

  public manifests(): KubeObject[] {
    return renderPolicy({
      name: NamespacePodSecurity.id,
      id: NamespacePodSecurity.id,
      controls: NamespacePodSecurity.controls,
      description: 'Namespaces declare Pod Security enforce: restricted, exceptions from config only',
      rules: [
        { apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['CREATE', 'UPDATE'] },
      ],
      validations: this.validations,
      validationActions: this.props.validationActions ?? DEFAULT_ACTIONS,
      namespaceSelector: excludeNamespaces(this.props.exemptNamespaces),
    });
  }
}
