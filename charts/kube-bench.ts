import { Chart, type ChartProps } from 'cdk8s';
import * as k8s from 'cdk8s-plus-34/lib/imports/k8s';
import type { Construct } from 'constructs';
import type { BaselineProps } from './props';
import { READ, toPolicyRules } from './rbac';

export const KUBE_BENCH_SERVICE_ACCOUNT = 'kube-bench';

/** Read-only cluster access the CIS section-4 policy checks need (they shell out to kubectl). */
export const KUBE_BENCH_RULES = [
  {
    apiGroups: [''],
    resources: ['namespaces', 'nodes', 'pods', 'serviceaccounts', 'services'],
    verbs: READ,
  },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
    verbs: READ,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
    verbs: READ,
  },
] as const;

/**
 * A weekly kube-bench CronJob pinned to a CIS EKS benchmark (kube-bench's own detection falls back to an
 * old benchmark on Kubernetes 1.35+), in a namespace with a declared `privileged` exception: it needs
 * hostPID and read-only host mounts of the kubelet config (EKS-K8S-CIS-001). Results go to its logs.
 */
export class KubeBenchChart extends Chart {
  constructor(scope: Construct, id: string, props: BaselineProps, chartProps: ChartProps = {}) {
    super(scope, id, { disableResourceNameHashes: true, ...chartProps });
    const { namespace, image, benchmark, schedule } = props.kubeBench;
    const name = 'hardened-eks:kube-bench';
    new k8s.KubeServiceAccount(this, 'sa', {
      metadata: { name: KUBE_BENCH_SERVICE_ACCOUNT, namespace },
      automountServiceAccountToken: true,
    });
    new k8s.KubeClusterRole(this, 'role', { metadata: { name }, rules: toPolicyRules(KUBE_BENCH_RULES) });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: KUBE_BENCH_SERVICE_ACCOUNT, namespace }],
    });
    const hostMounts = [
      ['var-lib-kubelet', '/var/lib/kubelet'],
      ['etc-systemd', '/etc/systemd'],
      ['etc-kubernetes', '/etc/kubernetes'],
    ] as const;
    const labels = { ...props.workloadLabels, 'app.kubernetes.io/name': 'kube-bench' };
    new k8s.KubeCronJob(this, 'cronjob', {
      metadata: { name: 'kube-bench', namespace, labels },
      spec: {
        schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 0,
            ttlSecondsAfterFinished: 7 * 24 * 3600,
            template: {
              metadata: { labels },
              spec: {
                hostPid: true,
                restartPolicy: 'Never',
                serviceAccountName: KUBE_BENCH_SERVICE_ACCOUNT,
                securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: 'kube-bench',
                    image,
                    command: [
                      'kube-bench',
                      'run',
                      '--targets',
                      'node,policies,managedservices',
                      '--benchmark',
                      benchmark,
                      // One JSON document in the job's log: what `hardened-eks report --kube-bench` reads.
                      '--json',
                    ],
                    resources: {
                      requests: {
                        cpu: k8s.Quantity.fromString('100m'),
                        memory: k8s.Quantity.fromString('128Mi'),
                      },
                      limits: { memory: k8s.Quantity.fromString('256Mi') },
                    },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                    volumeMounts: hostMounts.map(([n, p]) => ({ name: n, mountPath: p, readOnly: true })),
                  },
                ],
                volumes: hostMounts.map(([n, p]) => ({ name: n, hostPath: { path: p } })),
              },
            },
          },
        },
      },
    });
  }
}
