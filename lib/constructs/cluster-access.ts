import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** One class of people: their IAM roles, the Kubernetes group RBAC binds, and the EKS access policy. */
export interface AccessGroup {
  readonly roleArns: readonly string[];
  /** Kubernetes group the access entry puts each role into (bound by the baseline's RBAC). */
  readonly kubernetesGroup: string;
}

export interface ClusterAccessProps {
  readonly cluster: eks.ICluster;
  /** Platform administrators: `AmazonEKSClusterAdminPolicy`, cluster scope. @default - none */
  readonly admins?: AccessGroup;
  /** Read-only users: `AmazonEKSViewPolicy`, cluster scope. @default - none */
  readonly viewers?: AccessGroup;
  /**
   * Tenant owners and developers: no EKS access policy at all, only their Kubernetes group, so the
   * baseline's namespaced RBAC is all they get.
   * @default - none
   */
  readonly tenants?: readonly AccessGroup[];
}

/** EKS access policy per access class. */
export const ACCESS_POLICIES = {
  admin: 'AmazonEKSClusterAdminPolicy',
  viewer: 'AmazonEKSViewPolicy',
} as const;

/**
 * Explicit EKS access entries (EKS-IAM-002): every IAM role that may reach the cluster is listed in config,
 * mapped to a Kubernetes group, with an EKS access policy. There is no aws-auth ConfigMap and the cluster
 * creator gets nothing implicitly. `CfnAccessEntry` is used because the L2 lacks `kubernetesGroups`.
 */
export class ClusterAccess extends Construct {
  public readonly entries: readonly eks.CfnAccessEntry[];

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const partition = Stack.of(this).partition;
    const entries: eks.CfnAccessEntry[] = [];
    const add = (kind: keyof typeof ACCESS_POLICIES | 'tenant', group: AccessGroup) => {
      for (const principalArn of group.roleArns) {
        // The id derives from the role ARN, so reordering config never replaces an entry.
        const entry = new eks.CfnAccessEntry(this, `${kind}-${principalArn.split(':').pop()}`, {
          clusterName: props.cluster.clusterName,
          principalArn,
          type: 'STANDARD',
          kubernetesGroups: [group.kubernetesGroup],
          accessPolicies:
            kind === 'tenant'
              ? undefined
              : [
                  {
                    policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[kind]}`,
                    accessScope: { type: 'cluster' },
                  },
                ],
        });
        entries.push(entry);
      }
    };
    if (props.admins) add('admin', props.admins);
    if (props.viewers) add('viewer', props.viewers);
    for (const t of props.tenants ?? []) add('tenant', t);
    this.entries = entries;
  }
}
