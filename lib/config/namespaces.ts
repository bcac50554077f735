/**
 * The namespace classes, defined once: charts, policies, config checks and the report import them.
 * - EKS system namespaces: EKS runs there; the admission policies never bind there.
 * - `default`: exists in every cluster; nothing of the blueprint or a tenant runs there.
 * - AWS add-on namespaces: created by EKS's add-on manager (`eks:addon-manager`) for the detection
 *   add-ons, even when the blueprint does not enable them (an org's GuardDuty delegated admin can turn the
 *   runtime agent on for every cluster).
 * - platform namespaces: created by the baseline for its own workloads.
 * - tenant namespaces: one per configured tenant, any name not taken above.
 */

export const EKS_SYSTEM_NAMESPACES = ['kube-node-lease', 'kube-public', 'kube-system'] as const;
export const DEFAULT_NAMESPACE = 'default';
export const AWS_ADDON_NAMESPACES = ['amazon-cloudwatch', 'amazon-guardduty'] as const;
export const PLATFORM_NAMESPACES = ['external-secrets', 'logging', 'kube-bench'] as const;

/**
 * Label the baseline puts on every namespace it manages, with the namespace's class (`system`, `platform`,
 * `tenant`). Tenants hold no RBAC on namespaces, so they cannot relabel theirs.
 */
export const NAMESPACE_KIND_LABEL = 'hardened-eks.io/namespace-kind';

/** The Kubernetes username EKS's add-on manager acts as (see ../shared/reference/aws-facts.md). */
export const EKS_ADDON_MANAGER_USERNAME = 'eks:addon-manager';

/** Names a tenant may not take: they belong to Kubernetes, EKS, AWS's add-ons or the platform. */
export const RESERVED_NAMESPACES: readonly string[] = [
  DEFAULT_NAMESPACE,
  ...EKS_SYSTEM_NAMESPACES,
  ...PLATFORM_NAMESPACES,
  ...AWS_ADDON_NAMESPACES,
];
