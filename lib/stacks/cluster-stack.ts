import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Baseline, BaselineProps } from '../../charts';
import type { Construct } from 'constructs';
import { BlueprintKey } from '../constructs/blueprint-key';
import { BottlerocketNodeGroup } from '../constructs/bottlerocket-node-group';
import { ClusterAccess } from '../constructs/cluster-access';
import { EncryptedLogGroup } from '../constructs/encrypted-log-group';
import { InClusterBaseline } from '../constructs/in-cluster-baseline';
import { ManagedAddons } from '../constructs/managed-addons';
import { SsmOnlyNodeRole } from '../constructs/ssm-only-node-role';
import { VerifyPolicy } from '../constructs/verify-policy';
import { BlueprintStack, type BlueprintStackProps } from './blueprint-stack';
import { logGroupNames } from '../naming';
import type { NetworkStack } from './network-stack';

/** Every control-plane log type (CIS EKS 2.1.1). */
export const ALL_CONTROL_PLANE_LOG_TYPES = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

export interface ClusterStackProps extends BlueprintStackProps {
  readonly network: NetworkStack;
  /** The in-cluster baseline to apply, with the props it was built from. */
  readonly baseline: { readonly charts: Baseline; readonly props: BaselineProps };
}

/** The EKS cluster: private endpoint, encrypted secrets, full logging, Bottlerocket nodes, access entries. */
export class ClusterStack extends BlueprintStack {
  public readonly cluster: eks.Cluster;
  public readonly secretsKey: BlueprintKey;
  public readonly ebsKey: BlueprintKey;
  public readonly nodeRole: SsmOnlyNodeRole;
  public readonly nodeGroups: readonly BottlerocketNodeGroup[];
  public readonly addons: ManagedAddons;
  public readonly controlPlaneLogGroup: EncryptedLogGroup;
  public readonly inClusterBaseline: InClusterBaseline;
  public readonly verifyPolicy: VerifyPolicy;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { network } = props.network;
    const keyProps = { aliasPrefix: env.clusterName, pendingWindowDays: env.kmsKeyPendingWindowDays };
    this.secretsKey = new BlueprintKey(this, 'SecretsKey', { purpose: 'secrets', ...keyProps });
    this.ebsKey = new BlueprintKey(this, 'EbsKey', { purpose: 'ebs', ...keyProps });

    // EKS creates /aws/eks/<name>/cluster itself, unencrypted and kept forever, unless it already exists.
    this.controlPlaneLogGroup = new EncryptedLogGroup(this, 'ControlPlaneLogs', {
      logGroupName: logGroupNames(env.clusterName).controlPlane,
      encryptionKey: props.network.logsKey.key,
      retentionDays: env.logRetentionDays,
    });

    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: env.clusterName,
      version: eks.KubernetesVersion.of(env.kubernetesVersion),
      vpc: network.vpc,
      vpcSubnets: [network.nodeSubnets],
      endpointAccess:
        env.endpointAccess === 'private'
          ? eks.EndpointAccess.PRIVATE
          : eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...env.publicEndpointCidrs),
      secretsEncryptionKey: this.secretsKey.key,
      clusterLogging: ALL_CONTROL_PLANE_LOG_TYPES,
      // aws-eks-v2 defaults to Auto Mode; the blueprint runs its own Bottlerocket managed node groups.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      bootstrapClusterCreatorAdminPermissions: false,
      outputConfigCommand: false,
      // kubectl runs in a Lambda function inside the VPC (the endpoint is private). The v1.34 client
      // stays within kubectl's +/-1 version skew of every supported cluster version.
      kubectlProviderOptions: { kubectlLayer: new KubectlV34Layer(this, 'KubectlLayer') },
    });
    this.cluster.node.addDependency(this.controlPlaneLogGroup);
    const cfnCluster = this.cluster.node.defaultChild as eks.CfnCluster;
    cfnCluster.deletionProtection = env.clusterDeletionProtection;
    // GuardDuty's automated agent management skips a cluster with this tag (GuardDuty User Guide).
    if (env.detection.guardDuty.optOutOfManagedAgent) cfnCluster.tags.setTag('GuardDutyManaged', 'false');

    new ClusterAccess(this, 'Access', {
      cluster: this.cluster,
      admins: { roleArns: env.adminRoleArns, kubernetesGroup: env.adminGroup },
      viewers: { roleArns: env.viewerRoleArns, kubernetesGroup: env.viewerGroup },
      tenants: env.tenants.flatMap((t) => [
        { roleArns: t.ownerRoleArns, kubernetesGroup: t.ownersGroup },
        { roleArns: t.developerRoleArns, kubernetesGroup: t.developersGroup },
      ]),
    });

    this.nodeRole = new SsmOnlyNodeRole(this, 'NodeRole');
    this.nodeGroups = env.nodeGroups.map(
      (spec) =>
        new BottlerocketNodeGroup(this, `NodeGroup-${spec.name}`, {
          cluster: this.cluster,
          spec,
          nodeRole: this.nodeRole.role,
          subnets: network.nodeSubnets,
          volumeKey: this.ebsKey.key,
          cisLevel: env.cisLevel,
          podPidsLimit: env.podPidsLimit,
        }),
    );

    this.addons = new ManagedAddons(this, 'Addons', {
      cluster: this.cluster,
      ebsKey: this.ebsKey.key,
      versions: env.addonVersions,
      nodeGroups: this.nodeGroups,
    });

    this.inClusterBaseline = new InClusterBaseline(this, 'Baseline', {
      cluster: this.cluster,
      baseline: props.baseline.charts,
      props: props.baseline.props,
      secretsKey: this.secretsKey.key,
      logsKey: props.network.logsKey.key,
      logRetentionDays: env.logRetentionDays,
      externalSecretsChart: {
        repository: env.baseline.externalSecrets.chartRepository,
        version: env.baseline.externalSecrets.chartVersion,
      },
    });
    // Workloads need nodes and the CNI before the provider's apply can settle.
    for (const ng of this.nodeGroups) this.inClusterBaseline.node.addDependency(ng);
    this.verifyPolicy = new VerifyPolicy(this, 'VerifyPolicy', {
      clusterName: env.clusterName,
      imageRepositoryNames: env.detection.images.repositoryNames,
      roleArns: env.verify.auditorRoleArns,
    });
  }
}
