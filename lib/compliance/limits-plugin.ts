import * as fs from 'fs';
import * as path from 'path';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';

/**
 * CloudFormation's quotas that a growing config can cross (CloudFormation User Guide, quotas), and the
 * budget of one custom resource's properties: the provider framework invokes its handler asynchronously,
 * and an update event carries both the old and the new properties, so each side must stay well inside
 * the event size Lambda accepts (256 KiB before 2025-10, 1 MB since).
 */
export const CLOUDFORMATION_LIMITS = {
  resources: 500,
  templateBytes: 1_000_000,
  outputs: 200,
  parameters: 200,
  customResourcePropertiesBytes: 256 * 1024,
} as const;

/** One figure of one template over its limit. */
export interface LimitFinding {
  readonly stack: string;
  readonly rule: 'resources' | 'template-size' | 'outputs' | 'parameters' | 'custom-resource-size';
  readonly figure: number;
  readonly limit: number;
  /** The custom resource's logical id, for `custom-resource-size`. */
  readonly logicalId?: string;
  readonly remedy: string;
}

interface Template {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: unknown }>;
  readonly Outputs?: Record<string, unknown>;
  readonly Parameters?: Record<string, unknown>;
}

const isCustomResource = (type: string) =>
  type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

const SPLIT =
  'split the stack (tenants already get one stack each; a fork adding many resources should add stacks of its own)';

/** The figures of one template that CloudFormation's limits apply to. */
export interface TemplateFigures {
  readonly resources: number;
  /** The template body's size, as CloudFormation receives it. */
  readonly bytes: number;
  readonly outputs: number;
  readonly parameters: number;
  /** Each custom resource with the size of its properties (their JSON, as the provider's event carries them). */
  readonly customResources: readonly { readonly logicalId: string; readonly bytes: number }[];
}

/** Measures one synthesized template (its text as CloudFormation receives it). */
export function templateFigures(body: string): TemplateFigures {
  const template = JSON.parse(body) as Template;
  const resources = Object.entries(template.Resources ?? {});
  return {
    resources: resources.length,
    bytes: Buffer.byteLength(body, 'utf-8'),
    outputs: Object.keys(template.Outputs ?? {}).length,
    parameters: Object.keys(template.Parameters ?? {}).length,
    customResources: resources
      .filter(([, r]) => isCustomResource(r.Type))
      .map(([logicalId, r]) => ({
        logicalId,
        bytes: Buffer.byteLength(JSON.stringify(r.Properties ?? {}), 'utf-8'),
      })),
  };
}

/** Checks one synthesized template (its text as CloudFormation receives it) against the limits. */
export function checkTemplateLimits(stack: string, body: string): LimitFinding[] {
  const figures = templateFigures(body);
  const findings: LimitFinding[] = [];
  const over = (
    rule: LimitFinding['rule'],
    figure: number,
    limit: number,
    remedy: string,
    logicalId?: string,
  ) => {
    if (figure > limit)
      findings.push({ stack, rule, figure, limit, remedy, ...(logicalId ? { logicalId } : {}) });
  };
  over('resources', figures.resources, CLOUDFORMATION_LIMITS.resources, SPLIT);
  over('template-size', figures.bytes, CLOUDFORMATION_LIMITS.templateBytes, SPLIT);
  over('outputs', figures.outputs, CLOUDFORMATION_LIMITS.outputs, SPLIT);
  over('parameters', figures.parameters, CLOUDFORMATION_LIMITS.parameters, SPLIT);
  for (const cr of figures.customResources) {
    over(
      'custom-resource-size',
      cr.bytes,
      CLOUDFORMATION_LIMITS.customResourcePropertiesBytes,
      'split the chart it applies into smaller charts (each chart is applied as its own custom resource)',
      cr.logicalId,
    );
  }
  return findings;
}

/** A finding as one line: environment, stack, figure, limit and remedy. */
export function describeLimitFinding(f: LimitFinding, environment: string | undefined): string {
  const where = `environment ${environment ?? '?'}, stack ${f.stack}${f.logicalId ? `, resource ${f.logicalId}` : ''}`;
  const what: Record<LimitFinding['rule'], string> = {
    resources: `${f.figure} resources (CloudFormation allows ${f.limit} per stack)`,
    'template-size': `a template of ${f.figure} bytes (CloudFormation allows ${f.limit})`,
    outputs: `${f.figure} outputs (CloudFormation allows ${f.limit})`,
    parameters: `${f.figure} parameters (CloudFormation allows ${f.limit})`,
    'custom-resource-size': `custom resource properties of ${f.figure} bytes (budget ${f.limit}: the provider's event carries old and new properties)`,
  };
  return `${where}: ${what[f.rule]}; ${f.remedy}`;
}

/**
 * Refuses at synthesis what CloudFormation would refuse at deploy: too many resources, outputs or
 * parameters, a template body over its size limit, a custom resource whose properties would not fit the
 * provider's event. `environments` maps each stack name to its environment, for the message.
 */
export class TemplateLimitsPlugin implements IPolicyValidationPlugin {
  public readonly name = 'HardenedEksLimits';
  public readonly version = '1';

  constructor(private readonly environments: Readonly<Record<string, string>>) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    for (const templatePath of context.templatePaths) {
      const stack = path.basename(templatePath).replace(/\.template\.json$/, '');
      for (const f of checkTemplateLimits(stack, fs.readFileSync(templatePath, 'utf-8'))) {
        violations.push({
          ruleName: `limit-${f.rule}`,
          description: describeLimitFinding(f, this.environments[stack]),
          fix: f.remedy,
          severity: 'error',
          violatingResources: [
            { resourceLogicalId: f.logicalId ?? stack, templatePath, locations: ['Resources'] },
          ],
        });
      }
    }
    return { success: violations.length === 0, violations };
  }
}
