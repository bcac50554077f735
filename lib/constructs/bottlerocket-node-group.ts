import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { NodeGroupConfig } from '../config';
import { renderBottlerocketSettings } from './bottlerocket/user-data';
import { BlueprintValidationError } from './private/errors';

/** Tag on each node group carrying its name in config (the EKS name has a hash suffix). */
export const NODE_GROUP_NAME_TAG = 'hardened-eks:node-group';

/** Bottlerocket's two volumes: the OS image and the data volume (container images, ephemeral storage). */
export const BOTTLEROCKET_OS_DEVICE = '/dev/xvda';
export const BOTTLEROCKET_DATA_DEVICE = '/dev/xvdb';

export interface BottlerocketNodeGroupProps {
  readonly cluster: eks.ICluster;
  /** Sizing, architecture, labels, taints and release pin of the group. */
  readonly spec: NodeGroupConfig;
  /** The node instance role (see SsmOnlyNodeRole). */
  readonly nodeRole: iam.IRole;
  /** Private subnets the nodes run in. */
  readonly subnets: ec2.SubnetSelection;
  /** Key both EBS volumes are encrypted with. */
  readonly volumeKey: kms.IKey;
  /** CIS Bottlerocket level of the node settings. */
  readonly cisLevel: 1 | 2;
  /** Kubelet pod PID limit. */
  readonly podPidsLimit: number;
  /**
   * Kubernetes minor of the nodes (the cluster's). Changing it rolls the group onto that minor's
   * Bottlerocket variant; EKS refuses the next control-plane upgrade until the groups match.
   */
  readonly kubernetesVersion: string;
}

/**
 * A managed node group of Bottlerocket nodes through a custom launch template: IMDSv2 only with hop limit
 * 1 (EKS-NODE-002), both volumes gp3 and encrypted with the EBS key (EKS-NODE-003), no SSH key and no
 * remote access (EKS-NODE-004), hardened Bottlerocket settings as plain TOML (EKS-NODE-005..008).
 *
 * Managed node groups never roll by themselves: bumping `spec.releaseVersion` or changing the launch
 * template creates a new version and rolls the nodes, at most `spec.maxUnavailable` at a time, and (unless
 * `spec.forceUpdate`) never past a PodDisruptionBudget. The group's EKS name is `spec.nodegroupName`, which
 * changes with every property that makes CloudFormation replace the group (lib/naming.ts#nodegroupName), so
 * the replacement is created next to the old group; the tag `hardened-eks:node-group` keeps the config name.
 */
export class BottlerocketNodeGroup extends Construct {
  public readonly nodegroup: eks.Nodegroup;
  public readonly launchTemplate: ec2.LaunchTemplate;

  constructor(scope: Construct, id: string, props: BottlerocketNodeGroupProps) {
    super(scope, id);
    const { spec } = props;
    if (spec.minSize > spec.maxSize || spec.desiredSize < spec.minSize || spec.desiredSize > spec.maxSize) {
      throw new BlueprintValidationError(
        'NodeGroupSizeOutOfRange',
        `node group "${spec.name}" needs minSize <= desiredSize <= maxSize, got ${spec.minSize}/${spec.desiredSize}/${spec.maxSize}`,
        this,
      );
    }

    const volume = (sizeGiB: number) =>
      ec2.BlockDeviceVolume.ebs(sizeGiB, {
        volumeType: ec2.EbsDeviceVolumeType.GP3,
        encrypted: true,
        kmsKey: props.volumeKey,
        deleteOnTermination: true,
      });

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      userData: ec2.UserData.custom(
        renderBottlerocketSettings({ cisLevel: props.cisLevel, podPidsLimit: props.podPidsLimit }),
      ),
      httpEndpoint: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      // Hop limit 1: the IMDS response cannot cross into a pod's network namespace, so pods cannot take
      // the node role's credentials.
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: false,
      blockDevices: [
        { deviceName: BOTTLEROCKET_OS_DEVICE, volume: volume(spec.osVolumeSizeGiB) },
        { deviceName: BOTTLEROCKET_DATA_DEVICE, volume: volume(spec.dataVolumeSizeGiB) },
      ],
    });

    this.nodegroup = new eks.Nodegroup(this, 'NodeGroup', {
      cluster: props.cluster,
      nodegroupName: spec.nodegroupName,
      nodeRole: props.nodeRole,
      subnets: props.subnets,
      amiType:
        spec.arch === 'arm64'
          ? eks.NodegroupAmiType.BOTTLEROCKET_ARM_64
          : eks.NodegroupAmiType.BOTTLEROCKET_X86_64,
      instanceTypes: spec.instanceTypes.map((t) => new ec2.InstanceType(t)),
      capacityType: spec.capacityType === 'SPOT' ? eks.CapacityType.SPOT : eks.CapacityType.ON_DEMAND,
      minSize: spec.minSize,
      maxSize: spec.maxSize,
      desiredSize: spec.desiredSize,
      maxUnavailable: spec.maxUnavailable,
      releaseVersion: spec.releaseVersion,
      // aws-eks-v2 defaults to true, which ends a roll by ignoring PodDisruptionBudgets once EKS's drain
      // attempt times out; false unless config declares the deviation (EKS-OPS-002).
      forceUpdate: spec.forceUpdate,
      labels: { ...spec.labels },
      taints: spec.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] })),
      launchTemplateSpec: {
        id: this.launchTemplate.launchTemplateId as string,
        version: this.launchTemplate.latestVersionNumber,
      },
    });
    // aws-eks-v2's Nodegroup has no version property; without Version a group stays on its minor.
    (this.nodegroup.node.defaultChild as eks.CfnNodegroup).version = props.kubernetesVersion;
    // The config name, for people and `verify` (EKS tags the instances with the EKS name only).
    Tags.of(this.nodegroup).add(NODE_GROUP_NAME_TAG, spec.name);
  }
}

const TAINT_EFFECTS: Record<NodeGroupConfig['taints'][number]['effect'], eks.TaintEffect> = {
  NoSchedule: eks.TaintEffect.NO_SCHEDULE,
  PreferNoSchedule: eks.TaintEffect.PREFER_NO_SCHEDULE,
  NoExecute: eks.TaintEffect.NO_EXECUTE,
};
