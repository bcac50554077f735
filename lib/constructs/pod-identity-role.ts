import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The Kubernetes service account a Pod Identity role is for, in one cluster. */
export interface PodIdentityTarget {
  /** ARN of the EKS cluster (`arn:<partition>:eks:<region>:<account>:cluster/<name>`). */
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Trust conditions on the session tags EKS Pod Identity sets when it assumes a role for a pod (AWS's Pod
 * Identity role page): only that cluster's association for that namespace and service account matches. An
 * association with `disableSessionTags` sends no tags, so these conditions then deny: keep tags on.
 */
export function podIdentityTrustConditions(target: PodIdentityTarget): Record<string, unknown> {
  return {
    StringEquals: {
      'aws:RequestTag/eks-cluster-arn': target.clusterArn,
      'aws:RequestTag/kubernetes-namespace': target.namespace,
      'aws:RequestTag/kubernetes-service-account': target.serviceAccount,
    },
  };
}

export interface PodIdentityRoleProps {
  /** What the role is for, shown in its description. */
  readonly description: string;
  /** Name of the EKS cluster whose Pod Identity associations may use the role (a token is fine). */
  readonly clusterName: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** The service account the role is for. */
  readonly serviceAccount: string;
  /** AWS managed policies the workload needs. @default - none */
  readonly managedPolicyNames?: readonly string[];
}

/**
 * An IAM role assumable only by EKS Pod Identity (`pods.eks.amazonaws.com`) for one service account of one
 * namespace in one cluster, so no pod inherits the node role (EKS-IAM-005) and no other pod, namespace or
 * cluster of the account can obtain it through an association of its own (EKS-IAM-006).
 */
export class PodIdentityRole extends Construct {
  public readonly role: iam.Role;
  public readonly target: PodIdentityTarget;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.target = {
      clusterArn: Stack.of(this).formatArn({
        service: 'eks',
        resource: 'cluster',
        resourceName: props.clusterName,
      }),
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
    };
    // One statement for sts:AssumeRole and sts:TagSession (Pod Identity passes the tags), both conditioned.
    this.role = new iam.Role(this, 'Role', {
      description: props.description,
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com')
        .withSessionTags()
        .withConditions(podIdentityTrustConditions(this.target)),
      managedPolicies: (props.managedPolicyNames ?? []).map((n) =>
        iam.ManagedPolicy.fromAwsManagedPolicyName(n),
      ),
    });
  }
}
