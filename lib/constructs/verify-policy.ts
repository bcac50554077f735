import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { verifyPolicyName } from '../naming';

/**
 * Every action `hardened-eks verify` calls, by statement. Read-only; the actions in `UNSCOPED` support no
 * resource-level permissions (the service authorization reference lists no resource type for them).
 */
export const VERIFY_ACTIONS = {
  cluster: ['eks:DescribeCluster', 'eks:ListAccessEntries', 'eks:ListNodegroups'],
  clusterChildren: [
    'eks:DescribeAccessEntry',
    'eks:DescribeAddon',
    'eks:DescribeNodegroup',
    'eks:ListAssociatedAccessPolicies',
  ],
  unscoped: [
    'ec2:DescribeImages',
    'ec2:DescribeInstances',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeVolumes',
    'eks:DescribeAddonVersions',
    'guardduty:ListDetectors',
    'ssm:DescribeInstanceInformation',
  ],
  logGroups: ['logs:DescribeLogGroups'],
  instanceProfiles: ['iam:GetInstanceProfile'],
  keys: ['kms:DescribeKey'],
  detectors: ['guardduty:GetDetector'],
  repositories: ['ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy'],
} as const;

export interface VerifyPolicyProps {
  /** The EKS cluster `verify` checks. */
  readonly clusterName: string;
  /**
   * Full names of the detection stack's ECR repositories (`<cluster>/<name>`), which verify describes
   * (EKS-IMG-001 to EKS-IMG-004).
   * @default - none: no ECR statement
   */
  readonly imageRepositoryNames?: readonly string[];
  /**
   * Roles the policy is attached to (auditors, CI pipelines that run `verify`).
   * @default - none: the policy exists, attached to nothing
   */
  readonly roleArns?: readonly string[];
}

/**
 * The least-privilege, read-only policy `hardened-eks verify` needs (EKS-VER-004): describe the cluster,
 * its add-ons, node groups and access entries; describe nodes, their images, volumes and security groups;
 * read SSM registration, the control-plane log group, the instance profiles, the blueprint's keys and its ECR
 * repositories.
 * A deterministic name, `<clusterName>-verify`, lets an auditor role in another stack attach it.
 */
export class VerifyPolicy extends Construct {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: VerifyPolicyProps) {
    super(scope, id);
    const roleArns = props.roleArns ?? [];
    const { partition, region, account } = Stack.of(this);
    const eksArn = (resource: string) => `arn:${partition}:eks:${region}:${account}:${resource}`;
    const name = props.clusterName;
    const repositoryNames = props.imageRepositoryNames ?? [];

    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: verifyPolicyName(name),
      description: `hardened-eks verify: read-only checks of EKS cluster ${name} against the blueprint`,
      roles: roleArns.map((arn, i) => iam.Role.fromRoleArn(this, `Auditor${i}`, arn, { mutable: false })),
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeTheCluster',
          actions: [...VERIFY_ACTIONS.cluster],
          resources: [eksArn(`cluster/${name}`)],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeItsAddonsNodegroupsAccessEntries',
          actions: [...VERIFY_ACTIONS.clusterChildren],
          resources: [
            eksArn(`access-entry/${name}/*`),
            eksArn(`addon/${name}/*`),
            eksArn(`nodegroup/${name}/*`),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeNodesAndSsmRegistration',
          actions: [...VERIFY_ACTIONS.unscoped],
          // These Describe actions support no resource-level permissions.
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeLogGroups',
          actions: [...VERIFY_ACTIONS.logGroups],
          resources: [`arn:${partition}:logs:${region}:${account}:log-group:*`],
        }),
        new iam.PolicyStatement({
          sid: 'ReadNodeInstanceProfiles',
          actions: [...VERIFY_ACTIONS.instanceProfiles],
          resources: [`arn:${partition}:iam::${account}:instance-profile/*`],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeTheBlueprintKeys',
          actions: [...VERIFY_ACTIONS.keys],
          resources: [`arn:${partition}:kms:${region}:${account}:key/*`],
          // Only the keys behind this cluster's aliases (alias/<cluster>/secrets|ebs|logs).
          conditions: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': `alias/${name}/*` } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadGuardDutyFeatures',
          actions: [...VERIFY_ACTIONS.detectors],
          resources: [`arn:${partition}:guardduty:${region}:${account}:detector/*`],
        }),
        ...(repositoryNames.length > 0
          ? [
              new iam.PolicyStatement({
                sid: 'DescribeTheImageRepositories',
                actions: [...VERIFY_ACTIONS.repositories],
                resources: repositoryNames.map(
                  (r) => `arn:${partition}:ecr:${region}:${account}:repository/${r}`,
                ),
              }),
            ]
          : []),
      ],
    });
  }
}
