import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderAwsService,
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
} from './imports/external-secrets.io';
import type { BaselineProps } from './props';
import { NAMESPACE_KIND_LABEL } from '../lib/config/namespaces';

export const PLATFORM_STORE = 'platform-secrets-manager';

/** Restricted-compatible container security context for the operator's three deployments. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
};

const component = (replicas: number, memory: string, repository: string) => ({
  image: { repository },
  replicaCount: replicas,
  podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
  securityContext: RESTRICTED_CONTAINER,
  podSecurityContext: { enabled: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  resources: { requests: { cpu: '50m', memory }, limits: { memory } },
});

/**
 * Helm values for the External Secrets Operator: restricted security context, replicas with a PDB,
 * requests and limits, the service account Pod Identity is associated with (EKS-K8S-SEC-001).
 */
export function externalSecretsHelmValues(props: BaselineProps): Record<string, unknown> {
  const { replicas, serviceAccount, imageRegistry } = props.externalSecrets;
  const repository = `${imageRegistry}/external-secrets`;
  return {
    installCRDs: true,
    commonLabels: { ...props.workloadLabels },
    serviceAccount: { create: true, name: serviceAccount, automount: true },
    // The controller reaches AWS through its Pod Identity role (and the tenant roles it assumes), never
    // with a token of a ServiceAccount a SecretStore names: the cluster-wide `serviceaccounts/token`
    // create the chart grants by default would only let it mint tokens for any ServiceAccount.
    rbac: { serviceAccountTokenCreate: false },
    ...component(replicas, '256Mi', repository),
    webhook: { ...component(replicas, '128Mi', repository) },
    certController: { ...component(1, '128Mi', repository) },
  };
}

/**
 * The platform's ClusterSecretStore (usable only from platform namespaces) and one documented example
 * ExternalSecret reading a platform secret. Tenants get their own namespaced stores (tenants chart).
 */
export class ExternalSecretsChart extends Chart {
  constructor(scope: Construct, id: string, props: BaselineProps, chartProps: ChartProps = {}) {
    super(scope, id, { disableResourceNameHashes: true, ...chartProps });
    new ClusterSecretStore(this, 'platform-store', {
      metadata: { name: PLATFORM_STORE },
      spec: {
        provider: {
          aws: { service: ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER, region: props.region },
        },
        // Without conditions any namespace could read platform secrets through this store.
        conditions: [{ namespaceSelector: { matchLabels: { [NAMESPACE_KIND_LABEL]: 'platform' } } }],
      },
    });
    // Example: the secret `<env>/platform/example` in Secrets Manager becomes the Kubernetes Secret
    // `platform-example` in the external-secrets namespace, refreshed hourly.
    new ExternalSecret(this, 'example', {
      metadata: {
        name: 'platform-example',
        namespace: props.externalSecrets.namespace,
        annotations: {
          'hardened-eks.io/example': 'delete or replace; shows how a platform secret is synced',
        },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: {
          name: PLATFORM_STORE,
          kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
        },
        target: { name: 'platform-example', creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
        data: [{ secretKey: 'value', remoteRef: { key: `${props.externalSecrets.platformPrefix}example` } }],
      },
    });
  }
}
