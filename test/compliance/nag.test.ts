import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { defaultBuild } from '../helpers';

describe('cdk-nag |', () => {
  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['NIST 800-53 rev 5', () => new NIST80053R5Checks()],
  ])('%s reports zero unacknowledged errors on every stack', (_name, pack) => {
    const b = defaultBuild();
    const report = pack().validateScope(b.app);
    const errors = report.violations
      .filter((v) => v.severity === 'error')
      .map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(errors).toEqual([]);
  });

  test('acknowledgements are load-bearing: without them the packs report errors', () => {
    const b = defaultBuild();
    // A fresh construct tree under the same app has no acknowledgements.
    const report = new AwsSolutionsChecks().validateScope(b.stacks.cluster.nodeRole);
    expect(report.success).toBe(true);
    const { acknowledge } = jest.requireActual('../../lib/compliance/acknowledgements');
    expect(() =>
      acknowledge(b.stacks.cluster, 'AwsSolutions-IAM5', { reason: 'x', coveredBy: 'NOPE-1' }),
    ).toThrow(/Unknown control id "NOPE-1"/);
  });
});
