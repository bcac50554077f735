import { execFileSync } from 'child_process';
import { App, Chart, ApiObject } from 'cdk8s';
import { chartObjects, toYamlDocuments } from '../../charts/render';
import { layerBinary } from '../support/layer-binaries';

/** What kubectl (the one in the kubectl layer, a YAML 1.1 reader) makes of a YAML stream, as JSON objects. */
function kubectlReads(yaml: string): Record<string, unknown>[] {
  // `label --local` reads the stream as `kubectl apply -f` does and prints it back, with no API server.
  const out = execFileSync(
    layerBinary('kubectl/kubectl'),
    ['label', '--local', '-f', '-', 'read=back', '-o', 'json'],
    { input: yaml, encoding: 'utf-8' },
  );
  // One pretty-printed JSON document per object, each starting with `{` at the start of a line.
  return out.split(/\n(?=\{)/).map((doc) => JSON.parse(doc) as Record<string, unknown>);
}

describe('GitOps YAML |', () => {
  // Strings that YAML 1.2 reads as strings but YAML 1.1 (kubectl, Flux, Argo CD) reads as booleans,
  // numbers, null or timestamps.
  const ambiguous = [
    'on',
    'off',
    'yes',
    'no',
    'y',
    'n',
    'Y',
    'N',
    '0b1',
    '0o17',
    '0x1F',
    '1e3',
    '012',
    '~',
    'null',
    '2026-12-02',
    '1:30',
    '.inf',
    '=',
  ];

  test('every string reaches kubectl as the same string, whatever YAML 1.1 would make of it unquoted', () => {
    const data = Object.fromEntries(ambiguous.map((v, i) => [`k${i}`, v]));
    const objects = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', labels: { enabled: 'on' } }, data },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'two' },
        data: { quote: `it's "x"`, multi: 'a\nb\n' },
      },
    ];
    const read = kubectlReads(toYamlDocuments(objects));
    expect(read.map((o) => (o as { data: unknown }).data)).toEqual(objects.map((o) => o.data));
    expect((read[0] as { metadata: { labels: unknown } }).metadata.labels).toEqual({
      enabled: 'on',
      read: 'back',
    });
  });

  test('a chart is rendered once; its objects are the ones chart.toJson() gives', () => {
    const chart = new Chart(new App(), 'c');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    const first = chartObjects(chart);
    expect(chartObjects(chart)).toBe(first);
    expect(first).toEqual(chart.toJson());
  });
});
