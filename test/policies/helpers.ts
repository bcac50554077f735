import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../../lib/admission/manifests';
import {
  AdmissionEvaluator,
  connectRequest,
  namespaceObject,
  requestFor,
  type AdmissionDecision,
  type KubeObject,
} from '../../lib/admission';
import type { AdmissionConfig } from '../../lib/config/admission';
import { POLICY_ID_LABEL, admissionPolicies } from '../../policies';

/** The admission config the fixtures are written for. */
export const FIXTURE_CONFIG: AdmissionConfig = {
  allowedRegistries: ['111111111111.dkr.ecr.us-east-1.amazonaws.com', 'public.ecr.aws/eks-distro'],
  platformRegistries: ['docker.io/aquasec'],
  requireImageDigests: false,
  requiredLabels: ['app.kubernetes.io/name', 'owner'],
  breakGlassGroup: 'platform:break-glass',
  platformAdminGroup: 'platform:admins',
  platformDeployerGroup: 'platform:deployers',
  podSecurityExceptions: { legacy: 'baseline' },
  systemNamespaces: ['kube-node-lease', 'kube-public', 'kube-system'],
  internetFacingLoadBalancerNamespaces: ['edge'],
  allowPodExec: false,
  execAllowedNamespaces: ['ops'],
  warnOnlyPolicies: [],
};

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const ENFORCE = 'pod-security.kubernetes.io/enforce';

export interface FixtureCase {
  readonly file: string;
  readonly expectAllowed: boolean;
  /** `# key: value` lines at the top of the fixture. */
  readonly directives: Readonly<Record<string, string>>;
  readonly object: KubeObject;
}

/** The pass/fail fixtures of one policy, as `[label, case]` rows for test.each. */
export function fixtureCases(policy: string): [string, FixtureCase][] {
  const rows: [string, FixtureCase][] = [];
  for (const kind of ['pass', 'fail'] as const) {
    const dir = path.join(FIXTURES, policy, kind);
    for (const f of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, f);
      const text = fs.readFileSync(file, 'utf-8');
      const directives = Object.fromEntries(
        [...text.matchAll(/^# ([a-z-]+): ?(.*)$/gm)].map((m) => [m[1], m[2].trim()]),
      );
      const parsed = parseManifests(file, text);
      if (parsed.errors.length > 0 || parsed.objects.length !== 1) throw new Error(`bad fixture ${file}`);
      rows.push([
        `${kind}/${f}`,
        { file, expectAllowed: kind === 'pass', directives, object: parsed.objects[0].object },
      ]);
    }
  }
  return rows;
}

let compiled: AdmissionEvaluator | undefined;
function evaluatorFor(policy: string): AdmissionEvaluator {
  compiled ??= AdmissionEvaluator.compile(admissionPolicies(FIXTURE_CONFIG));
  return compiled.filter((p) => p.labels[POLICY_ID_LABEL] === policy);
}

/** Evaluates a fixture against its own policy only, in the namespace and as the user its directives name. */
export function evaluateFixture(policy: string, c: FixtureCase): AdmissionDecision {
  const d = c.directives;
  const ns = d.namespace ?? c.object.metadata?.namespace ?? 'team-a';
  const labels =
    d['namespace-labels'] === undefined
      ? { [ENFORCE]: 'restricted' }
      : Object.fromEntries(
          d['namespace-labels']
            .split(',')
            .filter(Boolean)
            .map((kv) => kv.split('=')),
        );
  const nsObject = namespaceObject(ns, labels);
  const userInfo = {
    username: d.user ?? 'alice',
    groups: [...(d.groups ?? '').split(',').filter(Boolean), 'system:authenticated'],
  };
  const ev = evaluatorFor(policy);
  if (d.connect) {
    const sub = d.connect as 'exec' | 'attach' | 'portforward';
    return ev.evaluate(connectRequest(c.object.metadata?.name ?? '', ns, sub, userInfo, nsObject));
  }
  return ev.evaluate(requestFor(c.object, { namespace: ns, namespaceObject: nsObject, userInfo }));
}

/** Asserts a fixture's outcome: pass admitted; fail denied with the `# expect:` message. */
export function expectFixture(policy: string, c: FixtureCase): void {
  const decision = evaluateFixture(policy, c);
  const messages = decision.denials.map((v) => v.message);
  if (c.expectAllowed) {
    expect(messages).toEqual([]);
    return;
  }
  expect(c.directives.expect).toBeDefined();
  expect(decision.allowed).toBe(false);
  expect(decision.denials.every((v) => !v.error)).toBe(true);
  expect(messages.join('\n')).toContain(c.directives.expect);
}
