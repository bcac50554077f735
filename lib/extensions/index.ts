/**
 * The one registry through which the blueprint's built-in parts and a fork's `org/` space plug in: baseline
 * charts, admission policies, the org's own manifests, constructs added to an environment's stacks,
 * catalogue controls and cdk-nag acknowledgements. The composition root (lib/app.ts) and `check` read
 * every contribution from here, so adding one never means editing a list elsewhere.
 */
import type { Construct } from 'constructs';
import { BASELINE_CHARTS, type BaselineChartSpec } from '../../charts';
import { admissionPolicies, POLICY_ID_LABEL } from '../../policies';
import { AdmissionEvaluator, PolicyCompileError } from '../admission/evaluator';
import { checkObjects } from '../admission/check';
import { DEFAULT_USER, namespaceOf } from '../admission/request';
import type { KubeObject } from '../admission/types';
import type { EnvironmentStacks } from '../app';
import {
  acknowledge,
  applyAcknowledgements,
  applyDetectionAcknowledgements,
  applyTenantAcknowledgements,
} from '../compliance/acknowledgements';
import { CONTROLS, type Control } from '../compliance/controls';
import type { EnvironmentConfig } from '../config';
import { OrgExtensionError, type OrgIssue } from './errors';
import type { Acknowledge, BlueprintExtension, SourcedObject } from './types';

export { OrgExtensionError, formatOrgIssue, type OrgIssue } from './errors';
export {
  defineOrgExtensions,
  isOrgExtensions,
  type Acknowledge,
  type BlueprintExtension,
  type OrgExtensions,
  type SourcedObject,
} from './types';
export { ORG_DIR, loadOrgExtension, orgDirBeside, orgManifestFiles, type OrgSpaceOptions } from './org';
export type { BaselineChartContext, BaselineChartSpec, ChartRequirement } from '../../charts';
export type { Control } from '../compliance/controls';
export type { AcknowledgementReason } from '../compliance/acknowledgements';
export type { EnvironmentStacks } from '../app';

/** The blueprint's own parts, registered exactly like a fork's. */
export const BUILT_IN_EXTENSION: BlueprintExtension = {
  name: 'hardened-eks',
  charts: BASELINE_CHARTS,
  controls: CONTROLS,
  admissionPolicies: (environment) =>
    admissionPolicies(environment.admission).map((object) => ({
      file: `policies/${object.metadata?.labels?.[POLICY_ID_LABEL] ?? 'index'}.ts`,
      line: 0,
      object,
    })),
  acknowledgements: (stacks) => {
    applyAcknowledgements(stacks);
    for (const tenant of stacks.tenants) applyTenantAcknowledgements(tenant);
    applyDetectionAcknowledgements(stacks.detection);
  },
};

// Compiling is the costly part; a process that evaluates many inputs (tests, `check` in a loop) compiles
// each distinct policy set once.
const compiled = new Map<string, AdmissionEvaluator>();

const ADMISSION_KINDS = ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];
const objectName = (o: KubeObject) => `${o.kind}/${o.metadata?.name ?? ''}`;

/** The built-in parts and any number of extensions, validated together; immutable. */
export class ExtensionRegistry {
  /** The blueprint's own parts only: what upstream's tests build. */
  public static builtIn(): ExtensionRegistry {
    return new ExtensionRegistry([BUILT_IN_EXTENSION]);
  }

  /** The built-in parts plus `extensions` (a fork's, from `loadOrgExtension`). */
  public static with(...extensions: readonly BlueprintExtension[]): ExtensionRegistry {
    return new ExtensionRegistry([BUILT_IN_EXTENSION, ...extensions]);
  }

  /** Every chart of the baseline, built-in first. */
  public readonly charts: readonly BaselineChartSpec[];
  /** The control catalogue: the blueprint's and the extensions'. */
  public readonly controls: readonly Control[];

  private constructor(public readonly extensions: readonly BlueprintExtension[]) {
    const issues: OrgIssue[] = [];
    const unique = <T>(what: string, items: [BlueprintExtension, T][], key: (t: T) => string): T[] => {
      const seen = new Map<string, string>();
      for (const [ext, item] of items) {
        const k = key(item);
        const other = seen.get(k);
        if (other !== undefined)
          issues.push({
            file: extensionFile(ext),
            line: 0,
            message: `${what} "${k}" is already defined by ${other}; choose another`,
          });
        seen.set(k, ext.name);
      }
      return items.map(([, item]) => item);
    };
    this.charts = unique(
      'chart',
      extensions.flatMap((e) =>
        (e.charts ?? []).map((c) => [e, c] as [BlueprintExtension, BaselineChartSpec]),
      ),
      (c) => c.name,
    );
    this.controls = unique(
      'control',
      extensions.flatMap((e) => (e.controls ?? []).map((c) => [e, c] as [BlueprintExtension, Control])),
      (c) => c.id,
    );
    if (issues.length > 0) throw new OrgExtensionError(issues);
  }

