import { Chart, type ChartProps } from 'cdk8s';
import * as k8s from 'cdk8s-plus-34/lib/imports/k8s';
import type { Construct } from 'constructs';
import { FLUENT_BIT_SERVICE_ACCOUNT, type BaselineProps } from './props';
import { READ, toPolicyRules } from './rbac';

/** Fluent Bit configuration: container and kubelet logs to one KMS-encrypted CloudWatch log group. */
export function fluentBitConfig(props: BaselineProps): string {
  const out = (match: string, prefix: string) =>
    [
      '[OUTPUT]',
      '    Name              cloudwatch_logs',
      `    Match             ${match}`,
      `    region            ${props.region}`,
      `    log_group_name    ${props.fluentBit.logGroupName}`,
      `    log_stream_prefix ${prefix}`,
      '    auto_create_group false',
    ].join('\n');
  return [
    '[SERVICE]',
    '    Flush             5',
    '    Log_Level         info',
    '    HTTP_Server       On',
    '    HTTP_Listen       0.0.0.0',
    '    HTTP_Port         2020',
    '    Health_Check      On',
    // Buffers on the node's disk, so a restarted pod resumes where it stopped.
    '    storage.path      /var/fluent-bit/state/buffer/',
    '',
    '[INPUT]',
    '    Name              tail',
    '    Tag               kube.*',
    '    Path              /var/log/containers/*.log',
    '    multiline.parser  cri, docker',
    '    DB                /var/fluent-bit/state/containers.db',
    '    Mem_Buf_Limit     50MB',
    '    Skip_Long_Lines   On',
    '    storage.type      filesystem',
    '',
    '[INPUT]',
    '    Name              systemd',
    '    Tag               node.kubelet',
    '    Systemd_Filter    _SYSTEMD_UNIT=kubelet.service',
    '    Path              /var/log/journal',
    '    DB                /var/fluent-bit/state/journal.db',
    '    Read_From_Tail    On',
    '',
    '[FILTER]',
    '    Name              kubernetes',
    '    Match             kube.*',
    '    Merge_Log         On',
    '    Keep_Log          Off',
    '    Labels            Off',
    '    Annotations       Off',
    '',
    out('kube.*', 'containers.'),
    '',
    out('node.*', 'node.'),
    '',
  ].join('\n');
}

/**
 * Fluent Bit as a DaemonSet in the `logging` namespace (PSA exception: read-only hostPath of /var/log),
 * shipping through its own Pod Identity role (EKS-K8S-LOG-001). The container runs as root only to read
 * root-owned log files: no privilege escalation, no capabilities, read-only root filesystem.
 */
export class LoggingChart extends Chart {
  constructor(scope: Construct, id: string, props: BaselineProps, chartProps: ChartProps = {}) {
    super(scope, id, { disableResourceNameHashes: true, ...chartProps });
    const namespace = props.fluentBit.namespace;
    const labels = { ...props.workloadLabels, 'app.kubernetes.io/name': 'fluent-bit' };
    new k8s.KubeServiceAccount(this, 'sa', {
      metadata: { name: FLUENT_BIT_SERVICE_ACCOUNT, namespace },
      // The kubernetes filter reads pod metadata from the API.
      automountServiceAccountToken: true,
    });
    new k8s.KubeClusterRole(this, 'role', {
      metadata: { name: 'hardened-eks:fluent-bit' },
      rules: toPolicyRules([{ apiGroups: [''], resources: ['namespaces', 'pods'], verbs: READ }]),
    });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: { name: 'hardened-eks:fluent-bit' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'hardened-eks:fluent-bit',
      },
      subjects: [{ kind: 'ServiceAccount', name: FLUENT_BIT_SERVICE_ACCOUNT, namespace }],
    });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: 'fluent-bit-config', namespace },
      data: { 'fluent-bit.conf': fluentBitConfig(props) },
    });
    new k8s.KubeDaemonSet(this, 'daemonset', {
      metadata: { name: 'fluent-bit', namespace, labels },
      spec: {
        selector: { matchLabels: labels },
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) },
        },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: FLUENT_BIT_SERVICE_ACCOUNT,
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'fluent-bit',
                image: props.fluentBit.image,
                args: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/fluent-bit.conf'],
                ports: [{ name: 'http', containerPort: 2020 }],
                livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromNumber(2020) } },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { memory: k8s.Quantity.fromString('256Mi') },
                },
                securityContext: {
                  runAsUser: 0,
                  runAsNonRoot: false,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: [
                  { name: 'varlog', mountPath: '/var/log', readOnly: true },
                  { name: 'state', mountPath: '/var/fluent-bit/state' },
                  { name: 'config', mountPath: '/fluent-bit/etc/', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } },
              { name: 'state', hostPath: { path: '/var/lib/fluent-bit', type: 'DirectoryOrCreate' } },
              { name: 'config', configMap: { name: 'fluent-bit-config' } },
            ],
          },
        },
      },
    });
  }
}
