import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { buildBlueprint } from '../../lib/app';
import { applyPipelineAcknowledgements } from '../../lib/compliance/pipeline-acknowledgements';
import { checkTemplate, type CfnTemplate } from '../../lib/compliance/rules';
import { resolveConfig, type BlueprintConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/stacks/pipeline-stack';
import { configErrorOf, fixtureContext, TEST_APP_PROPS } from '../helpers';
import { normalizeTemplate } from '../support/snapshots';

const CONNECTION =
  'arn:aws:codeconnections:us-east-1:111111111111:connection/0c0a1e2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const AUDITOR = (account: string) => `arn:aws:iam::${account}:role/Auditor`;

/** dev in the pipeline's account, prod (approval: true) in another one: waves [dev], [prod]. */
function pipelineContext(pipeline: Record<string, unknown> = {}): Record<string, unknown> {
  const ctx = fixtureContext() as { org: unknown; environments: Record<string, Record<string, unknown>> };
  const dev = { ...ctx.environments.dev, verify: { auditorRoleArns: [AUDITOR('111111111111')] } };
  const prod = {
    ...dev,
    account: '222222222222',
    region: 'eu-west-1',
    adminRoleArns: ['arn:aws:iam::222222222222:role/PlatformAdmin'],
    viewerRoleArns: [],
    tenants: [],
    approval: true,
    verify: { auditorRoleArns: [AUDITOR('222222222222')] },
  };
  return {
    org: ctx.org,
    environments: { dev, prod },
    pipeline: { connectionArn: CONNECTION, repository: 'acme/platform', ...pipeline },
  };
}

/** The pipeline stack alone, over stages holding one small stack each: what the pipeline itself is. */
function pipelineOnly(config: BlueprintConfig, acknowledged = true): { app: App; stack: PipelineStack } {
  // The built-in CloudFormation validation is test/compliance/synth.test.ts's: here it would only cost seconds.
  const app = new App({ builtinCloudFormationValidation: false });
  const stages = new Map(
    config.environments.map((e) => {
      const stage = new Stage(app, `acme-${e.name}`, { env: { account: e.account, region: e.region } });
      new s3.Bucket(new Stack(stage, `acme-${e.name}-network`), 'Placeholder');
      return [e.name, stage];
    }),
  );
  const stack = new PipelineStack(app, config.pipeline!.stackName, { pipeline: config.pipeline!, stages });
  if (acknowledged) applyPipelineAcknowledgements(stack);
  return { app, stack };
}

describe('pipeline config |', () => {
  test('waves default to one environment each, in cdk.json order; the pipeline runs where the first does', () => {
    const config = resolveConfig(pipelineContext());
    expect(config.pipeline).toMatchObject({
      stackName: 'acme-pipeline',
      branch: 'main',
      account: '111111111111',
      region: 'us-east-1',
      waves: [
        [{ name: 'dev', approval: false, verifyRoleArn: AUDITOR('111111111111') }],
        [{ name: 'prod', account: '222222222222', approval: true, verifyRoleArn: AUDITOR('222222222222') }],
      ],
    });
  });

  test('a wave naming an unknown or repeated environment, or one without a verify role, is one line each', () => {
    expect(configErrorOf(pipelineContext({ waves: [['dev'], ['staging']] }))).toBe(
      'Invalid blueprint config at pipeline.waves[1][0]: is not an environment in blueprint.environments; use one of: dev, prod (got "staging")',
    );
    expect(configErrorOf(pipelineContext({ waves: [['dev', 'prod'], ['dev']] }))).toMatch(
      /^Invalid blueprint config at pipeline\.waves\[1\]\[0\]: is already deployed by an earlier wave/,
    );
    const ctx = pipelineContext() as { environments: Record<string, Record<string, unknown>> };
    delete ctx.environments.prod.verify;
    expect(configErrorOf(ctx)).toMatch(
      /^Invalid blueprint config at environments\.prod\.verify\.auditorRoleArns: is empty, but the pipeline runs verify/,
    );
    expect(configErrorOf(pipelineContext({ connectionArn: 'arn:aws:s3:::bucket' }))).toMatch(
      /^Invalid blueprint config at pipeline\.connectionArn: must be a CodeConnections connection ARN/,
    );
  });
});

describe('pipeline stack |', () => {
  const config = resolveConfig(pipelineContext());
  const { app, stack } = pipelineOnly(config);
  const template = Template.fromStack(stack);

  // For review of diffs (see test/stacks/snapshot.test.ts); the properties that matter are asserted below.
  test('snapshot of the pipeline stack', () => {
    expect(normalizeTemplate(template.toJSON())).toMatchSnapshot();
  });

  test('the same steps as CI: npm ci, synth (cdk-nag) and check of every environment', () => {
    const projects = template.findResources('AWS::CodeBuild::Project');
    const specs = Object.values(projects).map((p) => String(p.Properties.Source.BuildSpec));
    const synth = specs.find((s) => s.includes('npm run synth'));
    expect(synth).toBeDefined();
    for (const cmd of [
      'npm ci',
      'npm run synth',
      'npm run --silent check -- --env dev dist/manifests/dev',
      'npm run --silent check -- --env prod dist/manifests/prod',
    ])
      expect(synth).toContain(cmd);
  });

  test('EKS-DLV-003 (pipeline): a manual approval precedes only the environments marked approval: true', () => {
    expect([...stack.approvals.keys()]).toEqual(['prod']);
    const stages = template.findResources('AWS::CodePipeline::Pipeline');
    const [pipeline] = Object.values(stages);
    const names = pipeline.Properties.Stages as {
      Name: string;
      Actions: { Name: string; ActionTypeId: { Category: string } }[];
    }[];
    const wave2 = names.find((s) => s.Name === 'acme-prod');
    const wave1 = names.find((s) => s.Name === 'acme-dev');
    expect(wave2?.Actions.filter((a) => a.ActionTypeId.Category === 'Approval').map((a) => a.Name)).toEqual([
      'approve-prod',
    ]);
    expect(wave1?.Actions.some((a) => a.ActionTypeId.Category === 'Approval')).toBe(false);
  });

  test('EKS-DLV-004: artifacts are encrypted with a rotating key that is retained; the bucket is private and TLS-only', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
    // The blueprint's own control checks accept it, and the replication bucket's support stack (EKS-KMS-002).
    for (const s of app.node.children.filter((c): c is Stack => c instanceof Stack))
      expect(
        checkTemplate({ template: Template.fromStack(s).toJSON() as CfnTemplate, deviations: {} }),
      ).toEqual([]);
  });

  test('EKS-DLV-005: the self-mutation and asset roles may assume only the CDK bootstrap roles', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as {
          Action: unknown;
          Resource: unknown;
          Condition?: unknown;
        }[],
    );
    const assumes = statements.filter((s) => s.Action === 'sts:AssumeRole');
    expect(assumes.length).toBeGreaterThan(0);
    const bootstrap = /:iam::(111111111111|222222222222):role\/cdk-hnb659fds-deploy-role-/;
    for (const s of assumes) {
      const resource = JSON.stringify(s.Resource);
      if (resource.includes('role/*'))
        expect(s.Condition).toEqual({
          'ForAnyValue:StringEquals': { 'iam:ResourceTag/aws-cdk:bootstrap-role': expect.any(Array) },
        });
      // The pipeline's own action roles, in this stack.
      else if (resource.startsWith('{"Fn::GetAtt"')) expect(resource).toMatch(/Role[0-9A-F]{8}","Arn"\]\}$/);
      else if (typeof s.Resource === 'string')
        expect([AUDITOR('111111111111'), AUDITOR('222222222222')]).toContain(s.Resource);
      else expect(resource).toMatch(bootstrap);
    }
  });

  test('verify runs after each environment under its auditor role', () => {
    expect([...stack.verifySteps.keys()]).toEqual(['dev', 'prod']);
    const specs = Object.values(template.findResources('AWS::CodeBuild::Project')).map((p) =>
      String(p.Properties.Source.BuildSpec),
    );
    const verifyProd = specs.find((s) => s.includes('--env prod --region eu-west-1 --profile verify'));
    expect(verifyProd).toContain(`aws configure set profile.verify.role_arn ${AUDITOR('222222222222')}`);
  });

  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['NIST 800-53 rev 5', () => new NIST80053R5Checks()],
  ])('%s reports zero unacknowledged errors on the pipeline stack', (_name, pack) => {
    const errors = pack()
      .validateScope(stack)
      .violations.filter((v) => v.severity === 'error')
      .map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(errors).toEqual([]);
    // The replication bucket of prod's region lives in a support stack of its own.
    const support = app.node.children.filter((c) => c instanceof Stack && c !== stack);
    expect(support).toHaveLength(1);
    expect(
      pack()
        .validateScope(support[0])
        .violations.filter((v) => v.severity === 'error'),
    ).toEqual([]);
  });

  test('the acknowledgements are load-bearing: a fresh pipeline without them has errors', () => {
    const bare = pipelineOnly(config, false).stack;
    expect(new AwsSolutionsChecks().validateScope(bare).success).toBe(false);
  });
});

describe('pipeline composition |', () => {
  test('with a pipeline, each environment is a stage of <org>-<env>-* stacks; with -c env, no pipeline stack', () => {
    const app = new App(TEST_APP_PROPS);
    const [dev] = buildBlueprint(app, resolveConfig(pipelineContext(), 'dev'), { compliance: false });
    expect(dev.network.stackName).toBe('acme-dev-network');
    expect(Stage.of(dev.network)?.stageName).toBe('acme-dev');
    expect(app.node.tryFindChild('acme-pipeline')).toBeUndefined();
  });
});
