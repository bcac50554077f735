import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { checkTemplate, type CfnTemplate } from '../../lib/compliance/rules';
import { declaredDeviations } from '../../lib/compliance/blueprint-controls-plugin';
import { AlarmTopic } from '../../lib/constructs/alarm-topic';
import { AuditAlarms } from '../../lib/constructs/audit-alarms';
import { AuditQueries } from '../../lib/constructs/audit-queries';
import { AUDIT_ALARMS } from '../../lib/constructs/audit/audit-rules';
import { renderFilterPattern } from '../../lib/constructs/audit/filter-pattern';
import { ECR_PULL_ACTIONS } from '../../lib/constructs/image-repository';
import { DEFAULT_AUDIT_ALARMS } from '../../lib/config';
import { defaultBuild, resourcesOf, templateJson, type Built } from '../helpers';
import { CfnWorld } from '../iam/cfn-resolver';
import { evaluate } from '../iam/simulate';

let b: Built;
let t: Template;
beforeAll(() => {
  b = defaultBuild();
  t = Template.fromStack(b.stacks.detection);
});

/** A bare stack for construct-level cases that need other props than the default build. */
function bareStack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'Bare', {
    env: { account: '111111111111', region: 'us-east-1' },
  });
}

const CONTROL_PLANE_LOG_GROUP = '/aws/eks/acme-test/cluster';

/** Control ids the synth-time checks report for a (possibly weakened) detection template. */
function findings(template: CfnTemplate): string[] {
  return checkTemplate({ template, deviations: declaredDeviations(b.config) }).map((f) => f.controlId);
}

/** A copy of the detection template with its first resource of `type` changed by `weaken`. */
function weakened(
  type: string,
  weaken: (r: { Properties: Record<string, any>; DeletionPolicy?: string }) => void,
) {
  const json = templateJson(t);
  const [, r] = Object.entries(json.Resources).find(([, x]) => x.Type === type)!;
  weaken(r);
  return json as CfnTemplate;
}

function topicRef(): Record<string, unknown> {
  const [[topicId]] = resourcesOf(t, 'AWS::SNS::Topic');
  return { Ref: topicId };
}

