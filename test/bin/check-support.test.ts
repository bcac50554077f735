import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkSupport } from '../../bin/check-support';
import { testContext } from '../helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-support-'));
const configWith = (kubernetesVersion: string) => {
  const file = path.join(dir, `cdk-${kubernetesVersion}.json`);
  fs.writeFileSync(file, JSON.stringify({ context: { blueprint: testContext({ kubernetesVersion }) } }));
  return file;
};

describe('bin/check-support (the .ci/run rule for the shipped cdk.json) |', () => {
  test('GIVEN 1.36 on 2026-12-01 (standard support to 2027-08-02) THEN it passes', () => {
    expect(checkSupport(['--config', configWith('1.36'), '--date', '2026-12-01'], '2000-01-01')).toEqual({
      code: 0,
      lines: [],
    });
  });

  test('GIVEN 1.34 on 2026-12-01 (standard support ends 2026-12-02) THEN one line per environment, exit 1', () => {
    const file = configWith('1.34');
    expect(checkSupport(['--config', file, '--date', '2026-12-01'], '2000-01-01')).toEqual({
      code: 1,
      lines: [
        `${file}: environment test: kubernetesVersion 1.34 has 1 day(s) of EKS standard support left on 2026-12-01 (ends 2026-12-02), under the 60 required; move to a newer kubernetesVersion`,
      ],
    });
  });

  test('GIVEN 1.36 on 2027-06-10 (53 days before 2027-08-02) THEN it fails: the rule moves with the date', () => {
    expect(checkSupport(['--config', configWith('1.36'), '--date', '2027-06-10'], '2000-01-01').code).toBe(1);
    expect(checkSupport(['--config', configWith('1.36')], '2027-06-03').code).toBe(0);
  });
});
