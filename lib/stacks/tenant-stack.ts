import { RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import {
  tenantSecretsPrefix,
  tenantSecretsRoleName,
  tenantSecretsRolePath,
  type TenantManifests,
} from '../../charts';
import { manifestObjects } from '../../charts/render';
import type { TenantConfig } from '../config';
import { ClusterAccess } from '../constructs/cluster-access';
import { TenantSecretsRole } from '../constructs/tenant-secrets-role';
import { BlueprintStack, type BlueprintStackProps } from './blueprint-stack';
import type { ClusterStack } from './cluster-stack';

export interface TenantStackProps extends BlueprintStackProps {
  readonly tenant: TenantConfig;
  /** The cluster the tenant lives in: its kubectl provider applies the tenant's manifests. */
  readonly cluster: ClusterStack;
  /** The tenant's charts, built with the rest of the environment's baseline. */
  readonly manifests: TenantManifests;
}

/**
 * Everything one tenant owns, in a stack of its own so that adding, removing or reordering tenants never
 * moves another tenant's resources, and so that no template or custom resource grows with the number of
 * tenants: the SecretStore's IAM role, the access entries of the tenant's owners and developers, and the
 * tenant's manifests — the namespace (kept when the stack is deleted) and, once it exists, everything in it.
 * Deployed after the cluster stack, whose External Secrets release provides the CRDs the SecretStore needs.
 */
export class TenantStack extends BlueprintStack {
  public readonly tenant: TenantConfig;
  public readonly secretsRole: TenantSecretsRole;
  public readonly access: ClusterAccess;
  public readonly namespaceManifest: eks.KubernetesManifest;
  public readonly resourcesManifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: TenantStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const t = props.tenant;
    this.tenant = t;
    const { cluster } = props.cluster;
    // The operator's CRDs and the kubectl provider's access are in the cluster stack.
    this.addStackDependency(props.cluster);

    this.secretsRole = new TenantSecretsRole(this, 'SecretsRole', {
      tenant: t.name,
      roleName: tenantSecretsRoleName(env.clusterName, t.name),
      path: tenantSecretsRolePath(env.clusterName),
      secretsPrefix: tenantSecretsPrefix(env.name, t.name),
      region: env.region,
      account: env.account,
      controllerRole: props.cluster.inClusterBaseline.externalSecretsRole,
      secretsKey: props.cluster.secretsKey.key,
    });
    this.access = new ClusterAccess(this, 'Access', {
      cluster,
      tenants: [
        { roleArns: t.ownerRoleArns, kubernetesGroup: t.ownersGroup },
        { roleArns: t.developerRoleArns, kubernetesGroup: t.developersGroup },
      ],
    });

    this.namespaceManifest = new eks.KubernetesManifest(this, 'Namespace', {
      cluster,
      manifest: manifestObjects(props.manifests.namespace),
      // The namespace holds the tenant's workloads and data: removing the tenant must not delete it.
      removalPolicy: RemovalPolicy.RETAIN,
      // Applied, not created: a namespace that already exists (an earlier layout, or a tenant re-added)
      // is adopted instead of failing the deploy.
      overwrite: true,
    });
    this.resourcesManifest = new eks.KubernetesManifest(this, 'Resources', {
      cluster,
      manifest: manifestObjects(props.manifests.resources),
      overwrite: true,
    });
    this.resourcesManifest.node.addDependency(this.namespaceManifest);
  }
}
