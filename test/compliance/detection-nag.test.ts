import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { build, type Built } from '../helpers';

describe('cdk-nag | detection stack with GuardDuty "existing", an email subscription and CloudTrail', () => {
  // The default build has GuardDuty off; this mode adds the custom resource and its function.
  let b: Built;
  beforeAll(() => {
    b = build({
      detection: {
        guardDuty: { mode: 'existing', detectorId: '12abc34d567e8fa901bc2d34e56789f0' },
        alarmEmail: 'oncall@example.com',
        cloudTrailLogGroupName: 'aws-cloudtrail-logs-111111111111',
      },
    });
  });

  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['NIST 800-53 rev 5', () => new NIST80053R5Checks()],
  ])('%s reports zero unacknowledged errors on the detection stack', (_name, pack) => {
    expect(b.stacks.detection.guardDuty.updater).toBeDefined();
    const report = pack().validateScope(b.stacks.detection);
    const errors = report.violations
      .filter((v) => v.severity === 'error')
      .map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(errors).toEqual([]);
  });
});
