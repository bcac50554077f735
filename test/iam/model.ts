import type { App } from 'aws-cdk-lib';
import { awsManagedPolicy } from './aws-managed-policies';
import { CfnWorld, type LocatedResource } from './cfn-resolver';
import { evaluate, type Decision, type PolicyDocument, type Request } from './simulate';

/*
 * The IAM side of a synthesized app, across ALL its stacks, with every intrinsic resolved: roles with their
 * trust policy and every identity policy that applies to them (inline, attached managed, customer managed
 * policies that name the role, AWS managed policies from aws-managed-policies.ts), Pod Identity
 * associations, keys and repositories. Tests find roles by what they are for (the association that uses
 * them, their name from config, the node group that runs on them), never by construct path, so moving a
 * role to another stack changes nothing here.
 */

export interface RoleModel {
  readonly stackName: string;
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly description: string;
  readonly trust: PolicyDocument;
  readonly identityPolicies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
}

export interface PodIdentityUse {
  readonly role: RoleModel;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Where the association comes from: a `AWS::EKS::PodIdentityAssociation` or an add-on's. */
  readonly via: string;
  readonly disableSessionTags: boolean;
}

export interface ResourceWithPolicy {
  readonly stackName: string;
  readonly logicalId: string;
  readonly arn: string;
  readonly name: string;
  readonly policy: PolicyDocument | undefined;
  readonly properties: Record<string, any>;
}

/**
 * Namespaces EKS creates add-on service accounts in (EKS add-on documentation); an add-on's Pod Identity
 * association names only the service account.
 */
export const ADDON_NAMESPACES: Readonly<Record<string, string>> = {
  'vpc-cni': 'kube-system',
  'aws-ebs-csi-driver': 'kube-system',
  'amazon-cloudwatch-observability': 'amazon-cloudwatch',
};

export class IamModel {
  public readonly world: CfnWorld;
  public readonly roles: readonly RoleModel[];
  public readonly account: string;
  public readonly region: string;

  public static fromApp(app: App): IamModel {
    return new IamModel(CfnWorld.fromApp(app));
  }

  constructor(world: CfnWorld) {
    this.world = world;
    this.account = world.stacks[0].account;
    this.region = world.stacks[0].region;
    this.roles = world.resources('AWS::IAM::Role').map((r) => this.roleModel(r));
  }

  /** The one role with this ARN. */
  public roleByArn(arn: string): RoleModel {
    const role = this.roles.find((r) => r.arn === arn);
    if (role === undefined) throw new Error(`no role ${arn} in the app`);
    return role;
  }

