import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CreateServiceLinkedRoleCommand, IAMClient, InvalidInputException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { BlueprintKey } from '../../lib/constructs/blueprint-key';
import { ServiceLinkedRole } from '../../lib/constructs/private/service-linked-role';
import { CfnWorld } from '../iam/cfn-resolver';

/*
 * A new account has no AWSServiceRoleForAutoScaling until Auto Scaling is first used, and KMS refuses a key
 * policy naming a principal that does not exist; AWS::IAM::ServiceLinkedRole fails where the role exists. The
 * EBS key therefore waits for a deploy-time call that creates the role and takes "already taken" as success.
 */

/** What the handler PUTs to CloudFormation's pre-signed response URL (https is mocked: no connection). */
const mockResponses: Array<Record<string, unknown>> = [];
jest.mock('https', () => ({
  request: (_options: unknown, callback: (res: unknown) => void) => {
    let body = '';
    return {
      on: () => undefined,
      write: (chunk: string) => {
        body += chunk;
      },
      end: () => {
        mockResponses.push(JSON.parse(body));
        callback({ statusCode: 200 });
      },
    };
  },
}));

const ASG_ROLE =
  'arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling';

function ebsKeyStack(): { stack: Stack; world: CfnWorld; template: Template } {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Keys', { env: { account: '111111111111', region: 'us-east-1' } });
  const logsKey = new kms.Key(stack, 'LogsKey');
  const slr = new ServiceLinkedRole(stack, 'AutoScalingServiceLinkedRole', {
    serviceName: 'autoscaling.amazonaws.com',
    roleName: 'AWSServiceRoleForAutoScaling',
    logsKey,
    logGroupName: '/hardened-eks/x/service-linked-roles',
    logRetentionDays: 365,
  });
  new BlueprintKey(stack, 'EbsKey', { purpose: 'ebs', aliasPrefix: 'x', autoScalingServiceLinkedRole: slr });
  return { stack, world: CfnWorld.fromApp(app), template: Template.fromStack(stack) };
}

describe('ServiceLinkedRole | fresh accounts', () => {
  const { world } = ebsKeyStack();
  const [stack] = world.stacks;
  const [ensure] = world.resources('Custom::ServiceLinkedRole');
  const ebsKey = world
    .resources('AWS::KMS::Key')
    .find((k) => String(k.resource.Properties?.Description).includes('EBS'))!;

  test('the EBS key is created after the resource that makes sure AWSServiceRoleForAutoScaling exists', () => {
    expect([ebsKey.resource.DependsOn].flat()).toContain(ensure.id);
  });

  test("the key keeps AWS's documented statements for Auto Scaling's role: key use via EC2, grants for AWS resources", () => {
    const statements = world.properties(ebsKey).KeyPolicy.Statement as Record<string, any>[];
    const forAsg = statements.filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ AWS: ASG_ROLE }),
    );
    expect(forAsg.map((s) => ({ Action: s.Action, Condition: s.Condition }))).toEqual([
      {
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } },
      },
      { Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    ]);
  });

  test('the deploy-time call creates exactly that role, never deletes it, and may do nothing else', () => {
    const props = world.properties(ensure);
    const create = JSON.parse(props.Create);
    expect(create).toMatchObject({
      service: 'IAM',
      action: 'CreateServiceLinkedRole',
      parameters: { AWSServiceName: 'autoscaling.amazonaws.com' },
      physicalResourceId: { id: 'AWSServiceRoleForAutoScaling' },
    });
    expect(JSON.parse(props.Update)).toEqual(create);
    expect(props.Delete).toBeUndefined();
    const policies = world
      .resources('AWS::IAM::Policy')
      .filter((p) => [ensure.resource.DependsOn].flat().includes(p.id));
    expect(policies).toHaveLength(1);
    expect(world.properties(policies[0]).PolicyDocument.Statement).toEqual([
      {
        Action: 'iam:CreateServiceLinkedRole',
        Effect: 'Allow',
        Resource: ASG_ROLE,
        Condition: { StringEquals: { 'iam:AWSServiceName': 'autoscaling.amazonaws.com' } },
      },
    ]);
    // The function talks to IAM only; it runs outside the VPC (no VpcConfig), even in isolated mode.
    const fns = world.resources('AWS::Lambda::Function');
    expect(fns.map((f) => f.resource.Properties?.VpcConfig)).toEqual([undefined]);
    expect(stack.stackName).toBe('Keys');
  });

  test('an ebs key without the service-linked role is refused at synth', () => {
    const s = new Stack(new App(), 'Bad', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(() => new BlueprintKey(s, 'EbsKey', { purpose: 'ebs', aliasPrefix: 'x' })).toThrow(
      /EbsKeyWithoutServiceLinkedRole/,
    );
  });

  describe("aws-cdk-lib's AwsCustomResource handler, run here with IAM mocked", () => {
    // The real handler that runs at deploy time, fed the resource's synthesized properties. It answers
    // CloudFormation with an HTTPS PUT to the pre-signed response URL; that call is captured.
    const iam = mockClient(IAMClient);
    beforeEach(() => {
      mockResponses.length = 0;
      iam.reset();
    });
    afterAll(() => iam.restore());

    async function deploy(): Promise<Record<string, unknown>> {
      const handlerFile = path.join(
        path.dirname(require.resolve('aws-cdk-lib')),
        'custom-resource-handlers/dist/custom-resources/aws-custom-resource-handler/index.js',
      );
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the handler aws-cdk-lib deploys
      const { handler } = require(handlerFile);
      const props = world.properties(ensure);
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        await handler(
          {
            RequestType: 'Create',
            ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/r',
            StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Keys/1',
            RequestId: 'r-1',
            LogicalResourceId: ensure.id,
            ResourceType: 'Custom::ServiceLinkedRole',
            ResourceProperties: props,
          },
          {},
        );
      } finally {
        log.mockRestore();
      }
      expect(mockResponses).toHaveLength(1);
      return mockResponses[0];
    }

    test('GIVEN a new account WHEN deployed THEN the role is created and CloudFormation told SUCCESS', async () => {
      iam.on(CreateServiceLinkedRoleCommand).resolves({ Role: undefined });
      expect(await deploy()).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'AWSServiceRoleForAutoScaling',
      });
      expect(iam.commandCalls(CreateServiceLinkedRoleCommand)[0].args[0].input).toEqual({
        AWSServiceName: 'autoscaling.amazonaws.com',
      });
    });

    test('GIVEN an account where the role exists WHEN deployed THEN "has been taken" is SUCCESS', async () => {
      iam.on(CreateServiceLinkedRoleCommand).rejects(
        new InvalidInputException({
          message:
            'Service role name AWSServiceRoleForAutoScaling has been taken in this account, please try a different suffix.',
          $metadata: { httpStatusCode: 400 },
        }),
      );
      expect(await deploy()).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'AWSServiceRoleForAutoScaling',
      });
    });

    test('GIVEN the deploy role lacks the permission WHEN deployed THEN the resource FAILS (no silent success)', async () => {
      const denied = Object.assign(new Error('not authorized to perform: iam:CreateServiceLinkedRole'), {
        name: 'AccessDenied',
      });
      iam.on(CreateServiceLinkedRoleCommand).rejects(denied);
      expect(await deploy()).toMatchObject({ Status: 'FAILED' });
    });
  });
});
