import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ClusterStack } from '../stacks/cluster-stack';
import type { NetworkStack } from '../stacks/network-stack';
import { controlById } from './controls';

export interface AcknowledgementReason {
  /** Why the finding does not apply or is accepted. */
  readonly reason: string;
  /** The catalogue control that covers the risk the rule is about. */
  readonly coveredBy: string;
}

/**
 * Acknowledges one cdk-nag finding on one construct. Every acknowledgement names the control that covers
 * the risk; an unknown control id fails synthesis, so a suppression cannot outlive its justification.
 */
export function acknowledge(scope: IConstruct, ruleId: string, why: AcknowledgementReason): void {
  const control = controlById(why.coveredBy);
  Validations.of(scope).acknowledge({ id: ruleId, reason: `${why.reason} [covered by ${control.id}]` });
}

const managed = (name: string) => `Policy::arn:<AWS::Partition>:iam::aws:policy/${name}`;

/** Every cdk-nag acknowledgement of the blueprint, in one place. */
export function applyAcknowledgements(stacks: { network: NetworkStack; cluster: ClusterStack }): void {
  const { network, cluster } = stacks;

  for (const subnet of network.network.vpc.publicSubnets) {
    acknowledge(subnet, 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', {
      reason: 'Public subnets hold only NAT gateways (egress=nat); no node or load balancer is placed there.',
      coveredBy: 'EKS-NET-003',
    });
  }
  const flowLogRole = network.network.vpc.node.findChild('FlowLog').node.findChild('IAMRole');
  acknowledge(flowLogRole, 'NIST.800.53.R5-IAMNoInlinePolicy', {
    reason:
      'aws-cdk-lib writes the flow-log delivery grant as the role default policy, scoped to the one log group.',
    coveredBy: 'EKS-LOG-003',
  });

  acknowledge(cluster.cluster.role, `AwsSolutions-IAM4[${managed('AmazonEKSClusterPolicy')}]`, {
    reason: 'EKS requires AmazonEKSClusterPolicy on the cluster service role.',
    coveredBy: 'EKS-IAM-001',
  });
  for (const p of ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly']) {
    acknowledge(cluster.nodeRole.role, `AwsSolutions-IAM4[${managed(p)}]`, {
      reason: `${p} is the AWS-maintained minimum for a node to join EKS / pull from ECR read-only.`,
      coveredBy: 'EKS-IAM-004',
    });
  }
  acknowledge(cluster.nodeRole.ssmPolicy, 'AwsSolutions-IAM5[Resource::*]', {
    reason: 'The SSM session and Run Command actions support no resource-level permissions.',
    coveredBy: 'EKS-IAM-004',
  });
  acknowledgeVerifyPolicy(cluster);
  const roles = cluster.addons.roles;
  if (roles['vpc-cni']) {
    acknowledge(roles['vpc-cni'], `AwsSolutions-IAM4[${managed('AmazonEKS_CNI_Policy')}]`, {
      reason: 'AWS-maintained CNI policy, held by the aws-node Pod Identity role instead of the node role.',
      coveredBy: 'EKS-IAM-005',
    });
  }
  if (roles['aws-ebs-csi-driver']) {
    acknowledge(
      roles['aws-ebs-csi-driver'],
      `AwsSolutions-IAM4[${managed('service-role/AmazonEBSCSIDriverPolicy')}]`,
      {
        reason: 'AWS-maintained EBS CSI policy, held by the controller Pod Identity role only.',
        coveredBy: 'EKS-IAM-005',
      },
    );
  }
}

/** The verify policy's wildcards: unscoped Describe actions, and children of the one cluster (EKS-VER-004). */
function acknowledgeVerifyPolicy(cluster: ClusterStack): void {
  const { account, region, clusterName } = cluster.blueprintEnv;
  const arn = (service: string, rest: string) =>
    `arn:<AWS::Partition>:${service}:${region}:${account}:${rest}`;
  const wildcards: Record<string, string> = {
    '*': 'ec2:Describe{Instances,Images,Volumes,SecurityGroups}, eks:DescribeAddonVersions, guardduty:ListDetectors and ssm:DescribeInstanceInformation support no resource-level permissions; all are read-only.',
    [arn('eks', `access-entry/${clusterName}/*`)]:
      'Access entries of this cluster only; their ARNs end in a generated id.',
    [arn('eks', `addon/${clusterName}/*`)]: 'Add-ons of this cluster only; their ARNs end in a generated id.',
    [arn('eks', `nodegroup/${clusterName}/*`)]:
      'Node groups of this cluster only; their ARNs end in a generated id.',
    [arn('logs', 'log-group:*')]:
      "logs:DescribeLogGroups lists by prefix and is authorised on the account's log groups.",
    [`arn:<AWS::Partition>:iam::${account}:instance-profile/*`]:
      'EKS names node instance profiles itself (eks-<uuid>); GetInstanceProfile is read-only.',
    [arn('guardduty', 'detector/*')]:
      'GuardDuty has one detector per account and region; its id is generated.',
    [arn('kms', 'key/*')]: 'kms:DescribeKey only, limited by kms:ResourceAliases to alias/<cluster>/*.',
  };
  for (const [resource, reason] of Object.entries(wildcards)) {
    acknowledge(cluster.verifyPolicy.policy, `AwsSolutions-IAM5[Resource::${resource}]`, {
      reason,
      coveredBy: 'EKS-VER-004',
    });
  }
}
