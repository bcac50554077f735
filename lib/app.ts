import { Validations, type App } from 'aws-cdk-lib';

/** aws-cdk-lib's context key for its per-stack resource limit (0 turns its own check off). */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { baselinePropsFrom, buildBaseline, type Baseline } from '../charts';
import type { BlueprintConfig, EnvironmentConfig } from './config';
import { BlueprintControlsPlugin } from './compliance/blueprint-controls-plugin';
import { TemplateLimitsPlugin } from './compliance/limits-plugin';
import {
  applyAcknowledgements,
  applyDetectionAcknowledgements,
  applyTenantAcknowledgements,
} from './compliance/acknowledgements';
import { stackName, tenantStackName } from './naming';
import { ClusterStack } from './stacks/cluster-stack';
import { DetectionStack } from './stacks/detection-stack';
import { NetworkStack } from './stacks/network-stack';
import { TenantStack } from './stacks/tenant-stack';

/** The stacks of one environment. */
export interface EnvironmentStacks {
  readonly environment: EnvironmentConfig;
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  /** The in-cluster baseline the cluster stack applies; the same objects are written to dist/. */
  readonly baseline: Baseline;
  /** One stack per tenant, in config order, each deployed after the cluster stack. */
  readonly tenants: readonly TenantStack[];
  readonly detection: DetectionStack;
}

export interface BuildOptions {
  /**
   * Run cdk-nag and the blueprint's own control checks at synthesis.
   * @default true
   */
  readonly compliance?: boolean;
  /**
   * Refuse templates and custom resources over CloudFormation's limits at synthesis
   * (`TemplateLimitsPlugin`), instead of at deploy.
   * @default true
   */
  readonly limits?: boolean;
}

/** Builds every configured environment's stacks into `app`. The only composition root. */
export function buildBlueprint(
  app: App,
  config: BlueprintConfig,
  options: BuildOptions = {},
): EnvironmentStacks[] {
  // Resource counts are checked with every other limit by TemplateLimitsPlugin, which names the
  // environment and the remedy; CDK's own check would end synthesis in a stack trace first.
  if (options.limits ?? true) app.node.setContext(STACK_RESOURCE_LIMIT_CONTEXT, 0);
  const built = config.environments.map((environment) => {
    const network = new NetworkStack(app, stackName(environment, 'network'), {
      environment,
      description: `${environment.clusterName}: private VPC, endpoints, flow logs (hardened-eks)`,
    });
    const baselineProps = baselinePropsFrom(environment);
    const baseline = buildBaseline(baselineProps);
    const cluster = new ClusterStack(app, stackName(environment, 'cluster'), {
      environment,
      network,
      baseline: { charts: baseline, props: baselineProps },
      description: `${environment.clusterName}: EKS control plane, Bottlerocket nodes, access (hardened-eks)`,
    });
    const tenants = baseline.tenants.map((manifests, i) => {
      const tenant = environment.tenants[i];
      const stack = new TenantStack(app, tenantStackName(environment, tenant.name), {
        environment,
        tenant,
        cluster,
        manifests,
        description: `${environment.clusterName}: tenant ${tenant.name} (hardened-eks)`,
      });
      applyTenantAcknowledgements(stack);
      return stack;
    });
    const detection = new DetectionStack(app, stackName(environment, 'detection'), {
      environment,
      network,
      cluster,
      description: `${environment.clusterName}: audit alarms and queries, GuardDuty, ECR, dashboard (hardened-eks)`,
    });
    applyAcknowledgements({ network, cluster });
    applyDetectionAcknowledgements(detection);
    return { environment, network, cluster, baseline, tenants, detection };
  });
  if (options.limits ?? true) {
    const environments = Object.fromEntries(
      built.flatMap((e) =>
        [e.network, e.cluster, ...e.tenants, e.detection].map((s) => [s.stackName, e.environment.name]),
      ),
    );
    Validations.of(app).addPlugins(new TemplateLimitsPlugin(environments));
  }
  if (options.compliance ?? true) {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new NIST80053R5Checks(app),
      new BlueprintControlsPlugin(config),
    );
  }
  return built;
}
