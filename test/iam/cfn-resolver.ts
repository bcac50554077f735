import { createHash } from 'crypto';
import type { App } from 'aws-cdk-lib';

/*
 * A small resolver of CloudFormation intrinsics, for tests only. It turns the templates of a synthesized app
 * into the concrete values CloudFormation would produce in one account and region, so that policies can be
 * handed to an IAM policy evaluation engine as real documents with real ARNs.
 *
 * What it knows (and nothing more):
 * - `Ref` to pseudo parameters (partition `aws`, the stack's account and region, `AWS::URLSuffix`,
 *   `AWS::StackName`, `AWS::NoValue` which drops the element), to parameters (their default), and to
 *   resources: the physical name CloudFormation returns for the types the blueprint uses (role and policy
 *   names, key ids, topic ARNs, repository, log group and cluster names);
 * - `Fn::GetAtt` `Arn` (and a few other attributes) of those types, built from the same physical names;
 * - `Fn::ImportValue` (the export of another stack of the app), `Fn::Join`, `Fn::Select`, `Fn::Split`,
 *   `Fn::Sub`, `Fn::If` with `Fn::Equals`/`Fn::Not`/`Fn::And`/`Fn::Or` conditions.
 * Where a resource sets no name, CloudFormation generates one (`<stack>-<logicalId>-<random>`); the resolver
 * uses `<stack>-<logicalId>` so results are deterministic. KMS key ids are derived from a hash of the
 * logical id. Anything it cannot resolve throws, so a test never evaluates a half-resolved policy.
 */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
}

export interface StackTemplate {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly template: CfnTemplate;
}

export interface LocatedResource {
  readonly stack: StackTemplate;
  readonly id: string;
  readonly resource: CfnResource;
}

const DROP = Symbol('AWS::NoValue');

/** Every stack of a synthesized app, with a resolver over all of them (cross-stack imports included). */
export class CfnWorld {
  public readonly stacks: readonly StackTemplate[];

  public static fromApp(app: App): CfnWorld {
    const assembly = app.synth();
    return new CfnWorld(
      assembly.stacks.map((s) => ({
        stackName: s.stackName,
        account: s.environment.account,
        region: s.environment.region,
        template: s.template as CfnTemplate,
      })),
    );
  }

  constructor(stacks: readonly StackTemplate[]) {
    this.stacks = stacks;
  }

