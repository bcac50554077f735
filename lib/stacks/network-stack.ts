import type { Construct } from 'constructs';
import { BlueprintKey } from '../constructs/blueprint-key';
import { PrivateVpc } from '../constructs/private-vpc';
import { BlueprintStack, type BlueprintStackProps } from './blueprint-stack';

/** Log groups the logs key may encrypt: the control plane's, the VPC's flow logs and the node logs. */
export function logGroupNames(clusterName: string): {
  controlPlane: string;
  flowLogs: string;
  /** The deploy-time function that makes sure Auto Scaling's service-linked role exists. */
  serviceLinkedRoles: string;
  patterns: string[];
} {
  const controlPlane = `/aws/eks/${clusterName}/cluster`;
  const flowLogs = `/aws/vpc/flowlogs/${clusterName}`;
  return {
    controlPlane,
    flowLogs,
    serviceLinkedRoles: `/hardened-eks/${clusterName}/service-linked-roles`,
    patterns: [
      `/aws/eks/${clusterName}/*`,
      flowLogs,
      `/hardened-eks/${clusterName}/*`,
      `/aws/containerinsights/${clusterName}/*`,
    ],
  };
}

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
      egress: env.egress,
      logsKey: this.logsKey.key,
      flowLogGroupName: names.flowLogs,
      logRetentionDays: env.logRetentionDays,
    });
  }
}
