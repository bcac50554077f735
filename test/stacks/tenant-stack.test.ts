import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildBlueprint, type EnvironmentStacks } from '../../lib/app';
import { resolveConfig } from '../../lib/config';
import { configErrorOf, TEST_APP_PROPS, testContext } from '../helpers';

const tenant = (name: string) => ({
  name,
  ownerRoleArns: [`arn:aws:iam::111111111111:role/${name}-owner`],
  developerRoleArns: [`arn:aws:iam::111111111111:role/${name}-dev`],
});

function buildWith(tenants: object[]): EnvironmentStacks {
  const app = new App(TEST_APP_PROPS);
  return buildBlueprint(app, resolveConfig(testContext({ tenants })), { compliance: false })[0];
}

const json = (s: import('aws-cdk-lib').Stack) => Template.fromStack(s).toJSON();

describe('tenant stacks |', () => {
  test('EKS-K8S-TEN-001: each tenant gets a stack of its own: store role, access entries, namespace, resources', () => {
    const env = buildWith([tenant('team-b'), tenant('team-c')]);
    expect(env.tenants.map((t) => t.stackName)).toEqual([
      'acme-test-tenant-team-b',
      'acme-test-tenant-team-c',
    ]);
    const t = Template.fromStack(env.tenants[0]);
    t.resourceCountIs('AWS::EKS::AccessEntry', 2);
    t.resourceCountIs('AWS::IAM::Role', 1);
    const manifests = Object.values(t.findResources('Custom::AWSCDK-EKS-KubernetesResource')) as any[];
    expect(manifests).toHaveLength(2);
    const kinds = manifests.map((m) => JSON.parse(m.Properties.Manifest).map((o: any) => o.kind));
    expect(kinds[0]).toEqual(['Namespace', 'ServiceAccount']);
    expect(kinds[1]).toEqual(
      expect.arrayContaining(['ResourceQuota', 'Role', 'NetworkPolicy', 'SecretStore']),
    );
    // Nothing of a tenant is left in the cluster stack.
    expect(JSON.stringify(json(env.cluster))).not.toContain('team-b');
  });

  test('inserting a tenant first moves nothing: the other tenant stacks and the platform stacks are unchanged', () => {
    const before = buildWith([tenant('team-b'), tenant('team-c')]);
    const after = buildWith([tenant('team-a'), tenant('team-b'), tenant('team-c')]);
    expect(after.tenants.map((t) => t.stackName)).toEqual([
      'acme-test-tenant-team-a',
      'acme-test-tenant-team-b',
      'acme-test-tenant-team-c',
    ]);
    // Same stack names and byte-identical templates: no logical id, role or access entry moves.
    expect(json(after.tenants[1])).toEqual(json(before.tenants[0]));
    expect(json(after.tenants[2])).toEqual(json(before.tenants[1]));
    // Adding a tenant re-applies only that tenant: the cluster stack's manifests and policies are unchanged.
    for (const part of ['network', 'cluster', 'detection'] as const) {
      expect(json(after[part])).toEqual(json(before[part]));
    }
  });

  test('config refuses more access entries than EKS allows per cluster (3,000, not adjustable)', () => {
    // The fixture has one admin and one viewer role; each tenant below adds two roles, and the blueprint
    // adds the kubectl provider's and the node role's entries: 2 + 2 * 1498 + 2 = 3,000 fits.
    const many = (n: number) => Array.from({ length: n }, (_, i) => tenant(`t${i}`));
    expect(() => resolveConfig(testContext({ tenants: many(1498) }))).not.toThrow();
    const message = configErrorOf(testContext({ tenants: many(1499) }));
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(
      /^Invalid blueprint config at environments\.test\.tenants: needs 3002 access entries .* EKS allows 3000 per cluster/,
    );
  });
});

describe('many environments |', () => {
  test('-c env=<name> builds only that environment: one of twenty costs what one does', () => {
    const base = testContext() as { org: unknown; environments: { test: Record<string, unknown> } };
    const environments = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        `e${i}`,
        { ...base.environments.test, clusterName: `acme-e${i}`, vpcCidr: `10.${i}.0.0/16` },
      ]),
    );
    const config = resolveConfig({ org: base.org, environments }, 'e7');
    expect(config.environments.map((e) => e.name)).toEqual(['e7']);
    const app = new App(TEST_APP_PROPS);
    buildBlueprint(app, config, { compliance: false });
    expect(app.node.children.map((c) => c.node.id).sort()).toEqual([
      'acme-e7-cluster',
      'acme-e7-detection',
      'acme-e7-network',
      'acme-e7-tenant-team-a',
    ]);
  });
});
