/*
 * Typed External Secrets Operator objects (API group external-secrets.io, version v1), written from the
 * ESO v1 API reference for the fields the blueprint uses. The CRD YAML cannot be fetched offline and the
 * generated model package needs Node 22, so these interfaces stand in for `cdk8s import`.
 */
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

export const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';

export interface AwsProvider {
  /** `SecretsManager` or `ParameterStore`. */
  readonly service: 'SecretsManager' | 'ParameterStore';
  readonly region: string;
  /** Role the controller assumes (from its own Pod Identity credentials) before calling AWS. */
  readonly role?: string;
}

export interface SecretStoreSpec {
  readonly provider: { readonly aws: AwsProvider };
  /** Seconds between store health checks. */
  readonly refreshInterval?: number;
}

export interface ClusterSecretStoreCondition {
  /** Namespaces allowed to use the store. */
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

export interface ClusterSecretStoreSpec extends SecretStoreSpec {
  readonly conditions?: readonly ClusterSecretStoreCondition[];
}

export interface ExternalSecretData {
  readonly secretKey: string;
  readonly remoteRef: { readonly key: string; readonly property?: string; readonly version?: string };
}

export interface ExternalSecretSpec {
  readonly refreshInterval?: string;
  readonly secretStoreRef: { readonly name: string; readonly kind: 'SecretStore' | 'ClusterSecretStore' };
  readonly target: { readonly name: string; readonly creationPolicy?: 'Owner' | 'Orphan' | 'Merge' | 'None' };
  readonly data?: readonly ExternalSecretData[];
}

interface Props<S> {
  readonly metadata: ApiObjectMetadata;
  readonly spec: S;
}

export class SecretStore extends ApiObject {
  constructor(scope: Construct, id: string, props: Props<SecretStoreSpec>) {
    super(scope, id, { apiVersion: EXTERNAL_SECRETS_API_VERSION, kind: 'SecretStore', ...props });
  }
}

export class ClusterSecretStore extends ApiObject {
  constructor(scope: Construct, id: string, props: Props<ClusterSecretStoreSpec>) {
    super(scope, id, { apiVersion: EXTERNAL_SECRETS_API_VERSION, kind: 'ClusterSecretStore', ...props });
  }
}

export class ExternalSecret extends ApiObject {
  constructor(scope: Construct, id: string, props: Props<ExternalSecretSpec>) {
    super(scope, id, { apiVersion: EXTERNAL_SECRETS_API_VERSION, kind: 'ExternalSecret', ...props });
  }
}
