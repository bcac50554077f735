import * as fs from 'fs';
import * as path from 'path';
import { CONTROLS } from '../../../lib/compliance/controls';
import { CIS_EKS_GROUPS, CIS_EKS_RECOMMENDATIONS } from '../../../lib/compliance/evidence/frameworks/cis-eks';
import { NSA_CISA_SECTIONS } from '../../../lib/compliance/evidence/frameworks/nsa-cisa';
import {
  MITIGATIONS,
  TACTICS,
  TECHNIQUES,
  controlRole,
  techniquesOf,
} from '../../../lib/compliance/evidence/frameworks/threat-matrix';
import { ROOT } from './helpers';

/*
 * The framework data the report maps the catalogue onto. The CIS list is checked against kube-bench's own
 * eks-1.8.0 list (../shared/reference, beside the repository; the project never reads it at run time).
 */
const REFERENCE = path.join(ROOT, '..', 'shared', 'reference', 'kube-bench-eks-1.8.0.txt');
const haveReference = fs.existsSync(REFERENCE);

describe('evidence report | CIS Amazon EKS Benchmark 1.8 data', () => {
  if (!haveReference && process.env.CI) {
    test('the kube-bench reference list is beside the repository', () => {
      throw new Error(`${REFERENCE} is missing`);
    });
  }

  (haveReference ? test : test.skip)(
    'ids, titles and assessment types are kube-bench eks-1.8.0’s, in order',
    () => {
      const lines = fs.readFileSync(REFERENCE, 'utf-8').split('\n');
      const items = lines
        .map((l) => /^\| (\d+\.\d+\.\d+) \| (.+) \((Automated|Manual)\) \| type=(\w+) \|/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ id: m[1], title: m[2], assessment: m[4] === 'manual' ? 'manual' : 'automated' }));
      expect(items).toHaveLength(50);
      expect(
        CIS_EKS_RECOMMENDATIONS.map((r) => ({ id: r.id, title: r.title, assessment: r.assessment })),
      ).toEqual(items);
      const groups = lines
        .map((l) => /^##+ (\d+(?:\.\d+)?) (.+?)(?:\s{2}\(.+\))?$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null && m[1] !== '1')
        .map((m) => ({ id: m[1], title: m[2] }));
      expect(CIS_EKS_GROUPS).toEqual(groups);
    },
  );

  test('a recommendation claimed by the blueprint is named by at least one catalogue control', () => {
    const unnamed = CIS_EKS_RECOMMENDATIONS.filter(
      (r) => r.basis === 'blueprint' && !CONTROLS.some((c) => c.frameworks.cisEks?.includes(r.id)),
    ).map((r) => r.id);
    expect(unnamed).toEqual([]);
  });

  test('manual, kube-bench and not-met recommendations say how to evidence them or why', () => {
    for (const r of CIS_EKS_RECOMMENDATIONS.filter((x) => x.basis !== 'blueprint')) {
      expect(`${r.id}: ${r.note ?? ''}`.length).toBeGreaterThan(r.id.length + 30);
    }
  });

  test('every CIS reference in the catalogue is a recommendation or a group of the benchmark', () => {
    const known = new Set([...CIS_EKS_RECOMMENDATIONS.map((r) => r.id), ...CIS_EKS_GROUPS.map((g) => g.id)]);
    const unknown = CONTROLS.flatMap((c) =>
      (c.frameworks.cisEks ?? []).filter((ref) => !known.has(ref)).map((ref) => `${c.id}: ${ref}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe('evidence report | NSA/CISA and Threat Matrix data', () => {
  test('every NSA reference of the catalogue belongs to a section of the guide', () => {
    const mapped = new Set(NSA_CISA_SECTIONS.flatMap((s) => s.refs));
    const unmapped = CONTROLS.flatMap((c) => (c.frameworks.nsa ?? []).filter((ref) => !mapped.has(ref)));
    expect(unmapped).toEqual([]);
  });

  test('every MITRE id of the catalogue is a technique or mitigation of the matrix', () => {
    const unknown = CONTROLS.flatMap((c) =>
      (c.frameworks.mitre ?? []).filter((id) => !(id in TECHNIQUES) && !(id in MITIGATIONS)),
    );
    expect(unknown).toEqual([]);
  });

  test('the 10 tactics use known techniques, and every technique belongs to a tactic', () => {
    expect(TACTICS).toHaveLength(10);
    const used = new Set(TACTICS.flatMap((t) => t.techniques));
    expect([...used].filter((id) => !(id in TECHNIQUES))).toEqual([]);
    expect(Object.keys(TECHNIQUES).filter((id) => !used.has(id))).toEqual([]);
    for (const m of Object.values(MITIGATIONS))
      expect(m.techniques.every((id) => id in TECHNIQUES)).toBe(true);
  });

  test('a control naming techniques is placed by them; one naming only mitigations, by theirs', () => {
    expect(techniquesOf(['MS-TA9006', 'MS-M9010'])).toEqual(['MS-TA9006']);
    expect(techniquesOf(['MS-M9020'])).toEqual(['MS-TA9021', 'MS-TA9022']);
  });

  test('detection, logging and live-check controls are detective; the rest preventive', () => {
    expect(controlRole('EKS-DET-002')).toBe('detective');
    expect(controlRole('EKS-LOG-001')).toBe('detective');
    expect(controlRole('EKS-VER-001')).toBe('detective');
    expect(controlRole('EKS-K8S-LOG-001')).toBe('detective');
    expect(controlRole('EKS-VER-004')).toBe('preventive');
    expect(controlRole('EKS-ADM-010')).toBe('preventive');
  });
});
