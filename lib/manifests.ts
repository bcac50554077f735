import * as fs from 'fs';
import * as path from 'path';
import { manifestFiles } from '../charts';
import { toYamlDocuments } from '../charts/render';
import type { EnvironmentStacks } from './app';
import { ORG_DIR, orgManifestFiles } from './extensions';

/** Where `npm run synth` writes the GitOps manifests. */
export const DEFAULT_MANIFEST_DIR = path.join('dist', 'manifests');

/**
 * The files of one environment's GitOps folder, relative to it: the baseline (see `manifestFiles`) and,
 * after the tenants, the org's own manifests under `org/` (paths as in `org/manifests`), each file's
 * objects in order, written the way the charts are.
 */
export function environmentManifestFiles(env: EnvironmentStacks): Record<string, string> {
  const org: Record<string, string> = {};
  for (const [file, objects] of orgManifestFiles(env.orgManifests))
    org[file] = toYamlDocuments(objects.map((o) => o.object));
  return manifestFiles(env.baseline, Object.keys(org).length > 0 ? { [ORG_DIR]: org } : {});
}

/**
 * Writes each environment's baseline to `<dir>/<env>/` as plain YAML for Flux or Argo CD: the same chart
 * objects the cluster and tenant stacks apply, and the org's manifests the org stack applies (see
 * `environmentManifestFiles`). Each environment's folder is replaced as a whole, so a removed chart or
 * tenant does not linger.
 */
export function writeManifests(
  envs: readonly EnvironmentStacks[],
  dir: string = DEFAULT_MANIFEST_DIR,
): string[] {
  const written: string[] = [];
  for (const env of envs) {
    const target = path.join(dir, env.environment.name);
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    for (const [file, content] of Object.entries(environmentManifestFiles(env))) {
      fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
      fs.writeFileSync(path.join(target, file), content);
      written.push(path.join(target, file));
    }
  }
  return written;
}
