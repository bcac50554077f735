import type { PolicyDocument } from './simulate';

/*
 * The AWS managed policies the blueprint attaches to node and workload roles, as AWS publishes them (AWS
 * Managed Policy Reference, default version as noted; gathered 2026-12). The evaluation tests resolve
 * managed-policy ARNs against this table and fail on any ARN it does not hold, so attaching a new managed
 * policy to one of these roles needs its document here first, where a reviewer sees it.
 */

const doc = (statements: readonly unknown[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  // v3 (edited 2023-11-27).
  AmazonEKSWorkerNodePolicy: doc([
    {
      Sid: 'WorkerNodePermissions',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeRouteTables',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVolumes',
        'ec2:DescribeVolumesModifications',
        'ec2:DescribeVpcs',
        'eks:DescribeCluster',
        'eks-auth:AssumeRoleForPodIdentity',
      ],
      Resource: '*',
    },
  ]),
  // v1 (2024-10-04).
  AmazonEC2ContainerRegistryPullOnly: doc([
    {
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchImportUpstreamImage',
      ],
      Resource: '*',
    },
  ]),
  // v5 (edited 2024-03-04).
  AmazonEKS_CNI_Policy: doc([
    {
      Sid: 'AmazonEKSCNIPolicy',
      Effect: 'Allow',
      Action: [
        'ec2:AssignPrivateIpAddresses',
        'ec2:AttachNetworkInterface',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeInstances',
        'ec2:DescribeTags',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeSubnets',
        'ec2:DetachNetworkInterface',
        'ec2:ModifyNetworkInterfaceAttribute',
        'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: '*',
    },
    {
      Sid: 'AmazonEKSCNIPolicyENITag',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: ['arn:aws:ec2:*:*:network-interface/*'],
    },
  ]),
  // Not attached any more (the Container Insights agent has a scoped policy); kept so that a regression to it
  // is evaluated, and fails EKS-LOG-004 for what it allows, rather than for a missing document.
  CloudWatchAgentServerPolicy: doc([
    {
      Sid: 'CWACloudWatchServerPermissions',
      Effect: 'Allow',
      Action: [
        'cloudwatch:PutMetricData',
        'ec2:DescribeVolumes',
        'ec2:DescribeTags',
        'logs:PutLogEvents',
        'logs:PutRetentionPolicy',
        'logs:DescribeLogStreams',
        'logs:DescribeLogGroups',
        'logs:CreateLogStream',
        'logs:CreateLogGroup',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:GetSamplingStatisticSummaries',
      ],
      Resource: '*',
    },
    {
      Sid: 'CWASSMServerPermissions',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: 'arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*',
    },
  ]),
  // Over-approximated: every version (v4 to v15) grants EC2 volume, snapshot and tag actions only, on
  // resources narrower than `*`. `ec2:*` on `*` is a superset, sound for every "may not" the tests check.
  'service-role/AmazonEBSCSIDriverPolicy': doc([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]),
};

/** The document of an AWS managed policy ARN; throws for one the table does not hold. */
export function awsManagedPolicy(arn: string): PolicyDocument {
  const name = arn.replace(/^arn:aws:iam::aws:policy\//, '');
  const policy = AWS_MANAGED_POLICIES[name];
  if (policy === undefined) {
    throw new Error(
      `AWS managed policy ${name} is not in test/iam/aws-managed-policies.ts; add its document`,
    );
  }
  return policy;
}
