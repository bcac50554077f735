/**
 * About 125,000 objects in one file used to end in "Maximum call stack size exceeded" (a spread into
 * push()). Parsing that many objects takes longer than a unit test may, so the YAML decoder is replaced
 * here by one that hands back a list of 130,000 objects at once: what is tested is everything after it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderText } from '../../lib/admission/cli';
import { loadManifests } from '../../lib/admission/manifests';

const MANY = 130_000;
const MARKER = '# many objects\n';

jest.mock('../../lib/admission/yaml', () => {
  const actual = jest.requireActual('../../lib/admission/yaml');
  return {
    ...actual,
    decodeManifestText: (text: string) =>
      text === MARKER
        ? {
            documents: [
              {
                line: 1,
                column: 1,
                value: {
                  apiVersion: 'v1',
                  kind: 'ConfigMapList',
                  // One object many times over: building 130,000 distinct ones would cost more than the test.
                  items: new Array(MANY).fill({
                    apiVersion: 'v1',
                    kind: 'ConfigMap',
                    metadata: { name: 'c', namespace: 'team-a' },
                  }),
                },
                itemLines: Array.from({ length: MANY }, (_, i) => i + 4),
              },
            ],
            problems: [],
          }
        : actual.decodeManifestText(text),
  };
});

test('GIVEN 130,000 objects in one file THEN loading and reporting complete (no spread into push)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-large-'));
  try {
    const file = path.join(dir, 'many.yaml');
    fs.writeFileSync(file, MARKER);
    const loaded = await loadManifests([file]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.objects).toHaveLength(MANY);
    expect(loaded.objects[MANY - 1]).toMatchObject({ line: MANY + 3, object: { kind: 'ConfigMap' } });

    // Past loading, results are built and rendered one by one (map, loops), never spread into a call.
    const report = {
      environment: 'dev',
      results: loaded.objects.map((o) => ({
        ...o,
        kind: 'ConfigMap',
        name: '',
        namespace: '',
        allowed: true,
        violations: [],
        warnings: [],
      })),
      summary: { objects: loaded.objects.length, denied: 0, violations: 0 },
      skipped: [],
    };
    expect(renderText(report)).toBe(
      '130000 objects checked against environment dev: 0 denied, 0 violations\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
