import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { baselinePropsFrom, buildBaseline, type Baseline } from '../charts';
import type { BlueprintConfig, EnvironmentConfig } from './config';
import { BlueprintControlsPlugin } from './compliance/blueprint-controls-plugin';
import { applyAcknowledgements, applyDetectionAcknowledgements } from './compliance/acknowledgements';
import { stackName } from './naming';
import { ClusterStack } from './stacks/cluster-stack';
import { DetectionStack } from './stacks/detection-stack';
import { NetworkStack } from './stacks/network-stack';

/** The stacks of one environment. */
export interface EnvironmentStacks {
  readonly environment: EnvironmentConfig;
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  /** The in-cluster baseline the cluster stack applies; the same objects are written to dist/. */
  readonly baseline: Baseline;
  readonly detection: DetectionStack;
}

export interface BuildOptions {
  /**
   * Run cdk-nag and the blueprint's own control checks at synthesis.
   * @default true
   */
  readonly compliance?: boolean;
}

/** Builds every configured environment's stacks into `app`. The only composition root. */
export function buildBlueprint(
  app: App,
  config: BlueprintConfig,
  options: BuildOptions = {},
): EnvironmentStacks[] {
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
    const detection = new DetectionStack(app, stackName(environment, 'detection'), {
      environment,
      network,
      cluster,
      description: `${environment.clusterName}: audit alarms and queries, GuardDuty, ECR, dashboard (hardened-eks)`,
    });
    applyAcknowledgements({ network, cluster });
    applyDetectionAcknowledgements(detection);
    return { environment, network, cluster, baseline, detection };
  });
  if (options.compliance ?? true) {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new NIST80053R5Checks(app),
      new BlueprintControlsPlugin(config),
    );
  }
  return built;
}
