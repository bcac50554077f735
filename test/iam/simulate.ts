import * as path from 'path';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/*
 * A thin wrapper around @cloud-copilot/iam-simulate, an engine that implements AWS's policy evaluation logic
 * (identity, resource, trust, KMS key and VPC endpoint policies; same- and cross-account rules). It is
 * AGPL-3.0 and therefore a devDependency used by tests only: nothing under lib/, bin/ or charts/ imports it,
 * and it is never shipped or bundled (README, license note).
 */

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** A policy document as CloudFormation holds it, intrinsics resolved. */
export type PolicyDocument = { readonly Version?: string; readonly Statement: unknown };

export interface Request {
  /** The calling principal: a role ARN, an assumed-role session ARN, a service (`events.amazonaws.com`) or an account root. */
  readonly principal: string;
  readonly action: string;
  /** The resource ARN (or `*` for actions without resource-level permissions). */
  readonly resource: string;
  /** Account owning the resource. @default - the account in the resource ARN */
  readonly resourceAccount?: string;
  /** Request context (`aws:SourceArn`, `aws:RequestTag/...`, `kms:EncryptionContext:...`). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The caller's identity policies. */
  readonly identityPolicies?: readonly { readonly name: string; readonly policy: PolicyDocument }[];
  /** The resource's policy (trust policy for sts:AssumeRole, key policy for KMS). */
  readonly resourcePolicy?: PolicyDocument;
  /** Policies of the VPC endpoints the request passes through. */
  readonly vpcEndpointPolicies?: readonly { readonly name: string; readonly policy: PolicyDocument }[];
}

function accountOf(arn: string): string {
  const account = arn.split(':')[4];
  if (!/^\d{12}$/.test(account ?? '')) throw new Error(`no account in ${arn}; pass resourceAccount`);
  return account;
}

/**
 * Context keys the engine's validation drops although AWS evaluates them: its check matches variable keys
 * (`kms:EncryptionContext:${EncryptionContextKey}`) only where the variable follows a `/`, so a KMS
 * encryption-context key such as `kms:EncryptionContext:aws:sns:topicArn` is "ignored". For those the
 * simulation, once validated, is evaluated again by the engine's core with the full context.
 */
const VARIABLE_KEYS_THE_ENGINE_DROPS = /^kms:EncryptionContext:/i;

/**
 * The engine's core `authorize`, as its own `runUnsafeSimulation` calls it, minus that function's one flaw
 * (it loads the resource policy without the metadata the core reads). Only reached after `runSimulation`
 * has validated the same policies, action and resource.
 */
function authorizeWithFullContext(simulation: Simulation): Decision {
  const dist = path.dirname(require.resolve('@cloud-copilot/iam-simulate'));
  /* eslint-disable @typescript-eslint/no-require-imports -- internals the package does not export */
  const { authorize } = require(path.join(dist, 'core_engine', 'CoreSimulatorEngine.js'));
  const { AwsRequestImpl } = require(path.join(dist, 'request', 'request.js'));
  const { RequestContextImpl } = require(path.join(dist, 'requestContext.js'));
  const { DiscoveryContextKeyConstraints } = require(
    path.join(dist, 'context_keys', 'discoveryContextKeyConstraints.js'),
  );
  const { loadPolicy } = require(require.resolve('@cloud-copilot/iam-policy', { paths: [dist] }));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const load = (policy: unknown, name: string) => loadPolicy(policy, { name });
  const analysis = authorize({
    request: new AwsRequestImpl(
      simulation.request.principal,
      simulation.request.resource,
      simulation.request.action,
      new RequestContextImpl(simulation.request.contextVariables),
    ),
    sessionPolicy: undefined,
    identityPolicies: simulation.identityPolicies.map((p) => load(p.policy, p.name)),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: simulation.resourcePolicy ? load(simulation.resourcePolicy, 'resource') : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: simulation.vpcEndpointPolicies?.map((p) => load(p.policy, p.name)),
    simulationParameters: {
      simulationMode: 'Strict',
      discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]),
    },
    serviceSettings: { s3: {} },
  });
  return analysis.result as Decision;
}

/**
 * AWS's decision for one request. Throws when the engine rejects the input (an invalid policy, an unknown
 * action, an ARN of the wrong resource type) or ignores a context key given for the request: a test must
 * never pass because the engine evaluated something other than what was asked.
 */
export async function evaluate(req: Request): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: req.principal,
      action: req.action,
      resource: { resource: req.resource, accountId: req.resourceAccount ?? accountOf(req.resource) },
      contextVariables: { ...req.context },
    },
    identityPolicies: (req.identityPolicies ?? []).map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: req.resourcePolicy,
    vpcEndpointPolicies: req.vpcEndpointPolicies?.map((p) => ({ name: p.name, policy: p.policy })),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`${req.action} on ${req.resource}: ${JSON.stringify(result.errors)}`);
  }
  if (result.resultType === 'single') {
    const ignored = result.result.ignoredContextKeys ?? [];
    const unexpected = ignored.filter((k) => !VARIABLE_KEYS_THE_ENGINE_DROPS.test(k));
    if (unexpected.length > 0) {
      throw new Error(`${req.action}: the engine ignored context keys ${unexpected.join(', ')}`);
    }
    if (ignored.length > 0) return authorizeWithFullContext(simulation);
  }
  return result.overallResult as Decision;
}
