/**
 * Kind → resource mapping, the part of API discovery the evaluator needs: policies match on resources
 * (`deployments`, `pods/exec`), manifests carry kinds.
 */
import type { GroupVersionKind, GroupVersionResource, KubeObject } from './types';

interface KindInfo {
  readonly resource: string;
  readonly namespaced: boolean;
}

const KINDS: Readonly<Record<string, KindInfo>> = {
  // core
  Pod: { resource: 'pods', namespaced: true },
  Service: { resource: 'services', namespaced: true },
  ConfigMap: { resource: 'configmaps', namespaced: true },
  Secret: { resource: 'secrets', namespaced: true },
  ServiceAccount: { resource: 'serviceaccounts', namespaced: true },
  PersistentVolumeClaim: { resource: 'persistentvolumeclaims', namespaced: true },
  ReplicationController: { resource: 'replicationcontrollers', namespaced: true },
  ResourceQuota: { resource: 'resourcequotas', namespaced: true },
  LimitRange: { resource: 'limitranges', namespaced: true },
  Endpoints: { resource: 'endpoints', namespaced: true },
  Event: { resource: 'events', namespaced: true },
  PodTemplate: { resource: 'podtemplates', namespaced: true },
  Namespace: { resource: 'namespaces', namespaced: false },
  Node: { resource: 'nodes', namespaced: false },
  PersistentVolume: { resource: 'persistentvolumes', namespaced: false },
  // apps, batch
  Deployment: { resource: 'deployments', namespaced: true },
  StatefulSet: { resource: 'statefulsets', namespaced: true },
  DaemonSet: { resource: 'daemonsets', namespaced: true },
  ReplicaSet: { resource: 'replicasets', namespaced: true },
  Job: { resource: 'jobs', namespaced: true },
  CronJob: { resource: 'cronjobs', namespaced: true },
  // rbac
  Role: { resource: 'roles', namespaced: true },
  RoleBinding: { resource: 'rolebindings', namespaced: true },
  ClusterRole: { resource: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { resource: 'clusterrolebindings', namespaced: false },
  // networking, policy, autoscaling, storage
  NetworkPolicy: { resource: 'networkpolicies', namespaced: true },
  Ingress: { resource: 'ingresses', namespaced: true },
  IngressClass: { resource: 'ingressclasses', namespaced: false },
  PodDisruptionBudget: { resource: 'poddisruptionbudgets', namespaced: true },
  HorizontalPodAutoscaler: { resource: 'horizontalpodautoscalers', namespaced: true },
  StorageClass: { resource: 'storageclasses', namespaced: false },
  PriorityClass: { resource: 'priorityclasses', namespaced: false },
  CustomResourceDefinition: { resource: 'customresourcedefinitions', namespaced: false },
  // admission
  ValidatingAdmissionPolicy: { resource: 'validatingadmissionpolicies', namespaced: false },
  ValidatingAdmissionPolicyBinding: { resource: 'validatingadmissionpolicybindings', namespaced: false },
  ValidatingWebhookConfiguration: { resource: 'validatingwebhookconfigurations', namespaced: false },
  MutatingWebhookConfiguration: { resource: 'mutatingwebhookconfigurations', namespaced: false },
  // connect options (the object of a CONNECT request)
  PodExecOptions: { resource: 'pods', namespaced: true },
  PodAttachOptions: { resource: 'pods', namespaced: true },
  PodPortForwardOptions: { resource: 'pods', namespaced: true },
};

/** `apps/v1` → group `apps`, version `v1`; `v1` → the core group. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Plural of an unknown kind, the way most CRDs name theirs (`NetworkPolicy` → `networkpolicies`). */
function guessPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

export function gvkOf(object: KubeObject): GroupVersionKind {
  const { group, version } = splitApiVersion(object.apiVersion ?? '');
  return { group, version, kind: object.kind ?? '' };
}

export function resourceOf(gvk: GroupVersionKind): GroupVersionResource {
  return {
    group: gvk.group,
    version: gvk.version,
    resource: KINDS[gvk.kind]?.resource ?? guessPlural(gvk.kind),
  };
}

/** Unknown kinds (custom resources) are taken as namespaced, as most are. */
export function isNamespaced(kind: string): boolean {
  return KINDS[kind]?.namespaced ?? true;
}
