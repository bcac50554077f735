/** Builds the admission request the API server would send for a manifest being applied. */
import { gvkOf, isNamespaced, resourceOf } from './resources';
import type { AdmissionRequest, KubeObject, Operation, UserInfo } from './types';

export const DEFAULT_USER: UserInfo = { username: 'app-ci', groups: ['system:authenticated'] };

export interface RequestOptions {
  /** @default 'CREATE' */
  readonly operation?: Operation;
  /** The namespace when the manifest names none; @default 'default' */
  readonly namespace?: string;
  /** The Namespace object of the target namespace; @default - a namespace with only its name label */
  readonly namespaceObject?: KubeObject;
  /** @default DEFAULT_USER */
  readonly userInfo?: UserInfo;
  readonly oldObject?: KubeObject;
}

/** A bare Namespace object with the label the API server sets on every namespace. */
export function namespaceObject(name: string, labels: Readonly<Record<string, string>> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  };
}

/** The namespace an object lands in: its own, else the default one (cluster-scoped kinds: none). */
export function namespaceOf(object: KubeObject, fallback = 'default'): string {
  if (!isNamespaced(object.kind ?? '')) return '';
  return object.metadata?.namespace ?? fallback;
}

/** The API server labels every Namespace with its name before admission; so does the evaluator. */
function withNameLabel(object: KubeObject): KubeObject {
  if (object.kind !== 'Namespace' || object.apiVersion !== 'v1' || !object.metadata?.name) return object;
  const labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name };
  return { ...object, metadata: { ...object.metadata, labels } };
}

export function requestFor(input: KubeObject, options: RequestOptions = {}): AdmissionRequest {
  const object = withNameLabel(input);
  const kind = gvkOf(object);
  const namespace = namespaceOf(object, options.namespace);
  const operation = options.operation ?? 'CREATE';
  return {
    operation,
    kind,
    resource: resourceOf(kind),
    subResource: '',
    name: object.metadata?.name ?? '',
    namespace,
    userInfo: options.userInfo ?? DEFAULT_USER,
    object: operation === 'DELETE' ? null : object,
    oldObject: options.oldObject ?? (operation === 'DELETE' ? object : null),
    namespaceObject: namespace === '' ? null : (options.namespaceObject ?? namespaceObject(namespace)),
  };
}

const CONNECT_KINDS = {
  exec: 'PodExecOptions',
  attach: 'PodAttachOptions',
  portforward: 'PodPortForwardOptions',
};

/** A `CONNECT` on `pods/exec`, `pods/attach` or `pods/portforward`, as `kubectl exec` sends it. */
export function connectRequest(
  pod: string,
  namespace: string,
  subResource: keyof typeof CONNECT_KINDS,
  userInfo: UserInfo,
  nsObject: KubeObject = namespaceObject(namespace),
): AdmissionRequest {
  const kind = CONNECT_KINDS[subResource];
  return {
    operation: 'CONNECT',
    kind: { group: '', version: 'v1', kind },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subResource,
    name: pod,
    namespace,
    userInfo,
    object: {
      apiVersion: 'v1',
      kind,
      ...(subResource === 'exec' ? { command: ['sh'], stdin: true, tty: true } : {}),
    },
    oldObject: null,
    namespaceObject: nsObject,
  };
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * The user admission sees when a request is made `--as <username> --as-group <group>...`, as the API server's
 * impersonation filter builds it: a service account's username without groups gets its fixed groups
 * (`system:serviceaccounts`, `system:serviceaccounts:<namespace>`), and every user but `system:anonymous`
 * is also in `system:authenticated` unless the groups name `system:authenticated` or
 * `system:unauthenticated` (`system:anonymous` gets `system:unauthenticated`).
 */
export function impersonatedUser(username: string, groups: readonly string[] = []): UserInfo {
  const sa = SERVICE_ACCOUNT_USER.exec(username);
  const all =
    groups.length === 0 && sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`] : [...groups];
  if (username === 'system:anonymous') {
    if (!all.includes('system:unauthenticated')) all.push('system:unauthenticated');
  } else if (!all.includes('system:authenticated') && !all.includes('system:unauthenticated'))
    all.push('system:authenticated');
  return { username, groups: all };
}
