import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'fs';
import * as path from 'path';
import { VERIFY_ACTIONS, VERIFY_OUTPUTS, VerifyPolicy } from '../../lib/constructs/verify-policy';
import { defaultBuild } from '../helpers';

const AUDITOR = 'arn:aws:iam::111111111111:role/SecurityAuditor';

function policyOf(roleArns?: string[], imageRepositoryNames?: string[]) {
  // The built-in CloudFormation validation is test/compliance/synth.test.ts's: here it would only cost seconds.
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  new VerifyPolicy(stack, 'Verify', {
    clusterName: 'acme-prod',
    ...(roleArns ? { roleArns } : {}),
    ...(imageRepositoryNames ? { imageRepositoryNames } : {}),
  });
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
  return policy.Properties as {
    ManagedPolicyName: string;
    Roles?: unknown[];
    PolicyDocument: { Statement: { Sid: string; Action: string | string[]; Resource: unknown }[] };
  };
}

/** Every `service:Action` the verify code passes to call()/pages(), read from the source. */
function actionsCalledByVerify(): string[] {
  const dir = path.join(__dirname, '..', '..', 'lib', 'verify');
  const found = new Set<string>();
  for (const file of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf-8');
    for (const m of text.matchAll(/(?:call|pages)\(\s*'([a-z0-9]+:[A-Za-z]+)'/g)) found.add(m[1]);
  }
  return [...found].sort();
}

describe('VerifyPolicy |', () => {
  test('EKS-VER-004: read-only actions only, each covering an action verify calls, and nothing more', () => {
    const granted = Object.values(VERIFY_ACTIONS).flat().sort();
    expect(granted.every((a) => /^[a-z0-9]+:(Describe|List|Get)[A-Za-z]+$/.test(a))).toBe(true);
    expect(granted).toEqual(actionsCalledByVerify());
  });

  test('EKS-VER-004: cluster actions are scoped to the one cluster and keys to its aliases', () => {
    const statements = policyOf().PolicyDocument.Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(JSON.stringify(bySid.DescribeTheCluster.Resource)).toContain(':cluster/acme-prod"');
    expect(JSON.stringify(bySid.DescribeItsAddonsNodegroupsAccessEntries.Resource)).toContain(
      'addon/acme-prod/*',
    );
    expect(bySid.DescribeTheBlueprintKeys).toMatchObject({
      Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/acme-prod/*' } },
    });
    // Only the Describe actions without resource-level permissions get "*".
    const star = statements.filter((s) => s.Resource === '*').map((s) => s.Sid);
    expect(star).toEqual(['DescribeNodesAndSsmRegistration']);
  });

  test('EKS-VER-004: ECR reads are scoped to the configured repositories, and absent without them', () => {
    const statements = policyOf(undefined, ['acme-prod/apps', 'acme-prod/team/api']).PolicyDocument.Statement;
    const ecr = statements.find((s) => s.Sid === 'DescribeTheImageRepositories');
    expect(ecr?.Action).toEqual(['ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy']);
    expect(JSON.stringify(ecr?.Resource)).toContain(':ecr:us-east-1:111111111111:repository/acme-prod/apps"');
    expect(JSON.stringify(ecr?.Resource)).toContain(':repository/acme-prod/team/api"');
    expect(JSON.stringify(ecr?.Resource)).not.toContain('*');
    expect(policyOf().PolicyDocument.Statement.map((s) => s.Sid)).not.toContain(
      'DescribeTheImageRepositories',
    );
  });

  test('is named <cluster>-verify and attached to the configured auditor roles only', () => {
    expect(policyOf().ManagedPolicyName).toBe('acme-prod-verify');
    expect(policyOf().Roles).toBeUndefined();
    expect(policyOf([AUDITOR]).Roles).toEqual(['SecurityAuditor']);
  });

  test('EKS-VER-004: the stack outputs are read from the stack the policy lives in, and no other', () => {
    const statements = policyOf().PolicyDocument.Statement;
    const stack = statements.find((s) => s.Sid === 'ReadTheClusterStackOutputs');
    expect(stack?.Action).toBe('cloudformation:DescribeStacks');
    expect(JSON.stringify(stack?.Resource)).toContain(':cloudformation:us-east-1:111111111111:stack/S/*"');
  });

  test('EKS-IAM-002: the cluster stack publishes the role of exactly the access entry its kubectl provider has', () => {
    // GIVEN the synthesized cluster stack
    const template = defaultBuild().cluster;
    // THEN the output verify reads is the ARN of the role whose access entry aws-eks-v2 created for kubectl
    const output = template.toJSON().Outputs?.[VERIFY_OUTPUTS.kubectlRoleArn];
    expect(output?.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/KubectlProvider/), 'Arn'] });
    const entries = Object.values(template.findResources('AWS::EKS::AccessEntry')).map(
      (e) => e.Properties.PrincipalArn,
    );
    expect(entries).toContainEqual(output.Value);
    // And the policy lets verify read it from the cluster stack, by its name.
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find(
      (p) => p.Properties.ManagedPolicyName === 'acme-test-verify',
    );
    expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain(
      ':cloudformation:us-east-1:111111111111:stack/acme-test-cluster/*',
    );
  });
});
