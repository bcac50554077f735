import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { alarmTopicDisplayName, alarmTopicName } from '../naming';
import { BlueprintKey } from './blueprint-key';

export interface AlarmTopicProps {
  /**
   * Prefix of the topic's key alias and of the topic name, e.g. `acme-prod`. Only CloudWatch alarms whose
   * name starts with `<namePrefix>-` may publish.
   */
  readonly namePrefix: string;
  /**
   * Address subscribed to the topic (SNS sends it a confirmation mail first).
   * @default - no subscription; subscribe the on-call tool yourself
   */
  readonly email?: string;
  /**
   * Days KMS waits before deleting the key once deletion is scheduled.
   * @default 30
   */
  readonly keyPendingWindowDays?: number;
}

/**
 * The SNS topic security alarms and GuardDuty findings go to: encrypted with its own customer-managed key,
 * TLS-only, and publishable only by this account's alarms and by the EventBridge rules given to
 * {@link AlarmTopic.ruleTarget} (`aws:SourceAccount` / `aws:SourceArn` against the confused deputy), while
 * the key serves only this topic (control EKS-DET-010).
 */
export class AlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: BlueprintKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const topicName = alarmTopicName(props.namePrefix);
    this.key = new BlueprintKey(this, 'Key', {
      purpose: 'alarms',
      aliasPrefix: props.namePrefix,
      pendingWindowDays: props.keyPendingWindowDays,
      // Built from the name: the topic depends on the key, so the key cannot refer to the topic resource.
      snsTopicArn: stack.formatArn({ service: 'sns', resource: topicName }),
    });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName,
      displayName: alarmTopicDisplayName(props.namePrefix),
      masterKey: this.key.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${props.namePrefix}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }

  /**
   * An EventBridge target that publishes to the topic. Unlike aws-events-targets' `SnsTopic`, which admits
   * `events.amazonaws.com` for any rule of any account, the topic policy admits only the rule it is bound to.
   */
  public ruleTarget(): events.IRuleTarget {
    return {
      bind: (rule: events.IRule) => {
        this.topic.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: `EventRule${rule.node.addr.slice(0, 8)}Publishes`,
            principals: [new iam.ServicePrincipal('events.amazonaws.com')],
            actions: ['sns:Publish'],
            resources: [this.topic.topicArn],
            conditions: {
              StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
              ArnEquals: { 'aws:SourceArn': rule.ruleArn },
            },
          }),
        );
        return { arn: this.topic.topicArn, targetResource: this.topic };
      },
    };
  }
}
