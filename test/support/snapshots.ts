/**
 * Templates for snapshots, without what aws-cdk-lib changes on its own releases (see
 * test/stacks/snapshot.test.ts): asset hashes, the bootstrap version parameter and rule, CDK metadata.
 */
/** A SHA-256 hex digest: how CDK names assets, in S3 keys (`<hash>.zip`) and image tags. */
const ASSET_HASH = /\b[0-9a-f]{64}\b/g;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function withoutAssetHashes(value: Json): Json {
  if (typeof value === 'string') return value.replace(ASSET_HASH, '<asset-hash>');
  if (Array.isArray(value)) return value.map(withoutAssetHashes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutAssetHashes(v)]));
  }
  return value;
}

/** The template without what changes with every aws-cdk-lib release. Pure. */
export function normalizeTemplate(template: Record<string, Json>): Record<string, Json> {
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