  /** The one role named `name` (at any path). */
  public roleNamed(name: string): RoleModel {
    const found = this.roles.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one role named ${name}, found ${found.length}`);
    return found[0];
  }

  /** Roles whose trust policy admits `principal` (a service such as `ec2.amazonaws.com`, or a role ARN). */
  public rolesTrusting(principal: string): RoleModel[] {
    return this.roles.filter((r) => JSON.stringify(r.trust.Statement).includes(JSON.stringify(principal)));
  }

  /** Every Pod Identity association of the app: standalone ones and those of EKS add-ons. */
  public podIdentityUses(): PodIdentityUse[] {
    const clusterArn = (name: string) => `arn:aws:eks:${this.region}:${this.account}:cluster/${name}`;
    const standalone = this.world.resources('AWS::EKS::PodIdentityAssociation').map((r) => {
      const p = this.world.properties(r);
      return {
        role: this.roleByArn(p.RoleArn),
        clusterName: p.ClusterName,
        clusterArn: clusterArn(p.ClusterName),
        namespace: p.Namespace,
        serviceAccount: p.ServiceAccount,
        via: `${r.stack.stackName}/${r.id}`,
        disableSessionTags: p.DisableSessionTags === true,
      };
    });
    const fromAddons = this.world.resources('AWS::EKS::Addon').flatMap((r) => {
      const p = this.world.properties(r);
      return ((p.PodIdentityAssociations ?? []) as { ServiceAccount: string; RoleArn: string }[]).map((a) => {
        const namespace = ADDON_NAMESPACES[p.AddonName];
        if (namespace === undefined) throw new Error(`add-on ${p.AddonName}: its namespace is not recorded`);
        return {
          role: this.roleByArn(a.RoleArn),
          clusterName: p.ClusterName,
          clusterArn: clusterArn(p.ClusterName),
          namespace,
          serviceAccount: a.ServiceAccount,
          via: `add-on ${p.AddonName}`,
          // Add-on associations have no such switch: EKS always sets the session tags.
          disableSessionTags: false,
        };
      });
    });
    return [...standalone, ...fromAddons];
  }

  /** The Pod Identity role of one service account. */
  public podIdentityRole(namespace: string, serviceAccount: string): RoleModel {
    const uses = this.podIdentityUses().filter(
      (u) => u.namespace === namespace && u.serviceAccount === serviceAccount,
    );
    if (uses.length !== 1) throw new Error(`expected one association for ${namespace}/${serviceAccount}`);
    return uses[0].role;
  }

  /** The customer managed policy named `name`, resolved. */
  public managedPolicyNamed(name: string): PolicyDocument {
    const found = this.world
      .resources('AWS::IAM::ManagedPolicy')
      .filter((r) => this.world.properties(r).ManagedPolicyName === name);
    if (found.length !== 1) throw new Error(`expected one managed policy named ${name}`);
    return this.world.properties(found[0]).PolicyDocument;
  }

  public keys(): ResourceWithPolicy[] {
    return this.world.resources('AWS::KMS::Key').map((r) => {
      const properties = this.world.properties(r);
      return {
        stackName: r.stack.stackName,
        logicalId: r.id,
        arn: this.world.getAtt(r.stack, r.id, 'Arn'),
        name: String(properties.Description),
        policy: properties.KeyPolicy,
        properties,
      };
    });
  }

  public repositories(): ResourceWithPolicy[] {
    return this.world.resources('AWS::ECR::Repository').map((r) => {
      const properties = this.world.properties(r);
      return {
        stackName: r.stack.stackName,
        logicalId: r.id,
        arn: this.world.getAtt(r.stack, r.id, 'Arn'),
        name: properties.RepositoryName,
        policy: properties.RepositoryPolicyText,
        properties,
      };
    });
  }

  /**
   * AWS's decision for a request made by `role` (as one of its sessions), with its identity policies, the
   * global context AWS sets for a role session, and `extra` on top.
   */
  public async asRole(
    role: RoleModel,
    req: Omit<Request, 'principal' | 'identityPolicies'>,
  ): Promise<Decision> {
    const inArn = req.resource.split(':')[4];
    return evaluate({
      ...req,
      // ARNs without an account (S3) and `*`: the resource is taken to be in the role's own account.
      resourceAccount: req.resourceAccount ?? (/^\d{12}$/.test(inArn ?? '') ? inArn : this.account),
      principal: `arn:aws:sts::${this.account}:assumed-role/${role.name}/session`,
      identityPolicies: role.identityPolicies,
      context: {
        'aws:PrincipalArn': role.arn,
        'aws:PrincipalAccount': this.account,
        'aws:PrincipalIsAWSService': 'false',
        ...req.context,
      },
    });
  }

  private roleModel(r: LocatedResource): RoleModel {
    const p = this.world.properties(r);
    const name = this.world.ref(r.stack, r.id);
    const identityPolicies = () => {
      const found: { name: string; policy: PolicyDocument }[] = [];
      for (const inline of (p.Policies ?? []) as { PolicyName: string; PolicyDocument: PolicyDocument }[]) {
        found.push({ name: inline.PolicyName, policy: inline.PolicyDocument });
      }
      for (const arn of (p.ManagedPolicyArns ?? []) as string[]) {
        found.push({
          name: arn,
          policy: arn.startsWith('arn:aws:iam::aws:policy/')
            ? awsManagedPolicy(arn)
            : this.customerManaged(arn),
        });
      }
      // Policies attached from the policy side (`Roles` of AWS::IAM::ManagedPolicy and AWS::IAM::Policy).
      for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']) {
        for (const policy of this.world.resources(type)) {
          const pp = this.world.properties(policy);
          if (((pp.Roles ?? []) as string[]).includes(name)) {
            found.push({ name: `${policy.stack.stackName}/${policy.id}`, policy: pp.PolicyDocument });
          }
        }
      }
      return found;
    };
    let cached: ReturnType<typeof identityPolicies> | undefined;
    return {
      stackName: r.stack.stackName,
      logicalId: r.id,
      name,
      arn: this.world.getAtt(r.stack, r.id, 'Arn'),
      description: String(p.Description ?? ''),
      trust: p.AssumeRolePolicyDocument,
      // Resolved on first use: roles no test evaluates (Lambda roles of aws-cdk-lib) need no documents.
      get identityPolicies() {
        cached ??= identityPolicies();
        return cached;
      },
    };
  }

  private customerManaged(arn: string): PolicyDocument {
    const found = this.world
      .resources('AWS::IAM::ManagedPolicy')
      .find((m) => this.world.ref(m.stack, m.id) === arn);
    if (found === undefined) throw new Error(`managed policy ${arn} is not part of the app`);
    return this.world.properties(found).PolicyDocument;
  }
}
