import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { DescribeInstancesCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { controlById } from '../../lib/compliance/controls';
import { VerifyError } from '../../lib/verify/errors';
import { INSTANCE_PAGE_SIZE } from '../../lib/verify/nodes';
import type { CheckResult } from '../../lib/verify/types';
import { verifyCluster } from '../../lib/verify/verify';
import {
  ACCOUNT,
  awsError,
  CLUSTER_SG,
  compliantWorld,
  expectedForTest,
  instanceId,
  KUBECTL_ROLE,
  mockedClients,
  NODE_ROLE,
  type World,
} from './world';

async function run(world: World, expected = expectedForTest()) {
  const { clients, mocks, instancePages } = mockedClients(world);
  const report = await verifyCluster(clients, expected);
  return { report, mocks, instancePages };
}

function failing(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => r.status === 'NON_COMPLIANT');
}

/** Runs verify on a world with one drift and returns the failing rows. */
async function failuresAfter(drift: (w: World) => void): Promise<CheckResult[]> {
  const world = compliantWorld();
  drift(world);
  return failing((await run(world)).report.results);
}

describe('verify, live probes (aws-sdk-client-mock) |', () => {
  test('a compliant cluster passes every check, each row carrying evidence', async () => {
    // GIVEN a cluster deployed exactly as configured  WHEN verified
    const { report } = await run(compliantWorld());
    // THEN nothing fails and every row shows what the API answered
    expect(failing(report.results)).toEqual([]);
    expect(report.results.filter((r) => r.status === 'NOT_APPLICABLE').map((r) => r.controlId)).toEqual([
      'EKS-VER-005',
    ]);
    expect(report.results.every((r) => r.evidence.length > 0)).toBe(true);
    // Every row is a catalogue control.
    for (const r of report.results) expect(controlById(r.controlId).id).toBe(r.controlId);
    expect(new Set(report.results.map((r) => r.controlId))).toEqual(
      new Set([
        'EKS-NET-001',
        'EKS-NET-002',
        'EKS-NET-003',
        'EKS-NET-005',
        'EKS-LOG-001',
        'EKS-LOG-002',
        'EKS-KMS-001',
        'EKS-IAM-001',
        'EKS-IAM-002',
        'EKS-IAM-004',
        'EKS-IAM-005',
        'EKS-IMG-001',
        'EKS-IMG-002',
        'EKS-IMG-003',
        'EKS-IMG-004',
        'EKS-NODE-001',
        'EKS-NODE-002',
        'EKS-NODE-003',
        'EKS-NODE-004',
        'EKS-OPS-001',
        'EKS-VER-001',
        'EKS-VER-002',
        'EKS-VER-003',
        'EKS-VER-005',
      ]),
    );
  });

  test('EKS-NET-001: publicAccessCidrs 0.0.0.0/0 is not a finding while public access is off', async () => {
    const world = compliantWorld();
    const { report } = await run(world);
    const row = report.results.find((r) => r.controlId === 'EKS-NET-001');
    expect(row?.status).toBe('COMPLIANT');
    expect(row?.evidence).toEqual(['endpointPublicAccess=false, endpointPrivateAccess=true']);
  });

  test('EKS-NET-001: a public endpoint fails with the CIDRs as evidence', async () => {
    const f = await failuresAfter((w) => {
      w.cluster.resourcesVpcConfig = { ...w.cluster.resourcesVpcConfig, endpointPublicAccess: true };
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-NET-001']);
    expect(f[0].evidence[0]).toBe('endpointPublicAccess=true (want false), publicAccessCidrs=0.0.0.0/0');
  });

  test('EKS-NET-001: a public endpoint open to the configured CIDRs only is compliant; one more CIDR is not', async () => {
    const expected = expectedForTest({
      endpointAccess: 'public-and-private',
      publicEndpointCidrs: ['203.0.113.10/32'],
    });
    const world = compliantWorld();
    world.cluster.resourcesVpcConfig = {
      ...world.cluster.resourcesVpcConfig,
      endpointPublicAccess: true,
      publicAccessCidrs: ['203.0.113.10/32'],
    };
    expect(failing((await run(world, expected)).report.results)).toEqual([]);
    world.cluster.resourcesVpcConfig.publicAccessCidrs = ['203.0.113.10/32', '198.51.100.0/24'];
    const f = failing((await run(world, expected)).report.results);
    expect(f[0].evidence[0]).toBe('publicAccessCidrs has 198.51.100.0/24 beyond the configured CIDRs');
  });

  test('EKS-LOG-001: a control-plane log type switched off fails, naming it', async () => {
    const f = await failuresAfter((w) => {
      w.cluster.logging = {
        clusterLogging: [
          { types: ['api', 'audit', 'authenticator', 'controllerManager'], enabled: true },
          { types: ['scheduler'], enabled: false },
        ],
      };
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([['EKS-LOG-001', 'disabled: scheduler']]);
  });

  test('EKS-NODE-002: an IMDSv1 node fails, naming the instance', async () => {
    const f = await failuresAfter((w) => {
      w.instances[1].MetadataOptions = {
        HttpTokens: 'optional',
        HttpPutResponseHopLimit: 2,
        HttpEndpoint: 'enabled',
      };
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-NODE-002']);
    expect(f[0].evidence).toEqual([
      '1 of 3 node(s) fail',
      `${instanceId(1)}: HttpTokens=optional; HttpPutResponseHopLimit=2`,
    ]);
  });

  test('EKS-NET-003: a node with a public IP fails with the address', async () => {
    const f = await failuresAfter((w) => {
      w.instances[2].PublicIpAddress = '54.0.0.12';
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-NET-003']);
    expect(f[0].evidence[1]).toBe(`${instanceId(2)}: public IP 54.0.0.12`);
  });

  test('EKS-VER-001: a node that is not in SSM, or offline, fails', async () => {
    const f = await failuresAfter((w) => {
      w.ssm = w.ssm.filter((s) => s.InstanceId !== instanceId(0));
      w.ssm[0].PingStatus = 'ConnectionLost';
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-VER-001']);
    expect(f[0].evidence).toEqual([
      '2 of 3 node(s) fail',
      `${instanceId(0)}: not an SSM managed instance`,
      `${instanceId(1)}: PingStatus=ConnectionLost`,
    ]);
  });

  test('EKS-VER-001: an SSM agent older than minSsmAgentVersion fails', async () => {
    const f = await failuresAfter((w) => {
      w.ssm[2].AgentVersion = '3.1.1004.0';
    });
    expect(f[0].evidence[1]).toBe(`${instanceId(2)}: agent 3.1.1004.0 older than 3.2.0.0`);
  });

  test('EKS-IAM-002: an extra access entry fails; node-role and kubectl-provider entries do not', async () => {
    const f = await failuresAfter((w) => {
      w.accessEntries.push({
        principalArn: 'arn:aws:iam::111111111111:role/ConsoleAdmin',
        type: 'STANDARD',
        kubernetesGroups: [],
        policies: [
          {
            policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
            type: 'cluster',
          },
        ],
      });
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-IAM-002']);
    expect(f[0].evidence[0]).toBe(
      'extra: arn:aws:iam::111111111111:role/ConsoleAdmin (STANDARD, groups=-, AmazonEKSClusterAdminPolicy@cluster)',
    );
  });

  test('EKS-IAM-002: a configured access entry with a changed policy fails', async () => {
    const f = await failuresAfter((w) => {
      w.accessEntries[1].policies = [
        { policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy', type: 'cluster' },
      ];
    });
    expect(f[0].evidence[0]).toMatch(
      /PlatformViewer: policies=AmazonEKSAdminPolicy@cluster \(want AmazonEKSViewPolicy@cluster\)/,
    );
  });

  test('EKS-IAM-002: an RBAC-only entry (no access policy) matches when config expects none', async () => {
    const tenant = 'arn:aws:iam::111111111111:role/TeamAOwner';
    const world = compliantWorld();
    world.accessEntries.push({
      principalArn: tenant,
      type: 'STANDARD',
      kubernetesGroups: ['tenant:team-a:admins'],
      policies: [],
    });
    const base = expectedForTest();
    const expected = {
      ...base,
      accessEntries: [
        ...base.accessEntries,
        { principalArn: tenant, kubernetesGroups: ['tenant:team-a:admins'], accessPolicies: [] },
      ],
    };
    const row = (await run(world, expected)).report.results.find((r) => r.controlId === 'EKS-IAM-002');
    expect(row?.status).toBe('COMPLIANT');
    expect(row?.evidence).toContain(`${tenant}: tenant:team-a:admins, -`);
  });

  test('EKS-NET-002: port 22 open on a node security group fails', async () => {
    const f = await failuresAfter((w) => {
      w.securityGroups[0].IpPermissions?.push({
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '10.0.0.0/8' }],
      });
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-NET-002']);
    expect(f[0].evidence[1]).toBe(`${instanceId(0)}: ${CLUSTER_SG} opens port 22 (tcp/22-22) to 10.0.0.0/8`);
  });

  test('EKS-KMS-001: secrets encrypted with another key fail', async () => {
    const f = await failuresAfter((w) => {
      w.cluster.encryptionConfig = [
        { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:us-east-1:111111111111:key/other' } },
      ];
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-KMS-001']);
  });

  test('an unencrypted volume, a key pair and a non-Bottlerocket AMI each fail their control', async () => {
    const f = await failuresAfter((w) => {
      w.volumes[1].Encrypted = false;
      w.instances[1].KeyName = 'ops';
      w.instances[2].ImageId = 'ami-0a1b2c3d4e5f60718';
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-NODE-001', 'EKS-NODE-003', 'EKS-NODE-004']);
  });

  test('an unhealthy or unsupported add-on fails EKS-VER-003; network policy off fails EKS-NET-005', async () => {
    const f = await failuresAfter((w) => {
      w.addons[1].health = { issues: [{ code: 'InsufficientNumberOfReplicas', message: '0 of 2 ready' }] };
      w.addons[3].addonVersion = 'v1.11.1-eksbuild.1';
      w.addons[0].configurationValues = '{}';
    });
    expect(f.map((r) => r.controlId)).toEqual(['EKS-NET-005', 'EKS-VER-003']);
    expect(f[1].evidence.slice(0, 2)).toEqual([
      'kube-proxy: health: InsufficientNumberOfReplicas: 0 of 2 ready',
      // The recorded config pins coredns (RECORDED_CLUSTER_CONFIG), so the drift shows twice.
      'coredns: version v1.11.1-eksbuild.1 is not supported for this Kubernetes version; version v1.11.1-eksbuild.1 (pinned v1.12.3-eksbuild.1)',
    ]);
  });

  test('EKS-VER-002: a Kubernetes version other than configured fails; the platform version is evidence', async () => {
    const world = compliantWorld();
    const ok = (await run(world)).report.results.find((r) => r.controlId === 'EKS-VER-002');
    expect(ok?.evidence).toEqual(['version=1.34, platformVersion=eks.9, status=ACTIVE']);
    world.cluster.version = '1.33';
    const f = failing((await run(world)).report.results);
    expect(f.find((r) => r.controlId === 'EKS-VER-002')?.evidence[0]).toBe('version=1.33 (want 1.34)');
  });

  test('EKS-VER-003: a missing add-on fails', async () => {
    const f = await failuresAfter((w) => {
      w.addons = w.addons.filter((a) => a.addonName !== 'aws-ebs-csi-driver');
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toContainEqual([
      'EKS-VER-003',
      'aws-ebs-csi-driver: not installed',
    ]);
  });

  test('EKS-LOG-002: the control-plane log group without the key or retention fails', async () => {
    const f = await failuresAfter((w) => {
      w.logGroup = { logGroupName: '/aws/eks/acme-test/cluster' };
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([['EKS-LOG-002', 'not KMS-encrypted']]);
  });

  test('250 nodes are walked page by page, and SSM is asked 50 instances at a time', async () => {
    // GIVEN a cluster larger than one page, where the last node drifted
    const world = compliantWorld(250);
    world.instances[249].MetadataOptions = { HttpTokens: 'optional', HttpPutResponseHopLimit: 1 };
    const { report, mocks, instancePages } = await run(world);
    // THEN every page was requested with a bounded page size, and every node was counted
    expect(instancePages).toEqual([
      { token: undefined, maxResults: INSTANCE_PAGE_SIZE },
      { token: '100', maxResults: INSTANCE_PAGE_SIZE },
      { token: '200', maxResults: INSTANCE_PAGE_SIZE },
    ]);
    const ssmCalls = mocks.ssm.commandCalls(DescribeInstanceInformationCommand);
    expect(ssmCalls.every((c) => (c.args[0].input.Filters?.[0].Values ?? []).length <= 50)).toBe(true);
    // 5 chunks of 50, each answered in pages of 10
    expect(ssmCalls.length).toBe(25);
    expect(mocks.ec2.commandCalls(DescribeImagesCommand).length).toBe(1);
    const imds = report.results.find((r) => r.controlId === 'EKS-NODE-002');
    expect(imds?.evidence).toEqual(['1 of 250 node(s) fail', `${instanceId(249)}: HttpTokens=optional`]);
    expect(report.results.find((r) => r.controlId === 'EKS-VER-001')?.evidence).toEqual([
      '250 node(s): Online, agent >= 3.2.0.0',
    ]);
  });

  test('an AccessDenied names the missing action', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    mocks.ec2
      .on(DescribeInstancesCommand)
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const err = await verifyCluster(clients, expectedForTest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyError);
    expect((err as Error).message).toMatch(/^Access denied: the credentials lack ec2:DescribeInstances;/);
  });

  test('missing credentials name the first call and the fix', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    const { DescribeClusterCommand } = await import('@aws-sdk/client-eks');
    mocks.eks
      .on(DescribeClusterCommand)
      .rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    await expect(verifyCluster(clients, expectedForTest())).rejects.toThrow(
      'No usable AWS credentials for eks:DescribeCluster (Could not load credentials from any providers); set AWS_PROFILE or pass --profile, or export credentials',
    );
  });

  test('a cluster that does not exist is a usage error, not drift', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    const { DescribeClusterCommand } = await import('@aws-sdk/client-eks');
    mocks.eks.on(DescribeClusterCommand).rejects(awsError('ResourceNotFoundException', 'No cluster found'));
    await expect(verifyCluster(clients, expectedForTest())).rejects.toThrow(
      /Cluster "acme-test" not found in us-east-1; deploy environment "test" first/,
    );
  });
});

describe('verify, GuardDuty |', () => {
  const withGuardDuty = (features: string[]) => ({ ...expectedForTest(), guardDutyFeatures: features });

  test('EKS-VER-005: not configured is NOT_APPLICABLE and GuardDuty is not even asked', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    const report = await verifyCluster(clients, expectedForTest());
    expect(report.results.find((r) => r.controlId === 'EKS-VER-005')).toMatchObject({
      status: 'NOT_APPLICABLE',
      evidence: ['GuardDuty is not configured for this environment'],
    });
    expect(mocks.guardduty.calls()).toHaveLength(0);
  });

  test('EKS-VER-005: configured features enabled pass; a disabled one or no detector fails', async () => {
    const features = ['EKS_AUDIT_LOGS', 'RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT'];
    const world = compliantWorld();
    const row = async () =>
      (await run(world, withGuardDuty(features))).report.results.find((r) => r.controlId === 'EKS-VER-005');
    expect((await row())?.status).toBe('COMPLIANT');
    world.detector?.Features?.[1].AdditionalConfiguration?.splice(0, 1);
    expect((await row())?.evidence[0]).toBe('not enabled: RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT');
    delete world.detector;
    expect((await row())?.evidence[0]).toBe('no GuardDuty detector in the region');
  });
});

describe('verify, expected state |', () => {
  test('EKS-IAM-002: tenant owners and developers are expected with their groups and no access policy', () => {
    const { expectedClusterOf } = jest.requireActual('../../lib/verify/expected');
    const { resolveConfig } = jest.requireActual('../../lib/config');
    const { testContext } = jest.requireActual('../helpers');
    const expected = expectedClusterOf(resolveConfig(testContext()).environments[0]);
    expect(expected.accessEntries).toEqual(
      expect.arrayContaining([
        {
          principalArn: 'arn:aws:iam::111111111111:role/TeamAOwner',
          kubernetesGroups: ['tenant:team-a:admins'],
          accessPolicies: [],
        },
        {
          principalArn: 'arn:aws:iam::111111111111:role/TeamADeveloper',
          kubernetesGroups: ['tenant:team-a:developers'],
          accessPolicies: [],
        },
      ]),
    );
  });

  test('EKS-DET-012: GuardDuty features are expected only when the detection stack manages them', () => {
    const { expectedClusterOf } = jest.requireActual('../../lib/verify/expected');
    const { resolveConfig } = jest.requireActual('../../lib/config');
    const { testContext } = jest.requireActual('../helpers');
    const off = expectedClusterOf(resolveConfig(testContext()).environments[0]);
    expect(off.guardDutyFeatures).toEqual([]);
    const created = expectedClusterOf(
      resolveConfig(testContext({ detection: { guardDuty: { mode: 'create' } } })).environments[0],
    );
    expect(created.guardDutyFeatures).toEqual([
      'EKS_AUDIT_LOGS',
      'RUNTIME_MONITORING',
      'RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT',
    ]);
  });
});

/*
 * Every check must be able to fail: one drift per test, the row that must catch it, and nothing else.
 */
describe('verify, each check fails on its drift |', () => {
  const rows = (f: CheckResult[]) => f.map((r) => [r.controlId, r.check]);

  test('EKS-IAM-001: an authentication mode other than API fails', async () => {
    const f = await failuresAfter((w) => {
      w.cluster.accessConfig = { authenticationMode: 'API_AND_CONFIG_MAP' };
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([
      ['EKS-IAM-001', 'authenticationMode=API_AND_CONFIG_MAP (want API)'],
    ]);
  });

  test('EKS-OPS-001: deletion protection switched off fails while config wants it', async () => {
    const f = await failuresAfter((w) => {
      w.cluster.deletionProtection = false;
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([
      ['EKS-OPS-001', 'deletionProtection=false (want true)'],
    ]);
  });

  test('EKS-KMS-001: no secrets encryption at all fails', async () => {
    const f = await failuresAfter((w) => {
      w.cluster.encryptionConfig = [];
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([
      ['EKS-KMS-001', 'no encryptionConfig for "secrets"'],
    ]);
  });

  test('EKS-IAM-005: an add-on without its Pod Identity association fails', async () => {
    const f = await failuresAfter((w) => {
      w.addons[4].podIdentityAssociations = [];
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([
      ['EKS-IAM-005', 'aws-ebs-csi-driver: no Pod Identity association'],
    ]);
  });

  test('EKS-IAM-005: a missing Pod Identity add-on fails the row too, not only EKS-VER-003', async () => {
    const f = await failuresAfter((w) => {
      w.addons = w.addons.filter((a) => a.addonName !== 'vpc-cni');
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([
      ['EKS-IAM-005', 'vpc-cni: not installed'],
      ['EKS-NET-005', 'vpc-cni: not installed'],
      ['EKS-VER-003', 'vpc-cni: not installed'],
    ]);
  });

  test('EKS-NODE-001: a node group on another AMI type, or one not in config, fails', async () => {
    const f = await failuresAfter((w) => {
      w.nodegroups[0].amiType = 'AL2023_x86_64_STANDARD';
      w.nodegroups.push({ ...w.nodegroups[0], nodegroupName: 'adhoc', amiType: 'BOTTLEROCKET_x86_64' });
    });
    expect(rows(f)).toEqual([['EKS-NODE-001', 'node groups: Bottlerocket AMI type']]);
    expect(f[0].evidence.slice(0, 2)).toEqual([
      'node group adhoc: not in config',
      'node group system: amiType=AL2023_x86_64_STANDARD (want BOTTLEROCKET_x86_64)',
    ]);
  });

  test('EKS-NODE-004: a node group with remote access fails', async () => {
    const f = await failuresAfter((w) => {
      w.nodegroups[0].remoteAccess = { ec2SshKey: 'ops', sourceSecurityGroups: ['sg-0123'] };
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([
      ['EKS-NODE-004', 'node group system: remoteAccess ec2SshKey=ops, sourceSecurityGroups=sg-0123'],
    ]);
  });

  test('EKS-NODE-001: a node outside any configured node group fails', async () => {
    const f = await failuresAfter((w) => {
      w.instances[0].Tags = w.instances[0].Tags?.map((t) =>
        t.Key === 'eks:nodegroup-name' ? { ...t, Value: 'adhoc' } : t,
      );
    });
    expect(rows(f)).toEqual([['EKS-NODE-001', 'nodes: Bottlerocket in a configured group']]);
    expect(f[0].evidence[1]).toBe(`${instanceId(0)}: node group adhoc is not in config`);
  });

  test('EKS-NODE-003: a gp2 volume, or one encrypted with another key, fails', async () => {
    const f = await failuresAfter((w) => {
      w.volumes[0].VolumeType = 'gp2';
      w.volumes[3].KmsKeyId = `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`;
    });
    expect(rows(f)).toEqual([['EKS-NODE-003', 'nodes: encrypted gp3 volumes']]);
    expect(f[0].evidence[0]).toBe('2 of 3 node(s) fail');
  });

  test('EKS-IAM-004: an instance profile carrying another role fails', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    const { GetInstanceProfileCommand } = await import('@aws-sdk/client-iam');
    mocks.iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: 'p',
        InstanceProfileId: 'AIPA',
        Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/p`,
        Path: '/',
        CreateDate: new Date(0),
        Roles: [
          {
            Arn: `arn:aws:iam::${ACCOUNT}:role/Admin`,
            RoleName: 'Admin',
            RoleId: 'AROA',
            Path: '/',
            CreateDate: new Date(0),
          },
        ],
      },
    });
    const f = failing((await verifyCluster(clients, expectedForTest())).results);
    expect(rows(f)).toEqual([['EKS-IAM-004', 'nodes: instance profile role']]);
    expect(f[0].evidence[1]).toMatch(/has role arn:aws:iam::111111111111:role\/Admin$/);
  });

  test('EKS-NET-002: a node security group EC2 does not describe fails instead of passing unseen', async () => {
    const f = await failuresAfter((w) => {
      w.securityGroups = [];
    });
    expect(rows(f)).toEqual([['EKS-NET-002', 'nodes: no SSH or world ingress']]);
    expect(f[0].evidence[1]).toBe(`${instanceId(0)}: ${CLUSTER_SG} not describable`);
  });

  test('EKS-LOG-002: a retention other than configured fails; a missing log group fails', async () => {
    const f = await failuresAfter((w) => {
      if (w.logGroup) w.logGroup.retentionInDays = 30;
    });
    expect(f.map((r) => [r.controlId, r.evidence[0]])).toEqual([
      ['EKS-LOG-002', 'retentionInDays=30 (want 365)'],
    ]);
    const gone = await failuresAfter((w) => {
      delete w.logGroup;
    });
    expect(gone.map((r) => [r.controlId, r.evidence[0]])).toEqual([
      ['EKS-LOG-002', '/aws/eks/acme-test/cluster does not exist'],
    ]);
  });
});

describe('verify, no node where node groups want nodes |', () => {
  test('EKS-VER-001 and every node row: no running node while a group wants 3 is NON_COMPLIANT, not N/A', async () => {
    // GIVEN node groups that want nodes (desiredSize 3, minSize 2) and no running instance
    const world = compliantWorld(0);
    const { report } = await run(world);
    // THEN every per-node row fails: nothing about the nodes was proved
    const nodeRows = report.results.filter((r) => r.check.startsWith('nodes:'));
    expect(nodeRows.map((r) => r.controlId).sort()).toEqual([
      'EKS-IAM-004',
      'EKS-NET-002',
      'EKS-NET-003',
      'EKS-NODE-001',
      'EKS-NODE-002',
      'EKS-NODE-003',
      'EKS-NODE-004',
      'EKS-VER-001',
    ]);
    for (const r of nodeRows) {
      expect(r.status).toBe('NON_COMPLIANT');
      expect(r.evidence).toEqual([
        'no running node found, but node groups want nodes: system (desiredSize=3, minSize=2)',
      ]);
    }
  });

  test('a configured group EKS does not have still wants its nodes', async () => {
    const world = compliantWorld(0);
    world.nodegroups = [];
    const { report } = await run(world);
    const ssm = report.results.find((r) => r.controlId === 'EKS-VER-001');
    expect(ssm?.status).toBe('NON_COMPLIANT');
    expect(ssm?.evidence[0]).toMatch(/system \(missing; config desiredSize=\d+, minSize=\d+\)$/);
  });

  test('node groups scaled to zero and no node: the node rows do not apply', async () => {
    const world = compliantWorld(0);
    world.nodegroups[0].scalingConfig = { minSize: 0, maxSize: 6, desiredSize: 0 };
    const { report } = await run(world);
    const nodeRows = report.results.filter((r) => r.check.startsWith('nodes:'));
    expect(nodeRows.every((r) => r.status === 'NOT_APPLICABLE')).toBe(true);
    expect(nodeRows[0].evidence).toEqual(['no running nodes, and no node group wants any']);
  });
});

describe('verify, the kubectl provider entry by its exact role ARN |', () => {
  const accessRow = async (world: World) =>
    (await run(world)).report.results.find((r) => r.controlId === 'EKS-IAM-002');

  test('EKS-IAM-002: the entry of the role the cluster stack publishes passes, named as the provider', async () => {
    const row = await accessRow(compliantWorld());
    expect(row?.status).toBe('COMPLIANT');
    expect(row?.evidence).toContain(
      `${KUBECTL_ROLE}: kubectl provider entry (AmazonEKSClusterAdminPolicy@cluster)`,
    );
  });

  test('EKS-IAM-002: a cluster-admin role named like the provider is an extra entry, not the provider', async () => {
    const lookalike = `arn:aws:iam::${ACCOUNT}:role/acme-test-cluster-ClusterKubectlProviderHandlerRo-ATTACKER0001`;
    const world = compliantWorld();
    world.accessEntries.push({ ...world.accessEntries[3], principalArn: lookalike });
    const row = await accessRow(world);
    expect(row?.status).toBe('NON_COMPLIANT');
    expect(row?.evidence[0]).toBe(
      `extra: ${lookalike} (STANDARD, groups=-, AmazonEKSClusterAdminPolicy@cluster)`,
    );
  });

  test('EKS-IAM-002: the provider entry with a group or another policy fails', async () => {
    const world = compliantWorld();
    world.accessEntries[3].kubernetesGroups = ['system:masters'];
    const row = await accessRow(world);
    expect(row?.status).toBe('NON_COMPLIANT');
    expect(row?.evidence[0]).toBe(
      `${KUBECTL_ROLE}: kubectl provider entry is STANDARD, groups=system:masters, AmazonEKSClusterAdminPolicy@cluster (want STANDARD, no groups, AmazonEKSClusterAdminPolicy@cluster)`,
    );
  });

  test('EKS-IAM-002: the published provider role without an entry fails', async () => {
    const world = compliantWorld();
    world.accessEntries.splice(3, 1);
    const row = await accessRow(world);
    expect(row?.evidence[0]).toBe(`missing: kubectl provider entry ${KUBECTL_ROLE}`);
  });

  test('EKS-IAM-002: without the cluster stack the provider role is unknown and its entry is extra', async () => {
    const world = compliantWorld();
    delete world.clusterStackOutputs;
    const row = await accessRow(world);
    expect(row?.status).toBe('NON_COMPLIANT');
    expect(row?.evidence[0]).toMatch(
      /^extra: arn:aws:iam::111111111111:role\/acme-test-cluster-ClusterKubectl/,
    );
    expect(row?.evidence).toContain('kubectl provider role unknown: stack acme-test-cluster not found');
  });

  test('the node role entry EKS creates is accepted only as an EC2 entry of a node group role', async () => {
    const world = compliantWorld();
    world.accessEntries[2].type = 'STANDARD';
    const row = await accessRow(world);
    expect(row?.evidence[0]).toBe(`extra: ${NODE_ROLE} (STANDARD, groups=system:nodes, no policies)`);
  });
});
