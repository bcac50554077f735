import { Stage, Validations, type App } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { baselineCharts, baselinePropsFrom, buildBaseline, type Baseline } from '../charts';
import { chartObjects } from '../charts/render';
import type { BlueprintConfig, EnvironmentConfig } from './config';
import { BlueprintControlsPlugin } from './compliance/blueprint-controls-plugin';
import { TemplateLimitsPlugin } from './compliance/limits-plugin';
import { applyPipelineAcknowledgements } from './compliance/pipeline-acknowledgements';
import { ExtensionRegistry, type SourcedObject } from './extensions';
import { stackName, tenantStackName } from './naming';
import { ClusterStack } from './stacks/cluster-stack';
import { DetectionStack } from './stacks/detection-stack';
import { NetworkStack } from './stacks/network-stack';
import { OrgStack } from './stacks/org-stack';
import { PipelineStack } from './stacks/pipeline-stack';
import { TenantStack } from './stacks/tenant-stack';

/** aws-cdk-lib's context key for its per-stack resource limit (0 turns its own check off). */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';

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
  /** The org's own manifests (`<org>-<env>-org`), when `org/manifests` has any for this environment. */
  readonly org?: OrgStack;
  /** The org's manifests with their files, as applied by `org` and written to dist/. */
  readonly orgManifests: readonly SourcedObject[];
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
  /**
   * The parts to build: the blueprint's own, plus a fork's `org/` space (`loadOrgExtension`).
   * @default ExtensionRegistry.builtIn()
   */
  readonly extensions?: ExtensionRegistry;
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
  const extensions = options.extensions ?? ExtensionRegistry.builtIn();
  // With a pipeline, each environment's stacks live in a Stage the pipeline deploys.
  const pipeline = config.pipeline;
  const stages = new Map<string, Stage>();
  const scopeOf = (environment: EnvironmentConfig): Construct => {
    if (!pipeline) return app;
    const stage = new Stage(app, `${environment.org}-${environment.name}`, {
      env: { account: environment.account, region: environment.region },
    });
    stages.set(environment.name, stage);
    return stage;
  };
  const built = config.environments.map((environment) => {
    const scope = scopeOf(environment);
    // Stack names stay `<org>-<env>-<part>` inside a pipeline stage too (lib/naming.ts).
    const named = (part: string) => ({
      id: stackName(environment, part),
      stackName: stackName(environment, part),
    });
    const network = new NetworkStack(scope, named('network').id, {
      ...named('network'),
      environment,
      description: `${environment.clusterName}: private VPC, endpoints, flow logs (hardened-eks)`,
    });
    const baselineProps = baselinePropsFrom(environment);
    const baseline = buildBaseline(baselineProps, {
      charts: extensions.charts,
      admissionPolicies: extensions.admissionPolicies(environment).map((p) => p.object),
    });
    const orgManifests = extensions.manifests(environment, () =>
      baselineCharts(baseline)
        .flatMap((c) => chartObjects(c))
        .filter((o) => o.kind === 'Namespace'),
    );
    const cluster = new ClusterStack(scope, named('cluster').id, {
      ...named('cluster'),
      environment,
      network,
      baseline: { charts: baseline, props: baselineProps },
      description: `${environment.clusterName}: EKS control plane, Bottlerocket nodes, access (hardened-eks)`,
    });
    const tenants = baseline.tenants.map((manifests, i) => {
      const tenant = environment.tenants[i];
      const name = tenantStackName(environment, tenant.name);
      return new TenantStack(scope, name, {
        stackName: name,
        environment,
        tenant,
        cluster,
        manifests,
        description: `${environment.clusterName}: tenant ${tenant.name} (hardened-eks)`,
      });
    });
    const org =
      orgManifests.length > 0
        ? new OrgStack(scope, named('org').id, {
            ...named('org'),
            environment,
            cluster,
            tenants,
            manifests: orgManifests.map((m) => m.object),
            description: `${environment.clusterName}: the org's own manifests (hardened-eks)`,
          })
        : undefined;
    const detection = new DetectionStack(scope, named('detection').id, {
      ...named('detection'),
      environment,
      network,
      cluster,
      description: `${environment.clusterName}: audit alarms and queries, GuardDuty, ECR, dashboard (hardened-eks)`,
    });
    const stacks: EnvironmentStacks = {
      environment,
      network,
      cluster,
      baseline,
      tenants,
      detection,
      ...(org ? { org } : {}),
      orgManifests,
    };
    extensions.extendStacks(stacks, scope);
    extensions.acknowledge(stacks);
    return stacks;
  });
  // The pipeline deploys every environment of its waves: built only when all of them are (no -c env).
  if (pipeline && pipeline.waves.flat().every((e) => stages.has(e.name))) {
    applyPipelineAcknowledgements(new PipelineStack(app, pipeline.stackName, { pipeline, stages }));
  }
  if (options.limits ?? true) {
    const environments = Object.fromEntries(
      built.flatMap((e) =>
        [e.network, e.cluster, ...e.tenants, ...(e.org ? [e.org] : []), e.detection].map((s) => [
          s.stackName,
          e.environment.name,
        ]),
      ),
    );
    Validations.of(app).addPlugins(new TemplateLimitsPlugin(environments));
  }
  if (options.compliance ?? true) {
    // Loaded only here: cdk-nag's rules pull in about 400 modules (most of aws-cdk-lib's L1 classes), a
    // cost builds without compliance (tests, tools that only read the construct tree) need not pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsSolutionsChecks, NIST80053R5Checks } = require('cdk-nag') as typeof import('cdk-nag');
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new NIST80053R5Checks(app),
      new BlueprintControlsPlugin(config),
    );
  }
  return built;
}
