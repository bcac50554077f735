import { Stack, type CfnElement } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type { PipelineStack } from '../stacks/pipeline-stack';
import { acknowledge } from './acknowledgements';

/**
 * cdk-nag acknowledgements of the CDK pipeline, applied once it is built (`buildPipeline()` creates the
 * roles, projects and bucket they name). Every grant below is written by aws-cdk-lib's CDK Pipelines and
 * reaches only the pipeline's own artifact bucket and key, its own CodeBuild logs and reports, and the
 * CDK bootstrap roles (EKS-DLV-005); the artifact bucket is covered by EKS-DLV-004.
 */
export function applyPipelineAcknowledgements(stack: PipelineStack): void {
  const pipeline = stack.pipeline;
  const { account, region } = stack;
  const bucket = pipeline.pipeline.artifactBucket;
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
  const artifacts =
    "CDK Pipelines grants object-level access to the pipeline's own artifact bucket and use of its key only; the wildcards are object keys and the S3/KMS action families one artifact transfer needs.";
  for (const id of [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    'Action::kms:ReEncrypt*',
    'Action::kms:GenerateDataKey*',
    `Resource::<${bucketId}.Arn>/*`,
  ])
    acknowledge(pipeline, `AwsSolutions-IAM5[${id}]`, { reason: artifacts, coveredBy: 'EKS-DLV-005' });

  const logs = (name: string) =>
    `Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/${name}:*`;
  const reports = (name: string) =>
    `Resource::arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/${name}-*`;
  const projects = stack.node.findAll().filter((c): c is codebuild.Project => c instanceof codebuild.Project);
  for (const project of projects) {
    const name = `<${Stack.of(project).getLogicalId(project.node.defaultChild as CfnElement)}>`;
    for (const id of [logs(name), reports(name)])
      acknowledge(project, `AwsSolutions-IAM5[${id}]`, {
        reason: 'A CodeBuild project writes its own log streams and test reports; their names are generated.',
        coveredBy: 'EKS-DLV-005',
      });
  }
  // The asset-publishing role serves every asset project of the pipeline, so it names them by wildcard.
  for (const id of [
    `Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/*`,
    `Resource::arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/*`,
  ])
    acknowledge(pipeline, `AwsSolutions-IAM5[${id}]`, {
      reason:
        "The asset-publishing role is shared by the pipeline's asset projects, whose names are generated.",
      coveredBy: 'EKS-DLV-005',
    });
  acknowledge(pipeline, `AwsSolutions-IAM5[Resource::arn:*:iam::${account}:role/*]`, {
    reason:
      'Self-mutation and asset publishing assume only roles tagged aws-cdk:bootstrap-role (the CDK bootstrap roles), by condition.',
    coveredBy: 'EKS-DLV-005',
  });
  acknowledge(pipeline, 'AwsSolutions-IAM5[Resource::*]', {
    reason:
      'cloudformation:DescribeStacks and s3:ListBucket support no narrower resource for the self-mutation and asset steps; both are read-only.',
    coveredBy: 'EKS-DLV-005',
  });
  acknowledge(pipeline, 'NIST.800.53.R5-IAMNoInlinePolicy', {
    reason: 'CDK Pipelines writes each role its own default policy, scoped to the step that uses it.',
    coveredBy: 'EKS-DLV-005',
  });

  const transient =
    'Pipeline artifacts are build outputs recreated from the repository on every run; the bucket is private, TLS-only and encrypted with a rotating customer-managed key.';
  for (const b of stack.artifactBuckets) {
    for (const rule of [
      'AwsSolutions-S1',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3BucketVersioningEnabled',
    ])
      acknowledge(b, rule, { reason: transient, coveredBy: 'EKS-DLV-004' });
    // A replication bucket (another region) has a generated physical name the pipeline role's grant names.
    if (b !== bucket)
      acknowledge(
        pipeline,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${stack.resolve(b.bucketName)}/*]`,
        {
          reason: artifacts,
          coveredBy: 'EKS-DLV-005',
        },
      );
  }
}
