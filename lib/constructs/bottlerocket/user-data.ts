import { stringify } from 'smol-toml';

/** Inputs for the node-level Bottlerocket settings the blueprint owns. */
export interface BottlerocketSettingsInput {
  /**
   * CIS Bottlerocket benchmark level. Level 2 adds the kernel-module and network-sysctl settings.
   * Level 1 weakens control EKS-NODE-008; shown as a deviation in the posture report.
   */
  readonly cisLevel: 1 | 2;
  /** Maximum processes per pod (kubelet podPidsLimit); finite to bound fork bombs. */
  readonly podPidsLimit: number;
}

/** Kernel modules CIS Bottlerocket Level 2 forbids: udf (1.1.1.1) and sctp (3.3.1). */
export const CIS_L2_DISALLOWED_MODULES = ['sctp', 'udf'] as const;

/** CIS Bottlerocket Level 2 network sysctls (3.1.1, 3.2.2, 3.2.3, 3.2.4). */
export const CIS_L2_SYSCTLS: Readonly<Record<string, string>> = {
  'net.ipv4.conf.all.accept_redirects': '0',
  'net.ipv4.conf.all.log_martians': '1',
  'net.ipv4.conf.all.secure_redirects': '0',
  'net.ipv4.conf.all.send_redirects': '0',
  'net.ipv4.conf.default.accept_redirects': '0',
  'net.ipv4.conf.default.log_martians': '1',
  'net.ipv4.conf.default.secure_redirects': '0',
  'net.ipv4.conf.default.send_redirects': '0',
  'net.ipv6.conf.all.accept_redirects': '0',
  'net.ipv6.conf.default.accept_redirects': '0',
};

type TomlTable = { [key: string]: TomlValue };
type TomlValue = string | number | boolean | string[] | TomlTable;

/** The settings as a nested object, before rendering. Exposed for tests and the posture report. */
export function bottlerocketSettings(input: BottlerocketSettingsInput): TomlTable {
  if (!Number.isInteger(input.podPidsLimit) || input.podPidsLimit < 1) {
    throw new RangeError(`podPidsLimit must be a positive integer, got ${input.podPidsLimit}`);
  }
  const kernel: TomlTable = { lockdown: 'integrity' };
  if (input.cisLevel === 2) {
    kernel.modules = Object.fromEntries(CIS_L2_DISALLOWED_MODULES.map((m) => [m, { allowed: false }]));
    kernel.sysctl = { ...CIS_L2_SYSCTLS };
  }
  return {
    settings: {
      'host-containers': {
        // The admin container is superpowered (root on the host) and carries sshd: never on.
        admin: { enabled: false },
        // The control container runs the SSM agent: the only way onto the node.
        control: { enabled: true },
      },
      kernel,
      kubernetes: {
        'allowed-unsafe-sysctls': [],
        'pod-pids-limit': input.podPidsLimit,
        'seccomp-default': true,
      },
      metrics: { 'send-metrics': false },
    },
  };
}

/**
 * Renders Bottlerocket user data as plain TOML (never MIME multipart, which Bottlerocket cannot parse).
 * EKS merges its own bootstrap settings (cluster name, endpoint, CA) into this for EKS-optimized AMI types.
 * Keys are sorted, so the same input always renders byte-identical output.
 */
export function renderBottlerocketSettings(input: BottlerocketSettingsInput): string {
  const toml = stringify(sortKeys(bottlerocketSettings(input)));
  return toml.endsWith('\n') ? toml : `${toml}\n`;
}

function sortKeys(value: TomlValue): TomlValue {
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}
