import { parse } from 'smol-toml';
import { CIS_L2_DISALLOWED_MODULES, CIS_L2_SYSCTLS } from '../../constructs/bottlerocket/user-data';
import {
  NODE_MANAGED_POLICIES,
  SSM_RUN_COMMAND_ACTIONS,
  SSM_SESSION_ACTIONS,
} from '../../constructs/ssm-only-node-role';
import { prop, resourcesOfType, type Finding, type RuleContext, type TemplateRule } from './types';

const f = (controlId: string, logicalId: string, message: string): Finding => ({
  controlId,
  logicalId,
  message,
});

function launchTemplates(ctx: RuleContext) {
  return resourcesOfType(ctx.template, 'AWS::EC2::LaunchTemplate').map(
    ([id, r]) => [id, prop<Record<string, unknown>>(r.Properties, 'LaunchTemplateData') ?? {}] as const,
  );
}

export const bottlerocketAmi: TemplateRule = {
  controlId: 'EKS-NODE-001',
  check: (ctx) =>
    resourcesOfType(ctx.template, 'AWS::EKS::Nodegroup').flatMap(([id, r]) => {
      const ami = prop<string>(r.Properties, 'AmiType');
      return typeof ami === 'string' && ami.startsWith('BOTTLEROCKET_')
        ? []
        : [f('EKS-NODE-001', id, `AmiType must be a Bottlerocket type, got ${JSON.stringify(ami)}`)];
    }),
};

export const imdsV2HopLimitOne: TemplateRule = {
  controlId: 'EKS-NODE-002',
  check: (ctx) =>
    launchTemplates(ctx).flatMap(([id, data]) => {
      const out: Finding[] = [];
      if (prop(data, 'MetadataOptions', 'HttpTokens') !== 'required') {
        out.push(f('EKS-NODE-002', id, 'MetadataOptions.HttpTokens must be "required" (IMDSv2 only)'));
      }
      if (prop(data, 'MetadataOptions', 'HttpPutResponseHopLimit') !== 1) {
        out.push(
          f(
            'EKS-NODE-002',
            id,
            'MetadataOptions.HttpPutResponseHopLimit must be 1 so pods cannot reach IMDS',
          ),
        );
      }
      return out;
    }),
};

export const encryptedVolumes: TemplateRule = {
  controlId: 'EKS-NODE-003',
  check: (ctx) =>
    launchTemplates(ctx).flatMap(([id, data]) => {
      const mappings = prop<Array<Record<string, unknown>>>(data, 'BlockDeviceMappings') ?? [];
      const devices = new Set(mappings.map((m) => m.DeviceName));
      const out: Finding[] = [];
      for (const dev of ['/dev/xvda', '/dev/xvdb']) {
        if (!devices.has(dev))
          out.push(f('EKS-NODE-003', id, `block device ${dev} must be defined and encrypted`));
      }
      for (const m of mappings) {
        if (prop(m, 'Ebs', 'Encrypted') !== true || prop(m, 'Ebs', 'KmsKeyId') === undefined) {
          out.push(f('EKS-NODE-003', id, `${String(m.DeviceName)} must be encrypted with the EBS key`));
        }
      }
      return out;
    }),
};

export const noRemoteAccess: TemplateRule = {
  controlId: 'EKS-NODE-004',
  check: (ctx) => [
    ...launchTemplates(ctx)
      .filter(([, data]) => data.KeyName !== undefined)
      .map(([id]) =>
        f('EKS-NODE-004', id, 'launch templates must not set an SSH KeyName; use SSM Session Manager'),
      ),
    ...resourcesOfType(ctx.template, 'AWS::EKS::Nodegroup')
      .filter(([, r]) => prop(r.Properties, 'RemoteAccess') !== undefined)
      .map(([id]) => f('EKS-NODE-004', id, 'node groups must not configure RemoteAccess (SSH)')),
  ],
};

/** Parses a launch template's literal user data; undefined when it is not a plain string. */
function userData(data: Record<string, unknown>): Record<string, unknown> | undefined | 'unparseable' {
  const raw = prop(data, 'UserData', 'Fn::Base64') ?? data.UserData;
  if (typeof raw !== 'string') return undefined;
  try {
    return parse(raw) as Record<string, unknown>;
  } catch {
    return 'unparseable';
  }
}

export const bottlerocketSettings: TemplateRule = {
  controlId: 'EKS-NODE-005',
  check: (ctx) =>
    launchTemplates(ctx).flatMap(([id, data]) => {
      const toml = userData(data);
      if (toml === undefined || toml === 'unparseable') {
        return [f('EKS-NODE-005', id, 'user data must be plain Bottlerocket TOML written at synthesis')];
      }
      const s = (...path: string[]) => prop(toml, 'settings', ...path);
      const out: Finding[] = [];
      const expect = (ok: boolean, what: string) => ok || out.push(f('EKS-NODE-005', id, what));
      expect(s('host-containers', 'admin', 'enabled') === false, 'admin host container must be disabled');
      expect(
        s('host-containers', 'control', 'enabled') === true,
        'control host container (SSM) must be enabled',
      );
      expect(s('kernel', 'lockdown') === 'integrity', 'kernel.lockdown must be "integrity"');
      expect(s('kubernetes', 'seccomp-default') === true, 'kubernetes.seccomp-default must be true');
      expect(
        typeof s('kubernetes', 'pod-pids-limit') === 'number',
        'kubernetes.pod-pids-limit must be finite',
      );
      const sysctls = s('kubernetes', 'allowed-unsafe-sysctls');
      expect(
        Array.isArray(sysctls) && sysctls.length === 0,
        'kubernetes.allowed-unsafe-sysctls must be empty',
      );
      expect(s('metrics', 'send-metrics') === false, 'metrics.send-metrics must be false');
      return out;
    }),
};

