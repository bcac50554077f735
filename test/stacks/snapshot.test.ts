import { Template } from 'aws-cdk-lib/assertions';
import { defaultBuild } from '../helpers';

/*
 * Snapshots of the synthesized templates, for reviewing a change's effect in the diff. The properties that
 * matter are asserted explicitly in the other stack tests; a snapshot change is a prompt to look, not a
 * verdict. Update with `npx jest -u` after reading the diff.
 *
 * What aws-cdk-lib changes on its own releases is left out, so that an upgrade alone does not rewrite the
 * snapshots: asset hashes (Lambda code, layers, nested templates: S3 keys and image tags), the bootstrap
 * version parameter and rule, and the CDK metadata resource.
 */

/** A SHA-256 hex digest: how CDK names assets, in S3 keys (`<hash>.zip`) and image tags. */
const ASSET_HASH = /\b[0-9a-f]{64}\b/g;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function withoutAssetHashes(value: Json): Json {
  if (typeof value === 'string') return value.replace(ASSET_HASH, '<asset-hash>');
  if (Array.isArray(value)) return value.map(withoutAssetHashes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutAssetHashes(v)]));
  }
  return value;
}

/** The template without what changes with every aws-cdk-lib release. Pure. */
function normalizeTemplate(template: Record<string, Json>): Record<string, Json> {
  const out = { ...template };
  const drop = (section: string, key: string) => {
    const s = out[section];
    if (s === null || typeof s !== 'object' || Array.isArray(s) || !(key in s)) return;
    const rest = Object.fromEntries(Object.entries(s).filter(([k]) => k !== key));
    if (Object.keys(rest).length > 0) out[section] = rest;
    else delete out[section];
  };
  drop('Parameters', 'BootstrapVersion');
  drop('Rules', 'CheckBootstrapVersion');
  drop('Resources', 'CDKMetadata');
  drop('Conditions', 'CDKMetadataAvailable');
  return withoutAssetHashes(out) as Record<string, Json>;
}

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
