import { RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import { namespaceOf } from '../admission/request';
import type { KubeObject } from '../admission/types';
import { BlueprintStack, type BlueprintStackProps } from './blueprint-stack';
import type { ClusterStack } from './cluster-stack';
import type { TenantStack } from './tenant-stack';

/** Kinds other objects may need to exist first: applied in a resource of their own, and kept. */
const DEFINITION_KINDS = ['Namespace', 'CustomResourceDefinition'];

export interface OrgStackProps extends BlueprintStackProps {
  /** The cluster whose kubectl provider applies the manifests; its baseline is applied first. */
  readonly cluster: ClusterStack;
  /** The environment's tenant stacks: the org stack waits for those whose namespace it uses. */
  readonly tenants: readonly TenantStack[];
  /** The org's objects for this environment (org/manifests), already checked at synth. */
  readonly manifests: readonly KubeObject[];
}

/**
 * The org's own Kubernetes objects (`org/manifests`), in a stack of their own, deployed after the cluster
 * stack (the baseline, the External Secrets CRDs) and after the tenant stacks whose namespaces they use.
 * A separate stack because a tenant stack already depends on the cluster stack: objects in a tenant's
 * namespace could not wait for it from inside the cluster stack. Namespaces and CRDs the org defines
 * are applied first, by a resource that keeps them when removed (they hold data and custom objects);
 * everything else is one resource, so moving an object between files never deletes it.
 */
export class OrgStack extends BlueprintStack {
  /** Namespaces and CRDs, if the org defines any. */
  public readonly definitions?: eks.KubernetesManifest;
  /** Every other object, if any. */
  public readonly resources?: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: OrgStackProps) {
    super(scope, id, props);
    const { cluster } = props.cluster;
    this.addStackDependency(props.cluster);
    const used = new Set(props.manifests.map((o) => namespaceOf(o)));
    for (const tenant of props.tenants) if (used.has(tenant.tenant.name)) this.addStackDependency(tenant);

    const isDefinition = (o: KubeObject) => DEFINITION_KINDS.includes(o.kind ?? '');
    const definitions = props.manifests.filter(isDefinition);
    const resources = props.manifests.filter((o) => !isDefinition(o));
    if (definitions.length > 0) {
      this.definitions = new eks.KubernetesManifest(this, 'Definitions', {
        cluster,
        manifest: [...definitions] as Record<string, unknown>[],
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    if (resources.length > 0) {
      this.resources = new eks.KubernetesManifest(this, 'Resources', {
        cluster,
        manifest: [...resources] as Record<string, unknown>[],
      });
      if (this.definitions) this.resources.node.addDependency(this.definitions);
    }
  }
}
