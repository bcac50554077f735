/**
 * Snapshots of a fork's own environments (`org/snapshots/<env>/`): the GitOps manifests as `npm run synth`
 * writes them, and every stack's template, normalized so that only the fork's changes (config, org/, an
 * upstream merge that changes what is deployed) show, not asset hashes or values that move with the CDK
 * version. `npm run snapshot` writes them, `npm test` compares (test/fork/snapshots.test.ts).
 */
import { App } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBlueprint } from './app';
import { CONFIG_CONTEXT_KEY, ENV_CONTEXT_KEY, loadConfig, resolveConfig } from './config';
import { ExtensionRegistry, loadOrgExtension } from './extensions';
import { environmentManifestFiles } from './manifests';

/** `org/snapshots`, inside a fork's `org/`. */
export const SNAPSHOT_DIR = 'snapshots';

const HASH = /[0-9a-f]{64}/g;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A template without what changes when nothing the fork controls did: asset hashes (file names and S3
 * keys), the bootstrap-version parameter and rule, CDK metadata resources, and the runtime and layer
 * descriptions of aws-cdk-lib's own handler functions.
 */
export function normalizeTemplate(template: Record<string, unknown>): Record<string, unknown> {
  const t = JSON.parse(JSON.stringify(template).replace(HASH, '<asset-hash>')) as Record<string, Json>;
  const drop = (section: string, key: string) => {
    const s = t[section] as Record<string, Json> | undefined;
    if (!s) return;
    delete s[key];
    if (Object.keys(s).length === 0) delete t[section];
  };
  drop('Parameters', 'BootstrapVersion');
  drop('Rules', 'CheckBootstrapVersion');
  drop('Conditions', 'CDKMetadataAvailable');
  const resources = (t.Resources ?? {}) as Record<
    string,
    { Type?: string; Properties?: Record<string, Json> }
  >;
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::CDK::Metadata') delete resources[id];
    const code = r.Properties?.Code as Record<string, Json> | undefined;
    // aws-cdk-lib's own handlers (kubectl, custom-resource providers) run on the runtime it chooses, and
    // its layers describe the tool versions the CDK packages ship.
    if (r.Type === 'AWS::Lambda::Function' && String(code?.S3Key ?? '').includes('<asset-hash>'))
      r.Properties = { ...r.Properties, Runtime: '<cdk-runtime>' };
    const content = r.Properties?.Content as Record<string, Json> | undefined;
    if (r.Type === 'AWS::Lambda::LayerVersion' && String(content?.S3Key ?? '').includes('<asset-hash>'))
      r.Properties = { ...r.Properties, Description: '<cdk-layer>' };
  }
  return t;
}

export interface SnapshotSource {
  /** The fork's `cdk.json` (its whole `context`, as the CDK CLI passes it). */
  readonly cdkJson: string;
  /** The fork's `org/`. */
  readonly orgDir: string;
}

/** The environments `cdkJson` configures, in its order. */
export function configuredEnvironments(source: SnapshotSource): readonly string[] {
  return resolveConfig(contextOf(source)[CONFIG_CONTEXT_KEY]).deployOrder;
}

function contextOf(source: SnapshotSource): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(source.cdkJson, 'utf-8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes one environment as `npm run synth -c env=<name>` does (the fork's config and org/, without
 * the compliance plugins, which `npm run synth` runs) and returns its snapshot files: `manifests/...`
 * (the GitOps folder) and `templates/<stack>.json` for every stack named `<org>-<env>-*`.
 */
export function synthesizeSnapshot(source: SnapshotSource, environment: string): Record<string, string> {
  const context = contextOf(source);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-snapshot-'));
  try {
    const app = new App({
      outdir,
      context: { ...context, [ENV_CONTEXT_KEY]: environment },
      builtinCloudFormationValidation: false,
    });
    const config = loadConfig(app.node);
    const org = loadOrgExtension(source.orgDir, { environments: config.deployOrder });
    const [built] = buildBlueprint(app, config, {
      extensions: ExtensionRegistry.with(org),
      compliance: false,
      limits: false,
    });
    const files: Record<string, string> = {};
    for (const [file, content] of Object.entries(environmentManifestFiles(built)))
      files[`manifests/${file}`] = content;
    const prefix = `${built.environment.org}-${built.environment.name}-`;
    for (const stack of app.synth().stacksRecursively.filter((s) => s.stackName.startsWith(prefix)))
      files[`templates/${stack.stackName}.json`] =
        `${JSON.stringify(normalizeTemplate(stack.template as Record<string, unknown>), null, 2)}\n`;
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The files of a snapshot folder, relative to it (empty if there is none). */
export function readSnapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf-8');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files;
}

/** Replaces the snapshot folder `dir` with `files`. */
export function writeSnapshot(dir: string, files: Readonly<Record<string, string>>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

/** At most this many diff lines per file: enough to read the change, not a wall of text. */
const MAX_DIFF_LINES = 80;

/**
 * How `actual` differs from the snapshot `expected`, for people: one header per added, removed or changed
 * file and, for a changed file, its changed lines with two lines of context (`-` snapshot, `+` synthesis).
 * Empty when they match.
 */
export function diffSnapshot(
  expected: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  for (const file of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    const a = expected[file];
    const b = actual[file];
    if (a === b) continue;
    if (a === undefined) out.push(`+ ${file} (new: synthesis has it, the snapshot does not)`);
    else if (b === undefined) out.push(`- ${file} (gone: the snapshot has it, synthesis does not)`);
    else {
      out.push(`~ ${file}`);
      const lines = lineDiff(a.split('\n'), b.split('\n'));
      out.push(...lines.slice(0, MAX_DIFF_LINES));
      if (lines.length > MAX_DIFF_LINES) out.push(`  ... ${lines.length - MAX_DIFF_LINES} more lines`);
    }
  }
  return out;
}

/** A line diff with context: common prefix and suffix trimmed, the middle aligned by longest common subsequence. */
function lineDiff(a: readonly string[], b: readonly string[]): string[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const context = 2;
  const before = a.slice(Math.max(0, start - context), start).map((l) => `    ${l}`);
  const after = a.slice(endA, endA + context).map((l) => `    ${l}`);
  const header = `  @@ line ${start + 1}`;
  // A rewrite this large reads best as old then new; aligning it would cost more than it shows.
  if (x.length * y.length > 1_000_000)
    return [header, ...before, ...x.map((l) => `  - ${l}`), ...y.map((l) => `  + ${l}`), ...after];
  // LCS table over the changed middle only; snapshots differ in a few places, so it stays small.
  const lcs = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const body: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      body.push(`    ${x[i++]}`);
      j++;
    } else if (i < x.length && (j === y.length || lcs[i + 1][j] >= lcs[i][j + 1])) body.push(`  - ${x[i++]}`);
    else body.push(`  + ${y[j++]}`);
  }
  return [header, ...before, ...body, ...after];
}
