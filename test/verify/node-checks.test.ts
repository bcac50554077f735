import { compareVersions, imdsProblems, securityGroupProblems } from '../../lib/verify/node-checks';

describe('verify node checks (pure) |', () => {
  const sg = (IpPermissions: object[]) => ({ GroupId: 'sg-1', IpPermissions });

  test.each([
    [
      'self all-traffic (EKS cluster SG)',
      [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-1' }] }],
      [],
    ],
    [
      'HTTPS from the VPC',
      [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }],
      [],
    ],
    [
      'SSH from another group',
      [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: 'sg-2' }] }],
      ['sg-1 opens port 22 (tcp/22-22) to sg-2'],
    ],
    [
      'a port range over 22 from a CIDR',
      [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 1024, IpRanges: [{ CidrIp: '192.168.0.0/24' }] }],
      ['sg-1 opens port 22 (tcp/0-1024) to 192.168.0.0/24'],
    ],
    [
      'anything from the internet',
      [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      ['sg-1 admits ::/0 on tcp/443-443'],
    ],
  ])('EKS-NET-002: %s', (_name, permissions, problems) => {
    expect(securityGroupProblems(sg(permissions))).toEqual(problems);
  });

  test('EKS-NODE-002: IMDS switched off is stricter than required and passes', () => {
    expect(imdsProblems({ MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'optional' } })).toEqual(
      [],
    );
    expect(imdsProblems({})).toEqual(['HttpTokens=unset', 'HttpPutResponseHopLimit=unset']);
  });

  test('agent versions compare numerically, part by part', () => {
    expect(compareVersions('3.3.1142.0', '3.2.0.0')).toBeGreaterThan(0);
    expect(compareVersions('3.10.0.0', '3.9.9.9')).toBeGreaterThan(0);
    expect(compareVersions('3.2.0.0', '3.2.0.0')).toBe(0);
    expect(compareVersions('2.3.1', '3.2.0.0')).toBeLessThan(0);
  });
});
