import { App } from 'aws-cdk-lib';
import type { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnQueryDefinition } from 'aws-cdk-lib/aws-logs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { admissionPolicies, POLICIES, POLICY_ID_LABEL } from '../../../policies';
import type { KubeObject } from '../../admission/types';
import { buildBlueprint, type EnvironmentStacks } from '../../app';
import {
  CONFIG_CONTEXT_KEY,
  resolveConfig,
  type BlueprintConfig,
  type EnvironmentConfig,
} from '../../config';
import type { SynthEvidence } from './build';
import type { AdmissionPolicyEntry, AlarmEntry, QueryEntry } from './model';
import {
  acknowledgementsIn,
  checkTemplate,
  declaredDeviations,
  TEMPLATE_RULES,
  type Acknowledgement,
  type CfnTemplate,
} from './sources';

/** What the synthesized blueprint of one environment says about itself. */
export interface CollectedEvidence {
  readonly config: BlueprintConfig;
  readonly environment: EnvironmentConfig;
  readonly acknowledgements: readonly Acknowledgement[];
  readonly admissionPolicies: readonly AdmissionPolicyEntry[];
  readonly alarms: readonly AlarmEntry[];
  readonly queries: readonly QueryEntry[];
  readonly synth: SynthEvidence;
}

/**
 * Builds and synthesizes one environment in-process, offline, from the `context` of a cdk.json (the same
 * feature flags `cdk synth` would use), and reads the evidence off the result. Throws `ConfigError` for
 * bad config. The cloud assembly goes to a temporary directory that is removed afterwards.
 */
export function collectEvidence(
  context: Readonly<Record<string, unknown>>,
  envName: string,
): CollectedEvidence {
  const config = resolveConfig(context[CONFIG_CONTEXT_KEY], envName);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-report-'));
  try {
    const app = new App({ outdir, context: { ...context }, builtinCloudFormationValidation: false });
    // The report runs the blueprint's own template rules; cdk-nag's verdict is `npm run synth`'s.
    const [stacks] = buildBlueprint(app, config, { compliance: false });
    return evidenceOf(app, stacks, config);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Reads the evidence off one environment's stacks, built into `app` from `config`; synthesizes `app`. */
export function evidenceOf(app: App, stacks: EnvironmentStacks, config: BlueprintConfig): CollectedEvidence {
  const environment = stacks.environment;
  const detection = stacks.detection;
  const alarms: AlarmEntry[] = Object.values(detection.auditAlarms.alarms).map(({ definition, alarm }) => {
    const cfn = alarm.node.defaultChild as CfnAlarm;
    const settings = environment.detection.alarms[definition.id];
    return {
      id: definition.id,
      name: cfn.alarmName ?? alarm.node.path,
      controlId: definition.controlId,
      description: definition.description,
      comparison: definition.direction === 'high' ? '>=' : '<',
      threshold: settings.threshold,
      periodMinutes: settings.periodMinutes,
      evaluationPeriods: settings.evaluationPeriods,
    };
  });
  const queries: QueryEntry[] = detection.auditQueries.queries.map((q) => {
    const cfn = detection.auditQueries.node.findChild(q.id) as CfnQueryDefinition;
    return { id: q.id, name: cfn.name, title: q.title, logGroups: [...(cfn.logGroupNames ?? [])] };
  });

  const own = [stacks.network, stacks.cluster, ...stacks.tenants, stacks.detection];
  const assembly = app.synth();
  const templates = own.map((s) => assembly.getStackByName(s.stackName).template as CfnTemplate);
  const deviations = declaredDeviations(config);
  return {
    config,
    environment,
    acknowledgements: own.flatMap((s) => acknowledgementsIn(s)),
    admissionPolicies: admissionPolicyEntries(admissionPolicies(environment.admission)),
    alarms,
    queries,
    synth: {
      templates: templates.length,
      ruleControls: [...new Set(TEMPLATE_RULES.map((r) => r.controlId))],
      findings: templates.flatMap((template) => checkTemplate({ template, deviations })),
    },
  };
}

type Spec = Record<string, unknown> | undefined;

/** Every blueprint policy as rendered for the environment: its binding's actions, or not deployed. */
export function admissionPolicyEntries(objects: readonly KubeObject[]): AdmissionPolicyEntry[] {
  const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
  const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
  return Object.entries(POLICIES).map(([id, policy]) => {
    const object = policies.find((p) => p.metadata?.labels?.[POLICY_ID_LABEL] === id);
    const binding = bindings.find((b) => (b.spec as Spec)?.policyName === object?.metadata?.name);
    if (!object || !binding) {
      return {
        id,
        controls: policy.controls,
        state: 'not-deployed',
        validationActions: [],
        excludedNamespaces: [],
      };
    }
    const spec = binding.spec as { validationActions?: string[]; matchResources?: Spec };
    const selector = spec.matchResources?.namespaceSelector as
      { matchExpressions?: { operator: string; values?: string[] }[] } | undefined;
    const actions = spec.validationActions ?? [];
    const failurePolicy = (object.spec as Spec)?.failurePolicy;
    return {
      id,
      controls: policy.controls,
      state: actions.includes('Deny') ? 'enforced' : 'warn-only',
      validationActions: actions,
      ...(typeof failurePolicy === 'string' ? { failurePolicy } : {}),
      excludedNamespaces: (selector?.matchExpressions ?? [])
        .filter((e) => e.operator === 'NotIn')
        .flatMap((e) => e.values ?? []),
    };
  });
}
