import { Chart, type ChartProps } from 'cdk8s';
import * as k8s from 'cdk8s-plus-34/lib/imports/k8s';
import type { Construct } from 'constructs';
import type { BaselineProps } from './props';

/** One RBAC rule as data: no wildcards, ever (EKS-K8S-RBAC-001). */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export const READ = ['get', 'list', 'watch'] as const;
export const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;

/** Verbs the baseline never grants to people (EKS-K8S-RBAC-001). */
export const FORBIDDEN_VERBS = ['*', 'escalate', 'bind', 'impersonate'] as const;

/** What a viewer may read: every workload kind, but no Secrets. */
export const VIEWER_RULES: readonly RbacRule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'events',
      'limitranges',
      'namespaces',
      'nodes',
      'persistentvolumeclaims',
      'persistentvolumes',
      'pods',
      'pods/log',
      'replicationcontrollers',
      'resourcequotas',
      'serviceaccounts',
      'services',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
    verbs: READ,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: READ },
];

/** An auditor also reads who may do what and which admission controls are in place. Still no Secrets. */
export const AUDITOR_RULES: readonly RbacRule[] = [
  ...VIEWER_RULES,
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
    verbs: READ,
  },
  {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: [
      'mutatingwebhookconfigurations',
      'validatingadmissionpolicies',
      'validatingadmissionpolicybindings',
      'validatingwebhookconfigurations',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['external-secrets.io'],
    resources: ['clustersecretstores', 'externalsecrets', 'secretstores'],
    verbs: READ,
  },
];

/** Rules as the API takes them (one rule per API group, resources sorted). */
export function toPolicyRules(rules: readonly RbacRule[]): k8s.PolicyRule[] {
  return rules.map((r) => ({
    apiGroups: [...r.apiGroups],
    resources: [...r.resources].sort(),
    verbs: [...r.verbs],
  }));
}

/** Binds a (Cluster)Role to one Kubernetes group. */
export function groupSubject(group: string): k8s.Subject {
  return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: group };
}

/**
 * Cluster-wide read roles bound to the Kubernetes groups the access entries put IAM roles in
 * (EKS-K8S-RBAC-001..003). Admins get `AmazonEKSClusterAdminPolicy` through their access entry, so nothing
 * here binds `cluster-admin`.
 */
export class RbacChart extends Chart {
  constructor(scope: Construct, id: string, props: BaselineProps, chartProps: ChartProps = {}) {
    super(scope, id, { disableResourceNameHashes: true, ...chartProps });
    const roles: Array<[string, readonly RbacRule[], string]> = [
      ['hardened-eks:viewer', VIEWER_RULES, props.viewerGroup],
      ['hardened-eks:auditor', AUDITOR_RULES, props.auditorGroup],
    ];
    for (const [name, rules, group] of roles) {
      new k8s.KubeClusterRole(this, name, { metadata: { name }, rules: toPolicyRules(rules) });
      new k8s.KubeClusterRoleBinding(this, `${name}-binding`, {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [groupSubject(group)],
      });
    }
  }
}
