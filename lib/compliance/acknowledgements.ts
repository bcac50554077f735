import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ClusterStack } from '../stacks/cluster-stack';
import type { DetectionStack } from '../stacks/detection-stack';
import type { NetworkStack } from '../stacks/network-stack';
import type { TenantStack } from '../stacks/tenant-stack';
import { tenantSecretsPrefix, tenantSecretsRolePath } from '../../charts';
import { CONTROLS, controlById, type Control } from './controls';

export interface AcknowledgementReason {
  /** Why the finding does not apply or is accepted. */
  readonly reason: string;
  /** The catalogue control that covers the risk the rule is about. */
  readonly coveredBy: string;
}

/**
 * Acknowledges one cdk-nag finding on one construct. Every acknowledgement names the control that covers
 * the risk; an unknown control id fails synthesis, so a suppression cannot outlive its justification.
 * `catalogue` is the blueprint's controls plus a fork's (lib/extensions).
 */
export function acknowledge(
  scope: IConstruct,
  ruleId: string,
  why: AcknowledgementReason,
  catalogue: readonly Control[] = CONTROLS,
): void {
  const control = controlById(why.coveredBy, catalogue);
  Validations.of(scope).acknowledge({ id: ruleId, reason: `${why.reason} [covered by ${control.id}]` });
  // The same facts as data, for the evidence report (cdk-nag keeps only the joined reason string).
  const data: Acknowledgement = { rule: ruleId, resource: scope.node.path, ...why };
  scope.node.addMetadata(ACKNOWLEDGEMENT_METADATA, data);
}

/** One cdk-nag acknowledgement as the evidence report lists it. */
export interface Acknowledgement extends AcknowledgementReason {
  /** The cdk-nag rule id, with its finding in brackets where the rule reports several. */
  readonly rule: string;
  /** The construct path the acknowledgement applies to. */
  readonly resource: string;
}

/** Construct metadata type under which `acknowledge` records each acknowledgement. */
export const ACKNOWLEDGEMENT_METADATA = 'hardened-eks:acknowledgement';

