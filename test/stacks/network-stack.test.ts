import { Match } from 'aws-cdk-lib/assertions';
import { defaultBuild, resourcesOf, type Built } from '../helpers';

let b: Built;
beforeAll(() => {
  b = defaultBuild();
});

describe('NetworkStack |', () => {
  test('EKS-NET-003: node subnets are private, never map public IPs, and public subnets only hold NAT', () => {
    const subnets = resourcesOf(b.network, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(6);
    for (const [, s] of subnets) expect(s.Properties.MapPublicIpOnLaunch).toBe(false);
    const tagged = (s: { Properties: Record<string, any> }, key: string) =>
      (s.Properties.Tags as Array<{ Key: string; Value: string }>).find((t) => t.Key === key)?.Value;
    const nodes = subnets.filter(([, s]) => tagged(s, 'aws-cdk:subnet-type') === 'Private');
    const pub = subnets.filter(([, s]) => tagged(s, 'aws-cdk:subnet-type') === 'Public');
    expect(nodes).toHaveLength(3);
    for (const [, s] of nodes) expect(tagged(s, 'kubernetes.io/role/internal-elb')).toBe('1');
    for (const [, s] of pub) expect(tagged(s, 'kubernetes.io/role/elb')).toBeUndefined();
    // The cluster and its node groups use exactly the private subnets.
    const nodeSubnetIds = b.stacks.network.network.vpc.privateSubnets.map((s) => s.subnetId);
    expect(b.stacks.network.resolve(nodeSubnetIds)).toHaveLength(3);
    const nodegroups = resourcesOf(b.cluster, 'AWS::EKS::Nodegroup');
    for (const [, ng] of nodegroups) {
      const refs = JSON.stringify(ng.Properties.Subnets);
      expect(refs).toMatch(/nodesSubnet/);
      expect(refs).not.toMatch(/natSubnet/);
    }
  });

  test('EKS-NET-004: the endpoint security group allows only HTTPS from the VPC', () => {
    b.network.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('VPC interface endpoints'),
      SecurityGroupIngress: [
        {
          CidrIp: '10.10.0.0/16',
          FromPort: 443,
          ToPort: 443,
          IpProtocol: 'tcp',
          Description: Match.anyValue(),
        },
      ],
    });
  });

  test('EKS-NET-006: the default security group is stripped of its rules', () => {
    b.network.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      DefaultSecurityGroupId: Match.anyValue(),
    });
  });

  test('EKS-LOG-003: flow logs capture ALL traffic into the encrypted, retained group', () => {
    b.network.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    const [[, group]] = resourcesOf(b.network, 'AWS::Logs::LogGroup');
    expect(group.Properties.LogGroupName).toBe('/aws/vpc/flowlogs/acme-test');
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(group.DeletionPolicy).toBe('Retain');
  });

  test('EKS-KMS-002: the logs key admits CloudWatch Logs only for the blueprint log groups', () => {
    const [[, key]] = resourcesOf(b.network, 'AWS::KMS::Key');
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const logsStatement = key.Properties.KeyPolicy.Statement.find(
      (s: { Sid?: string }) => s.Sid === 'AllowCloudWatchLogsForTheseLogGroups',
    );
    expect(JSON.stringify(logsStatement.Condition)).toContain('log-group:/aws/eks/acme-test/*');
    expect(logsStatement.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
  });
});
