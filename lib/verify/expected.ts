import { declaredDeviationsOf } from '../compliance/deviations';
import type { EnvironmentConfig } from '../config';
import { ACCESS_POLICIES } from '../constructs/cluster-access';
import { GUARDDUTY_EKS_FEATURES } from '../constructs/guardduty';
import { MANAGED_ADDONS } from '../constructs/managed-addons';
import { keyAlias, logGroupNames, stackName, type KeyPurpose } from '../naming';

/** One access entry the blueprint creates: who, which Kubernetes group, which EKS access policy. */
export interface ExpectedAccessEntry {
  readonly principalArn: string;
  readonly kubernetesGroups: readonly string[];
  /**
   * Associated EKS access policies as `<PolicyName>@cluster` or `<PolicyName>@namespace:<ns>[,<ns>...]`;
   * empty for an RBAC-only entry (groups bound by the baseline's RoleBindings).
   */
  readonly accessPolicies: readonly string[];
}

export interface ExpectedAddon {
  readonly name: string;
  /** The pinned version from config; unset means any version EKS supports for the cluster. */
  readonly version?: string;
  /** The add-on must carry a Pod Identity association (EKS-IAM-005). */
  readonly podIdentity: boolean;
}

/**
 * What a deployed environment must look like, derived from the same resolved config the stacks are built
 * from, so `verify` and `cdk deploy` can never disagree about the intent.
 */
export interface ExpectedCluster {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly clusterName: string;
  /** The cluster stack (`<org>-<env>-cluster`), whose outputs name the kubectl provider role. */
  readonly clusterStackName: string;
  readonly kubernetesVersion: string;
  /** Empty: public endpoint access must be off. */
  readonly publicEndpointCidrs: readonly string[];
  readonly keyAliases: {
    readonly secrets: string;
    readonly ebs: string;
    readonly logs: string;
    /** The detection stack's key for the image repositories (EKS-IMG-003). */
    readonly images: string;
  };
  readonly controlPlaneLogGroup: string;
  readonly logRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly accessEntries: readonly ExpectedAccessEntry[];
  /** `name` as in config; `eksName` as EKS knows it (with the replacement hash, lib/naming.ts). */
  readonly nodeGroups: readonly {
    readonly name: string;
    readonly eksName: string;
    readonly arch: 'x86_64' | 'arm64';
    readonly minSize: number;
    readonly desiredSize: number;
  }[];
  readonly addons: readonly ExpectedAddon[];
  readonly minSsmAgentVersion: string;
  /**
   * GuardDuty features that must be enabled, `NAME` or `NAME/ADDITIONAL_CONFIG`; empty (detection's
   * `guardDuty.mode` "off"): not checked.
   */
  readonly guardDutyFeatures: readonly string[];
  /**
   * The ECR repositories the detection stack creates (`detection.images`): the registry
   * (`<account>.dkr.ecr.<region>.amazonaws.com`) and full repository names; no names: not checked.
   */
  readonly imageRepositories: { readonly registry: string; readonly names: readonly string[] };
}

/** `NAME` and `NAME/ADDITIONAL_CONFIG` of the features the detection stack turns on. */
function guardDutyFeatureNames(): string[] {
  return GUARDDUTY_EKS_FEATURES.flatMap((f) => [
    f.name,
    ...('additionalConfiguration' in f ? f.additionalConfiguration.map((c) => `${f.name}/${c.name}`) : []),
  ]);
}

/** Add-ons that call AWS and therefore carry their own Pod Identity role (see ManagedAddons). */
const POD_IDENTITY_ADDONS = new Set(['vpc-cni', 'aws-ebs-csi-driver']);

export function expectedClusterOf(env: EnvironmentConfig): ExpectedCluster {
  const alias = (purpose: KeyPurpose) => keyAlias(env.clusterName, purpose);
  // Weakenings come from the one list config is checked against (lib/compliance/deviations.ts).
  const declared = declaredDeviationsOf(env);
  return {
    environment: env.name,
    account: env.account,
    region: env.region,
    clusterName: env.clusterName,
    clusterStackName: stackName(env, 'cluster'),
    kubernetesVersion: env.kubernetesVersion,
    publicEndpointCidrs: [...declared.publicEndpointCidrs],
    keyAliases: {
      secrets: alias('secrets'),
      ebs: alias('ebs'),
      logs: alias('logs'),
      images: alias('images'),
    },
    controlPlaneLogGroup: logGroupNames(env.clusterName).controlPlane,
    logRetentionDays: env.logRetentionDays,
    deletionProtection: declared.clusterDeletionProtection,
    accessEntries: [
      ...env.adminRoleArns.map((principalArn) => ({
        principalArn,
        kubernetesGroups: [env.adminGroup],
        accessPolicies: [`${ACCESS_POLICIES.admin}@cluster`],
      })),
      ...env.viewerRoleArns.map((principalArn) => ({
        principalArn,
        kubernetesGroups: [env.viewerGroup],
        accessPolicies: [`${ACCESS_POLICIES.viewer}@cluster`],
      })),
      // Tenants get no EKS access policy: their groups' namespaced RBAC is all they have.
      ...env.tenants.flatMap((t) => [
        ...t.ownerRoleArns.map((principalArn) => ({
          principalArn,
          kubernetesGroups: [t.ownersGroup],
          accessPolicies: [],
        })),
        ...t.developerRoleArns.map((principalArn) => ({
          principalArn,
          kubernetesGroups: [t.developersGroup],
          accessPolicies: [],
        })),
      ]),
    ],
    nodeGroups: env.nodeGroups.map((g) => ({
      name: g.name,
      eksName: g.nodegroupName,
      arch: g.arch,
      minSize: g.minSize,
      desiredSize: g.desiredSize,
    })),
    addons: MANAGED_ADDONS.map((name) => ({
      name,
      ...(env.addonVersions[name] !== undefined ? { version: env.addonVersions[name] } : {}),
      podIdentity: POD_IDENTITY_ADDONS.has(name),
    })),
    minSsmAgentVersion: env.verify.minSsmAgentVersion,
    guardDutyFeatures: declared.guardDutyOff ? [] : guardDutyFeatureNames(),
    imageRepositories: {
      registry: env.detection.images.registry,
      names: [...env.detection.images.repositoryNames],
    },
  };
}