/** Every acknowledgement recorded under `root`, in construct-tree order. */
export function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === ACKNOWLEDGEMENT_METADATA)
        .map((m) => m.data as Acknowledgement),
    );
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
  // aws-cdk-lib's kubectl provider: two Lambda functions in the VPC's private subnets that apply the
  // baseline. Their roles, runtime and concurrency are owned by aws-cdk-lib; the handler's only reach is
  // the private API endpoint, and its access entry is created by the Cluster construct.
  const kubectlProvider = cluster.cluster.node.tryFindChild('KubectlProvider');
  if (kubectlProvider) {
    const ids = [
      `AwsSolutions-IAM4[${managed('service-role/AWSLambdaBasicExecutionRole')}]`,
      `AwsSolutions-IAM4[${managed('service-role/AWSLambdaVPCAccessExecutionRole')}]`,
      `AwsSolutions-IAM4[${managed('AmazonEC2ContainerRegistryReadOnly')}]`,
      'AwsSolutions-IAM4[Policy::{"Fn::If":["ClusterKubectlProviderHandlerHasEcrPublic69E09706",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
      'AwsSolutions-IAM5[Resource::<ClusterKubectlProviderHandler2E05C68A.Arn>:*]',
      'AwsSolutions-L1',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'NIST.800.53.R5-LambdaConcurrency',
      'NIST.800.53.R5-LambdaDLQ',
    ];
    for (const id of ids) {
      acknowledge(kubectlProvider, id, {
        reason:
          "aws-cdk-lib's kubectl provider (Lambda in private subnets) applies the in-cluster baseline; its roles and runtime are managed by aws-cdk-lib.",
        coveredBy: 'EKS-NET-001',
      });
    }
  }
  const baseline = cluster.inClusterBaseline;
  acknowledge(
    baseline.node.findChild('ExternalSecretsPolicy'),
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:${cluster.region}:${cluster.account}:secret:${cluster.blueprintEnv.name}/platform/*]`,
    {
      reason:
        'Secrets Manager ARNs end in a random suffix; the grant is limited to the platform name prefix.',
      coveredBy: 'EKS-K8S-TEN-002',
    },
  );
  acknowledge(
    baseline.externalSecretsPolicy,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::${cluster.account}:role${tenantSecretsRolePath(cluster.blueprintEnv.clusterName)}*]`,
    {
      reason:
        "Tenant store roles live in the tenants' own stacks under one IAM path; each trusts only this role.",
      coveredBy: 'EKS-K8S-TEN-002',
    },
  );
  const nodeLogs = baseline.node
    .findChild('NodeLogs')
    .node.findChild('LogGroup') as import('aws-cdk-lib/aws-logs').LogGroup;
  acknowledge(
    baseline.node.findChild('FluentBitPolicy'),
    `AwsSolutions-IAM5[Resource::<${cluster.getLogicalId(nodeLogs.node.defaultChild as import('aws-cdk-lib').CfnElement)}.Arn>:log-stream:*]`,
    {
      reason:
        'Fluent Bit creates one stream per node and container; the grant is limited to the node-log group.',
      coveredBy: 'EKS-K8S-LOG-001',
    },
  );
  acknowledgeVerifyPolicy(cluster);
  // KMS refuses the EBS key's policy until AWSServiceRoleForAutoScaling exists (new accounts).
  acknowledgeDeployTimeCall(cluster, cluster.autoScalingServiceLinkedRole.resource, {
    call: 'one iam:CreateServiceLinkedRole call for AWSServiceRoleForAutoScaling ("already taken" counts as done)',
    inlinePolicy:
      'the single iam:CreateServiceLinkedRole statement, scoped to that role and iam:AWSServiceName',
    api: 'IAM, which has no VPC endpoint in most regions (so it stays outside the VPC, also with egress=isolated)',
    coveredBy: 'EKS-NODE-003',
  });
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

/** cdk-nag acknowledgements of a tenant's stack. */
export function applyTenantAcknowledgements(stack: TenantStack): void {
  const env = stack.blueprintEnv;
  const prefix = tenantSecretsPrefix(env.name, stack.tenant.name);
  acknowledge(
    stack.secretsRole.policy,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:${env.region}:${env.account}:secret:${prefix}*]`,
    {
      reason: `Secrets Manager ARNs end in a random suffix; the grant is limited to the tenant prefix ${prefix}.`,
      coveredBy: 'EKS-K8S-TEN-002',
    },
  );
}

/** cdk-nag acknowledgements of the detection stack. */
export function applyDetectionAcknowledgements(detection: DetectionStack): void {
  const insights = detection.containerInsights;
  if (insights) {
    const { region, account, clusterName } = detection.blueprintEnv;
    acknowledge(insights.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        'ec2:DescribeTags and ec2:DescribeVolumes (read-only node metadata) support no resource-level permissions.',
      coveredBy: 'EKS-LOG-004',
    });
    const groups = `arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/containerinsights/${clusterName}/*`;
    for (const resource of [groups, `${groups}:log-stream:*`]) {
      acknowledge(insights.policy, `AwsSolutions-IAM5[Resource::${resource}]`, {
        reason:
          "The agent writes streams per node into the cluster's Container Insights log groups only, never the control-plane or flow-log groups.",
        coveredBy: 'EKS-LOG-004',
      });
    }
  }
  const updater = detection.guardDuty.updater;
  if (updater) {
    acknowledgeDeployTimeCall(detection, updater, {
      call: 'one guardduty:UpdateDetector call on the configured detector',
      inlinePolicy: 'the single guardduty:UpdateDetector statement, scoped to the detector ARN',
      api: 'the public GuardDuty API',
      coveredBy: 'EKS-DET-012',
    });
  }
}

/**
 * aws-cdk-lib's `AwsCustomResource` runs one stack-wide singleton function for every such resource: a
 * deploy-time call outside the VPC, invoked synchronously by CloudFormation only when the resource changes.
 */
function acknowledgeDeployTimeCall(
  stack: IConstruct,
  resource: IConstruct,
  what: { call: string; inlinePolicy: string; api: string; coveredBy: string },
): void {
  const fn = stack.node.findChild(SINGLETON_CUSTOM_RESOURCE_ID);
  const deployTimeOnly = `Runs only while CloudFormation deploys, to make ${what.call}.`;
  acknowledge(
    fn.node.findChild('ServiceRole'),
    `AwsSolutions-IAM4[${managed('service-role/AWSLambdaBasicExecutionRole')}]`,
    {
      reason: `${deployTimeOnly} The AWS-managed basic role only lets it write its own logs.`,
      coveredBy: what.coveredBy,
    },
  );
  for (const rule of [
    'NIST.800.53.R5-LambdaConcurrency',
    'NIST.800.53.R5-LambdaDLQ',
    'NIST.800.53.R5-LambdaInsideVPC',
  ]) {
    acknowledge(fn, rule, {
      reason: `${deployTimeOnly} CloudFormation invokes it synchronously, only when the resource is created or changed; it calls ${what.api}.`,
      coveredBy: what.coveredBy,
    });
  }
  acknowledge(resource, 'NIST.800.53.R5-IAMNoInlinePolicy', {
    reason: `aws-cdk-lib attaches ${what.inlinePolicy}, inline.`,
    coveredBy: what.coveredBy,
  });
}

/** The construct id aws-cdk-lib gives the singleton function behind every AwsCustomResource in a stack. */
const SINGLETON_CUSTOM_RESOURCE_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
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
    [arn('cloudformation', `stack/${cluster.stackName}/*`)]:
      'cloudformation:DescribeStacks on the cluster stack only; its ARN ends in a generated stack id.',
  };
  for (const [resource, reason] of Object.entries(wildcards)) {
    acknowledge(cluster.verifyPolicy.policy, `AwsSolutions-IAM5[Resource::${resource}]`, {
      reason,
      coveredBy: 'EKS-VER-004',
    });
  }
}
