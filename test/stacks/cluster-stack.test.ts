import { Match } from 'aws-cdk-lib/assertions';
import { parse } from 'smol-toml';
import { checkTemplate, type CfnTemplate } from '../../lib/compliance/rules';
import { declaredDeviations } from '../../lib/compliance/blueprint-controls-plugin';
import { SSM_RUN_COMMAND_ACTIONS, SSM_SESSION_ACTIONS } from '../../lib/constructs/ssm-only-node-role';
import { build, defaultBuild, resourcesOf, templateJson, type Built } from '../helpers';

let b: Built;
beforeAll(() => {
  b = defaultBuild();
});

/** Control ids the synth-time checks report for a (possibly weakened) cluster template. */
function findings(template: CfnTemplate, built: Built = b): string[] {
  return checkTemplate({ template, deviations: declaredDeviations(built.config) }).map((f) => f.controlId);
}

function clusterProps(t = templateJson(b.cluster)) {
  const [, cluster] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::EKS::Cluster')!;
  return { t, props: cluster.Properties };
}

function launchTemplateData(t = templateJson(b.cluster)) {
  const [, lt] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::EC2::LaunchTemplate')!;
  return { t, data: lt.Properties.LaunchTemplateData };
}

describe('ClusterStack |', () => {
  test('the default template passes every synth-time control check', () => {
    expect(findings(templateJson(b.cluster))).toEqual([]);
    expect(findings(templateJson(b.network))).toEqual([]);
  });

  test('EKS-NET-001: API endpoint is private only', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
    });
    const { t, props } = clusterProps();
    props.ResourcesVpcConfig.EndpointPublicAccess = true;
    expect(findings(t)).toContain('EKS-NET-001');
  });

  test('EKS-NET-001: a declared public CIDR list is honoured and shown as such', () => {
    const pub = build({ endpointAccess: 'public-and-private', publicEndpointCidrs: ['203.0.113.10/32'] });
    pub.cluster.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({
        EndpointPublicAccess: true,
        PublicAccessCidrs: ['203.0.113.10/32'],
      }),
    });
    expect(findings(templateJson(pub.cluster), pub)).toEqual([]);
    const { t, props } = clusterProps(templateJson(pub.cluster));
    props.ResourcesVpcConfig.PublicAccessCidrs = ['0.0.0.0/0'];
    expect(findings(t, pub)).toContain('EKS-NET-001');
  });

  test('EKS-NET-002: no security group rule opens port 22 or admits 0.0.0.0/0', () => {
    for (const t of [b.cluster, b.network]) {
      for (const [, sg] of resourcesOf(t, 'AWS::EC2::SecurityGroup')) {
        for (const rule of sg.Properties.SecurityGroupIngress ?? []) {
          expect(rule.CidrIp).not.toBe('0.0.0.0/0');
          expect(rule.FromPort === undefined || rule.FromPort > 22 || rule.ToPort < 22).toBe(true);
        }
      }
      expect(
        resourcesOf(t, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) => r.Properties.FromPort === 22),
      ).toEqual([]);
    }
    const t = templateJson(b.network);
    const [, sg] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::EC2::SecurityGroup')!;
    sg.Properties.SecurityGroupIngress = [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' },
    ];
    expect(findings(t)).toContain('EKS-NET-002');
  });

  test('EKS-NET-005: vpc-cni enforces NetworkPolicies', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      ConfigurationValues: Match.serializedJson(Match.objectLike({ enableNetworkPolicy: 'true' })),
    });
  });

  test('EKS-LOG-001: all five control-plane log types are enabled', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: {
        ClusterLogging: {
          EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({
            Type,
          })),
        },
      },
    });
    const { t, props } = clusterProps();
    props.Logging.ClusterLogging.EnabledTypes.pop();
    expect(findings(t)).toContain('EKS-LOG-001');
  });

  test('EKS-LOG-002: the control-plane log group exists first, KMS-encrypted, with retention, retained', () => {
    const [[logicalId, group]] = resourcesOf(b.cluster, 'AWS::Logs::LogGroup').filter(
      ([, r]) => r.Properties.LogGroupName === '/aws/eks/acme-test/cluster',
    );
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(group.Properties.RetentionInDays).toBe(365);
    expect(group.DeletionPolicy).toBe('Retain');
    const [[, cluster]] = resourcesOf(b.cluster, 'AWS::EKS::Cluster') as Array<
      [string, { DependsOn?: string[] }]
    >;
    expect(cluster.DependsOn ?? []).toEqual(expect.arrayContaining([logicalId]));
    const t = templateJson(b.cluster);
    delete t.Resources[logicalId].Properties.KmsKeyId;
    expect(findings(t)).toContain('EKS-LOG-002');
  });

  test('EKS-KMS-001: Secrets are envelope-encrypted with the secrets CMK', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: Match.anyValue() }, Resources: ['secrets'] }],
    });
    const { t, props } = clusterProps();
    delete props.EncryptionConfig;
    expect(findings(t)).toContain('EKS-KMS-001');
  });

  test('EKS-KMS-002: keys rotate and are retained, with deterministic aliases', () => {
    const keys = resourcesOf(b.cluster, 'AWS::KMS::Key');
    expect(keys).toHaveLength(2);
    for (const [, key] of keys) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
    b.cluster.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-test/secrets' });
    b.cluster.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-test/ebs' });
    const t = templateJson(b.cluster);
    const [id] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::KMS::Key')!;
    t.Resources[id].Properties.EnableKeyRotation = false;
    expect(findings(t)).toContain('EKS-KMS-002');
  });

  test('EKS-IAM-001: authentication mode is API (no aws-auth ConfigMap)', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', {
      AccessConfig: Match.objectLike({ AuthenticationMode: 'API' }),
    });
    const { t, props } = clusterProps();
    props.AccessConfig.AuthenticationMode = 'API_AND_CONFIG_MAP';
    expect(findings(t)).toContain('EKS-IAM-001');
  });

  test('EKS-IAM-002: no creator admin; access entries map roles to policies and Kubernetes groups', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', {
      AccessConfig: Match.objectLike({ BootstrapClusterCreatorAdminPermissions: false }),
    });
    b.cluster.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111111111111:role/PlatformAdmin',
      KubernetesGroups: ['platform:admins'],
      AccessPolicies: [
        {
          PolicyArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
              ],
            ],
          },
          AccessScope: { Type: 'cluster' },
        },
      ],
    });
    b.cluster.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111111111111:role/PlatformViewer',
      KubernetesGroups: ['platform:viewers'],
      AccessPolicies: [
        Match.objectLike({
          PolicyArn: Match.objectLike({
            'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonEKSViewPolicy')])],
          }),
        }),
      ],
    });
    // admin, viewer and the kubectl provider's own entry; the team-a owner and developer are in its stack.
    b.cluster.resourceCountIs('AWS::EKS::AccessEntry', 3);
    b.tenants[0].resourceCountIs('AWS::EKS::AccessEntry', 2);
    const { t, props } = clusterProps();
    props.AccessConfig.BootstrapClusterCreatorAdminPermissions = true;
    expect(findings(t)).toContain('EKS-IAM-002');
  });

  test('EKS-IAM-004: node role has worker + ECR pull-only + exactly the SSM actions, never the broad SSM policy', () => {
    const [[roleId, role]] = resourcesOf(b.cluster, 'AWS::IAM::Role').filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('ec2.amazonaws.com'),
    );
    const arns = JSON.stringify(role.Properties.ManagedPolicyArns);
    expect(arns).toContain('AmazonEKSWorkerNodePolicy');
    expect(arns).toContain('AmazonEC2ContainerRegistryPullOnly');
    expect(arns).not.toContain('AmazonSSMManagedInstanceCore');
    expect(arns).not.toContain('AmazonEKS_CNI_Policy');
    expect(JSON.stringify(b.cluster.toJSON())).not.toContain('AmazonSSMManagedInstanceCore');
    const [[, ssm]] = resourcesOf(b.cluster, 'AWS::IAM::ManagedPolicy').filter(([, p]) =>
      JSON.stringify(p.Properties.Roles ?? []).includes(roleId),
    );
    const actions = ssm.Properties.PolicyDocument.Statement.flatMap(
      (s: { Action: string[] }) => s.Action,
    ).sort();
    expect(actions).toEqual([...SSM_SESSION_ACTIONS, ...SSM_RUN_COMMAND_ACTIONS].sort());

    const t = templateJson(b.cluster);
    (t.Resources[roleId].Properties.ManagedPolicyArns as unknown[]).push(
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
    expect(findings(t)).toContain('EKS-IAM-004');
  });

  test('EKS-IAM-005: vpc-cni and EBS CSI get Pod Identity roles', () => {
    for (const [name, sa] of [
      ['vpc-cni', 'aws-node'],
      ['aws-ebs-csi-driver', 'ebs-csi-controller-sa'],
    ]) {
      b.cluster.hasResourceProperties('AWS::EKS::Addon', {
        AddonName: name,
        PodIdentityAssociations: [{ ServiceAccount: sa, RoleArn: Match.anyValue() }],
      });
    }
    b.cluster.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
          }),
        ]),
      }),
    });
    for (const addon of ['coredns', 'kube-proxy', 'eks-pod-identity-agent']) {
      b.cluster.hasResourceProperties('AWS::EKS::Addon', { AddonName: addon });
    }
  });

  test('EKS-NODE-001: node groups use the Bottlerocket AMI type in private subnets without remote access', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Nodegroup', {
      AmiType: 'BOTTLEROCKET_x86_64',
      RemoteAccess: Match.absent(),
      LaunchTemplate: Match.objectLike({ Id: Match.anyValue() }),
    });
    const arm = build({ nodeGroups: [{ name: 'arm', instanceTypes: ['m7g.large'] }] });
    arm.cluster.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: 'BOTTLEROCKET_ARM_64' });
    const t = templateJson(b.cluster);
    const [id] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::EKS::Nodegroup')!;
    t.Resources[id].Properties.AmiType = 'AL2023_x86_64_STANDARD';
    expect(findings(t)).toContain('EKS-NODE-001');
  });

  test('EKS-NODE-002: launch template requires IMDSv2 with hop limit 1', () => {
    b.cluster.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: Match.objectLike({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }),
      }),
    });
    const { t, data } = launchTemplateData();
    data.MetadataOptions.HttpPutResponseHopLimit = 2;
    expect(findings(t)).toContain('EKS-NODE-002');
  });

  test('EKS-NODE-003: both Bottlerocket volumes are gp3 and encrypted with the EBS key', () => {
    const { data } = launchTemplateData();
    const devices = data.BlockDeviceMappings.map(
      (m: { DeviceName: string; Ebs: Record<string, unknown> }) => [
        m.DeviceName,
        m.Ebs.Encrypted,
        m.Ebs.VolumeType,
        m.Ebs.KmsKeyId !== undefined,
      ],
    );
    expect(devices).toEqual([
      ['/dev/xvda', true, 'gp3', true],
      ['/dev/xvdb', true, 'gp3', true],
    ]);
    const weakened = launchTemplateData();
    weakened.data.BlockDeviceMappings[1].Ebs.Encrypted = false;
    expect(findings(weakened.t)).toContain('EKS-NODE-003');
  });

  test('EKS-NODE-004: no SSH key, no remote access, admin container off, control container on', () => {
    const { data } = launchTemplateData();
    expect(data.KeyName).toBeUndefined();
    const toml = parse(data.UserData['Fn::Base64']) as { settings: Record<string, any> };
    expect(toml.settings['host-containers'].admin.enabled).toBe(false);
    expect(toml.settings['host-containers'].control.enabled).toBe(true);
    const weakened = launchTemplateData();
    weakened.data.KeyName = 'ops';
    expect(findings(weakened.t)).toContain('EKS-NODE-004');
    const admin = launchTemplateData();
    admin.data.UserData['Fn::Base64'] = admin.data.UserData['Fn::Base64'].replace(
      '[settings.host-containers.admin]\nenabled = false',
      '[settings.host-containers.admin]\nenabled = true',
    );
    expect(findings(admin.t)).toContain('EKS-NODE-005');
  });

  test('EKS-NODE-008: CIS level 2 settings are present, and level 1 is accepted only when declared', () => {
    const { t, data } = launchTemplateData();
    data.UserData['Fn::Base64'] = data.UserData['Fn::Base64'].replace(
      '[settings.kernel.modules.udf]\nallowed = false',
      '',
    );
    expect(findings(t)).toContain('EKS-NODE-008');
    const l1 = build({ cisLevel: 1 });
    expect(findings(templateJson(l1.cluster), l1)).toEqual([]);
  });

  test('EKS-OPS-001: cluster deletion protection and stack termination protection are on', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', { DeletionProtection: true });
    expect(b.stacks.cluster.terminationProtection).toBe(true);
    expect(b.stacks.network.terminationProtection).toBe(true);
    const { t, props } = clusterProps();
    props.DeletionProtection = false;
    expect(findings(t)).toContain('EKS-OPS-001');
    const throwaway = build({ clusterDeletionProtection: false, terminationProtection: false });
    throwaway.cluster.hasResourceProperties('AWS::EKS::Cluster', { DeletionProtection: false });
    expect(findings(templateJson(throwaway.cluster), throwaway)).toEqual([]);
  });

  test('the cluster runs the configured Kubernetes version without Auto Mode or default capacity', () => {
    b.cluster.hasResourceProperties('AWS::EKS::Cluster', {
      Version: '1.36',
      ComputeConfig: { Enabled: false },
    });
    b.cluster.resourceCountIs('AWS::EKS::Nodegroup', 1);
    b.cluster.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 0);
  });

  test('EKS-VER-004: the read-only verify policy is shipped, attached to nothing by default', () => {
    const policies = b.cluster.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { ManagedPolicyName: 'acme-test-verify' },
    });
    expect(Object.values(policies).map((p) => p.Properties.Roles)).toEqual([undefined]);
  });
});