describe('DetectionStack |', () => {
  test('the detection template passes every synth-time control check (log groups, keys)', () => {
    const template = t.toJSON() as CfnTemplate;
    expect(checkTemplate({ template, deviations: declaredDeviations(b.config) })).toEqual([]);
    expect(b.stacks.detection.stackName).toBe('acme-test-detection');
    expect(b.stacks.detection.dependencies.map((s) => s.stackName)).toContain('acme-test-cluster');
  });

  test('each audit metric filter uses the pattern rendered from its definition, on the control-plane log group', () => {
    const filters = resourcesOf(t, 'AWS::Logs::MetricFilter');
    expect(filters).toHaveLength(AUDIT_ALARMS.length);
    for (const def of AUDIT_ALARMS) {
      t.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: CONTROL_PLANE_LOG_GROUP,
        FilterName: def.metricName,
        FilterPattern: renderFilterPattern(def.condition),
        MetricTransformations: [
          Match.objectLike({
            MetricNamespace: 'HardenedEks/acme-test',
            MetricName: def.metricName,
            MetricValue: '1',
            DefaultValue: 0,
          }),
        ],
      });
    }
  });

  test('each alarm uses its configured threshold, period and missing-data treatment and notifies the topic', () => {
    for (const def of AUDIT_ALARMS) {
      const s = DEFAULT_AUDIT_ALARMS[def.id];
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `acme-test-audit-${def.metricName}`,
        MetricName: def.metricName,
        Namespace: 'HardenedEks/acme-test',
        Threshold: s.threshold,
        Period: s.periodMinutes * 60,
        EvaluationPeriods: s.evaluationPeriods,
        Statistic: 'Sum',
        ComparisonOperator: def.direction === 'high' ? 'GreaterThanOrEqualToThreshold' : 'LessThanThreshold',
        TreatMissingData: def.treatMissingData,
        AlarmActions: [topicRef()],
        OKActions: [topicRef()],
      });
    }
  });

  test('GIVEN thresholds from config WHEN the alarms are built THEN they are used', () => {
    const stack = bareStack();
    const topic = new AlarmTopic(stack, 'Topic', { namePrefix: 'x' });
    new AuditAlarms(stack, 'Alarms', {
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'Lg', '/aws/eks/x/cluster'),
      metricNamespace: 'HardenedEks/x',
      alarmNamePrefix: 'x',
      settings: {
        ...DEFAULT_AUDIT_ALARMS,
        secretReads: { threshold: 7, periodMinutes: 10, evaluationPeriods: 3 },
      },
      topic: topic.topic,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'x-audit-SecretReadsByWorkloadsAndPeople',
      Threshold: 7,
      Period: 600,
      EvaluationPeriods: 3,
    });
    const bad = bareStack();
    expect(
      () =>
        new AuditAlarms(bad, 'Alarms', {
          logGroup: logs.LogGroup.fromLogGroupName(bad, 'Lg', '/aws/eks/x/cluster'),
          metricNamespace: 'n',
          alarmNamePrefix: 'x',
          settings: {
            ...DEFAULT_AUDIT_ALARMS,
            podExec: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1 },
          },
          topic: new AlarmTopic(bad, 'Topic', { namePrefix: 'x' }).topic,
        }),
    ).toThrow(/AlarmThresholdNotPositive/);
  });

  test('EKS-DET-010: the alarm topic is KMS-encrypted with a rotating key CloudWatch and EventBridge may use, TLS-only', () => {
    const [[keyId]] = resourcesOf(t, 'AWS::KMS::Key').filter(([, k]) =>
      String(k.Properties.Description).includes('security alarms'),
    );
    t.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'acme-test-security-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    t.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        }),
      }),
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
    expect(findings(weakened('AWS::SNS::Topic', (r) => delete r.Properties.KmsMasterKeyId))).toContain(
      'EKS-DET-010',
    );
    // No email in the shipped config; one subscription when configured.
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    const stack = bareStack();
    new AlarmTopic(stack, 'Topic', { namePrefix: 'x', email: 'oncall@example.com' });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });

  test("EKS-DET-010: only this account's alarms and findings rule may publish, and the key serves only this topic (evaluated)", async () => {
    const world = CfnWorld.fromApp(b.app);
    const [topicPolicy] = world.resources('AWS::SNS::TopicPolicy');
    const [topicArn] = world.properties(topicPolicy).Topics as string[];
    expect(topicArn).toBe('arn:aws:sns:us-east-1:111111111111:acme-test-security-alarms');
    const policy = world.properties(topicPolicy).PolicyDocument;
    const key = world
      .resources('AWS::KMS::Key')
      .find((k) => String(k.resource.Properties?.Description).includes('security alarms'))!;
    const keyArn = world.getAtt(key.stack, key.id, 'Arn');
    const keyPolicy = world.properties(key).KeyPolicy;
    const rule = 'arn:aws:events:us-east-1:111111111111:rule/acme-test-guardduty-findings';
    const alarm = 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:acme-test-audit-PodExecAttachPortForward';
    const publish = (service: string, context: Record<string, string>) =>
      evaluate({
        principal: service,
        action: 'sns:Publish',
        resource: topicArn,
        resourcePolicy: policy,
        context: { 'aws:SecureTransport': 'true', ...context },
      });
    const from = (arn: string) => ({ 'aws:SourceArn': arn, 'aws:SourceAccount': arn.split(':')[4] });
    expect(await publish('events.amazonaws.com', from(rule))).toBe('Allowed');
    expect(await publish('cloudwatch.amazonaws.com', from(alarm))).toBe('Allowed');
    // Confused deputy: another account's rule or alarm, another rule or alarm of this account, no source.
    const denied = [
      await publish(
        'events.amazonaws.com',
        from('arn:aws:events:us-east-1:222222222222:rule/acme-test-guardduty-findings'),
      ),
      await publish('events.amazonaws.com', from('arn:aws:events:us-east-1:111111111111:rule/other')),
      await publish('events.amazonaws.com', {}),
      await publish(
        'cloudwatch.amazonaws.com',
        from('arn:aws:cloudwatch:us-east-1:222222222222:alarm:acme-test-x'),
      ),
      await publish(
        'cloudwatch.amazonaws.com',
        from('arn:aws:cloudwatch:us-east-1:111111111111:alarm:other-x'),
      ),
      await publish('cloudwatch.amazonaws.com', {}),
    ];
    expect(denied).toEqual(Array(6).fill('ImplicitlyDenied'));
    expect(await publish('events.amazonaws.com', { ...from(rule), 'aws:SecureTransport': 'false' })).toBe(
      'ExplicitlyDenied',
    );
    // The key: SNS uses it for this topic only (the encryption context SNS sets), for either publisher.
    const useKey = (service: string, action: string, topic?: string) =>
      evaluate({
        principal: service,
        action,
        resource: keyArn,
        resourcePolicy: keyPolicy,
        context: topic === undefined ? {} : { 'kms:EncryptionContext:aws:sns:topicArn': topic },
      });
    for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      expect(await useKey(service, 'kms:GenerateDataKey', topicArn)).toBe('Allowed');
      expect(await useKey(service, 'kms:Decrypt', topicArn)).toBe('Allowed');
      expect(await useKey(service, 'kms:GenerateDataKey', 'arn:aws:sns:us-east-1:222222222222:x')).toBe(
        'ImplicitlyDenied',
      );
      expect(await useKey(service, 'kms:GenerateDataKey')).toBe('ImplicitlyDenied');
    }
  });

  test('EKS-DET-011: at least seven saved queries over the control-plane log; access entries only with CloudTrail', () => {
    const queries = resourcesOf(t, 'AWS::Logs::QueryDefinition');
    expect(queries.length).toBeGreaterThanOrEqual(7);
    for (const [, q] of queries) {
      expect(q.Properties.Name).toMatch(/^acme-test\/security\//);
      expect(q.Properties.LogGroupNames).toEqual([CONTROL_PLANE_LOG_GROUP]);
    }
    const names = queries.map(([, q]) => q.Properties.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        'acme-test/security/exec-sessions',
        'acme-test/security/secret-reads',
        'acme-test/security/rbac-changes',
        'acme-test/security/admission-changes',
        'acme-test/security/failed-and-anonymous-by-ip',
        'acme-test/security/privileged-pods',
        'acme-test/security/policy-violations',
      ]),
    );
    expect(names).not.toContain('acme-test/security/access-entry-changes');

    const stack = bareStack();
    new AuditQueries(stack, 'Q', {
      clusterName: 'x',
      controlPlaneLogGroupName: '/aws/eks/x/cluster',
      cloudTrailLogGroupName: 'aws-cloudtrail-logs',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: 'x/security/access-entry-changes',
      LogGroupNames: ['aws-cloudtrail-logs'],
      QueryString: Match.stringLikeRegexp('CreateAccessEntry'),
    });
  });

  test('EKS-DET-013: GuardDuty findings about the cluster go to the alarm topic', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'acme-test-guardduty-findings',
      EventPattern: {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { resource: { eksClusterDetails: { name: ['acme-test'] } } },
      },
      Targets: [Match.objectLike({ Arn: topicRef() })],
    });
    // Default mode is off: no detector and no custom resource, the findings route stays.
    t.resourceCountIs('AWS::GuardDuty::Detector', 0);
    t.resourceCountIs('Custom::GuardDutyEksFeatures', 0);
  });

  test('EKS-DET-014: the CloudWatch Observability add-on runs with its own Pod Identity role and an encrypted log group', () => {
    const [[roleId]] = resourcesOf(t, 'AWS::IAM::Role').filter(([, r]) =>
      String(r.Properties.Description).includes('amazon-cloudwatch-observability'),
    );
    t.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'amazon-cloudwatch-observability',
      ClusterName: 'acme-test',
      PodIdentityAssociations: [
        { ServiceAccount: 'cloudwatch-agent', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      ],
      // Enhanced Container Insights only (no Application Signals), container logs off.
      ConfigurationValues:
        '{"agent":{"config":{"logs":{"metrics_collected":{"kubernetes":{"enhanced_container_insights":true}}}}},"containerLogs":{"enabled":false}}',
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp('amazon-cloudwatch-observability'),
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' } })]),
      }),
    });
    t.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        LogGroupName: '/aws/containerinsights/acme-test/performance',
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 365,
      }),
    });
  });

  test('EKS-DET-015: the security dashboard shows alarms, audit metrics, 4xx rates, denials, findings, nodes and versions', () => {
    const [[, dash]] = resourcesOf(t, 'AWS::CloudWatch::Dashboard');
    expect(dash.Properties.DashboardName).toBe('acme-test-security');
    // The body is a Fn::Join of strings and tokens (alarm ARNs); tokens become placeholders.
    const [, parts] = dash.Properties.DashboardBody['Fn::Join'];
    const body = JSON.parse(parts.map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
    const widgets: Array<{ type: string; properties: Record<string, any> }> = body.widgets;
    const byTitle = (title: string) => widgets.find((w) => w.properties.title === title)!;
    const metricsOf = (title: string) => JSON.stringify(byTitle(title).properties.metrics);

    expect(widgets.map((w) => w.type)).toEqual([
      'text',
      'alarm',
      'metric',
      'metric',
      'metric',
      'metric',
      'metric',
      'log',
    ]);
    expect(byTitle('Security alarms').properties.alarms).toHaveLength(AUDIT_ALARMS.length);
    const auditMetrics = metricsOf('Audit alarm metrics (events per 5 minutes)');
    for (const def of AUDIT_ALARMS.filter((a) => a.direction === 'high'))
      expect(auditMetrics).toContain(def.metricName);
    const api = metricsOf('API server 4xx / 429 / 5xx and 401+403 responses');
    expect(api).toContain('"AWS/EKS","apiserver_request_total_4XX","ClusterName","acme-test"');
    expect(api).toContain('UnauthorizedOrForbiddenResponses');
    expect(metricsOf('Admission denials (Pod Security, policies, webhooks)')).toContain('AdmissionDenials');
    expect(metricsOf('GuardDuty findings')).toContain(
      '"AWS/Events","MatchedEvents","RuleName","acme-test-guardduty-findings"',
    );
    expect(metricsOf('Nodes')).toContain(
      '"ContainerInsights","cluster_node_count","ClusterName","acme-test"',
    );
    const versions = byTitle('Node kubelet versions (from the audit log)').properties.query;
    expect(versions).toContain(`SOURCE '${CONTROL_PLANE_LOG_GROUP}'`);
    expect(versions).toContain('kubeletVersion');
  });

  test('EKS-IMG-001: repositories scan on push', () => {
    t.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'acme-test/apps',
      ImageScanningConfiguration: { ScanOnPush: true },
    });
    const w = weakened(
      'AWS::ECR::Repository',
      (r) => (r.Properties.ImageScanningConfiguration = { ScanOnPush: false }),
    );
    expect(findings(w)).toEqual(['EKS-IMG-001']);
  });

  test('EKS-IMG-002: image tags are immutable', () => {
    for (const [, r] of resourcesOf(t, 'AWS::ECR::Repository')) {
      expect(r.Properties.ImageTagMutability).toBe('IMMUTABLE');
    }
    const w = weakened('AWS::ECR::Repository', (r) => (r.Properties.ImageTagMutability = 'MUTABLE'));
    expect(findings(w)).toEqual(['EKS-IMG-002']);
  });

  test('EKS-IMG-003: repositories are KMS-encrypted with the images key, retained and have lifecycle rules', () => {
    const [[keyId]] = resourcesOf(t, 'AWS::KMS::Key').filter(([, k]) =>
      String(k.Properties.Description).includes('ECR'),
    );
    t.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      }),
    });
    expect(findings(weakened('AWS::ECR::Repository', (r) => delete r.DeletionPolicy))).toEqual([
      'EKS-IMG-003',
    ]);
    const [[, repo]] = resourcesOf(t, 'AWS::ECR::Repository');
    const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toEqual([
      expect.objectContaining({
        selection: expect.objectContaining({
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countNumber: 14,
        }),
      }),
      expect.objectContaining({
        selection: expect.objectContaining({
          tagStatus: 'any',
          countType: 'imageCountMoreThan',
          countNumber: 200,
        }),
      }),
    ]);
  });

  test('EKS-IMG-004: only the node role may pull; every other principal is denied', () => {
    const [[, repo]] = resourcesOf(t, 'AWS::ECR::Repository');
    const statements = repo.Properties.RepositoryPolicyText.Statement;
    const allow = statements.find((s: any) => s.Sid === 'ClusterNodesPull');
    const deny = statements.find((s: any) => s.Sid === 'NobodyElsePulls');
    expect(allow.Effect).toBe('Allow');
    expect(JSON.stringify(allow.Principal)).toContain('NodeRole');
    expect([...allow.Action].sort()).toEqual([...ECR_PULL_ACTIONS].sort());
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect([...deny.Action].sort()).toEqual([...ECR_PULL_ACTIONS].sort());
    expect(JSON.stringify(deny.Condition.ArnNotEquals['aws:PrincipalArn'])).toContain('NodeRole');
    expect(deny.Condition.Bool).toEqual({ 'aws:PrincipalIsAWSService': 'false' });
    expect(statements.filter((s: any) => s.Effect === 'Allow')).toHaveLength(1);
  });
});
