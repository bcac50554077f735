import { KubectlV32Layer } from '@aws-cdk/lambda-layer-kubectl-v32';
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { KubernetesVersionConfig } from '../config';

/** The kubectl layer packages the version matrix names, by id (`v36` = @aws-cdk/lambda-layer-kubectl-v36). */
const LAYERS: Record<
  KubernetesVersionConfig['kubectlLayer'],
  new (scope: Construct, id: string) => lambda.ILayerVersion
> = {
  v32: KubectlV32Layer,
  v33: KubectlV33Layer,
  v34: KubectlV34Layer,
  v35: KubectlV35Layer,
  v36: KubectlV36Layer,
};

/** The Lambda layer with kubectl and helm for the cluster's kubectl provider (id from the version matrix). */
export function kubectlLayer(
  scope: Construct,
  id: string,
  layer: KubernetesVersionConfig['kubectlLayer'],
): lambda.ILayerVersion {
  return new LAYERS[layer](scope, id);
}
