import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { secretArnPattern, secretReadStatements } from './secrets-read';

export interface TenantSecretsRoleProps {
  /** The tenant (its namespace). */
  readonly tenant: string;
  /** Role name: fixed, so the tenant's SecretStore names it without a CDK token. */
  readonly roleName: string;
  /** IAM path of every tenant store role of the cluster; the controller may assume roles under it only. */
  readonly path: string;
  /** Secrets Manager name prefix the tenant may read, e.g. `prod/team-a/`. */
  readonly secretsPrefix: string;
  readonly region: string;
  readonly account: string;
  /** The External Secrets controller's role: the only principal that may assume this one. */
  readonly controllerRole: iam.IRole;
  /** Key of the Secrets Manager secrets. */
  readonly secretsKey: kms.IKey;
}

/**
 * The IAM role a tenant's SecretStore assumes (EKS-K8S-TEN-002): trusted only by the External Secrets
 * controller's role (with session tags, as the operator passes them), allowed to read only the tenant's
 * own Secrets Manager prefix.
 */
export class TenantSecretsRole extends Construct {
  public readonly role: iam.Role;
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: TenantSecretsRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      path: props.path,
      description: `SecretStore of tenant ${props.tenant}: read ${props.secretsPrefix}*`,
      assumedBy: new iam.ArnPrincipal(props.controllerRole.roleArn).withSessionTags(),
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Tenant ${props.tenant}: its own Secrets Manager prefix only`,
      roles: [this.role],
      statements: secretReadStatements({
        sid: 'ReadTenantSecrets',
        secretArn: secretArnPattern(this, props.region, props.account, props.secretsPrefix),
        secretsKey: props.secretsKey,
        region: props.region,
      }),
    });
  }
}