  /**
   * Every admission policy and binding of `environment`, with where each came from. The one source of an
   * environment's policies: the baseline applies them, `check` and synthesis evaluate them.
   */
  public admissionPolicies(environment: EnvironmentConfig): readonly SourcedObject[] {
    const issues: OrgIssue[] = [];
    const seen = new Map<string, SourcedObject>();
    // A blueprint policy id (`pod-security`) names one policy in `check` output and `--only`; an added
    // policy may neither take one as its name nor claim one through the id label.
    const ids = new Map<string, string>();
    const all: SourcedObject[] = [];
    for (const e of this.extensions) {
      for (const s of e.admissionPolicies?.(environment) ?? []) {
        const name = objectName(s.object);
        const id = s.object.metadata?.labels?.[POLICY_ID_LABEL];
        const issue = (message: string) =>
          issues.push({ file: s.file, line: s.line, message: `${name}: ${message}` });
        if (!ADMISSION_KINDS.includes(s.object.kind ?? ''))
          issue(
            'only ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects are admission policies; put other objects in org/manifests',
          );
        else if (seen.has(name)) issue(`the name is taken by ${seen.get(name)?.file}; rename it`);
        else if (e !== BUILT_IN_EXTENSION && ids.has(s.object.metadata?.name ?? ''))
          issue(
            `the name is the id of the blueprint's policy in ${ids.get(s.object.metadata?.name ?? '')}; rename it`,
          );
        else if (e !== BUILT_IN_EXTENSION && id !== undefined)
          issue(`the label ${POLICY_ID_LABEL} is reserved for the blueprint's own policies; remove it`);
        if (e === BUILT_IN_EXTENSION && id) ids.set(id, s.file);
        seen.set(name, s);
        all.push(s);
      }
    }
    if (issues.length > 0) throw new OrgExtensionError(issues);
    return all;
  }

  /**
   * The environment's policies compiled for offline evaluation (cached). A policy that does not compile
   * (invalid or unsupported CEL) is an `OrgExtensionError` naming its file.
   */
  public evaluator(environment: EnvironmentConfig): AdmissionEvaluator {
    const sources = this.admissionPolicies(environment);
    const key = JSON.stringify(sources.map((s) => s.object));
    let evaluator = compiled.get(key);
    if (!evaluator) {
      try {
        evaluator = AdmissionEvaluator.compile(sources.map((s) => s.object));
      } catch (e) {
        if (!(e instanceof PolicyCompileError)) throw e;
        throw new OrgExtensionError(
          e.issues.map((i) => {
            const source = sources.find((s) => objectName(s.object) === i.object);
            return {
              file: source?.file ?? 'org/policies',
              line: source?.line ?? 0,
              message: `${i.object} ${i.path}: ${i.message}`,
            };
          }),
        );
      }
      compiled.set(key, evaluator);
    }
    return evaluator;
  }

  /**
   * The org's manifests of `environment`, checked as synthesis needs them: they land in namespaces that
   * will exist, and the environment's admission policies (which must compile) and Pod Security admit
   * them for a plain user: a fork must not ship what a tenant could not. `namespaces` gives the Namespace
   * objects the baseline and the tenants apply (their labels select policies and Pod Security levels);
   * it is called only when there is something to check.
   */
  public manifests(
    environment: EnvironmentConfig,
    namespaces: () => readonly KubeObject[],
  ): readonly SourcedObject[] {
    const manifests = this.extensions.flatMap((e) => e.manifests?.(environment) ?? []);
    const added = this.extensions
      .filter((e) => e !== BUILT_IN_EXTENSION)
      .some((e) => (e.admissionPolicies?.(environment) ?? []).length > 0);
    // The built-in policies alone are proved by upstream's tests; compiling them again would only cost time.
    if (added || manifests.length > 0) {
      const issues = checkOrgManifests(environment, this.evaluator(environment), manifests, namespaces());
      if (issues.length > 0) throw new OrgExtensionError(issues);
    }
    return manifests;
  }

  /** Runs every extension's `stacks` hook on one environment's stacks. */
  public extendStacks(stacks: EnvironmentStacks, scope: Construct): void {
    for (const e of this.extensions) e.stacks?.(stacks, scope);
  }

  /** Applies every extension's acknowledgements; each must name a control of this registry. */
  public acknowledge(stacks: EnvironmentStacks): void {
    const ack: Acknowledge = (scope, ruleId, why) => acknowledge(scope, ruleId, why, this.controls);
    for (const e of this.extensions) e.acknowledgements?.(stacks, ack);
  }
}

function extensionFile(e: BlueprintExtension): string {
  return e.name === BUILT_IN_EXTENSION.name ? 'lib/extensions/index.ts' : `${e.name}/index.ts`;
}

/** The issues of the org's manifests: unknown namespaces, and every denial, one line each. */
function checkOrgManifests(
  environment: EnvironmentConfig,
  evaluator: AdmissionEvaluator,
  manifests: readonly SourcedObject[],
  namespaces: readonly KubeObject[],
): OrgIssue[] {
  const issues: OrgIssue[] = [];
  const known = new Set(
    [...namespaces, ...manifests.map((m) => m.object)]
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata?.name ?? ''),
  );
  const where = (o: KubeObject, ns: string) => `${o.kind}/${ns ? `${ns}/` : ''}${o.metadata?.name ?? ''}`;
  for (const m of manifests) {
    const ns = namespaceOf(m.object);
    if (ns && !known.has(ns))
      issues.push({
        file: m.file,
        line: m.line,
        message: `${where(m.object, ns)}: namespace "${ns}" is created by neither the baseline, a tenant of environment ${environment.name}, nor a Namespace in org/manifests; add one`,
      });
  }
  // The baseline's Namespace objects go first, as context: checkObjects reads namespace labels from its input.
  const context = namespaces.map((object) => ({ file: '', line: 0, object }));
  const results = checkObjects(evaluator, [...context, ...manifests], {
    version: `v${environment.kubernetesVersion}`,
    podSecurityExceptions: environment.admission.podSecurityExceptions,
    // As a person or pipeline outside the platform groups would apply them.
    userInfo: DEFAULT_USER,
  }).slice(context.length);
  for (const r of results)
    for (const v of r.violations)
      issues.push({
        file: r.file,
        line: r.line,
        message: `${where({ kind: r.kind, metadata: { name: r.name } }, r.namespace)}: [${v.policy}] ${v.message}`,
      });
  return issues;
}
