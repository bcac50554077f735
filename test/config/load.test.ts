import { resolveConfig } from '../../lib/config';
import { testContext, configErrorOf } from '../helpers';

const errorOf = configErrorOf;

describe('config | resolution', () => {
  test('GIVEN the shipped config WHEN resolved THEN the dev environment has secure defaults', () => {
    const config = resolveConfig(testContext());
    const env = config.environments[0];
    expect(env.endpointAccess).toBe('private');
    expect(env.publicEndpointCidrs).toEqual([]);
    expect(env.egress).toBe('nat');
    expect(env.cisLevel).toBe(2);
    expect(env.clusterDeletionProtection).toBe(true);
    expect(env.terminationProtection).toBe(true);
    expect(env.clusterName).toBe('acme-test');
    // us-east-1 maps zone names per account and EKS refuses use1-az3: placed by zone ID (AWS's AZ list).
    expect(env.availabilityZones).toEqual(['use1-az1', 'use1-az2', 'use1-az4']);
    expect(env.availabilityZoneIds).toEqual(['use1-az1', 'use1-az2', 'use1-az4']);
    expect(Object.isFrozen(env)).toBe(true);
  });

  test('GIVEN org defaults and an environment value WHEN resolved THEN the environment wins and tags merge', () => {
    const ctx = {
      org: {
        name: 'corp',
        account: '222222222222',
        region: 'eu-west-1',
        logRetentionDays: 90,
        tags: { a: '1', b: '1' },
      },
      environments: { prod: { logRetentionDays: 731, tags: { b: '2' } }, dev: {} },
    };
    const config = resolveConfig(ctx);
    const prod = config.environments.find((e) => e.name === 'prod')!;
    const dev = config.environments.find((e) => e.name === 'dev')!;
    expect(prod.logRetentionDays).toBe(731);
    expect(dev.logRetentionDays).toBe(90);
    expect(prod.tags).toEqual({ a: '1', b: '2' });
    expect(prod.account).toBe('222222222222');
    expect(prod.clusterName).toBe('corp-prod');
  });

  test('GIVEN -c env=<name> WHEN resolved THEN only that environment is built', () => {
    const ctx = {
      org: { account: '222222222222', region: 'eu-west-1' },
      environments: { prod: {}, dev: {} },
    };
    expect(resolveConfig(ctx, 'prod').environments.map((e) => e.name)).toEqual(['prod']);
    expect(resolveConfig(ctx).environments.map((e) => e.name)).toEqual(['dev', 'prod']);
  });

  test('GIVEN Graviton instance types and no arch WHEN resolved THEN the group is arm64', () => {
    const env = resolveConfig(
      testContext({ nodeGroups: [{ name: 'arm', instanceTypes: ['m7g.large', 'c7gn.xlarge'] }] }),
    ).environments[0];
    expect(env.nodeGroups[0].arch).toBe('arm64');
  });
});

