import { prop, resourcesOfType, type Finding, type TemplateRule } from './types';

const WORLD = ['0.0.0.0/0', '::/0'];

function coversPort22(rule: Record<string, unknown>): boolean {
  const proto = String(rule.IpProtocol ?? '');
  if (proto === '-1') return true;
  if (proto !== 'tcp' && proto !== '6') return false;
  const from = Number(rule.FromPort ?? 0);
  const to = Number(rule.ToPort ?? 65535);
  return from <= 22 && 22 <= to;
}

export const noSshNoWorldIngress: TemplateRule = {
  controlId: 'EKS-NET-002',
  check: (ctx) => {
    const out: Finding[] = [];
    const inspect = (logicalId: string, rule: Record<string, unknown>) => {
      if (coversPort22(rule))
        out.push({ controlId: 'EKS-NET-002', logicalId, message: 'a security group rule opens port 22' });
      const cidr = rule.CidrIp ?? rule.CidrIpv6;
      if (typeof cidr === 'string' && WORLD.includes(cidr)) {
        out.push({ controlId: 'EKS-NET-002', logicalId, message: `a security group admits ${cidr}` });
      }
    };
    for (const [id, r] of resourcesOfType(ctx.template, 'AWS::EC2::SecurityGroup')) {
      for (const rule of prop<Array<Record<string, unknown>>>(r.Properties, 'SecurityGroupIngress') ?? [])
        inspect(id, rule);
    }
    for (const [id, r] of resourcesOfType(ctx.template, 'AWS::EC2::SecurityGroupIngress'))
      inspect(id, r.Properties ?? {});
    return out;
  },
};

export const keysRotateAndAreRetained: TemplateRule = {
  controlId: 'EKS-KMS-002',
  check: (ctx) =>
    resourcesOfType(ctx.template, 'AWS::KMS::Key').flatMap(([id, r]) => {
      const out: Finding[] = [];
      if (prop(r.Properties, 'EnableKeyRotation') !== true) {
        out.push({ controlId: 'EKS-KMS-002', logicalId: id, message: 'KMS key rotation must be enabled' });
      }
      if (r.DeletionPolicy !== 'Retain') {
        out.push({
          controlId: 'EKS-KMS-002',
          logicalId: id,
          message: 'KMS keys must have DeletionPolicy Retain',
        });
      }
      return out;
    }),
};

export const logGroupsEncryptedRetained: TemplateRule = {
  controlId: 'EKS-LOG-002',
  check: (ctx) =>
    resourcesOfType(ctx.template, 'AWS::Logs::LogGroup').flatMap(([id, r]) => {
      const out: Finding[] = [];
      if (prop(r.Properties, 'KmsKeyId') === undefined) {
        out.push({
          controlId: 'EKS-LOG-002',
          logicalId: id,
          message: 'log groups must be encrypted with the logs key',
        });
      }
      if (prop(r.Properties, 'RetentionInDays') === undefined) {
        out.push({
          controlId: 'EKS-LOG-002',
          logicalId: id,
          message: 'log groups must set a retention (logRetentionDays)',
        });
      }
      if (r.DeletionPolicy !== 'Retain') {
        out.push({
          controlId: 'EKS-LOG-002',
          logicalId: id,
          message: 'log groups must have DeletionPolicy Retain',
        });
      }
      return out;
    }),
};
