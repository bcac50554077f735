import type { Construct } from 'constructs';
import { BlueprintKey } from '../constructs/blueprint-key';
import { PrivateVpc } from '../constructs/private-vpc';
import { logGroupNames } from '../naming';
import { BlueprintStack, type BlueprintStackProps } from './blueprint-stack';

/** Log groups the logs key may encrypt: defined in the naming module, re-exported for existing importers. */
export { logGroupNames };

/** The environment's network: a private VPC with endpoints and flow logs, and the logs KMS key. */
export class NetworkStack extends BlueprintStack {
  public readonly network: PrivateVpc;
  public readonly logsKey: BlueprintKey;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const names = logGroupNames(env.clusterName);
    this.logsKey = new BlueprintKey(this, 'LogsKey', {
      purpose: 'logs',
      aliasPrefix: env.clusterName,
      pendingWindowDays: env.kmsKeyPendingWindowDays,
      logGroupNames: names.patterns,
    });
    this.network = new PrivateVpc(this, 'Network', {
      cidr: env.vpcCidr,
      maxAzs: env.availabilityZones.length,
      availabilityZoneIds: env.availabilityZoneIds,
      egress: env.egress,
      logsKey: this.logsKey.key,
      flowLogGroupName: names.flowLogs,
      logRetentionDays: env.logRetentionDays,
    });
  }
}
