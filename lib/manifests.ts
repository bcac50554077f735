import * as fs from 'fs';
import * as path from 'path';
import { manifestFiles } from '../charts';
import type { EnvironmentStacks } from './app';

/** Where `npm run synth` writes the GitOps manifests. */
export const DEFAULT_MANIFEST_DIR = path.join('dist', 'manifests');

/**
 * Writes each environment's baseline to `<dir>/<env>/` as plain YAML for Flux or Argo CD: the same chart
 * objects the cluster and tenant stacks apply (see `manifestFiles`). Each environment's folder is replaced
 * as a whole, so a removed chart or tenant does not linger.
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
    for (const [file, content] of Object.entries(manifestFiles(env.baseline))) {
      fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
      fs.writeFileSync(path.join(target, file), content);
      written.push(path.join(target, file));
    }
  }
  return written;
}
