import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { VERIFY_OUTPUTS } from '../constructs/verify-policy';
import { call, isErrorNamed } from './errors';
import type { ExpectedCluster } from './expected';

/** The kubectl provider role as the cluster stack publishes it, or why it could not be read. */
export type KubectlRole = { readonly roleArn: string } | { readonly unknown: string };

/**
 * The kubectl provider's role ARN from the cluster stack's output `KubectlProviderRoleArn`: the exact ARN
 * CloudFormation resolved for the role whose access entry aws-eks-v2 created.
 */
export async function describeKubectlRole(
  cfn: CloudFormationClient,
  expected: ExpectedCluster,
): Promise<KubectlRole> {
  const name = expected.clusterStackName;
  const key = VERIFY_OUTPUTS.kubectlRoleArn;
  let outputs: { OutputKey?: string; OutputValue?: string }[];
  try {
    const res = await call('cloudformation:DescribeStacks', () =>
      cfn.send(new DescribeStacksCommand({ StackName: name })),
    );
    outputs = res.Stacks?.[0]?.Outputs ?? [];
  } catch (err) {
    // CloudFormation answers a missing stack with ValidationError "Stack with id <name> does not exist".
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
    if (isErrorNamed(err, 'ValidationError') && /does not exist/.test(cause)) {
      return { unknown: `stack ${name} not found` };
    }
    throw err;
  }
  const value = outputs.find((o) => o.OutputKey === key)?.OutputValue;
  return value
    ? { roleArn: value }
    : { unknown: `stack ${name} has no output ${key} (deploy the cluster stack with this version)` };
}