  /** Every resource of `type` in every stack. */
  public resources(type: string): LocatedResource[] {
    return this.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources)
        .filter(([, r]) => r.Type === type)
        .map(([id, resource]) => ({ stack, id, resource })),
    );
  }

  /** A resource's properties with every intrinsic resolved. */
  public properties(r: LocatedResource): Record<string, any> {
    return this.resolve(r.stack, r.resource.Properties ?? {}) as Record<string, any>;
  }

  /** Resolves every intrinsic in `value`, as CloudFormation would in `stack`. */
  public resolve(stack: StackTemplate, value: unknown): unknown {
    const out = this.walk(stack, value);
    return out === DROP ? undefined : out;
  }

  /** What `Ref` returns for a resource of the types the blueprint uses. */
  public ref(stack: StackTemplate, id: string): string {
    const r = this.resourceOf(stack, id);
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    const named = (key: string, max = 255) => {
      const v = p[key] === undefined ? undefined : this.resolve(stack, p[key]);
      return typeof v === 'string' ? v : `${stack.stackName}-${id}`.slice(0, max);
    };
    switch (r.Type) {
      case 'AWS::IAM::Role':
        return named('RoleName', 64);
      case 'AWS::IAM::ManagedPolicy': {
        const path = (this.resolve(stack, p.Path) as string | undefined) ?? '/';
        return `arn:aws:iam::${stack.account}:policy${path}${named('ManagedPolicyName', 128)}`;
      }
      case 'AWS::IAM::Policy':
        return named('PolicyName', 128);
      case 'AWS::KMS::Key':
        return keyId(stack, id);
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${stack.region}:${stack.account}:${named('TopicName', 256)}`;
      case 'AWS::ECR::Repository':
        return named('RepositoryName', 256);
      case 'AWS::Logs::LogGroup':
        return named('LogGroupName', 512);
      case 'AWS::EKS::Cluster':
        return named('Name', 100);
      case 'AWS::Events::Rule':
        return named('Name', 64);
      case 'AWS::Lambda::Function':
        return named('FunctionName', 64);
      default:
        // Ids of network resources and the like: opaque, but stable.
        return `${id}`;
    }
  }

  /** What `Fn::GetAtt` returns. */
  public getAtt(stack: StackTemplate, id: string, attribute: string): string {
    const r = this.resourceOf(stack, id);
    const { account, region } = stack;
    const ref = this.ref(stack, id);
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    switch (`${r.Type}.${attribute}`) {
      case 'AWS::IAM::Role.Arn': {
        const path = (this.resolve(stack, p.Path) as string | undefined) ?? '/';
        return `arn:aws:iam::${account}:role${path}${ref}`;
      }
      case 'AWS::IAM::Role.RoleId':
        return `AROA${keyId(stack, id).replace(/-/g, '').slice(0, 17).toUpperCase()}`;
      case 'AWS::KMS::Key.Arn':
        return `arn:aws:kms:${region}:${account}:key/${ref}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:aws:logs:${region}:${account}:log-group:${ref}:*`;
      case 'AWS::ECR::Repository.Arn':
        return `arn:aws:ecr:${region}:${account}:repository/${ref}`;
      case 'AWS::SNS::Topic.TopicArn':
        return ref;
      case 'AWS::SNS::Topic.TopicName':
        return ref.split(':').pop()!;
      case 'AWS::Events::Rule.Arn':
        return `arn:aws:events:${region}:${account}:rule/${ref}`;
      case 'AWS::EKS::Cluster.Arn':
        return `arn:aws:eks:${region}:${account}:cluster/${ref}`;
      case 'AWS::Lambda::Function.Arn':
        return `arn:aws:lambda:${region}:${account}:function:${ref}`;
      case 'AWS::IAM::ManagedPolicy.PolicyArn':
        return ref;
      default:
        // Attributes no evaluated policy depends on (security group ids, endpoints, certificates).
        return `${id}.${attribute}`;
    }
  }

  private resourceOf(stack: StackTemplate, id: string): CfnResource {
    const r = stack.template.Resources[id];
    if (r === undefined) throw new Error(`${stack.stackName}: no resource ${id}`);
    return r;
  }

  private importValue(name: string): unknown {
    for (const stack of this.stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export && this.resolve(stack, output.Export.Name) === name) {
          return this.resolve(stack, output.Value);
        }
      }
    }
    throw new Error(`no stack exports ${name}`);
  }

  private condition(stack: StackTemplate, name: string): boolean {
    const expr = stack.template.Conditions?.[name];
    if (expr === undefined) throw new Error(`${stack.stackName}: no condition ${name}`);
    return Boolean(this.walk(stack, expr));
  }

  private pseudo(stack: StackTemplate, name: string): unknown {
    switch (name) {
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::Region':
        return stack.region;
      case 'AWS::AccountId':
        return stack.account;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack.stackName;
      case 'AWS::NoValue':
        return DROP;
      default: {
        const param = stack.template.Parameters?.[name];
        if (param !== undefined) return param.Default;
        return this.ref(stack, name);
      }
    }
  }

  private walk(stack: StackTemplate, value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.walk(stack, v)).filter((v) => v !== DROP);
    }
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = obj[k];
      switch (k) {
        case 'Ref':
          return this.pseudo(stack, arg as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(stack, id as string, attribute as string);
        }
        case 'Fn::ImportValue':
          return this.importValue(this.walk(stack, arg) as string);
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.walk(stack, parts) as unknown[]).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          return (this.walk(stack, list) as unknown[])[Number(this.walk(stack, index))];
        }
        case 'Fn::Split': {
          const [sep, source] = arg as [string, unknown];
          return String(this.walk(stack, source)).split(sep);
        }
        case 'Fn::Sub':
          return this.sub(stack, arg);
        case 'Fn::If': {
          const [name, whenTrue, whenFalse] = arg as [string, unknown, unknown];
          return this.walk(stack, this.condition(stack, name) ? whenTrue : whenFalse);
        }
        case 'Fn::Equals': {
          const [a, b] = arg as [unknown, unknown];
          return JSON.stringify(this.walk(stack, a)) === JSON.stringify(this.walk(stack, b));
        }
        case 'Fn::Not':
          return !(this.walk(stack, (arg as unknown[])[0]) as boolean);
        case 'Fn::And':
          return (arg as unknown[]).every((c) => this.walk(stack, c));
        case 'Fn::Or':
          return (arg as unknown[]).some((c) => this.walk(stack, c));
        case 'Condition':
          return this.condition(stack, arg as string);
        default:
          if (k.startsWith('Fn::')) throw new Error(`${stack.stackName}: the resolver does not know ${k}`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const resolved = this.walk(stack, v);
      if (resolved !== DROP) out[k] = resolved;
    }
    return out;
  }

  private sub(stack: StackTemplate, arg: unknown): string {
    const [text, vars] = Array.isArray(arg)
      ? (arg as [string, Record<string, unknown>])
      : [arg as string, {} as Record<string, unknown>];
    return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
      if (name in vars) return String(this.walk(stack, vars[name]));
      if (name.includes('.')) {
        const [id, attribute] = name.split('.');
        return this.getAtt(stack, id, attribute);
      }
      return String(this.pseudo(stack, name));
    });
  }
}

/** A stable, UUID-shaped KMS key id for a key resource. */
function keyId(stack: StackTemplate, id: string): string {
  const h = createHash('sha256').update(`${stack.stackName}/${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
