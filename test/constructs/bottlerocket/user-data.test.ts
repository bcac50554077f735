import { parse } from 'smol-toml';
import { CIS_L2_SYSCTLS, renderBottlerocketSettings } from '../../../lib/constructs/bottlerocket/user-data';

describe('renderBottlerocketSettings |', () => {
  test('EKS-NODE-005: renders plain TOML with the hardening settings', () => {
    const toml = renderBottlerocketSettings({ cisLevel: 1, podPidsLimit: 4096 });
    expect(toml).toBe(
      [
        '[settings.host-containers.admin]',
        'enabled = false',
        '',
        '[settings.host-containers.control]',
        'enabled = true',
        '',
        '[settings.kernel]',
        'lockdown = "integrity"',
        '',
        '[settings.kubernetes]',
        'allowed-unsafe-sysctls = []',
        'pod-pids-limit = 4096',
        'seccomp-default = true',
        '',
        '[settings.metrics]',
        'send-metrics = false',
        '',
      ].join('\n'),
    );
    expect(toml).not.toMatch(/MIME|Content-Type/);
  });

  test('EKS-NODE-005: the TOML parses back to the intended settings', () => {
    const s = (
      parse(renderBottlerocketSettings({ cisLevel: 2, podPidsLimit: 1024 })) as {
        settings: Record<string, any>;
      }
    ).settings;
    expect(s['host-containers']).toEqual({ admin: { enabled: false }, control: { enabled: true } });
    expect(s.kernel.lockdown).toBe('integrity');
    expect(s.kubernetes).toEqual({
      'allowed-unsafe-sysctls': [],
      'pod-pids-limit': 1024,
      'seccomp-default': true,
    });
    expect(s.metrics).toEqual({ 'send-metrics': false });
  });

  test('EKS-NODE-008: CIS level 2 disallows udf and sctp and sets the network sysctls', () => {
    const s = (
      parse(renderBottlerocketSettings({ cisLevel: 2, podPidsLimit: 4096 })) as {
        settings: Record<string, any>;
      }
    ).settings;
    expect(s.kernel.modules).toEqual({ sctp: { allowed: false }, udf: { allowed: false } });
    expect(s.kernel.sysctl).toEqual(CIS_L2_SYSCTLS);
    const l1 = (
      parse(renderBottlerocketSettings({ cisLevel: 1, podPidsLimit: 4096 })) as {
        settings: Record<string, any>;
      }
    ).settings;
    expect(l1.kernel.modules).toBeUndefined();
    expect(l1.kernel.sysctl).toBeUndefined();
  });

  test('the same input renders byte-identical output', () => {
    const a = renderBottlerocketSettings({ cisLevel: 2, podPidsLimit: 4096 });
    expect(renderBottlerocketSettings({ cisLevel: 2, podPidsLimit: 4096 })).toBe(a);
  });

  test('rejects a non-positive PID limit', () => {
    expect(() => renderBottlerocketSettings({ cisLevel: 2, podPidsLimit: 0 })).toThrow(/podPidsLimit/);
  });
});
