/**
 * Policy 8: no NodePort, no externalIPs (CVE-2020-8554), and LoadBalancers internal unless the namespace is
 * allowed by config. Internal means the AWS Load Balancer Controller handles it and its scheme is not
 * internet-facing, or it carries the legacy `aws-load-balancer-internal: "true"`; anything else (the
 * in-tree controller defaults to internet-facing) is not.
 */
import type { KubeObject } from '../lib/admission/types';
import {
  DEFAULT_ACTIONS,
  excludeNamespaces,
  renderPolicy,
  type PolicyProps,
  type PolicyValidation,
} from './private/vap';

export interface ServiceExposureProps extends PolicyProps {
  /** Namespaces allowed internet-facing LoadBalancers. @default [] */
  readonly internetFacingLoadBalancerNamespaces?: readonly string[];
}

const ANN = (key: string) => `object.metadata.?annotations[?'service.beta.kubernetes.io/${key}'].orValue('')`;
const TYPE = "object.spec.?type.orValue('ClusterIP')";
const ALB_CONTROLLER = `(object.spec.?loadBalancerClass.orValue('') == 'service.k8s.aws/nlb' || ${ANN('aws-load-balancer-type')} in ['external', 'nlb-ip'])`;
const INTERNAL = `(${ALB_CONTROLLER} && ${ANN('aws-load-balancer-scheme')} != 'internet-facing') || ${ANN('aws-load-balancer-internal')} == 'true'`;
const RULES = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: ['CREATE', 'UPDATE'] },
];

export class ServiceExposure {
  public static readonly id = 'service-exposure';
  public static readonly controls = ['EKS-ADM-008'];

  constructor(private readonly props: ServiceExposureProps) {}

  public get validations(): readonly PolicyValidation[] {
    return [
      { expression: `${TYPE} != 'NodePort'`, message: 'Services of type NodePort are not allowed' },
      {
        expression: 'size(object.spec.?externalIPs.orValue([])) == 0',
        message: 'Services must not set externalIPs (CVE-2020-8554)',
      },
    ];
  }

  public get loadBalancerValidations(): readonly PolicyValidation[] {
    return [
      {
        expression: `${TYPE} != 'LoadBalancer' || ${INTERNAL}`,
        message:
          'LoadBalancer Services must be internal: use the AWS Load Balancer Controller (loadBalancerClass service.k8s.aws/nlb) without scheme internet-facing',
      },
    ];
  }

  public manifests(): KubeObject[] {
    const actions = this.props.validationActions ?? DEFAULT_ACTIONS;
    return [
      ...renderPolicy({
        name: ServiceExposure.id,
        id: ServiceExposure.id,
        controls: ServiceExposure.controls,
        description: 'No NodePort Services, no externalIPs',
        rules: RULES,
        validations: this.validations,
        validationActions: actions,
        namespaceSelector: excludeNamespaces(this.props.exemptNamespaces),
      }),
      // Allowed namespaces are left out by the binding's selector, like the system namespaces.
      ...renderPolicy({
        name: `${ServiceExposure.id}-load-balancers`,
        id: ServiceExposure.id,
        controls: ServiceExposure.controls,
        description: 'LoadBalancer Services are internal unless the namespace is allowed by config',
        rules: RULES,
        validations: this.loadBalancerValidations,
        validationActions: actions,
        namespaceSelector: excludeNamespaces([
          ...this.props.exemptNamespaces,
          ...(this.props.internetFacingLoadBalancerNamespaces ?? []),
        ]),
      }),
    ];
  }
}
