import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import * as kms from 'aws-cdk-lib/aws-kms';
import { GuardDutyEks, GUARDDUTY_EKS_FEATURES } from '../../lib/constructs/guardduty';

const DETECTOR_ID = '12abc34d567e8fa901bc2d34e56789f0';

function bare(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '111111111111', region: 'eu-west-1' },
  });
}

function stackWith(props: ConstructorParameters<typeof GuardDutyEks>[2]): Template {
  const stack = bare();
  new GuardDutyEks(stack, 'GuardDuty', props);
  return Template.fromStack(stack);
}

function logsKey(): kms.IKey {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'K', {
    env: { account: '111111111111', region: 'eu-west-1' },
  });
  return kms.Key.fromKeyArn(
    stack,
    'Key',
    'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  );
}

describe('GuardDutyEks |', () => {
  test('EKS-DET-012: mode create makes a retained detector with EKS audit logs and runtime monitoring with the managed agent', () => {
    const t = stackWith({ mode: 'create' });
    t.hasResource('AWS::GuardDuty::Detector', {
      DeletionPolicy: 'Retain',
      Properties: {
        Enable: true,
        FindingPublishingFrequency: 'FIFTEEN_MINUTES',
        Features: [
          { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
          {
            Name: 'RUNTIME_MONITORING',
            Status: 'ENABLED',
            AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
          },
        ],
      },
    });
    expect(GUARDDUTY_EKS_FEATURES.map((f) => f.name)).toEqual(['EKS_AUDIT_LOGS', 'RUNTIME_MONITORING']);
  });

  test('EKS-DET-012: mode existing updates the given detector, scoped to it, and makes no call on delete', () => {
    const t = stackWith({
      mode: 'existing',
      detectorId: DETECTOR_ID,
      logsKey: logsKey(),
      logGroupName: '/hardened-eks/x/guardduty-features',
    });
    t.resourceCountIs('AWS::GuardDuty::Detector', 0);
    const [custom] = Object.values(t.findResources('Custom::GuardDutyEksFeatures')) as any[];
    const create = JSON.parse(JSON.stringify(custom.Properties.Create));
    const text = JSON.stringify(create);
    expect(text).toContain('"service\\":\\"GuardDuty\\"');
    expect(text).toContain('UpdateDetector');
    expect(text).toContain(DETECTOR_ID);
    expect(text).toContain('EKS_ADDON_MANAGEMENT');
    expect(custom.Properties.Update).toEqual(custom.Properties.Create);
    expect(custom.Properties.Delete).toBeUndefined();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'guardduty:UpdateDetector',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  `:guardduty:eu-west-1:111111111111:detector/${DETECTOR_ID}`,
                ],
              ],
            },
          },
        ],
      },
    });
    t.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        LogGroupName: '/hardened-eks/x/guardduty-features',
        KmsKeyId: Match.anyValue(),
      }),
    });
  });

  test('mode create passes both cdk-nag packs without acknowledgements', () => {
    const stack = bare();
    new GuardDutyEks(stack, 'GuardDuty', { mode: 'create' });
    for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) {
      expect(pack.validateScope(stack).violations.filter((v) => v.severity === 'error')).toEqual([]);
    }
  });

  test('mode off creates nothing', () => {
    const t = stackWith({ mode: 'off' });
    expect(Object.keys(t.toJSON().Resources ?? {})).toEqual([]);
  });

  test('mode existing without a detector id is refused', () => {
    expect(() => stackWith({ mode: 'existing' })).toThrow(/GuardDutyExistingNeedsDetector/);
  });
});
