import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Instance,
  type SecurityGroup,
  type Volume,
} from '@aws-sdk/client-ec2';
import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetRepositoryPolicyCommand,
  type Repository,
} from '@aws-sdk/client-ecr';
import {
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
  ListNodegroupsCommand,
  type Addon,
  type Cluster,
  type Nodegroup,
} from '@aws-sdk/client-eks';
import {
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  type GetDetectorResponse,
} from '@aws-sdk/client-guardduty';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeInstanceInformationCommand, SSMClient, type InstanceInformation } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { resolveConfig } from '../../lib/config';
import { expectedClusterOf, type ExpectedCluster } from '../../lib/verify/expected';
import type { VerifyClients } from '../../lib/verify/types';
import { testContext } from '../helpers';

/*
 * A deployed `test` environment as the AWS APIs describe it: compliant by default, mutable per test to
 * model one drift at a time. The same world backs the aws-sdk-client-mock unit tests.
 */

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
export const CLUSTER = 'acme-test';
const arn = (svc: string, res: string) => `arn:aws:${svc}:${REGION}:${ACCOUNT}:${res}`;
export const KEYS = {
  secrets: arn('kms', 'key/11111111-aaaa-4bbb-8ccc-000000000001'),
  ebs: arn('kms', 'key/11111111-aaaa-4bbb-8ccc-000000000002'),
  logs: arn('kms', 'key/11111111-aaaa-4bbb-8ccc-000000000003'),
  images: arn('kms', 'key/11111111-aaaa-4bbb-8ccc-000000000004'),
};
export const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-test-cluster-NodeRole7B3E5A1C-AbCdEfGh1234`;
export const KUBECTL_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-test-cluster-ClusterKubectlProviderHandlerRo-Q1W2E3R4T5Y6`;
export const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/PlatformAdmin`;
export const VIEWER_ROLE = `arn:aws:iam::${ACCOUNT}:role/PlatformViewer`;
export const CLUSTER_SG = 'sg-0c1a2b3c4d5e6f701';
export const AMI = 'ami-0b0770c4e5e6f7a8b';
export const PROFILE = 'eks-42c7a1b2-0000-1111-2222-333344445555';
export const REPOSITORY = `${CLUSTER}/apps`;

/** The repository policy ImageRepository writes: the node role pulls, everyone else is denied. */
export function repositoryPolicy(nodeRole = NODE_ROLE): string {
  const pull = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ClusterNodesPull', Effect: 'Allow', Principal: { AWS: nodeRole }, Action: pull },
      {
        Sid: 'NobodyElsePulls',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: pull,
        Condition: {
          ArnNotEquals: { 'aws:PrincipalArn': nodeRole },
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      },
    ],
  });
}

export interface AccessEntryFixture {
  principalArn: string;
  type: string;
  kubernetesGroups: string[];
  policies: { policyArn: string; type: 'cluster' | 'namespace' }[];
}

export interface World {
  cluster: Cluster;
  addons: Addon[];
  nodegroups: Nodegroup[];
  accessEntries: AccessEntryFixture[];
  logGroup?: LogGroup;
  instances: Instance[];
  volumes: Volume[];
  securityGroups: SecurityGroup[];
  ssm: InstanceInformation[];
  detector?: GetDetectorResponse;
  repositories: Repository[];
  /** Repository policy by repository name; none: RepositoryPolicyNotFoundException. */
  repositoryPolicies: Record<string, string>;
  /** Outputs of the cluster stack `acme-test-cluster`; unset: the stack does not exist. */
  clusterStackOutputs?: Record<string, string>;
}

const policyArn = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

export function instanceId(n: number): string {
  return `i-0${n.toString(16).padStart(16, '0')}`;
}

export function compliantWorld(nodes = 3): World {
  const instances: Instance[] = [];
  const volumes: Volume[] = [];
  const ssm: InstanceInformation[] = [];
  for (let n = 0; n < nodes; n++) {
    const id = instanceId(n);
    const vol = (d: string) => `vol-0${n.toString(16).padStart(15, '0')}${d}`;
    instances.push({
      InstanceId: id,
      ImageId: AMI,
      InstanceType: 'm7i.large',
      PrivateIpAddress: `10.10.${64 + (n % 64)}.${10 + (n % 200)}`,
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
      IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`, Id: 'AIPAEXAMPLE' },
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: { VolumeId: vol('a') } },
        { DeviceName: '/dev/xvdb', Ebs: { VolumeId: vol('b') } },
      ],
      SecurityGroups: [{ GroupId: CLUSTER_SG, GroupName: `eks-cluster-sg-${CLUSTER}-123456789` }],
      Tags: [
        { Key: 'eks:cluster-name', Value: CLUSTER },
        { Key: 'eks:nodegroup-name', Value: 'system' },
        { Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'owned' },
      ],
      State: { Name: 'running', Code: 16 },
    });
    for (const d of ['a', 'b']) {
      volumes.push({
        VolumeId: vol(d),
        Encrypted: true,
        KmsKeyId: KEYS.ebs,
        VolumeType: 'gp3',
        Size: d === 'a' ? 4 : 50,
      });
    }
    ssm.push({
      InstanceId: id,
      PingStatus: 'Online',
      AgentVersion: '3.3.1142.0',
      IsLatestVersion: false,
      PlatformType: 'Linux',
    });
  }
  const addon = (name: string, version: string, extra: Partial<Addon> = {}): Addon => ({
    addonName: name,
    clusterName: CLUSTER,
    status: 'ACTIVE',
    addonVersion: version,
    health: { issues: [] },
    ...extra,
  });
  return {
    cluster: {
      name: CLUSTER,
      arn: arn('eks', `cluster/${CLUSTER}`),
      version: '1.34',
      platformVersion: 'eks.9',
      status: 'ACTIVE',
      resourcesVpcConfig: {
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        // What EKS really answers while public access is off.
        publicAccessCidrs: ['0.0.0.0/0'],
        clusterSecurityGroupId: CLUSTER_SG,
      },
      encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: KEYS.secrets } }],
      logging: {
        clusterLogging: [
          { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true },
        ],
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      deletionProtection: true,
    },
    addons: [
      addon('vpc-cni', 'v1.20.4-eksbuild.1', {
        configurationValues: '{"enableNetworkPolicy":"true","nodeAgent":{"enablePolicyEventLogs":"true"}}',
        podIdentityAssociations: [arn('eks', `podidentityassociation/${CLUSTER}/a-vpccni000000000001`)],
      }),
      addon('kube-proxy', 'v1.34.0-eksbuild.2'),
      addon('eks-pod-identity-agent', 'v1.3.8-eksbuild.2'),
      addon('coredns', 'v1.12.3-eksbuild.1'),
      addon('aws-ebs-csi-driver', 'v1.48.0-eksbuild.2', {
        podIdentityAssociations: [arn('eks', `podidentityassociation/${CLUSTER}/a-ebscsi0000000000001`)],
      }),
    ],
    nodegroups: [
      {
        nodegroupName: 'system',
        clusterName: CLUSTER,
        amiType: 'BOTTLEROCKET_x86_64',
        releaseVersion: '1.49.0-713f44ce',
        nodeRole: NODE_ROLE,
        status: 'ACTIVE',
        scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 3 },
      },
    ],
    accessEntries: [
      {
        principalArn: ADMIN_ROLE,
        type: 'STANDARD',
        kubernetesGroups: ['platform:admins'],
        policies: [{ policyArn: policyArn('AmazonEKSClusterAdminPolicy'), type: 'cluster' }],
      },
      {
        principalArn: VIEWER_ROLE,
        type: 'STANDARD',
        kubernetesGroups: ['platform:viewers'],
        policies: [{ policyArn: policyArn('AmazonEKSViewPolicy'), type: 'cluster' }],
      },
      { principalArn: NODE_ROLE, type: 'EC2_LINUX', kubernetesGroups: ['system:nodes'], policies: [] },
      {
        principalArn: KUBECTL_ROLE,
        type: 'STANDARD',
        kubernetesGroups: [],
        policies: [{ policyArn: policyArn('AmazonEKSClusterAdminPolicy'), type: 'cluster' }],
      },
    ],
    logGroup: {
      logGroupName: `/aws/eks/${CLUSTER}/cluster`,
      kmsKeyId: KEYS.logs,
      retentionInDays: 365,
      arn: arn('logs', `log-group:/aws/eks/${CLUSTER}/cluster:*`),
    },
    instances,
    volumes,
    securityGroups: [
      {
        GroupId: CLUSTER_SG,
        GroupName: `eks-cluster-sg-${CLUSTER}-123456789`,
        IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: CLUSTER_SG, UserId: ACCOUNT }] }],
      },
    ],
    ssm,
    detector: {
      ServiceRole: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
      Status: 'ENABLED',
      Features: [
        { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
        {
          Name: 'RUNTIME_MONITORING',
          Status: 'ENABLED',
          AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
        },
      ],
    },
    repositories: [
      {
        repositoryName: REPOSITORY,
        repositoryArn: arn('ecr', `repository/${REPOSITORY}`),
        registryId: ACCOUNT,
        repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${REPOSITORY}`,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KEYS.images },
      },
    ],
    repositoryPolicies: { [REPOSITORY]: repositoryPolicy() },
    clusterStackOutputs: { KubectlProviderRoleArn: KUBECTL_ROLE },
  };
}

export const SUPPORTED_ADDON_VERSIONS: Record<string, string[]> = {
  'vpc-cni': ['v1.20.4-eksbuild.1', 'v1.20.3-eksbuild.1'],
  'kube-proxy': ['v1.34.0-eksbuild.2'],
  'eks-pod-identity-agent': ['v1.3.8-eksbuild.2'],
  coredns: ['v1.12.3-eksbuild.1'],
  'aws-ebs-csi-driver': ['v1.48.0-eksbuild.2'],
};

/** The progress lines verify writes to stderr without a terminal, one per phase. */
export const PROGRESS_LINES = [
  'verifying: cluster...',
  'verifying: add-ons...',
  'verifying: node groups...',
  'verifying: access entries...',
  'verifying: logging...',
  'verifying: image repositories...',
  'verifying: nodes...',
];

/**
 * What the recorded cluster was deployed from, on top of the fixture config: Kubernetes 1.34 with the
 * add-on versions it runs pinned (the fixture config's default minor moves on; the recording does not).
 */
export const RECORDED_CLUSTER_CONFIG = {
  kubernetesVersion: '1.34',
  addonVersions: { 'kube-proxy': 'v1.34.0-eksbuild.2', coredns: 'v1.12.3-eksbuild.1' },
};

export function expectedForTest(overrides: Record<string, unknown> = {}): ExpectedCluster {
  // The recorded cluster has no tenant access entries; tenants are covered by their own test.
  return expectedClusterOf(
    resolveConfig(testContext({ ...RECORDED_CLUSTER_CONFIG, tenants: [], ...overrides })).environments[0],
  );
}

export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** Pages `items` by a numeric NextToken, as the services do. */
function page<T>(
  items: readonly T[],
  token: string | undefined,
  size: number,
): { items: T[]; next?: string } {
  const start = token ? parseInt(token, 10) : 0;
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), ...(next ? { next } : {}) };
}

/** Real SDK clients whose `send` is answered from `world` (aws-sdk-client-mock). */
export function mockedClients(world: World) {
  const c = { region: REGION, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } };
  const clients: VerifyClients = {
    eks: new EKSClient(c),
    ec2: new EC2Client(c),
    ssm: new SSMClient(c),
    logs: new CloudWatchLogsClient(c),
    iam: new IAMClient(c),
    kms: new KMSClient(c),
    guardduty: new GuardDutyClient(c),
    ecr: new ECRClient(c),
    cloudformation: new CloudFormationClient(c),
  };
  const eks = mockClient(clients.eks);
  const ec2 = mockClient(clients.ec2);
  const ssm = mockClient(clients.ssm);
  const logs = mockClient(clients.logs);
  const iam = mockClient(clients.iam);
  const kms = mockClient(clients.kms);
  const guardduty = mockClient(clients.guardduty);
  const ecr = mockClient(clients.ecr);
  const cloudformation = mockClient(clients.cloudformation);
  cloudformation.on(DescribeStacksCommand).callsFake((input) => {
    if (input.StackName !== `${CLUSTER}-cluster` || !world.clusterStackOutputs) {
      throw awsError('ValidationError', `Stack with id ${input.StackName} does not exist`);
    }
    return {
      Stacks: [
        {
          StackName: input.StackName,
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(0),
          Outputs: Object.entries(world.clusterStackOutputs).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        },
      ],
    };
  });
  // As ECR does: one missing name fails the whole call.
  ecr.on(DescribeRepositoriesCommand).callsFake((input) => {
    const names: string[] = input.repositoryNames ?? [];
    const missing = names.find((n) => !world.repositories.some((r) => r.repositoryName === n));
    if (missing) {
      throw awsError(
        'RepositoryNotFoundException',
        `The repository with name '${missing}' does not exist in the registry with id '${ACCOUNT}'`,
      );
    }
    return { repositories: world.repositories.filter((r) => names.includes(r.repositoryName ?? '')) };
  });
  ecr.on(GetRepositoryPolicyCommand).callsFake((input) => {
    const policyText = world.repositoryPolicies[input.repositoryName];
    if (!policyText) {
      throw awsError(
        'RepositoryPolicyNotFoundException',
        `Repository policy does not exist for the repository with name '${input.repositoryName}'`,
      );
    }
    return { registryId: ACCOUNT, repositoryName: input.repositoryName, policyText };
  });
  guardduty
    .on(ListDetectorsCommand)
    .callsFake(() => ({ DetectorIds: world.detector ? ['12abc34d567e8fa901bc2d34e56789f0'] : [] }));
  guardduty.on(GetDetectorCommand).callsFake(() => world.detector);

  eks.on(DescribeClusterCommand).callsFake(() => ({ cluster: world.cluster }));
  eks.on(DescribeAddonCommand).callsFake((input) => {
    const addon = world.addons.find((a) => a.addonName === input.addonName);
    if (!addon) throw awsError('ResourceNotFoundException', `No addon: ${input.addonName}`);
    return { addon };
  });
  eks.on(DescribeAddonVersionsCommand).callsFake((input) => ({
    addons: [
      {
        addonName: input.addonName,
        addonVersions: (SUPPORTED_ADDON_VERSIONS[input.addonName] ?? []).map((addonVersion) => ({
          addonVersion,
        })),
      },
    ],
  }));
  eks
    .on(ListNodegroupsCommand)
    .callsFake(() => ({ nodegroups: world.nodegroups.map((g) => g.nodegroupName) }));
  eks.on(DescribeNodegroupCommand).callsFake((input) => ({
    nodegroup: world.nodegroups.find((g) => g.nodegroupName === input.nodegroupName),
  }));
  eks.on(ListAccessEntriesCommand).callsFake((input) => {
    const p = page(
      world.accessEntries.map((e) => e.principalArn),
      input.nextToken,
      2,
    );
    return { accessEntries: p.items, nextToken: p.next };
  });
  eks.on(DescribeAccessEntryCommand).callsFake((input) => {
    const e = world.accessEntries.find((x) => x.principalArn === input.principalArn);
    return {
      accessEntry: e && { principalArn: e.principalArn, type: e.type, kubernetesGroups: e.kubernetesGroups },
    };
  });
  eks.on(ListAssociatedAccessPoliciesCommand).callsFake((input) => {
    const e = world.accessEntries.find((x) => x.principalArn === input.principalArn);
    return {
      associatedAccessPolicies: (e?.policies ?? []).map((p) => ({
        policyArn: p.policyArn,
        accessScope: { type: p.type },
      })),
    };
  });
  kms.on(DescribeKeyCommand).callsFake((input) => {
    const purpose = String(input.KeyId).split('/').pop() as keyof typeof KEYS;
    if (!KEYS[purpose]) throw awsError('NotFoundException', `Alias ${input.KeyId} is not found.`);
    return { KeyMetadata: { Arn: KEYS[purpose], KeyId: KEYS[purpose].split('/').pop() } };
  });
  logs.on(DescribeLogGroupsCommand).callsFake(() => ({ logGroups: world.logGroup ? [world.logGroup] : [] }));
  // The paginator reuses one input object, so the tokens asked for are recorded here.
  const instancePages: { token?: string; maxResults?: number }[] = [];
  ec2.on(DescribeInstancesCommand).callsFake((input) => {
    instancePages.push({ token: input.NextToken, maxResults: input.MaxResults });
    const p = page(world.instances, input.NextToken, input.MaxResults ?? 1000);
    return { Reservations: [{ Instances: p.items }], NextToken: p.next };
  });
  ec2.on(DescribeImagesCommand).callsFake((input) => ({
    Images: (input.Filters?.[0]?.Values ?? []).map((id: string) => ({
      ImageId: id,
      Name: id === AMI ? 'bottlerocket-aws-k8s-1.34-x86_64-v1.49.0-713f44ce' : 'amzn2-ami-eks-node-1.34',
    })),
  }));
  ec2.on(DescribeVolumesCommand).callsFake((input) => ({
    Volumes: world.volumes.filter((v) => (input.Filters?.[0]?.Values ?? []).includes(v.VolumeId ?? '')),
  }));
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input) => ({
    SecurityGroups: world.securityGroups.filter((g) =>
      (input.Filters?.[0]?.Values ?? []).includes(g.GroupId ?? ''),
    ),
  }));
  iam.on(GetInstanceProfileCommand).callsFake((input) => ({
    InstanceProfile: {
      InstanceProfileName: input.InstanceProfileName,
      Roles: [{ Arn: NODE_ROLE, RoleName: NODE_ROLE.split('/').pop() }],
    },
  }));
  ssm.on(DescribeInstanceInformationCommand).callsFake((input) => {
    const ids: string[] = input.Filters?.[0]?.Values ?? [];
    const found = world.ssm.filter((s) => ids.includes(s.InstanceId ?? ''));
    const p = page(found, input.NextToken, 10);
    return { InstanceInformationList: p.items, NextToken: p.next };
  });
  return {
    clients,
    mocks: { eks, ec2, ssm, logs, iam, kms, guardduty, ecr, cloudformation },
    instancePages,
  };
}
