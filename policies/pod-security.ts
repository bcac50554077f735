/**
 * Policy 2: the Pod Security Standards as CEL, over Pods and every pod-template kind, so a workload that
 * would be refused at pod creation is refused at its controller (Deployment, CronJob, ...) instead of
 * failing silently at the ReplicaSet. The level follows the namespace's `pod-security.kubernetes.io/enforce`
 * label: `baseline` namespaces get the baseline checks, every other non-system namespace (labelled
 * `restricted`, or missing the label) gets restricted. `privileged` namespaces are not bound.
 *
 * The checks mirror the upstream Pod Security Admission checks at their latest version (v1.35) and are
 * proved against its conformance fixtures for v1.32–v1.35.
 */
import type { KubeObject, ValidationAction } from '../lib/admission/types';
import {
  NAMESPACE_NAME_LABEL,
  POD_VARIABLES,
  PSS_ENFORCE_LABEL,
  WORKLOAD_RULES,
  renderPolicy,
  type PolicyValidation,
} from './private/vap';

export type PodSecurityLevel = 'baseline' | 'restricted';

/** One Pod Security check: the upstream check name, its CEL and the message. */
export interface PodSecurityCheck extends PolicyValidation {
  /** The upstream check id (`privileged`, `runAsNonRoot`, ...). */
  readonly check: string;
}

export interface PodSecurityProps {
  /** Namespaces never bound (the EKS system namespaces). */
  readonly exemptNamespaces: readonly string[];
  /** @default ['Deny', 'Audit'] */
  readonly validationActions?: readonly ValidationAction[];
}

