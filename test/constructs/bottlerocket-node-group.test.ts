import { checkTemplate } from '../../lib/compliance/rules';
import { declaredDeviations, deviations } from '../../lib/compliance/deviations';
import { resolveConfig } from '../../lib/config';
import { defaultBuild, resourcesOf, templateJson, testContext } from '../helpers';

// The fixture's node group (test/fixtures/config/cdk.json).
const GROUP = {
  name: 'system',
  instanceTypes: ['m7i.large', 'm6i.large'],
  minSize: 2,
  maxSize: 6,
  desiredSize: 3,
};

/** The EKS name config gives the one node group, with `group` and `env` overriding the defaults. */
function eksName(group: Record<string, unknown> = {}, env: Record<string, unknown> = {}): string {
  return resolveConfig(testContext({ ...env, nodeGroups: [{ ...GROUP, ...group }] })).environments[0]
    .nodeGroups[0].nodegroupName;
}

describe('BottlerocketNodeGroup | updates and names', () => {
  test('EKS-OPS-002: node groups never force a roll past PodDisruptionBudgets by default', () => {
    const b = defaultBuild();
    const groups = resourcesOf(b.cluster, 'AWS::EKS::Nodegroup');
    expect(groups).toHaveLength(1);
    // CDK's Nodegroup defaults forceUpdate to true; the template must say false.
    expect(groups[0][1].Properties.ForceUpdateEnabled).toBe(false);
    const t = templateJson(b.cluster);
    const ids = () =>
      checkTemplate({ template: t, deviations: declaredDeviations(b.config) }).map((f) => f.controlId);
    expect(ids()).not.toContain('EKS-OPS-002');
    // An escape hatch turning it on without config is caught at synthesis.
    Object.values(t.Resources).find((r) => r.Type === 'AWS::EKS::Nodegroup')!.Properties.ForceUpdateEnabled =
      true;
    expect(ids()).toContain('EKS-OPS-002');
  });

  test('EKS-OPS-002: forceUpdate declared in config lets that group (only) force its roll', () => {
    const b = defaultBuild();
    const declared = resolveConfig(testContext({ nodeGroups: [{ ...GROUP, forceUpdate: true }] }));
    const t = templateJson(b.cluster);
    Object.values(t.Resources).find((r) => r.Type === 'AWS::EKS::Nodegroup')!.Properties.ForceUpdateEnabled =
      true;
    // forceUpdate is not a replacement-causing property: the declared group keeps the same EKS name.
    expect(declared.environments[0].nodeGroups[0].nodegroupName).toBe(
      b.config.environments[0].nodeGroups[0].nodegroupName,
    );
    expect(checkTemplate({ template: t, deviations: declaredDeviations(declared) })).toEqual([]);
    expect(deviations(declared)).toContainEqual(
      expect.objectContaining({ controlId: 'EKS-OPS-002', field: 'nodeGroups[system].forceUpdate' }),
    );
    // The template the construct renders for it is checked in test/compliance/deviations.test.ts.
  });

  test('the EKS name is the config name plus a hash; the config name stays on a tag', () => {
    const b = defaultBuild();
    const [[, group]] = resourcesOf(b.cluster, 'AWS::EKS::Nodegroup');
    expect(group.Properties.NodegroupName).toBe(b.config.environments[0].nodeGroups[0].nodegroupName);
    expect(group.Properties.NodegroupName).toMatch(/^system-[0-9a-f]{8}$/);
    expect(group.Properties.Tags).toEqual(expect.objectContaining({ 'hardened-eks:node-group': 'system' }));
  });

  test('a change CloudFormation replaces the group for gives a new name; an in-place change keeps it', () => {
    const base = eksName();
    // Replacement-causing (EKS User Guide): instance types, capacity type, AMI type, subnets.
    expect(eksName({ instanceTypes: ['m7i.xlarge'] })).not.toBe(base);
    expect(eksName({ capacityType: 'SPOT' })).not.toBe(base);
    expect(eksName({ instanceTypes: ['m7g.large'] })).not.toBe(eksName({ instanceTypes: ['m7i.large'] }));
    expect(eksName({}, { availabilityZones: 2 })).not.toBe(base);
    expect(eksName({}, { vpcCidr: '10.20.0.0/16' })).not.toBe(base);
    // Updated in place: sizes, labels, taints, the release.
    expect(eksName({ desiredSize: 4, maxSize: 8 })).toBe(base);
    expect(eksName({ labels: { tier: 'system' } })).toBe(base);
    expect(eksName({ releaseVersion: '1.61.0-6d8d9a4b' })).toBe(base);
  });
});
