import { resourcesOfType, prop, type Finding, type RuleContext, type TemplateRule } from './types';

export const REQUIRED_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** Runs `fn` for every EKS cluster in the template with its declared deviations. */
function eachCluster(
  ctx: RuleContext,
  fn: (logicalId: string, props: Record<string, unknown>, name: string) => Finding[],
): Finding[] {
  return resourcesOfType(ctx.template, 'AWS::EKS::Cluster').flatMap(([id, r]) =>
    fn(id, r.Properties ?? {}, String(prop(r.Properties, 'Name') ?? '')),
  );
}

export const endpointIsPrivate: TemplateRule = {
  controlId: 'EKS-NET-001',
  check: (ctx) =>
    eachCluster(ctx, (logicalId, p, name) => {
      const vpc = prop<Record<string, unknown>>(p, 'ResourcesVpcConfig') ?? {};
      const declared = ctx.deviations[name]?.publicEndpointCidrs ?? [];
      const out: Finding[] = [];
      if (vpc.EndpointPrivateAccess !== true) {
        out.push({ controlId: 'EKS-NET-001', logicalId, message: 'private endpoint access must be enabled' });
      }
      if (vpc.EndpointPublicAccess !== false) {
        const cidrs = (vpc.PublicAccessCidrs as string[] | undefined) ?? ['0.0.0.0/0'];
        const undeclared = cidrs.filter((c) => !declared.includes(c));
        if (declared.length === 0 || undeclared.length > 0) {
          out.push({
            controlId: 'EKS-NET-001',
            logicalId,
            message: `public endpoint access is on for ${JSON.stringify(undeclared.length ? undeclared : cidrs)} without being declared; set endpointAccess "public-and-private" and list the CIDRs in publicEndpointCidrs, or keep it private`,
          });
        }
      }
      return out;
    }),
};

export const allLogTypes: TemplateRule = {
  controlId: 'EKS-LOG-001',
  check: (ctx) =>
    eachCluster(ctx, (logicalId, p) => {
      const enabled = (
        prop<Array<{ Type: string }>>(p, 'Logging', 'ClusterLogging', 'EnabledTypes') ?? []
      ).map((t) => t.Type);
      const missing = REQUIRED_LOG_TYPES.filter((t) => !enabled.includes(t));
      return missing.length === 0
        ? []
        : [
            {
              controlId: 'EKS-LOG-001',
              logicalId,
              message: `control-plane log types missing: ${missing.join(', ')}`,
            },
          ];
    }),
};

export const secretsEncrypted: TemplateRule = {
  controlId: 'EKS-KMS-001',
  check: (ctx) =>
    eachCluster(ctx, (logicalId, p) => {
      const configs = prop<Array<Record<string, unknown>>>(p, 'EncryptionConfig') ?? [];
      const ok = configs.some(
        (c) =>
          (c.Resources as string[] | undefined)?.includes('secrets') &&
          prop(c, 'Provider', 'KeyArn') !== undefined,
      );
      return ok
        ? []
        : [
            {
              controlId: 'EKS-KMS-001',
              logicalId,
              message: 'Secrets must be envelope-encrypted with a KMS key',
            },
          ];
    }),
};

export const apiAuthenticationMode: TemplateRule = {
  controlId: 'EKS-IAM-001',
  check: (ctx) =>
    eachCluster(ctx, (logicalId, p) =>
      prop(p, 'AccessConfig', 'AuthenticationMode') === 'API'
        ? []
        : [
            {
              controlId: 'EKS-IAM-001',
              logicalId,
              message: 'AccessConfig.AuthenticationMode must be "API" (no aws-auth)',
            },
          ],
    ),
};

export const noCreatorAdmin: TemplateRule = {
  controlId: 'EKS-IAM-002',
  check: (ctx) =>
    eachCluster(ctx, (logicalId, p) =>
      prop(p, 'AccessConfig', 'BootstrapClusterCreatorAdminPermissions') === false
        ? []
        : [
            {
              controlId: 'EKS-IAM-002',
              logicalId,
              message:
                'BootstrapClusterCreatorAdminPermissions must be false; grant admins through adminRoleArns',
            },
          ],
    ),
};

export const deletionProtection: TemplateRule = {
  controlId: 'EKS-OPS-001',
  check: (ctx) =>
    eachCluster(ctx, (logicalId, p, name) => {
      const allowedOff = ctx.deviations[name]?.clusterDeletionProtection === false;
      return p.DeletionProtection === true || allowedOff
        ? []
        : [
            {
              controlId: 'EKS-OPS-001',
              logicalId,
              message: 'DeletionProtection must be true unless clusterDeletionProtection: false is declared',
            },
          ];
    }),
};
