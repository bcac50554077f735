/**
 * Every admission policy of the blueprint, rendered for one environment's admission config. The same
 * manifests are applied to the cluster (by the chart below), written to dist/, and evaluated offline by
 * `hardened-eks check`.
 */
import { ApiObject, Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { AdmissionConfig, AdmissionPolicyId } from '../lib/config/admission';
import type { KubeObject, ValidationAction } from '../lib/admission/types';
import { AllowedRegistries } from './allowed-registries';
import { ContainerResources } from './container-resources';
import { ImagePinning } from './image-pinning';
import { NamespacePodSecurity } from './namespace-pod-security';
import { PodExec } from './pod-exec';
import { PodSecurity } from './pod-security';
import { RbacGuardrails } from './rbac-guardrails';
import { RequiredLabels } from './required-labels';
import { SecretsHygiene } from './secrets-hygiene';
import { ServiceExposure } from './service-exposure';

export { POLICY_ID_LABEL } from './private/vap';
export {
  AllowedRegistries,
  ContainerResources,
  ImagePinning,
  NamespacePodSecurity,
  PodExec,
  PodSecurity,
  RbacGuardrails,
  RequiredLabels,
  SecretsHygiene,
  ServiceExposure,
};

/** The policy classes by id, each naming the catalogue controls it enforces. */
export const POLICIES: Readonly<
  Record<AdmissionPolicyId, { readonly id: string; readonly controls: readonly string[] }>
> = {
  'namespace-pod-security': NamespacePodSecurity,
  'pod-security': PodSecurity,
  'allowed-registries': AllowedRegistries,
  'image-pinning': ImagePinning,
  'container-resources': ContainerResources,
  'required-labels': RequiredLabels,
  'rbac-guardrails': RbacGuardrails,
  'service-exposure': ServiceExposure,
  'secrets-hygiene': SecretsHygiene,
  'pod-exec': PodExec,
};

/** The typed inputs of the policies: an environment's resolved `admission` config. */
export type AdmissionPoliciesProps = AdmissionConfig;

/** Every policy + binding as plain objects, in a stable order. `pod-exec` is left out when `allowPodExec`. */
export function admissionPolicies(props: AdmissionPoliciesProps): KubeObject[] {
  const actions = (id: AdmissionPolicyId): readonly ValidationAction[] =>
    props.warnOnlyPolicies.includes(id) ? ['Warn', 'Audit'] : ['Deny', 'Audit'];
  const exemptNamespaces = props.systemNamespaces;
  const common = (id: AdmissionPolicyId) => ({ exemptNamespaces, validationActions: actions(id) });
  return [
    ...new NamespacePodSecurity({
      ...common('namespace-pod-security'),
      podSecurityExceptions: props.podSecurityExceptions,
    }).manifests(),
    ...new PodSecurity(common('pod-security')).manifests(),
    ...new AllowedRegistries({
      ...common('allowed-registries'),
      registries: props.allowedRegistries,
      platformRegistries: props.platformRegistries,
    }).manifests(),
    ...new ImagePinning({
      ...common('image-pinning'),
      requireDigests: props.requireImageDigests,
    }).manifests(),
    ...new ContainerResources(common('container-resources')).manifests(),
    ...new RequiredLabels({ ...common('required-labels'), labels: props.requiredLabels }).manifests(),
    ...new RbacGuardrails({
      ...common('rbac-guardrails'),
      breakGlassGroup: props.breakGlassGroup,
      platformAdminGroup: props.platformAdminGroup,
      platformDeployerGroup: props.platformDeployerGroup,
    }).manifests(),
    ...new ServiceExposure({
      ...common('service-exposure'),
      internetFacingLoadBalancerNamespaces: props.internetFacingLoadBalancerNamespaces,
    }).manifests(),
    ...new SecretsHygiene(common('secrets-hygiene')).manifests(),
    ...(props.allowPodExec
      ? []
      : new PodExec({
          breakGlassGroup: props.breakGlassGroup,
          allowedNamespaces: props.execAllowedNamespaces,
          validationActions: actions('pod-exec'),
        }).manifests()),
  ];
}

export type AdmissionPoliciesChartProps = ChartProps &
  (
    | { readonly admission: AdmissionPoliciesProps }
    /** The policies and bindings to apply as given (an environment's built-in and org policies). */
    | { readonly policies: readonly KubeObject[] }
  );

/** The policies as a cdk8s chart, for `cluster.addCdk8sChart` and the dist/ manifests. */
export class AdmissionPoliciesChart extends Chart {
  constructor(scope: Construct, id: string, props: AdmissionPoliciesChartProps) {
    super(scope, id, props);
    const policies = 'policies' in props ? props.policies : admissionPolicies(props.admission);
    for (const m of policies) {
      const { apiVersion, kind, metadata, ...rest } = m;
      new ApiObject(this, `${kind}-${metadata?.name}`, {
        apiVersion: apiVersion as string,
        kind: kind as string,
        metadata: metadata as Record<string, never>,
        ...rest,
      });
    }
  }
}
