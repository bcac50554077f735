import {
  fitName,
  guardDutyFindingsRuleName,
  keyAlias,
  logGroupNames,
  nodegroupName,
  stackName,
  tenantSecretsRoleName,
  tenantStackName,
  verifyPolicyName,
} from '../lib/naming';

const cluster100 = `c${'x'.repeat(99)}`;
const tenant63 = `t${'a'.repeat(62)}`;

describe('naming | conventions, one source for every construct and for verify', () => {
  test('stacks, key aliases and log groups follow the documented patterns', () => {
    const env = { org: 'acme', name: 'prod' };
    expect(stackName(env, 'network')).toBe('acme-prod-network');
    expect(tenantStackName(env, 'team-a')).toBe('acme-prod-tenant-team-a');
    expect(keyAlias('acme-prod', 'secrets')).toBe('alias/acme-prod/secrets');
    const logs = logGroupNames('acme-prod');
    expect(logs.controlPlane).toBe('/aws/eks/acme-prod/cluster');
    expect(logs.flowLogs).toBe('/aws/vpc/flowlogs/acme-prod');
    expect(logs.containers).toBe('/hardened-eks/acme-prod/containers');
    // The logs key admits every group the blueprint creates.
    for (const name of [logs.containers, logs.guardDutyFeatures, logs.containerInsightsPerformance]) {
      expect(logs.patterns.some((p) => name.startsWith(p.replace(/\*$/, '')))).toBe(true);
    }
  });

  test('a short name is kept as is', () => {
    expect(tenantSecretsRoleName('acme-prod', 'team-a')).toBe('acme-prod-secrets-team-a');
    expect(guardDutyFindingsRuleName('acme-prod')).toBe('acme-prod-guardduty-findings');
    expect(verifyPolicyName('acme-prod')).toBe('acme-prod-verify');
  });

  test('a long name is cut to the AWS limit with a hash of the whole name: deterministic and distinct', () => {
    // IAM role names: 64 characters; EventBridge rule names: 64 (aws-facts.md).
    const a = tenantSecretsRoleName(cluster100, tenant63);
    const b = tenantSecretsRoleName(cluster100, `${tenant63.slice(0, 62)}b`);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).toMatch(/^cx+-[0-9a-f]{8}$/);
    expect(tenantSecretsRoleName(cluster100, tenant63)).toBe(a);
    expect(b).not.toBe(a);
    expect(guardDutyFindingsRuleName(cluster100).length).toBeLessThanOrEqual(64);
    expect(fitName('x'.repeat(200), 128)).toHaveLength(128);
  });

  test('EKS-OPS-002: a node group name changes with each replacement-causing property, and only then', () => {
    const key = {
      instanceTypes: ['m7i.large'],
      capacityType: 'ON_DEMAND',
      amiType: 'x86_64',
      subnets: ['10.0.0.0/16', 'nat', 'id', 'use1-az1', 'use1-az2'],
    };
    const base = nodegroupName('system', key);
    expect(base).toMatch(/^system-[0-9a-f]{8}$/);
    expect(nodegroupName('system', { ...key })).toBe(base);
    for (const changed of [
      { ...key, instanceTypes: ['m7i.xlarge'] },
      { ...key, capacityType: 'SPOT' },
      { ...key, amiType: 'arm64' },
      { ...key, subnets: [...key.subnets, 'use1-az4'] },
    ]) {
      expect(nodegroupName('system', changed)).not.toBe(base);
    }
    // EKS node group names: at most 63 characters, whatever the config name.
    expect(nodegroupName('n'.repeat(63), key).length).toBeLessThanOrEqual(63);
  });
});