export const cisLevel2: TemplateRule = {
  controlId: 'EKS-NODE-008',
  check: (ctx) => {
    // Level 1 is a declared deviation only when every cluster in the template declares it.
    const names = Object.keys(ctx.deviations);
    const clusterNames = resourcesOfType(ctx.template, 'AWS::EKS::Cluster').map(([, r]) =>
      String(prop(r.Properties, 'Name')),
    );
    const scope = clusterNames.length > 0 ? clusterNames : names;
    if (scope.length > 0 && scope.every((n) => ctx.deviations[n]?.cisLevel === 1)) return [];
    return launchTemplates(ctx).flatMap(([id, data]) => {
      const toml = userData(data);
      if (toml === undefined || toml === 'unparseable') return [];
      const out: Finding[] = [];
      for (const mod of CIS_L2_DISALLOWED_MODULES) {
        if (prop(toml, 'settings', 'kernel', 'modules', mod, 'allowed') !== false) {
          out.push(
            f(
              'EKS-NODE-008',
              id,
              `kernel module ${mod} must be disallowed (CIS Bottlerocket L2), or declare cisLevel: 1`,
            ),
          );
        }
      }
      const sysctl = prop<Record<string, string>>(toml, 'settings', 'kernel', 'sysctl') ?? {};
      for (const [key, value] of Object.entries(CIS_L2_SYSCTLS)) {
        if (sysctl[key] !== value)
          out.push(f('EKS-NODE-008', id, `sysctl ${key} must be "${value}", or declare cisLevel: 1`));
      }
      return out;
    });
  },
};

const FORBIDDEN_NODE_POLICIES = ['AmazonSSMManagedInstanceCore', 'AmazonEKS_CNI_Policy'];

/** The literal text of a value, rendering `Fn::Join` parts and marking other intrinsics as `{...}`. */
function literalText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = prop<[string, unknown[]]>(value, 'Fn::Join');
  if (join) return join[1].map(literalText).join(join[0]);
  return '{intrinsic}';
}

/** Managed policy names of a role: the last path segment after `:policy/`, or `{intrinsic}` for references. */
function managedPolicyNames(role: Record<string, unknown> | undefined): string[] {
  return (prop<unknown[]>(role, 'ManagedPolicyArns') ?? []).map((arn) => {
    const m = /:policy\/(.+)$/.exec(literalText(arn));
    return m ? m[1].split('/').pop()! : '{intrinsic}';
  });
}

export const minimalNodeRole: TemplateRule = {
  controlId: 'EKS-IAM-004',
  check: (ctx) => {
    const resources = ctx.template.Resources ?? {};
    const out: Finding[] = [];
    const nodeRoleIds = new Set(
      resourcesOfType(ctx.template, 'AWS::EKS::Nodegroup')
        .map(([, r]) => prop<string[]>(r.Properties, 'NodeRole', 'Fn::GetAtt')?.[0])
        .filter((x): x is string => typeof x === 'string'),
    );
    for (const roleId of nodeRoleIds) {
      const role = resources[roleId]?.Properties;
      const names = managedPolicyNames(role);
      const expected = [...NODE_MANAGED_POLICIES].sort();
      const awsManaged = names.filter((n) => !n.startsWith('{')).sort();
      const extra = awsManaged.filter((n) => !expected.includes(n as (typeof expected)[number]));
      for (const n of names.filter((x) => FORBIDDEN_NODE_POLICIES.includes(x))) {
        out.push(f('EKS-IAM-004', roleId, `node role must not carry ${n}`));
      }
      for (const n of extra.filter((x) => !FORBIDDEN_NODE_POLICIES.includes(x))) {
        out.push(f('EKS-IAM-004', roleId, `node role carries unexpected managed policy ${n}`));
      }
      for (const n of expected.filter((e) => !awsManaged.includes(e))) {
        out.push(f('EKS-IAM-004', roleId, `node role must carry ${n}`));
      }
      if (role && prop(role, 'Policies') !== undefined) {
        out.push(f('EKS-IAM-004', roleId, 'node role must not have inline policies'));
      }
      // Every customer-managed policy attached to the node role grants only the SSM actions.
      const allowed = new Set<string>([...SSM_SESSION_ACTIONS, ...SSM_RUN_COMMAND_ACTIONS]);
      for (const [pid, p] of resourcesOfType(ctx.template, 'AWS::IAM::ManagedPolicy')) {
        const roles = (prop<unknown[]>(p.Properties, 'Roles') ?? []).map((r) => prop(r, 'Ref'));
        if (!roles.includes(roleId)) continue;
        const statements =
          prop<Array<Record<string, unknown>>>(p.Properties, 'PolicyDocument', 'Statement') ?? [];
        for (const st of statements) {
          const actions = ([] as string[]).concat((st.Action as string | string[] | undefined) ?? []);
          for (const a of actions.filter((x) => !allowed.has(x))) {
            out.push(
              f('EKS-IAM-004', pid, `node role policy grants ${a}; only the SSM session actions are allowed`),
            );
          }
        }
      }
    }
    return out;
  },
};
