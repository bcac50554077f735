import * as fs from 'fs';
import * as path from 'path';
import { CONTROLS } from '../../lib/compliance/controls';
import { renderControlsMarkdown } from '../../lib/compliance/report';
import { resolveConfig } from '../../lib/config';
import { fixtureContext } from '../helpers';

const root = path.join(__dirname, '..', '..');

describe('control catalogue |', () => {
  test('ids are unique and every control maps to at least one framework', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONTROLS) {
      const refs = [
        ...(c.frameworks.cisEks ?? []),
        ...(c.frameworks.nsa ?? []),
        ...(c.frameworks.mitre ?? []),
      ];
      expect(refs.length).toBeGreaterThan(0);
    }
  });

  test.each(CONTROLS.map((c) => [c.id, c.provedBy] as const))(
    '%s is proved by a test that names it',
    (id, provedBy) => {
      const [file, title] = provedBy.split(' > ');
      const text = fs.readFileSync(path.join(root, file), 'utf-8');
      expect(title).toBe(id);
      expect(text).toMatch(new RegExp(`test(\\.each\\([^)]*\\))?\\(\\s*['\`]${id}:`));
    },
  );

  test('every enforcing source file exists', () => {
    for (const c of CONTROLS) {
      for (const ref of c.enforcedBy) {
        const file = ref.split('#')[0];
        if (!file.startsWith('lib/')) continue;
        const candidates = [file, `${file}.ts`, path.join(file, 'index.ts')];
        expect(candidates.some((f) => fs.existsSync(path.join(root, f)))).toBe(true);
      }
    }
  });

  test('docs/controls.md is current (run `npm run docs` after changing the catalogue)', () => {
    const expected = renderControlsMarkdown(CONTROLS, resolveConfig(fixtureContext()));
    expect(fs.readFileSync(path.join(root, 'docs', 'controls.md'), 'utf-8')).toBe(expected);
  });
});

describe('posture report | deviations', () => {
  test('weakening config values appear as deviations of the controls they weaken', () => {
    const { deviations } = jest.requireActual('../../lib/compliance/report');
    const { testContext } = jest.requireActual('../helpers');
    const shipped = deviations(resolveConfig(testContext())).map((d: { controlId: string }) => d.controlId);
    // GuardDuty is off by default (a detector is per account): the report must say so.
    expect(shipped).toContain('EKS-DET-012');
    const weakened = resolveConfig(
      testContext({
        admission: { warnOnlyPolicies: ['image-pinning'], allowPodExec: true },
        endpointAccess: 'public-and-private',
        publicEndpointCidrs: ['203.0.113.10/32'],
        cisLevel: 1,
      }),
    );
    const ids = deviations(weakened).map((d: { controlId: string }) => d.controlId);
    expect(ids).toEqual(
      expect.arrayContaining(['EKS-ADM-004', 'EKS-ADM-010', 'EKS-NET-001', 'EKS-NODE-008']),
    );
  });
});
