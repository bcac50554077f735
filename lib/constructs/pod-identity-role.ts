import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface PodIdentityRoleProps {
  /** What the role is for, shown in its description. */
  readonly description: string;
  /** AWS managed policies the workload needs. @default - none */
  readonly managedPolicyNames?: readonly string[];
}

/**
 * An IAM role assumable only by EKS Pod Identity (`pods.eks.amazonaws.com`), one per workload, so no pod
 * inherits the node role (EKS-IAM-005).
 */
export class PodIdentityRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: props.description,
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
      managedPolicies: (props.managedPolicyNames ?? []).map((n) =>
        iam.ManagedPolicy.fromAwsManagedPolicyName(n),
      ),
    });
    // Pod Identity tags the session with cluster, namespace and service account (usable for ABAC).
    this.role.assumeRolePolicy?.addStatements(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
        actions: ['sts:TagSession'],
      }),
    );
  }
}
