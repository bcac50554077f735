import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { writeManifests } from '../../lib/manifests';
import { defaultBuild } from '../helpers';
import { lines, runCheck } from '../support/check';
import { layerBinary } from '../support/layer-binaries';

/*
 * The GitOps copy of the baseline (`dist/manifests/<env>/`), as Argo CD or Flux would consume it: it passes
 * the environment's own admission policies through `check`, and kustomize (the one inside the real kubectl)
 * renders exactly the objects of its files.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-gitops-'));
const b = defaultBuild();
writeManifests([b.stacks], dir);
const envDir = path.join(dir, 'test');

const objectsOf = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJSON())
    .filter((o) => o && o.kind);
const key = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('GitOps manifests |', () => {
  test('check admits every object of dist/manifests/<env>, and skips the kustomization files', async () => {
    const r = await runCheck(['--env', 'dev', envDir]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).at(-1)).toMatch(
      /^\d+ objects checked against environment dev: 0 denied, 0 violations$/,
    );
    expect(r.stderr).toMatch(/kustomization\.yaml \(kustomize configuration, not a Kubernetes object\)/);
  });

  test('kubectl kustomize renders exactly the objects of the files, tenant folders included', () => {
    const rendered = execFileSync(layerBinary('kubectl/kubectl'), ['kustomize', envDir], {
      encoding: 'utf-8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const files = (fs.readdirSync(envDir, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.yaml') && path.basename(f) !== 'kustomization.yaml' && f !== 'audit-policy.yaml',
    );
    expect(files).toEqual(
      expect.arrayContaining(['tenants/team-a/01-namespace.yaml', 'tenants/team-a/02-tenant.yaml']),
    );
    const fromFiles = files.flatMap((f) => objectsOf(fs.readFileSync(path.join(envDir, f), 'utf-8')));
    expect(objectsOf(rendered).map(key).sort()).toEqual(fromFiles.map(key).sort());
  });
});
