/**
 * Policy 1: every Namespace declares its Pod Security level, and only `restricted` unless the config lists
 * the namespace as an exception. Without the label, the API server's Pod Security Admission enforces
 * nothing in that namespace.
 *
 * One exception: EKS's add-on manager creates the AWS add-on namespaces itself, unlabelled (GuardDuty's
 * runtime agent even when the blueprint leaves GuardDuty off: an org's delegated admin can turn it on). Those
 * requests, from that user for those names only, are not matched; the baseline labels the namespaces of the
 * add-ons it enables. Anyone else creating or updating them is held to the rule.
 */
import type { KubeObject } from '../lib/admission/types';
import { AWS_ADDON_NAMESPACES, EKS_ADDON_MANAGER_USERNAME } from '../lib/config/namespaces';
import {
  DEFAULT_ACTIONS,
  PSS_ENFORCE_LABEL,
  celList,
  celString,
  type PolicyVariable,
  excludeNamespaces,
  renderPolicy,
  type PolicyProps,
  type PolicyValidation,
} from './private/vap';

export interface NamespacePodSecurityProps extends PolicyProps {
  /** Namespaces allowed a lower level. @default {} */
  readonly podSecurityExceptions?: Readonly<Record<string, 'baseline' | 'privileged'>>;
  /**
   * Namespaces EKS's add-on manager may create and update without Pod Security labels; never exempt for
   * anyone else, even when listed in `exemptNamespaces`.
   * @default AWS_ADDON_NAMESPACES (amazon-cloudwatch, amazon-guardduty)
   */
  readonly addonNamespaces?: readonly string[];
  /**
   * The Kubernetes username EKS's add-on manager acts as.
   * @default 'eks:addon-manager'
   */
  readonly addonManagerUsername?: string;
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

  /** Skips the add-on manager's own writes to the add-on namespaces, and nothing else. */
  public get matchConditions(): readonly PolicyVariable[] {
    const addons = [...(this.props.addonNamespaces ?? AWS_ADDON_NAMESPACES)].sort();
    if (addons.length === 0) return [];
    const user = this.props.addonManagerUsername ?? EKS_ADDON_MANAGER_USERNAME;
    return [
      {
        name: 'not-the-eks-addon-manager-writing-an-addon-namespace',
        expression: `!(request.userInfo.username == ${celString(user)} && object.metadata.name in ${celList(addons)})`,
      },
    ];
  }

  public manifests(): KubeObject[] {
    const addons: readonly string[] = this.props.addonNamespaces ?? AWS_ADDON_NAMESPACES;
    return renderPolicy({
      name: NamespacePodSecurity.id,
      id: NamespacePodSecurity.id,
      controls: NamespacePodSecurity.controls,
      description: 'Namespaces declare Pod Security enforce: restricted, exceptions from config only',
      rules: [
        { apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['CREATE', 'UPDATE'] },
      ],
      matchConditions: this.matchConditions,
      validations: this.validations,
      validationActions: this.props.validationActions ?? DEFAULT_ACTIONS,
      // The add-on namespaces stay in scope here even where the workload policies exempt them.
      namespaceSelector: excludeNamespaces(this.props.exemptNamespaces.filter((n) => !addons.includes(n))),
    });
  }
}
