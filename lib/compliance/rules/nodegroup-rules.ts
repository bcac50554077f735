import { prop, resourcesOfType, type TemplateRule } from './types';

/**
 * EKS-OPS-002: no node group finishes a roll by ignoring PodDisruptionBudgets unless config declares it
 * (`nodeGroups[].forceUpdate`). CloudFormation's default for an absent ForceUpdateEnabled is false; CDK's
 * is true, so the property is read as written.
 */
export const nodegroupUpdatesRespectPdbs: TemplateRule = {
  controlId: 'EKS-OPS-002',
  check: (ctx) => {
    const allowed = new Set(Object.values(ctx.deviations).flatMap((d) => d.forceUpdateNodegroups ?? []));
    return resourcesOfType(ctx.template, 'AWS::EKS::Nodegroup').flatMap(([id, r]) => {
      if (prop(r.Properties, 'ForceUpdateEnabled') !== true) return [];
      const name = prop(r.Properties, 'NodegroupName');
      if (typeof name === 'string' && allowed.has(name)) return [];
      return [
        {
          controlId: 'EKS-OPS-002',
          logicalId: id,
          message:
            'ForceUpdateEnabled is true without being declared; leave it false, or set nodeGroups[].forceUpdate: true in config',
        },
      ];
    });
  },
};
