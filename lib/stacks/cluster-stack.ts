import { Annotations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Baseline, BaselineProps } from '../../charts';
import type { Construct } from 'constructs';
import { BlueprintKey } from '../constructs/blueprint-key';
import { BottlerocketNodeGroup } from '../constructs/bottlerocket-node-group';
import { ClusterAccess } from '../constructs/cluster-access';
import { EncryptedLogGroup } from '../constructs/encrypted-log-group';
import { InClusterBaseline } from '../constructs/in-cluster-baseline';
import { kubectlLayer } from '../constructs/kubectl-layer';
import { ManagedAddons } from '../constructs/managed-addons';
import { ServiceLinkedRole } from '../constructs/private/service-linked-role';
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
  /** Makes sure `AWSServiceRoleForAutoScaling` exists before the EBS key's policy names it. */
  public readonly autoScalingServiceLinkedRole: ServiceLinkedRole;
  public readonly nodeRole: SsmOnlyNodeRole;
  public readonly nodeGroups: readonly BottlerocketNodeGroup[];
  public readonly addons: ManagedAddons;
  public readonly controlPlaneLogGroup: EncryptedLogGroup;
  public readonly inClusterBaseline: InClusterBaseline;
  public readonly verifyPolicy: VerifyPolicy;
  /** The kubectl provider's access entry, in the deployer group (`deployerGroup`). */
  public readonly kubectlAccessEntry: eks.CfnAccessEntry;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { network } = props.network;
    const keyProps = { aliasPrefix: env.clusterName, pendingWindowDays: env.kmsKeyPendingWindowDays };
    this.secretsKey = new BlueprintKey(this, 'SecretsKey', { purpose: 'secrets', ...keyProps });
    this.autoScalingServiceLinkedRole = new ServiceLinkedRole(this, 'AutoScalingServiceLinkedRole', {
      serviceName: 'autoscaling.amazonaws.com',
      roleName: 'AWSServiceRoleForAutoScaling',
      logsKey: props.network.logsKey.key,
      logGroupName: logGroupNames(env.clusterName).serviceLinkedRoles,
      logRetentionDays: env.logRetentionDays,
    });
    this.ebsKey = new BlueprintKey(this, 'EbsKey', {
      purpose: 'ebs',
      ...keyProps,
      autoScalingServiceLinkedRole: this.autoScalingServiceLinkedRole,
    });

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
      // kubectl runs in a Lambda function inside the VPC (the endpoint is private). The version matrix
      // picks a client within kubectl's +/-1 version skew of the cluster's minor.
      kubectlProviderOptions: {
        kubectlLayer: kubectlLayer(this, 'KubectlLayer', env.kubernetes.kubectlLayer),
      },
    });
    this.cluster.node.addDependency(this.controlPlaneLogGroup);
    if (env.kubernetes.supportWarning) {
      Annotations.of(this.cluster).addWarningV2(
        'hardened-eks:kubernetes-extended-support',
        env.kubernetes.supportWarning,
      );
    }
    const cfnCluster = this.cluster.node.defaultChild as eks.CfnCluster;
    cfnCluster.deletionProtection = env.clusterDeletionProtection;
    // GuardDuty's automated agent management skips a cluster with this tag (GuardDuty User Guide).
    if (env.detection.guardDuty.optOutOfManagedAgent) cfnCluster.tags.setTag('GuardDutyManaged', 'false');

    new ClusterAccess(this, 'Access', {
      cluster: this.cluster,
      admins: { roleArns: env.adminRoleArns, kubernetesGroup: env.adminGroup },
      viewers: { roleArns: env.viewerRoleArns, kubernetesGroup: env.viewerGroup },
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
          kubernetesVersion: env.kubernetesVersion,
        }),
    );

    this.addons = new ManagedAddons(this, 'Addons', {
      cluster: this.cluster,
      ebsKey: this.ebsKey.key,
      versions: env.addonVersions,
      nodeGroups: this.nodeGroups,
    });

    // The kubectl provider's own access entry (aws-eks-v2 creates it, with the cluster-admin access policy
    // and no groups; a principal has one entry, so it is amended in place): its Kubernetes group is how the
    // admission policies tell the platform's own deploys from everyone else's.
    this.kubectlAccessEntry = this.cluster.node.findChild('ClusterAdminRoleAccess').node
      .defaultChild as eks.CfnAccessEntry;
    this.kubectlAccessEntry.kubernetesGroups = [env.deployerGroup];

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
    // Manifests need no nodes (kubectl apply does not wait for pods), but Helm waits for the operator's
    // pods to be ready: they need a node, and the VPC CNI add-on (the node role has no CNI policy; the
    // add-on's own Pod Identity role has).
    const operator = this.inClusterBaseline.externalSecretsOperator;
    for (const ng of this.nodeGroups) operator.node.addDependency(ng);
    operator.node.addDependency(this.addons.addons['vpc-cni']);
    this.verifyPolicy = new VerifyPolicy(this, 'VerifyPolicy', {
      clusterName: env.clusterName,
      imageRepositoryNames: env.detection.images.repositoryNames,
      roleArns: env.verify.auditorRoleArns,
      kubectlRoleArn: this.cluster.kubectlProvider?.role?.roleArn,
    });
  }
}
