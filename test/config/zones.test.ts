import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveConfig } from '../../lib/config';
import { stackName } from '../../lib/naming';
import { NetworkStack } from '../../lib/stacks/network-stack';
import { configErrorOf, resourcesOf, TEST_APP_PROPS, testContext } from '../helpers';

const zonesOf = (overrides: Record<string, unknown>) => resolveConfig(testContext(overrides)).environments[0];

describe('config | availability zones: never a zone that does not exist', () => {
  test('GIVEN ca-central-1 and no zones in config THEN the subnets are placed by the zone IDs that exist (no "c")', () => {
    // ca-central-1 has ca-central-1a, 1b and 1d; AZ IDs cac1-az1, cac1-az2, cac1-az4 (AWS's AZ list).
    const env = zonesOf({ region: 'ca-central-1' });
    expect(env.availabilityZoneIds).toEqual(['cac1-az1', 'cac1-az2', 'cac1-az4']);
    // The network stack alone: the subnets are all that zones decide.
    const app = new App(TEST_APP_PROPS);
    const network = Template.fromStack(
      new NetworkStack(app, stackName(env, 'network'), { environment: env }),
    );
    const subnets = resourcesOf(network, 'AWS::EC2::Subnet').map(([, s]) => s.Properties);
    expect(subnets.length).toBeGreaterThanOrEqual(3);
    for (const s of subnets) {
      expect(s.AvailabilityZone).toBeUndefined();
      expect(['cac1-az1', 'cac1-az2', 'cac1-az4']).toContain(s.AvailabilityZoneId);
    }
    expect(new Set(subnets.map((s) => s.AvailabilityZoneId)).size).toBe(3);
    expect(JSON.stringify(network.toJSON())).not.toContain('ca-central-1c');
  });

  test('GIVEN explicit zone names THEN they are used, and a name the region does not have is refused', () => {
    const env = zonesOf({
      region: 'ca-central-1',
      availabilityZoneNames: ['ca-central-1a', 'ca-central-1b', 'ca-central-1d'],
    });
    expect(env.availabilityZones).toEqual(['ca-central-1a', 'ca-central-1b', 'ca-central-1d']);
    expect(env.availabilityZoneIds).toBeUndefined();
    expect(
      configErrorOf(
        testContext({
          region: 'ca-central-1',
          availabilityZoneNames: ['ca-central-1a', 'ca-central-1b', 'ca-central-1c'],
        }),
      ),
    ).toBe(
      'Invalid blueprint config at environments.test.availabilityZoneNames: does not exist: ca-central-1 has ca-central-1a, ca-central-1b, ca-central-1d (got "ca-central-1c")',
    );
  });

  test('GIVEN explicit zone IDs THEN they are used; another region’s ID, an unknown one or one EKS refuses is refused', () => {
    expect(zonesOf({ availabilityZoneIds: ['use1-az6', 'use1-az4', 'use1-az2'] }).availabilityZones).toEqual([
      'use1-az6',
      'use1-az4',
      'use1-az2',
    ]);
    const err = (ids: string[]) => configErrorOf(testContext({ availabilityZoneIds: ids }));
    expect(err(['use1-az1', 'use1-az2', 'cac1-az4'])).toMatch(
      /availabilityZoneIds: must be zone IDs of us-east-1 \(use1-az<n>\).*\(got "cac1-az4"\)$/,
    );
    expect(err(['use1-az1', 'use1-az2', 'use1-az9'])).toMatch(
      /is not a zone of us-east-1 .*\(got "use1-az9"\)$/,
    );
    // EKS User Guide: no cluster subnets in use1-az3.
    expect(err(['use1-az1', 'use1-az2', 'use1-az3'])).toMatch(
      /names a zone EKS does not accept for cluster subnets in us-east-1 .*\(got "use1-az3"\)$/,
    );
    expect(
      configErrorOf(
        testContext({
          availabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az4'],
          availabilityZoneNames: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        }),
      ),
    ).toMatch(/availabilityZoneIds: is set together with availabilityZoneNames/);
  });

  test('GIVEN a region with fewer zones than asked for, or without zone data THEN one line asks for the fix', () => {
    // us-west-1: two zones an account can use for EKS (usw1-az1, usw1-az3).
    expect(configErrorOf(testContext({ region: 'us-west-1' }))).toBe(
      'Invalid blueprint config at environments.test.availabilityZones: is 3, but us-west-1 has 2 zones EKS accepts (usw1-az1, usw1-az3); set availabilityZones to 2 (got 3)',
    );
    expect(zonesOf({ region: 'us-west-1', availabilityZones: 2 }).availabilityZones).toEqual([
      'usw1-az1',
      'usw1-az3',
    ]);
    expect(configErrorOf(testContext({ region: 'cn-northwest-1' }))).toMatch(
      /^Invalid blueprint config at environments\.test\.availabilityZoneIds: is required in cn-northwest-1: the blueprint has no zone data/,
    );
  });

  test('an unknown region is refused naming the field', () => {
    expect(configErrorOf(testContext({ region: 'us-east-7' }))).toBe(
      'Invalid blueprint config at environments.test.region: is not an AWS region the blueprint knows (lib/config/regions.ts, from the AWS General Reference); check the spelling, such as us-east-1 (got "us-east-7")',
    );
  });
});
