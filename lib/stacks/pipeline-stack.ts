import { Duration, RemovalPolicy, Stack, Tags, type Stage, type StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import type { PipelineConfig, PipelineEnvironment } from '../config';
import { DEFAULT_MANIFEST_DIR } from '../manifests';

export interface PipelineStackProps extends StackProps {
  readonly pipeline: PipelineConfig;
  /** The stage holding each environment's stacks, by environment name. */
  readonly stages: ReadonlyMap<string, Stage>;
}

/** The Node.js major the CodeBuild steps run (the `aws/codebuild/standard:7.0` image offers it). */
export const PIPELINE_NODE_VERSION = '22';
/** The AWS CLI profile the verify step runs under: the environment's auditor role, assumed by CodeBuild. */
const VERIFY_PROFILE = 'verify';

/** `check` of one environment's GitOps manifests, as CI runs it. */
export function checkCommand(environment: string): string {
  return `npm run --silent check -- --env ${environment} ${DEFAULT_MANIFEST_DIR}/${environment}`;
}

/**
 * The commands of the pipeline's synth step: the same as a pull request's CI (install, synthesize with
 * cdk-nag and the control checks, `check` every environment's manifests), so the pipeline deploys only
 * what passed them.
 */
export function synthCommands(environments: readonly string[]): string[] {
  return ['npm run synth', ...environments.map(checkCommand)];
}

/** The commands of an environment's post-deploy `verify` step, under its auditor role. */
export function verifyCommands(environment: PipelineEnvironment): string[] {
  return [
    `aws configure set profile.${VERIFY_PROFILE}.role_arn ${environment.verifyRoleArn}`,
    `aws configure set profile.${VERIFY_PROFILE}.credential_source EcsContainer`,
    `npm run --silent verify -- --env ${environment.name} --region ${environment.region} --profile ${VERIFY_PROFILE}`,
  ];
}

/**
 * The optional CDK Pipelines delivery, for orgs that deploy from their own AWS account: source from a
 * CodeConnections connection, synth (with cdk-nag) and `check`, then the configured waves, each
 * environment behind a manual approval where config says `approval: true`, and `verify` after it deploys.
 * Artifacts are encrypted with a customer-managed key that rotates (also what environments in other
 * accounts need to read them). cdk-nag acknowledgements are applied by lib/compliance once the pipeline
 * is built (`applyPipelineAcknowledgements`).
 */
export class PipelineStack extends Stack {
  public readonly pipeline: pipelines.CodePipeline;
  /** The verify step of each environment, by name. */
  public readonly verifySteps: ReadonlyMap<string, pipelines.CodeBuildStep>;
  /** The manual approvals, by environment name. */
  public readonly approvals: ReadonlyMap<string, pipelines.ManualApprovalStep>;
  /** The artifact bucket, and the replication bucket of each other region the pipeline deploys to. */
  public readonly artifactBuckets: readonly s3.IBucket[];

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    const p = props.pipeline;
    super(scope, id, {
      ...props,
      env: { account: p.account, region: p.region },
      terminationProtection: props.terminationProtection ?? true,
      description: props.description ?? `${p.stackName}: CDK pipeline of ${p.repository} (hardened-eks)`,
    });
    Tags.of(this).add('blueprint:pipeline', p.stackName);

    const source = pipelines.CodePipelineSource.connection(p.repository, p.branch, {
      connectionArn: p.connectionArn,
    });
    const environments = p.waves.flat();
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: p.stackName,
      crossAccountKeys: true,
      enableKeyRotation: true,
      publishAssetsInParallel: false,
      synth: new pipelines.CodeBuildStep('Synth', {
        input: source,
        installCommands: ['npm ci'],
        commands: synthCommands(environments.map((e) => e.name)),
        primaryOutputDirectory: 'cdk.out',
      }),
      codeBuildDefaults: {
        buildEnvironment: {
          buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
          computeType: codebuild.ComputeType.MEDIUM,
          privileged: false,
        },
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          phases: { install: { 'runtime-versions': { nodejs: PIPELINE_NODE_VERSION } } },
        }),
        timeout: Duration.hours(1),
      },
    });

    const verifySteps = new Map<string, pipelines.CodeBuildStep>();
    const approvals = new Map<string, pipelines.ManualApprovalStep>();
    p.waves.forEach((wave, i) => {
      const w = this.pipeline.addWave(`wave-${i + 1}`);
      for (const env of wave) {
        const stage = props.stages.get(env.name);
        if (!stage) throw new Error(`no stage was built for environment ${env.name}`);
        const approval = env.approval
          ? new pipelines.ManualApprovalStep(`approve-${env.name}`, {
              comment: `Deploy ${env.name} (${env.account}/${env.region})? cdk.json marks it approval: true.`,
            })
          : undefined;
        if (approval) approvals.set(env.name, approval);
        const verify = new pipelines.CodeBuildStep(`verify-${env.name}`, {
          input: source,
          installCommands: ['npm ci'],
          commands: verifyCommands(env),
          rolePolicyStatements: [
            new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [env.verifyRoleArn] }),
          ],
        });
        verifySteps.set(env.name, verify);
        w.addStage(stage, { pre: approval ? [approval] : [], post: [verify] });
      }
    });
    this.verifySteps = verifySteps;
    this.approvals = approvals;
    // Built now, so the acknowledgements can reach the constructs CDK Pipelines creates.
    this.pipeline.buildPipeline();
    // Environments in other regions get a replication bucket in a support stack of their region.
    const pipeline = this.pipeline.pipeline;
    this.artifactBuckets = [
      pipeline.artifactBucket,
      ...Object.values(pipeline.crossRegionSupport)
        .map((s) => s.replicationBucket)
        .filter((b) => b !== pipeline.artifactBucket),
    ];
    // Artifact keys, like every key of the blueprint, outlive their stack (EKS-KMS-002); a replication
    // bucket names its key through an alias, so the keys are found in the stacks that hold them.
    const stacks = new Set([this, ...Object.values(pipeline.crossRegionSupport).map((s) => s.stack)]);
    for (const stack of stacks)
      for (const key of stack.node.findAll().filter((c): c is kms.Key => c instanceof kms.Key))
        key.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
