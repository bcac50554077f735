/**
 * Discovery of a fork's `org/` space by convention: `org/policies/**.yaml` (admission policies),
 * `org/manifests/**.yaml` (the org's own objects) and the optional `org/index.ts` (typed hooks). A first
 * folder named like a configured environment (`org/manifests/prod/...`) scopes its files to that
 * environment; every other file applies to every environment.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../admission/manifests';
import type { EnvironmentConfig } from '../config';
import { OrgExtensionError, type OrgIssue } from './errors';
import { isOrgExtensions, type BlueprintExtension, type OrgExtensions, type SourcedObject } from './types';

/** The fork's folder, beside its `cdk.json`. */
export const ORG_DIR = 'org';

/** `org/` beside a `cdk.json` (or inside a project directory): the fork-owned pair. */
export function orgDirBeside(configFileOrDir: string): string {
  const dir =
    fs.existsSync(configFileOrDir) && fs.statSync(configFileOrDir).isDirectory()
      ? configFileOrDir
      : path.dirname(configFileOrDir);
  return path.join(dir, ORG_DIR);
}

export interface OrgSpaceOptions {
  /** Every configured environment's name (`config.deployOrder`): folders so named are environment-only. */
  readonly environments: readonly string[];
  /**
   * Load `org/index.ts` (needs a TypeScript-aware runtime: tsx, jest). `check` only needs the policies.
   * @default true
   */
  readonly hooks?: boolean;
}

interface OrgFile {
  /** The environment the file is limited to, if it sits in an environment's folder. */
  readonly environment?: string;
  /** Path inside `org/manifests` or `org/policies`. */
  readonly relative: string;
  readonly objects: readonly SourcedObject[];
}

const YAML = /\.ya?ml$/i;

/**
 * Reads a fork's `org/` space into a registry extension. A missing `org/` (or folder) contributes nothing.
 * Unreadable YAML, or an `index.ts` that does not export `defineOrgExtensions(...)`, is an
 * `OrgExtensionError` naming the file.
 */
export function loadOrgExtension(dir: string, options: OrgSpaceOptions): BlueprintExtension {
  const root = path.dirname(path.resolve(dir));
  const issues: OrgIssue[] = [];
  const policies = readFolder(path.join(dir, 'policies'), root, options.environments, issues);
  const manifests = readFolder(path.join(dir, 'manifests'), root, options.environments, issues);
  const hooks = (options.hooks ?? true) ? loadHooks(dir, root, issues) : {};
  for (const f of manifests)
    for (const m of f.objects)
      if (
        m.object.kind === 'ValidatingAdmissionPolicy' ||
        m.object.kind === 'ValidatingAdmissionPolicyBinding'
      )
        issues.push({
          file: m.file,
          line: m.line,
          message: `${m.object.kind}/${m.object.metadata?.name ?? ''}: admission policies belong in org/policies, where check enforces them`,
        });
  if (issues.length > 0) throw new OrgExtensionError(issues);
  const forEnv = (files: readonly OrgFile[]) => (environment: EnvironmentConfig) =>
    files.filter((f) => !f.environment || f.environment === environment.name).flatMap((f) => f.objects);
  return {
    ...hooks,
    name: path.relative(root, path.resolve(dir)) || ORG_DIR,
    admissionPolicies: forEnv(policies),
    manifests: forEnv(manifests),
  };
}

/** The org's manifests of one environment by file, as written to `dist/manifests/<env>/org/`. */
export function orgManifestFiles(
  manifests: readonly SourcedObject[],
): ReadonlyMap<string, readonly SourcedObject[]> {
  const byFile = new Map<string, SourcedObject[]>();
  for (const m of manifests) {
    const rel = m.file.replace(/^.*?\bmanifests\//, '');
    byFile.set(rel, [...(byFile.get(rel) ?? []), m]);
  }
  return byFile;
}

function readFolder(
  folder: string,
  root: string,
  environments: readonly string[],
  issues: OrgIssue[],
): OrgFile[] {
  if (!fs.existsSync(folder)) return [];
  const files: OrgFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (YAML.test(entry.name)) {
        const file = path.relative(root, full).split(path.sep).join('/');
        const parsed = parseManifests(file, fs.readFileSync(full, 'utf-8'));
        for (const e of parsed.errors)
          issues.push({ file: e.file, line: e.line, message: `column ${e.column}: ${e.message}` });
        const relative = path.relative(folder, full).split(path.sep).join('/');
        const first = relative.split('/')[0];
        files.push({
          relative,
          objects: parsed.objects,
          ...(relative.includes('/') && environments.includes(first) ? { environment: first } : {}),
        });
      }
    }
  };
  walk(folder);
  return files;
}

function loadHooks(dir: string, root: string, issues: OrgIssue[]): OrgExtensions {
  const file = path.join(dir, 'index.ts');
  if (!fs.existsSync(file)) return {};
  const shown = path.relative(root, file).split(path.sep).join('/');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fork's hook module, found by convention
  const mod = require(path.resolve(file)) as { default?: unknown };
  if (!isOrgExtensions(mod.default)) {
    issues.push({
      file: shown,
      line: 0,
      message: 'must `export default defineOrgExtensions({ ... })` (from lib/extensions)',
    });
    return {};
  }
  return mod.default;
}
