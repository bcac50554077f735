import { Template } from 'aws-cdk-lib/assertions';
import { defaultBuild } from '../helpers';
import { normalizeTemplate } from '../support/snapshots';

/*
 * Snapshots of the synthesized templates, for reviewing a change's effect in the diff. The properties that
 * matter are asserted explicitly in the other stack tests; a snapshot change is a prompt to look, not a
 * verdict. Update with `npx jest -u` after reading the diff.
 *
 * What aws-cdk-lib changes on its own releases is left out, so that an upgrade alone does not rewrite the
 * snapshots: asset hashes (Lambda code, layers, nested templates: S3 keys and image tags), the bootstrap
 * version parameter and rule, and the CDK metadata resource.
 */

describe('template snapshots |', () => {
  test.each(['network', 'cluster', 'detection'] as const)('%s stack', (name) => {
    const b = defaultBuild();
    expect(normalizeTemplate(Template.fromStack(b.stacks[name]).toJSON())).toMatchSnapshot();
  });

  test('tenant stack (team-a)', () => {
    const b = defaultBuild();
    expect(normalizeTemplate(Template.fromStack(b.stacks.tenants[0]).toJSON())).toMatchSnapshot();
  });

  test('asset hashes, the bootstrap version check and CDK metadata stay out of the snapshots', () => {
    const b = defaultBuild();
    const raw = Template.fromStack(b.stacks.cluster).toJSON();
    // GIVEN a template that carries them (so the normalization has something to do)
    expect(JSON.stringify(raw)).toMatch(/[0-9a-f]{64}\.zip/);
    expect(raw.Rules?.CheckBootstrapVersion).toBeDefined();
    // THEN none of them is left
    const text = JSON.stringify(
      normalizeTemplate({
        ...raw,
        Resources: { ...raw.Resources, CDKMetadata: { Type: 'AWS::CDK::Metadata' } },
      }),
    );
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toMatch(/BootstrapVersion|CDKMetadata/);
    expect(text).toContain('"S3Key":"<asset-hash>.zip"');
  });
});
