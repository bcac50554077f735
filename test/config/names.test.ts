import { Template } from 'aws-cdk-lib/assertions';
import { resolveConfig } from '../../lib/config';
import { build, configErrorOf, testContext } from '../helpers';
import { namedResources, namesOverLimits } from './name-limits';

const cluster = (n: number) => `c${'x'.repeat(n - 1)}`;
const tenant63 = `t${'a'.repeat(62)}`;

describe('config | names fit AWS limits or the config is refused naming the field', () => {
  // 64 here, in memory; 100 through bin/app.ts with every synth-time check on (test/bin/app.test.ts).
  test.each([64])(
    'GIVEN a %i-character clusterName and a 63-character tenant THEN every derived name fits its limit',
    (length) => {
      const b = build({
        clusterName: cluster(length),
        tenants: [{ name: tenant63 }],
        detection: { guardDuty: { mode: 'create' } },
      });
      const templates = [b.network, b.cluster, Template.fromStack(b.stacks.detection)].map(
        (t) => t.toJSON() as Record<string, unknown>,
      );
      expect(namedResources(templates)).toBeGreaterThan(20);
      expect(namesOverLimits(templates)).toEqual([]);
      // The stack names (CloudFormation: 128 characters).
      for (const s of [b.stacks.network, b.stacks.cluster, b.stacks.detection]) {
        expect(s.stackName.length).toBeLessThanOrEqual(128);
      }
    },
  );

  test('a 101-character clusterName is refused naming the field and EKS’s limit', () => {
    expect(configErrorOf(testContext({ clusterName: cluster(101) }))).toMatch(
      /^Invalid blueprint config at environments\.test\.clusterName: must be at most 100 characters/,
    );
  });

  test('org and environment names that make a stack name longer than 128 are refused in one line', () => {
    const env = `e${'n'.repeat(62)}`;
    const ctx = testContext({ clusterName: 'short' }) as {
      org: Record<string, unknown>;
      environments: Record<string, unknown>;
    };
    const long = {
      org: { ...ctx.org, name: `o${'r'.repeat(62)}` },
      environments: { [env]: ctx.environments.test },
    };
    const msg = configErrorOf(long);
    expect(msg.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Invalid blueprint config at environments\\.${env}: .* 137 characters long; AWS allows 128`,
        ),
      ),
    ]);
  });

  test('a default clusterName (<org>-<env>) over 100 characters asks for clusterName', () => {
    const ctx = testContext() as { org: Record<string, unknown>; environments: Record<string, unknown> };
    const env = ctx.environments.test as Record<string, unknown>;
    const msg = configErrorOf({
      org: { ...ctx.org, name: `o${'r'.repeat(62)}` },
      environments: { [`e${'n'.repeat(39)}`]: env },
    });
    // 63 + 1 + 40 = 104 characters; EKS allows 100.
    expect(msg).toMatch(
      /^Invalid blueprint config at environments\.en+: gives the default clusterName "<org>-<env>" = "or+-en+", 104 characters; EKS allows 100: set clusterName$/,
    );
  });

  test('a tenant whose stack name would pass 128 characters is refused naming the tenant', () => {
    const ctx = testContext({ clusterName: 'short', tenants: [{ name: tenant63 }] }) as {
      org: Record<string, unknown>;
      environments: Record<string, unknown>;
    };
    const withEnv = (length: number) => ({
      org: { ...ctx.org, name: 'acme' },
      environments: { [`e${'n'.repeat(length - 1)}`]: ctx.environments.test },
    });
    // acme-<env>-tenant-<63>: 4 + 1 + 52 + 8 + 63 = 128 fits; one more character does not.
    expect(resolveConfig(withEnv(52)).environments).toHaveLength(1);
    const env53 = `e${'n'.repeat(52)}`;
    expect(configErrorOf(withEnv(53))).toBe(
      `Invalid blueprint config at environments.${env53}.tenants[0].name: makes "acme-${env53}-tenant-${tenant63}" 129 characters long; AWS allows 128 for the tenant's CloudFormation stack name (<org>-<env>-tenant-<name>): choose a shorter tenant name (got "${tenant63}")`,
    );
  });

  test('an image repository whose full name would pass 256 characters is refused naming it', () => {
    const msg = configErrorOf(
      testContext({ clusterName: cluster(100), detection: { imageRepositories: ['r'.repeat(160)] } }),
    );
    expect(msg).toMatch(
      /^Invalid blueprint config at environments\.test\.detection\.imageRepositories\[0\]: makes ".*" 261 characters long; AWS allows 256/,
    );
  });

  test('an org name that does not start with a letter is refused (stack names must)', () => {
    const ctx = testContext() as { org: Record<string, unknown> };
    expect(configErrorOf({ ...ctx, org: { ...ctx.org, name: '9acme' } })).toMatch(
      /^Invalid blueprint config at org\.name: must start with a letter/,
    );
  });
});
