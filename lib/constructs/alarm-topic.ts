import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { alarmTopicDisplayName, alarmTopicName } from '../naming';
import { BlueprintKey } from './blueprint-key';

export interface AlarmTopicProps {
  /** Prefix of the topic's key alias and of the topic name, e.g. `acme-prod`. */
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
 * The SNS topic security alarms and GuardDuty findings go to: encrypted with its own customer-managed key
 * whose policy admits CloudWatch alarms and EventBridge, TLS-only (control EKS-DET-010).
 */
export class AlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: BlueprintKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new BlueprintKey(this, 'Key', {
      purpose: 'alarms',
      aliasPrefix: props.namePrefix,
      pendingWindowDays: props.keyPendingWindowDays,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: alarmTopicName(props.namePrefix),
      displayName: alarmTopicDisplayName(props.namePrefix),
      masterKey: this.key.key,
      enforceSSL: true,
    });
    if (props.email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }
}