/** Capabilities baseline allows adding (upstream's list). */
const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
/** Namespaced sysctls considered safe by the kubelet, as of Kubernetes 1.32. */
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.tcp_wmem',
];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const RESTRICTED_VOLUME_FIELDS = [
  'name',
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

export const PSS_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/**
 * The minor version of the namespace's `enforce-version` label, as PSA reads it: `latest`, absent or
 * unparsable means the newest checks.
 */
const PSS_VERSION_VARIABLE = {
  name: 'pssMinor',
  expression: `cel.bind(v, namespaceObject.?metadata.?labels[?'${PSS_VERSION_LABEL}'].orValue('latest'), v.matches('^v1[.][0-9]+$') ? int(v.substring(3)) : 1000)`,
};

const list = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
const SC = 'variables.podSpec.?securityContext';
const NOT_WINDOWS = "variables.podSpec.?os.?name.orValue('') != 'windows'";

/** A check that every container must pass; the message names the containers that do not. */
function eachContainer(check: string, predicate: string, message: string, guard?: string): PodSecurityCheck {
  const all = `variables.containers.all(c, ${predicate})`;
  return {
    check,
    expression: guard ? `!(${guard}) || ${all}` : all,
    message,
    messageExpression: `${JSON.stringify(`${message}; containers: `)} + variables.containers.filter(c, !(${predicate})).map(c, c.name).join(', ')`,
  };
}

function podAndContainers(
  check: string,
  podPredicate: string,
  containerPredicate: string,
  message: string,
): PodSecurityCheck {
  return {
    check,
    expression: `(${podPredicate}) && variables.containers.all(c, ${containerPredicate})`,
    message,
  };
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['lifecycle.?postStart', 'lifecycle.?preStop'];

export const BASELINE_CHECKS: readonly PodSecurityCheck[] = [
  {
    check: 'hostNamespaces',
    expression:
      '!variables.podSpec.?hostNetwork.orValue(false) && !variables.podSpec.?hostPID.orValue(false) && !variables.podSpec.?hostIPC.orValue(false)',
    message: 'host namespaces: hostNetwork, hostPID and hostIPC must be unset or false',
  },
  eachContainer(
    'privileged',
    '!c.?securityContext.?privileged.orValue(false)',
    'privileged: containers must not set securityContext.privileged=true',
  ),
  eachContainer(
    'capabilities_baseline',
    `sets.contains(${list(BASELINE_CAPABILITIES)}, c.?securityContext.?capabilities.?add.orValue([]))`,
    'capabilities: containers must not add capabilities beyond the baseline set',
  ),
  {
    check: 'hostPathVolumes',
    expression: 'variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath))',
    message: 'hostPath volumes are forbidden',
    messageExpression:
      "'hostPath volumes are forbidden: ' + variables.podSpec.?volumes.orValue([]).filter(v, has(v.hostPath)).map(v, v.name).join(', ')",
  },
  eachContainer(
    'hostPorts',
    'c.?ports.orValue([]).all(p, p.?hostPort.orValue(0) == 0)',
    'hostPort: containers must not set ports[].hostPort',
  ),
  {
    check: 'appArmorProfile',
    expression:
      "variables.podMeta.?annotations.orValue({}).all(k, !k.startsWith('container.apparmor.security.beta.kubernetes.io/') || variables.podMeta.annotations[k] in ['', 'runtime/default'] || variables.podMeta.annotations[k].startsWith('localhost/')) && " +
      `${SC}.?appArmorProfile.?type.orValue('RuntimeDefault') in ['RuntimeDefault', 'Localhost'] && ` +
      "variables.containers.all(c, c.?securityContext.?appArmorProfile.?type.orValue('RuntimeDefault') in ['RuntimeDefault', 'Localhost'])",
    message: 'AppArmor: the profile must not be unconfined (annotation or securityContext.appArmorProfile)',
  },
  podAndContainers(
    'seLinuxOptions',
    `${SC}.?seLinuxOptions.?type.orValue('') in ${list(SELINUX_TYPES)} && ${SC}.?seLinuxOptions.?user.orValue('') == '' && ${SC}.?seLinuxOptions.?role.orValue('') == ''`,
    `c.?securityContext.?seLinuxOptions.?type.orValue('') in ${list(SELINUX_TYPES)} && c.?securityContext.?seLinuxOptions.?user.orValue('') == '' && c.?securityContext.?seLinuxOptions.?role.orValue('') == ''`,
    'SELinux: seLinuxOptions.type must be a container type and user/role must be unset',
  ),
  eachContainer(
    'procMount',
    "c.?securityContext.?procMount.orValue('Default') == 'Default'",
    'procMount: containers must not set securityContext.procMount other than Default (unless the pod sets hostUsers: false)',
    // Before v1.35 (the namespace's enforce-version), user namespaces did not relax this check.
    'variables.podSpec.?hostUsers.orValue(true) || variables.pssMinor < 35',
  ),
  podAndContainers(
    'seccompProfile_baseline',
    `${SC}.?seccompProfile.?type.orValue('') != 'Unconfined'`,
    "c.?securityContext.?seccompProfile.?type.orValue('') != 'Unconfined'",
    'seccomp: the seccomp profile must not be Unconfined',
  ),
  {
    check: 'sysctls',
    expression: `${SC}.?sysctls.orValue([]).all(s, s.name in ${list(SAFE_SYSCTLS)})`,
    message: 'sysctls: only the safe namespaced sysctls are allowed',
  },
  podAndContainers(
    'windowsHostProcess',
    `!${SC}.?windowsOptions.?hostProcess.orValue(false)`,
    '!c.?securityContext.?windowsOptions.?hostProcess.orValue(false)',
    'Windows HostProcess containers are forbidden',
  ),
  eachContainer(
    'hostProbesAndHostLifecycle',
    [...PROBES, ...HANDLERS]
      .flatMap((h) => [
        `c.?${h}.?httpGet.?host.orValue('') == ''`,
        `c.?${h}.?tcpSocket.?host.orValue('') == ''`,
      ])
      .join(' && '),
    'probes and lifecycle handlers must not set host',
  ),
];

export const RESTRICTED_CHECKS: readonly PodSecurityCheck[] = [
  {
    check: 'restrictedVolumes',
    expression: `variables.podSpec.?volumes.orValue([]).all(v, v.all(k, k in ${list(RESTRICTED_VOLUME_FIELDS)}))`,
    message:
      'volumes: only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes are allowed',
  },
  eachContainer(
    'allowPrivilegeEscalation',
    '!c.?securityContext.?allowPrivilegeEscalation.orValue(true)',
    'allowPrivilegeEscalation: containers must set securityContext.allowPrivilegeEscalation=false',
    NOT_WINDOWS,
  ),
  {
    check: 'runAsNonRoot',
    expression: `${SC}.?runAsNonRoot.orValue(true) && variables.containers.all(c, c.?securityContext.?runAsNonRoot.orValue(${SC}.?runAsNonRoot.orValue(false)))`,
    message: 'runAsNonRoot: the pod or every container must set securityContext.runAsNonRoot=true',
  },
  podAndContainers(
    'runAsUser',
    `${SC}.?runAsUser.orValue(1) != 0`,
    'c.?securityContext.?runAsUser.orValue(1) != 0',
    'runAsUser: the pod and containers must not set runAsUser=0',
  ),
  {
    check: 'seccompProfile_restricted',
    expression: `!(${NOT_WINDOWS}) || (${SC}.?seccompProfile.?type.orValue('RuntimeDefault') in ['RuntimeDefault', 'Localhost'] && variables.containers.all(c, c.?securityContext.?seccompProfile.?type.orValue(${SC}.?seccompProfile.?type.orValue('')) in ['RuntimeDefault', 'Localhost']))`,
    message:
      'seccomp: the pod or every container must set seccompProfile.type to RuntimeDefault or Localhost',
  },
  eachContainer(
    'capabilities_restricted',
    "'ALL' in c.?securityContext.?capabilities.?drop.orValue([]) && c.?securityContext.?capabilities.?add.orValue([]).all(x, x == 'NET_BIND_SERVICE')",
    'capabilities: containers must drop ALL and may add only NET_BIND_SERVICE',
    NOT_WINDOWS,
  ),
  eachContainer(
    'procMount_restricted',
    "c.?securityContext.?procMount.orValue('Default') == 'Default'",
    'procMount: containers must not set securityContext.procMount other than Default',
  ),
];

/** Both levels as ValidatingAdmissionPolicies, selected by the namespace's enforce label. */
export class PodSecurity {
  public static readonly id = 'pod-security';
  public static readonly controls = ['EKS-ADM-002'];
  public static readonly levels: readonly PodSecurityLevel[] = ['baseline', 'restricted'];

  /** The checks of a level: restricted includes every baseline check. */
  public static checks(level: PodSecurityLevel): readonly PodSecurityCheck[] {
    return level === 'baseline' ? BASELINE_CHECKS : [...BASELINE_CHECKS, ...RESTRICTED_CHECKS];
  }

  constructor(private readonly props: PodSecurityProps) {}

  public manifests(): KubeObject[] {
    return PodSecurity.levels.flatMap((level) =>
      renderPolicy({
        name: `${PodSecurity.id}-${level}`,
        id: PodSecurity.id,
        controls: PodSecurity.controls,
        description: `Pod Security Standard "${level}" over pods and pod templates`,
        rules: WORKLOAD_RULES,
        variables: [...POD_VARIABLES, PSS_VERSION_VARIABLE],
        validations: PodSecurity.checks(level).map((c) => ({
          ...c,
          message: `Pod Security "${level}": ${c.message}`,
          ...(c.messageExpression
            ? { messageExpression: `'Pod Security "${level}": ' + ${c.messageExpression}` }
            : {}),
        })),
        validationActions: this.props.validationActions ?? ['Deny', 'Audit'],
        namespaceSelector: {
          matchExpressions: [
            level === 'baseline'
              ? { key: PSS_ENFORCE_LABEL, operator: 'In', values: ['baseline'] }
              : { key: PSS_ENFORCE_LABEL, operator: 'NotIn', values: ['baseline', 'privileged'] },
            ...(this.props.exemptNamespaces.length > 0
              ? [
                  {
                    key: NAMESPACE_NAME_LABEL,
                    operator: 'NotIn' as const,
                    values: [...this.props.exemptNamespaces].sort(),
                  },
                ]
              : []),
          ],
        },
      }),
    );
  }
}
