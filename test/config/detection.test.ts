import { DEFAULT_AUDIT_ALARMS, resolveConfig } from '../../lib/config';
import { testContext, configErrorOf } from '../helpers';

const errorOf = configErrorOf;

const withDetection = (detection: unknown) => testContext({ detection });

describe('config | detection', () => {
  test('GIVEN no detection block WHEN resolved THEN safe defaults: alarms on, GuardDuty off, one repository', () => {
    const d = resolveConfig(testContext()).environments[0].detection;
    expect(d.alarms).toEqual(DEFAULT_AUDIT_ALARMS);
    expect(d.guardDuty).toEqual({ mode: 'off', optOutOfManagedAgent: false });
    expect(d.alarmEmail).toBeUndefined();
    expect(d.cloudTrailLogGroupName).toBeUndefined();
    expect(d.images).toEqual({
      registry: '111111111111.dkr.ecr.us-east-1.amazonaws.com',
      repositoryNames: ['acme-test/apps'],
      untaggedExpiryDays: 14,
      maxImageCount: 200,
    });
    expect(d.containerInsights).toEqual({ enabled: true });
    expect(Object.isFrozen(d.alarms.podExec)).toBe(true);
  });

  test('GIVEN org and environment detection layers WHEN resolved THEN they merge field by field and per alarm', () => {
    const ctx = {
      org: {
        account: '222222222222',
        region: 'eu-west-1',
        detection: {
          alarmEmail: 'secops@example.com',
          alarms: { secretReads: { threshold: 100, periodMinutes: 10 } },
          guardDuty: { mode: 'create' },
        },
      },
      environments: {
        prod: {
          detection: {
            alarms: { secretReads: { threshold: 20 } },
            guardDuty: { mode: 'existing', detectorId: '12abc34d567e8fa901bc2d34e56789f0' },
            cloudTrailLogGroupName: 'aws-cloudtrail-logs-222222222222',
            imageRepositories: ['api', 'team/worker'],
          },
        },
      },
    };
    const d = resolveConfig(ctx).environments[0].detection;
    expect(d.alarmEmail).toBe('secops@example.com');
    expect(d.alarms.secretReads).toEqual({ threshold: 20, periodMinutes: 10, evaluationPeriods: 1 });
    expect(d.alarms.podExec).toEqual(DEFAULT_AUDIT_ALARMS.podExec);
    expect(d.guardDuty).toEqual({
      mode: 'existing',
      detectorId: '12abc34d567e8fa901bc2d34e56789f0',
      optOutOfManagedAgent: false,
    });
    expect(d.cloudTrailLogGroupName).toBe('aws-cloudtrail-logs-222222222222');
    expect(d.images.repositoryNames).toEqual(['acme-prod/api', 'acme-prod/team/worker']);
  });

  test.each([
    [
      { alarms: { podExec: { threshold: 0 } } },
      'environments.test.detection.alarms.podExec.threshold: must be greater than 0',
      '(got 0)',
    ],
    [
      { alarms: { authFailures: { threshold: -5 } } },
      'environments.test.detection.alarms.authFailures.threshold: must be greater than 0',
      '(got -5)',
    ],
    [
      { alarmEmail: 'oncall-at-example.com' },
      'environments.test.detection.alarmEmail: must be an email address such as oncall@example.com',
      '(got "oncall-at-example.com")',
    ],
    [
      { guardDuty: { mode: 'existing' } },
      'environments.test.detection.guardDuty.detectorId: is required when guardDuty.mode is "existing"',
      'aws guardduty list-detectors',
    ],
    [
      { guardDuty: { mode: 'create', detectorId: '12abc34d567e8fa901bc2d34e56789f0' } },
      'environments.test.detection.guardDuty.detectorId: is only used with guardDuty.mode "existing"',
      '(got "12abc34d567e8fa901bc2d34e56789f0")',
    ],
    [
      { guardDuty: { mode: 'existing', detectorId: 'abc' } },
      'environments.test.detection.guardDuty.detectorId: must be a GuardDuty detector id',
      '(got "abc")',
    ],
    [
      { guardDuty: { mode: 'on' } },
      'environments.test.detection.guardDuty.mode: must be one of create, existing, off',
      '(got "on")',
    ],
    [
      { alarms: { podExec: { periodMinutes: 60, evaluationPeriods: 30 } } },
      'environments.test.detection.alarms.podExec.evaluationPeriods: times periodMinutes (60) must not exceed one day',
      '(got 30)',
    ],
    [
      { imageRepositories: ['Apps'] },
      'environments.test.detection.imageRepositories[0]: must be an ECR repository name',
      '(got "Apps")',
    ],
  ])(
    'GIVEN bad detection config %j WHEN resolved THEN one clear line names the field, value and fix',
    (detection, line, detail) => {
      const message = errorOf(withDetection(detection));
      const lines = message.split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Invalid blueprint config at ${line}`);
      expect(lines[0]).toContain(detail);
    },
  );

  test('GIVEN a misspelt alarm or field WHEN resolved THEN the error suggests the right name', () => {
    expect(errorOf(withDetection({ alarms: { podExecs: { threshold: 1 } } }))).toBe(
      'Invalid blueprint config at environments.test.detection.alarms.podExecs: is not a known field; did you mean "podExec"?',
    );
    expect(errorOf(withDetection({ alarms: { podExec: { treshold: 1 } } }))).toContain(
      'did you mean "threshold"?',
    );
    expect(errorOf(withDetection({ guardduty: { mode: 'off' } }))).toContain('did you mean "guardDuty"?');
  });

  test('GIVEN a detector id set in org WHEN the environment uses mode create THEN the org path is named', () => {
    const ctx = testContext({ detection: { guardDuty: { mode: 'create' } } }) as any;
    ctx.org = { ...ctx.org, detection: { guardDuty: { detectorId: '12abc34d567e8fa901bc2d34e56789f0' } } };
    expect(errorOf(ctx)).toContain(
      'Invalid blueprint config at org.detection.guardDuty.detectorId: is only used',
    );
  });
});
