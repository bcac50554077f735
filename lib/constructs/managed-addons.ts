import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IDependable } from 'constructs';
import { PodIdentityRole } from './pod-identity-role';

/** The EKS managed add-ons every cluster gets. */
export const MANAGED_ADDONS = [
  'vpc-cni',
  'kube-proxy',
  'eks-pod-identity-agent',
  'coredns',
  'aws-ebs-csi-driver',
] as const;
/** KMS actions for using a key on EBS volumes, spelled out (no wildcards). */
export const EBS_KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;
export type ManagedAddonName = (typeof MANAGED_ADDONS)[number];

export interface ManagedAddonsProps {
  readonly cluster: eks.ICluster;
  /** Key the EBS CSI driver encrypts persistent volumes with. */
  readonly ebsKey: kms.IKey;
  /**
   * Pinned add-on versions. An unpinned add-on gets EKS's default version for the cluster at creation and
   * is not upgraded until pinned.
   * @default - EKS default versions
   */
  readonly versions?: Readonly<Partial<Record<ManagedAddonName, string>>>;
  /** Add-ons that need running nodes (coredns, EBS CSI) wait for these. */
  readonly nodeGroups: readonly IDependable[];
}

/**
 * EKS managed add-ons. vpc-cni enforces NetworkPolicies (EKS-NET-005); add-ons that call AWS get their own
 * Pod Identity role (EKS-IAM-005), so the node role carries no CNI or EBS permissions.
 */
export class ManagedAddons extends Construct {
  public readonly addons: Readonly<Record<ManagedAddonName, eks.Addon>>;
  public readonly roles: Readonly<Partial<Record<ManagedAddonName, iam.IRole>>>;

  constructor(scope: Construct, id: string, props: ManagedAddonsProps) {
    super(scope, id);
    const versions = props.versions ?? {};
    const cni = new PodIdentityRole(this, 'VpcCniRole', {
      description: 'vpc-cni (aws-node): assign pod IPs',
      clusterName: props.cluster.clusterName,
      namespace: 'kube-system',
      serviceAccount: 'aws-node',
      managedPolicyNames: ['AmazonEKS_CNI_Policy'],
    });
    const cniRole = cni.role;
    const ebs = new PodIdentityRole(this, 'EbsCsiRole', {
      description: 'aws-ebs-csi-driver controller: encrypted persistent volumes',
      clusterName: props.cluster.clusterName,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      managedPolicyNames: ['service-role/AmazonEBSCSIDriverPolicy'],
    });
    const ebsRole = ebs.role;
    ebsRole.addManagedPolicy(
      new iam.ManagedPolicy(this, 'EbsCsiKeyPolicy', {
        description: 'aws-ebs-csi-driver: use and grant the EBS key for encrypted volumes',
        statements: [
          new iam.PolicyStatement({
            sid: 'UseTheEbsKey',
            actions: [...EBS_KEY_USE_ACTIONS],
            resources: [props.ebsKey.keyArn],
          }),
          new iam.PolicyStatement({
            sid: 'GrantTheEbsKeyToVolumes',
            actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
            resources: [props.ebsKey.keyArn],
            conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          }),
        ],
      }),
    );

    const make = (
      name: ManagedAddonName,
      opts: { config?: Record<string, unknown>; role?: iam.IRole; sa?: string },
    ) => {
      const addon = new eks.Addon(this, name, {
        cluster: props.cluster,
        addonName: name,
        addonVersion: versions[name],
        configurationValues: opts.config,
        preserveOnDelete: false,
      });
      const cfn = addon.node.defaultChild as eks.CfnAddon;
      // The cluster bootstraps self-managed vpc-cni/kube-proxy/coredns; the managed add-on takes them over.
      cfn.resolveConflicts = 'OVERWRITE';
      if (opts.role && opts.sa) {
        // The L2 Addon has no property for Pod Identity associations.
        cfn.podIdentityAssociations = [{ serviceAccount: opts.sa, roleArn: opts.role.roleArn }];
      }
      return addon;
    };

    const addons = {
      'vpc-cni': make('vpc-cni', {
        config: { enableNetworkPolicy: 'true', nodeAgent: { enablePolicyEventLogs: 'true' } },
        role: cniRole,
        sa: cni.target.serviceAccount,
      }),
      'kube-proxy': make('kube-proxy', {}),
      'eks-pod-identity-agent': make('eks-pod-identity-agent', {}),
      coredns: make('coredns', {}),
      'aws-ebs-csi-driver': make('aws-ebs-csi-driver', { role: ebsRole, sa: ebs.target.serviceAccount }),
    };
    // Pod Identity credentials must be servable before the add-ons that rely on them start.
    addons['vpc-cni'].node.addDependency(addons['eks-pod-identity-agent']);
    addons['aws-ebs-csi-driver'].node.addDependency(addons['eks-pod-identity-agent']);
    for (const ng of props.nodeGroups) {
      addons.coredns.node.addDependency(ng);
      addons['aws-ebs-csi-driver'].node.addDependency(ng);
    }
    this.addons = addons;
    this.roles = { 'vpc-cni': cniRole, 'aws-ebs-csi-driver': ebsRole };
  }
}
