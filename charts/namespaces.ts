import { Chart, type ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import type { BaselineProps, ManagedNamespace } from './props';
import { NAMESPACE_KIND_LABEL } from '../lib/config/namespaces';

export const PSA_PREFIX = 'pod-security.kubernetes.io';
export const EXCEPTION_ANNOTATION = 'hardened-eks.io/pod-security-exception';

/**
 * Pod Security Admission labels for a namespace. EKS runs PSA with the cluster-wide default `privileged`
 * and no way to change it, so every namespace carries its own labels: `enforce` at the namespace's level,
 * `audit` and `warn` always at `restricted`, every mode pinned to the cluster minor's policy version
 * (`v1.36`, from the version matrix) so an upgrade changes the checks only when the labels move with it.
 */
export function podSecurityLabels(ns: ManagedNamespace, version: string): Record<string, string> {
  return {
    [`${PSA_PREFIX}/enforce`]: ns.enforce,
    [`${PSA_PREFIX}/enforce-version`]: version,
    [`${PSA_PREFIX}/audit`]: 'restricted',
    [`${PSA_PREFIX}/audit-version`]: version,
    [`${PSA_PREFIX}/warn`]: 'restricted',
    [`${PSA_PREFIX}/warn-version`]: version,
  };
}

/** The metadata the baseline gives a namespace it manages: Pod Security labels, its class, the exception. */
export function namespaceMetadata(
  ns: ManagedNamespace,
  podSecurityVersion: string,
): { name: string; labels: Record<string, string>; annotations?: Record<string, string> } {
  return {
    name: ns.name,
    labels: { ...podSecurityLabels(ns, podSecurityVersion), [NAMESPACE_KIND_LABEL]: ns.kind },
    ...(ns.exceptionReason ? { annotations: { [EXCEPTION_ANNOTATION]: ns.exceptionReason } } : {}),
  };
}

/**
 * Namespaces with their Pod Security labels (EKS-K8S-PSA-001), and the `default` ServiceAccount of each
 * with token automount off (EKS-K8S-RBAC-004): by default every system and platform namespace (tenants'
 * namespaces are each in their tenant's own chart). System namespaces are labelled, not created: applying
 * a Namespace object to an existing namespace merges the labels.
 */
export class NamespacesChart extends Chart {
  constructor(
    scope: Construct,
    id: string,
    props: BaselineProps,
    chartProps: ChartProps = {},
    namespaces: readonly ManagedNamespace[] = props.namespaces.filter((ns) => ns.kind !== 'tenant'),
  ) {
    super(scope, id, { disableResourceNameHashes: true, ...chartProps });
    for (const ns of namespaces) {
      new kplus.Namespace(this, `ns-${ns.name}`, {
        metadata: namespaceMetadata(ns, props.podSecurityVersion),
      });
      // The existing `default` ServiceAccount: applying it with automount off patches the field.
      new kplus.ServiceAccount(this, `default-sa-${ns.name}`, {
        metadata: { name: 'default', namespace: ns.name },
        automountToken: false,
      });
    }
  }
}
