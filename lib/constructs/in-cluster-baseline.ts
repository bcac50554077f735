import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { externalSecretsHelmValues } from '../../charts/external-secrets';
import { manifestObjects } from '../../charts/render';
import {
  FLUENT_BIT_SERVICE_ACCOUNT,
  tenantSecretsRolePath,
  type Baseline,
  type BaselineProps,
} from '../../charts';
import { EncryptedLogGroup } from './encrypted-log-group';
import { PodIdentityRole } from './pod-identity-role';
import { secretArnPattern, secretReadStatements } from './secrets-read';

export interface InClusterBaselineProps {
  readonly cluster: eks.Cluster;
  /** The charts to apply, built once per environment (the same objects are written to dist/). */
  readonly baseline: Baseline;
  readonly props: BaselineProps;
  /** Key of Secrets Manager secrets and of the cluster's Secrets. */
  readonly secretsKey: kms.IKey;
  /** Key of the node-log group. */
  readonly logsKey: kms.IKey;
  readonly logRetentionDays: number;
  /** External Secrets chart source. */
  readonly externalSecretsChart: { readonly repository: string; readonly version: string };
}

/**
 * Applies the platform's in-cluster baseline through the cluster's kubectl provider and creates its AWS
 * side: the External Secrets controller's Pod Identity role (platform secrets, and assuming the tenant
 * store roles, which live in the tenants' own stacks), the Fluent Bit role and its KMS-encrypted log group.
 */
export class InClusterBaseline extends Construct {
  public readonly externalSecretsRole: iam.Role;
  public readonly externalSecretsPolicy: iam.ManagedPolicy;
  public readonly fluentBitRole: iam.Role;
  public readonly manifests: Readonly<Record<string, eks.KubernetesManifest>>;
  /** The External Secrets Operator release: its CRDs are what ExternalSecret objects wait for. */
  public readonly externalSecretsOperator: eks.HelmChart;

  constructor(scope: Construct, id: string, p: InClusterBaselineProps) {
    super(scope, id);
    const { cluster, props } = p;
    const stack = Stack.of(this);

    // The controller's own identity reads platform secrets and may only assume the tenant store roles.
    this.externalSecretsRole = new PodIdentityRole(this, 'ExternalSecretsRole', {
      description: 'External Secrets Operator controller: platform secrets, tenant store roles',
      clusterName: props.clusterName,
      namespace: props.externalSecrets.namespace,
      serviceAccount: props.externalSecrets.serviceAccount,
    }).role;
    // Attached from the policy side: the tenant roles trust this role, so the role must not depend on
    // a policy that names them. Tenant roles are matched by their IAM path, so a new tenant changes
    // nothing here; each still trusts this role by ARN, which is what makes the assumption possible.
    this.externalSecretsPolicy = new iam.ManagedPolicy(this, 'ExternalSecretsPolicy', {
      description: 'External Secrets Operator controller',
      roles: [this.externalSecretsRole],
      statements: [
        ...secretReadStatements({
          sid: 'ReadPlatformSecrets',
          secretArn: secretArnPattern(
            this,
            props.region,
            props.account,
            props.externalSecrets.platformPrefix,
          ),
          secretsKey: p.secretsKey,
          region: props.region,
        }),
        new iam.PolicyStatement({
          sid: 'AssumeTenantStoreRoles',
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          resources: [
            `arn:${stack.partition}:iam::${props.account}:role${tenantSecretsRolePath(props.clusterName)}*`,
          ],
        }),
      ],
    });
    new eks.CfnPodIdentityAssociation(this, 'ExternalSecretsPodIdentity', {
      clusterName: cluster.clusterName,
      namespace: props.externalSecrets.namespace,
      serviceAccount: props.externalSecrets.serviceAccount,
      roleArn: this.externalSecretsRole.roleArn,
    });

    const nodeLogs = new EncryptedLogGroup(this, 'NodeLogs', {
      logGroupName: props.fluentBit.logGroupName,
      encryptionKey: p.logsKey,
      retentionDays: p.logRetentionDays,
    });
    this.fluentBitRole = new PodIdentityRole(this, 'FluentBitRole', {
      description: 'Fluent Bit: ship node and container logs to one log group',
      clusterName: props.clusterName,
      namespace: props.fluentBit.namespace,
      serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
    }).role;
    new iam.ManagedPolicy(this, 'FluentBitPolicy', {
      description: 'Fluent Bit: write to the node-log group only',
      roles: [this.fluentBitRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteNodeLogs',
          actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [nodeLogs.logGroup.logGroupArn, `${nodeLogs.logGroup.logGroupArn}:log-stream:*`],
        }),
      ],
    });
    new eks.CfnPodIdentityAssociation(this, 'FluentBitPodIdentity', {
      clusterName: cluster.clusterName,
      namespace: props.fluentBit.namespace,
      serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
      roleArn: this.fluentBitRole.roleArn,
    });

    const manifests: Record<string, eks.KubernetesManifest> = {};
    for (const c of p.baseline.charts) {
      const namespaces = c.name === 'namespaces';
      // As `cluster.addCdk8sChart` does (same construct id under the cluster), with the chart rendered once
      // for this manifest and dist/.
      manifests[c.name] = new eks.KubernetesManifest(cluster, `Baseline-${c.name}`, {
        cluster,
        manifest: manifestObjects(c.chart),
        // Namespaces hold user data: deleting the stack must not delete them, and neither may an update
        // that no longer lists one (kubectl apply --prune would; a namespace leaving this chart, e.g. a
        // tenant's moving to its own stack, must survive).
        removalPolicy: namespaces ? RemovalPolicy.RETAIN : undefined,
        prune: namespaces ? false : undefined,
      });
    }
    const operator = new eks.HelmChart(this, 'ExternalSecretsOperator', {
      cluster,
      chart: 'external-secrets',
      release: 'external-secrets',
      repository: p.externalSecretsChart.repository,
      version: p.externalSecretsChart.version,
      namespace: props.externalSecrets.namespace,
      createNamespace: false,
      values: externalSecretsHelmValues(props),
      wait: true,
      timeout: Duration.minutes(15),
    });
    operator.node.addDependency(manifests.namespaces);
    this.externalSecretsOperator = operator;
    for (const c of p.baseline.charts) {
      if (c.requires.includes('namespaces')) manifests[c.name].node.addDependency(manifests.namespaces);
      if (c.requires.includes('external-secrets-crds')) manifests[c.name].node.addDependency(operator);
    }
    this.manifests = manifests;
  }
}
