import type { Chart } from 'cdk8s';
import { dump } from 'js-yaml';
import type { KubeObject } from '../lib/admission/types';

/**
 * One object as a YAML document the way kubectl reads it: keys sorted (stable diffs), no line folding, no
 * anchors, and every string that YAML 1.1 would read as something else (`on`, `yes`, `y`, `0b1`, `1e3`,
 * `2026-01-01`, `~`...) quoted, so kubectl, Flux and Argo CD (all YAML 1.1 readers) see the string the
 * chart holds.
 */
export function toYaml(object: unknown): string {
  return dump(object, { sortKeys: true, lineWidth: -1, noRefs: true, quotingType: '"' });
}

/** Objects as one multi-document YAML string, in order. */
export function toYamlDocuments(objects: readonly unknown[]): string {
  return objects.map(toYaml).join('---\n');
}

const rendered = new WeakMap<Chart, readonly KubeObject[]>();

/**
 * A chart's objects (`chart.toJson()`), rendered once: the tenant stack applies them and `dist/` writes
 * them, and at hundreds of tenants rendering every chart twice costs seconds. A chart is complete when
 * the blueprint is built; the objects returned are shared and must not be changed.
 */
export function chartObjects(chart: Chart): readonly KubeObject[] {
  let objects = rendered.get(chart);
  if (!objects) {
    objects = chart.toJson() as KubeObject[];
    rendered.set(chart, objects);
  }
  return objects;
}

/**
 * A chart's objects for an `eks.KubernetesManifest`: a copy, because the kubectl provider's construct adds
 * its prune label to the objects it is given, and `dist/` must not carry that label.
 */
export function manifestObjects(chart: Chart): KubeObject[] {
  return structuredClone(chartObjects(chart)) as KubeObject[];
}
