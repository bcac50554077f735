/** EKS quotas a config can reach (AWS General Reference, Amazon EKS endpoints and quotas). */
export const EKS_QUOTAS = {
  /** Access entries per cluster; not adjustable. */
  accessEntriesPerCluster: 3000,
} as const;

/**
 * Access entries the blueprint adds besides the configured roles: the kubectl provider's (created by
 * aws-eks-v2) and the node role's (created by EKS when the first managed node group joins).
 */
export const IMPLICIT_ACCESS_ENTRIES = 2;

/** Why `roles` configured access entries do not fit in one cluster, or undefined when they do. */
export function accessEntryQuotaIssue(roles: number): string | undefined {
  const total = roles + IMPLICIT_ACCESS_ENTRIES;
  if (total <= EKS_QUOTAS.accessEntriesPerCluster) return undefined;
  return `needs ${total} access entries (${roles} configured roles, plus the kubectl provider's and the node role's), but EKS allows ${EKS_QUOTAS.accessEntriesPerCluster} per cluster and the quota cannot be raised; give teams shared roles, or split the tenants over more clusters (environments)`;
}
