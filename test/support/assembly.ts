/**
 * Reading a synthesized cloud assembly as CloudFormation would deploy it: every stack's template, the
 * stacks each depends on, and the few intrinsic functions the blueprint's templates use to point at one
 * another (Ref, Fn::GetAtt, and Fn::ImportValue of another stack's export).
 */
import type * as cxapi from 'aws-cdk-lib/cx-api';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
}

export interface DeployedStack {
  readonly name: string;
  readonly resources: Readonly<Record<string, CfnResource>>;
  /** Names of the stacks this one waits for, directly. */
  readonly dependencies: readonly string[];
  readonly outputs: Readonly<Record<string, { Value: unknown; Export?: { Name: string } }>>;
}

/** A resource and the stack it is in. */
export interface Located {
  readonly stack: DeployedStack;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

export class Deployment {
  public readonly stacks: readonly DeployedStack[];

  constructor(assembly: cxapi.CloudAssembly) {
    this.stacks = assembly.stacks.map((s) => ({
      name: s.stackName,
      resources: s.template.Resources ?? {},
      dependencies: s.dependencies
        .filter((d): d is cxapi.CloudFormationStackArtifact => 'stackName' in d)
        .map((d) => d.stackName),
      outputs: s.template.Outputs ?? {},
    }));
  }

  public stack(name: string): DeployedStack {
    const s = this.stacks.find((x) => x.name === name);
    if (!s) throw new Error(`no stack ${name}`);
    return s;
  }

  public resourcesOfType(type: string): Located[] {
    return this.stacks.flatMap((stack) =>
      Object.entries(stack.resources)
        .filter(([, r]) => r.Type === type)
        .map(([logicalId, resource]) => ({ stack, logicalId, resource })),
    );
  }

  /** The resource a `Ref`, `Fn::GetAtt` or `Fn::ImportValue` (of a Ref/GetAtt export) points at. */
  public target(stack: DeployedStack, value: unknown): Located | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as Record<string, any>;
    const local = (id: string) =>
      stack.resources[id] ? { stack, logicalId: id, resource: stack.resources[id] } : undefined;
    if (typeof v.Ref === 'string') return local(v.Ref);
    if (Array.isArray(v['Fn::GetAtt'])) return local(v['Fn::GetAtt'][0]);
    if (v['Fn::ImportValue'] !== undefined) {
      const name = v['Fn::ImportValue'];
      for (const other of this.stacks) {
        for (const o of Object.values(other.outputs)) {
          if (o.Export?.Name === name) return this.target(other, o.Value);
        }
      }
    }
    return undefined;
  }

  /** Whether stack `a` waits for stack `b`, directly or through other stacks. */
  public stackWaitsFor(a: string, b: string): boolean {
    const seen = new Set<string>();
    const visit = (name: string): boolean => {
      if (seen.has(name)) return false;
      seen.add(name);
      return this.stack(name).dependencies.some((d) => d === b || visit(d));
    };
    return visit(a);
  }

  /**
   * Whether resource `a` is deployed only after resource `b` exists: `b` is in a stack `a`'s stack waits
   * for, or `a` depends on `b` within the stack (through DependsOn or a reference, transitively).
   */
  public waitsFor(a: Located, b: Located): boolean {
    if (a.stack !== b.stack) return this.stackWaitsFor(a.stack.name, b.stack.name);
    const seen = new Set<string>();
    const visit = (id: string): boolean => {
      if (seen.has(id)) return false;
      seen.add(id);
      return directDependencies(a.stack.resources[id]).some((d) => d === b.logicalId || visit(d));
    };
    return visit(a.logicalId);
  }
}

/** Logical ids a resource waits for: its DependsOn and every Ref/GetAtt in its properties. */
function directDependencies(r: CfnResource | undefined): string[] {
  if (!r) return [];
  const out = [...(Array.isArray(r.DependsOn) ? r.DependsOn : r.DependsOn ? [r.DependsOn] : [])];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.Ref === 'string') out.push(o.Ref);
      if (Array.isArray(o['Fn::GetAtt'])) out.push(o['Fn::GetAtt'][0] as string);
      Object.values(o).forEach(walk);
    }
  };
  walk(r.Properties);
  return out;
}