describe('config | errors name the field, the value and the fix', () => {
  test('wrong CIDR', () => {
    const msg = errorOf(testContext({ vpcCidr: '10.0.0.0/33' }));
    expect(msg).toBe(
      'Invalid blueprint config at environments.test.vpcCidr: has a prefix length above 32 (got "10.0.0.0/33")',
    );
  });

  test('CIDR with host bits set suggests the network address', () => {
    expect(errorOf(testContext({ vpcCidr: '10.0.1.0/16' }))).toMatch(/did you mean 10\.0\.0\.0\/16\?/);
  });

  test('unknown environment', () => {
    expect(errorOf(testContext(), 'prod')).toMatch(
      /^Invalid blueprint config at env: .*use one of: test \(got "prod"\)$/,
    );
  });

  test('public endpoint with 0.0.0.0/0', () => {
    const msg = errorOf(
      testContext({ endpointAccess: 'public-and-private', publicEndpointCidrs: ['0.0.0.0/0'] }),
    );
    expect(msg).toMatch(
      /^Invalid blueprint config at environments\.test\.publicEndpointCidrs\[0\]: must not open the API endpoint/,
    );
    expect(msg.split('\n')).toHaveLength(1);
  });

  test('public CIDRs without public access, and public access without CIDRs', () => {
    expect(errorOf(testContext({ publicEndpointCidrs: ['203.0.113.10/32'] }))).toMatch(
      /endpointAccess is "private"/,
    );
    expect(errorOf(testContext({ endpointAccess: 'public-and-private' }))).toMatch(
      /must list the admin egress CIDRs/,
    );
  });

  test('missing account', () => {
    const ctx = testContext();
    delete (ctx.environments as Record<string, Record<string, unknown>>).test.account;
    expect(errorOf(ctx)).toBe(
      'Invalid blueprint config at environments.test.account: is required: the 12-digit AWS account id to deploy to',
    );
  });

  test('malformed account', () => {
    expect(errorOf(testContext({ account: '1234' }))).toMatch(
      /environments\.test\.account: must be a 12-digit AWS account id \(got "1234"\)/,
    );
  });

  test('unsupported Kubernetes version', () => {
    expect(errorOf(testContext({ kubernetesVersion: '1.29' }))).toMatch(
      /environments\.test\.kubernetesVersion: must be one of 1\.32, 1\.33, 1\.34, 1\.35, 1\.36 .*\(got "1\.29"\)/,
    );
  });

  test('min > max nodes', () => {
    const msg = errorOf(
      testContext({ nodeGroups: [{ name: 'a', instanceTypes: ['m7i.large'], minSize: 5, maxSize: 2 }] }),
    );
    expect(msg).toBe(
      'Invalid blueprint config at environments.test.nodeGroups[0].minSize: must not exceed maxSize (2) (got 5)',
    );
  });

  test('a typo in a field name suggests the right one', () => {
    expect(errorOf(testContext({ vpcCdir: '10.0.0.0/16' }))).toBe(
      'Invalid blueprint config at environments.test.vpcCdir: is not a known field; did you mean "vpcCidr"?',
    );
  });

  test('a bad value inherited from org names the org path', () => {
    const ctx = {
      org: { region: 'us-east-1', vpcCidr: '10.0.0.0/8' },
      environments: { dev: { account: '111111111111' } },
    };
    expect(errorOf(ctx)).toMatch(
      /^Invalid blueprint config at org\.vpcCidr: must have a prefix between \/16 and \/22/,
    );
  });

  test('arch and instance types disagree', () => {
    const msg = errorOf(
      testContext({ nodeGroups: [{ name: 'a', instanceTypes: ['m7g.large'], arch: 'x86_64' }] }),
    );
    expect(msg).toMatch(/nodeGroups\[0\]\.instanceTypes\[0\]: is an arm64 \(Graviton\) type/);
  });

  test('duplicate node group names and log retention CloudWatch does not accept', () => {
    const groups = [
      { name: 'a', instanceTypes: ['m7i.large'] },
      { name: 'a', instanceTypes: ['m7i.large'] },
    ];
    expect(errorOf(testContext({ nodeGroups: groups }))).toMatch(/nodeGroups\[1\]\.name: must be unique/);
    expect(errorOf(testContext({ logRetentionDays: 42 }))).toMatch(
      /logRetentionDays: must be a CloudWatch retention value/,
    );
  });

  test('egress=isolated without a chart mirror', () => {
    expect(errorOf(testContext({ egress: 'isolated' }))).toMatch(
      /^Invalid blueprint config at environments\.test\.egress: is "isolated", so the External Secrets chart cannot come from a public registry/,
    );
  });

  test('bad tenants: duplicate and invalid names, reserved names, quota typos and bad quantities', () => {
    const dup = [{ name: 'team-a' }, { name: 'team-a' }];
    expect(errorOf(testContext({ tenants: dup }))).toMatch(
      /tenants\[1\]\.name: must be unique among tenants \(got "team-a"\)/,
    );
    expect(errorOf(testContext({ tenants: [{ name: 'Team_A' }] }))).toMatch(
      /tenants\[0\]\.name: must be a DNS-1123 label/,
    );
    expect(errorOf(testContext({ tenants: [{ name: 'kube-system' }] }))).toMatch(
      /tenants\[0\]\.name: is a platform namespace/,
    );
    expect(errorOf(testContext({ tenants: [{ name: 'a', quota: { requestCpu: '2' } }] }))).toBe(
      'Invalid blueprint config at environments.test.tenants[0].quota.requestCpu: is not a known field; did you mean "requestsCpu"?',
    );
    expect(errorOf(testContext({ tenants: [{ name: 'a', quota: { limitsMemory: '16 GB' } }] }))).toMatch(
      /tenants\[0\]\.quota\.limitsMemory: must be a Kubernetes quantity/,
    );
  });

  test('no blueprint context at all', () => {
    expect(errorOf(undefined)).toMatch(/^Invalid blueprint config at blueprint: is missing from cdk.json/);
  });
});
