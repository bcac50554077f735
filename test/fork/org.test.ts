import * as fs from 'fs';
import * as path from 'path';
import { ExtensionRegistry, loadOrgExtension } from '../../lib/extensions';

/*
 * The fork contract for org/index.ts: it loads, and every control a fork adds to the catalogue is proved
 * by a test under org/test/ whose title starts with the control's id, as upstream's controls are.
 */
const root = path.join(__dirname, '..', '..');
const org = loadOrgExtension(path.join(root, 'org'), { environments: [] });
const controls = org.controls ?? [];

describe('org/ contract |', () => {
  test('org/index.ts loads and its charts and controls fit the registry', () => {
    expect(() => ExtensionRegistry.with(org)).not.toThrow();
  });

  if (controls.length === 0) return;
  test.each(controls.map((c) => [c.id, c.provedBy] as const))(
    '%s is proved by an org/ test that names it',
    (id, provedBy) => {
      const [file, title] = provedBy.split(' > ');
      expect(file).toMatch(/^org\/test\/.+\.test\.ts$/);
      expect(title).toBe(id);
      expect(fs.readFileSync(path.join(root, file), 'utf-8')).toMatch(
        new RegExp(`test(\\.each\\([^)]*\\))?\\(\\s*['\`]${id}:`),
      );
    },
  );
});
