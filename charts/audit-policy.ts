/**
 * An `audit.k8s.io/v1` Policy for self-managed clusters that reuse these charts. EKS fixes its API-server
 * audit policy, so this file is written to dist/ and never applied on EKS. Rules are evaluated in order;
 * the first match wins.
 */
export function auditPolicy(): Record<string, unknown> {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      // High-volume, low-value noise.
      { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics'] },
      {
        level: 'None',
        users: ['system:kube-proxy'],
        verbs: ['watch'],
        resources: [{ group: '', resources: ['endpoints', 'services'] }],
      },
      { level: 'None', resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
      { level: 'None', resources: [{ group: '', resources: ['events'] }] },
      // Secret values must never reach the audit log: metadata only.
      {
        level: 'Metadata',
        resources: [
          { group: '', resources: ['secrets', 'configmaps'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
        ],
      },
      // Token requests: who asked for a token for which service account.
      { level: 'Request', resources: [{ group: '', resources: ['serviceaccounts/token'] }] },
      // Interactive access to workloads.
      {
        level: 'Metadata',
        resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward'] }],
      },
      // Who may do what, and which admission controls are in place: full bodies.
      {
        level: 'RequestResponse',
        verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'],
        resources: [
          {
            group: 'rbac.authorization.k8s.io',
            resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
          },
          {
            group: 'admissionregistration.k8s.io',
            resources: [
              'mutatingwebhookconfigurations',
              'validatingadmissionpolicies',
              'validatingadmissionpolicybindings',
              'validatingwebhookconfigurations',
            ],
          },
          { group: '', resources: ['namespaces', 'serviceaccounts'] },
        ],
      },
      // Workload changes: the request body (what was asked for).
      {
        level: 'Request',
        verbs: ['create', 'update', 'patch', 'delete'],
        resources: [
          { group: '', resources: ['pods', 'services'] },
          { group: 'apps', resources: ['daemonsets', 'deployments', 'statefulsets'] },
          { group: 'batch', resources: ['cronjobs', 'jobs'] },
          { group: 'networking.k8s.io', resources: ['networkpolicies', 'ingresses'] },
        ],
      },
      { level: 'Metadata' },
    ],
  };
}
