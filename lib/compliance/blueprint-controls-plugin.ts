import * as fs from 'fs';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import type { BlueprintConfig } from '../config';
import { controlById } from './controls';
import { declaredDeviations } from './deviations';
import { checkTemplate, type CfnTemplate, type DeclaredDeviations } from './rules';

/** Deviations each environment declares, keyed by cluster name: read from the one list (deviations.ts). */
export { declaredDeviations };

/**
 * The blueprint's own validation plugin: checks the catalogue's AWS-side controls over the synthesized
 * templates (so escape-hatch overrides are caught too). cdk-nag's EKS rules only know the old aws-eks
 * cluster class. A weakened control that config does not declare fails synthesis with the control id.
 */
export class BlueprintControlsPlugin implements IPolicyValidationPlugin {
  public readonly name = 'HardenedEks';
  public readonly version = '1';
  private readonly deviations: Record<string, DeclaredDeviations>;

  constructor(config: BlueprintConfig) {
    this.deviations = declaredDeviations(config);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const byRule = new Map<
      string,
      PolicyViolation & { violatingResources: PolicyViolation['violatingResources'][number][] }
    >();
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8')) as CfnTemplate;
      for (const finding of checkTemplate({ template, deviations: this.deviations })) {
        const control = controlById(finding.controlId);
        let v = byRule.get(finding.controlId);
        if (!v) {
          v = {
            ruleName: finding.controlId,
            description: `${control.title}: ${finding.message}`,
            fix: `See ${control.provedBy} and docs/controls.md (${control.id}); a deliberate weakening must be declared in config${control.deviationField ? ` (${control.deviationField})` : ''}.`,
            severity: 'error',
            violatingResources: [],
          };
          byRule.set(finding.controlId, v);
        }
        v.violatingResources.push({
          resourceLogicalId: finding.logicalId,
          templatePath,
          locations: ['Properties'],
        });
      }
    }
    const violations = [...byRule.values()];
    return { success: violations.length === 0, violations };
  }
}
