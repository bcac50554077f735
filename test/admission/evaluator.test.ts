import {
  AdmissionEvaluator,
  PolicyCompileError,
  connectRequest,
  namespaceObject,
  requestFor,
  ruleMatches,
  selectorMatches,
  type KubeObject,
} from '../../lib/admission';

const API = 'admissionregistration.k8s.io/v1';

function policy(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: API,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            resources: ['deployments'],
            operations: ['CREATE', 'UPDATE'],
          },
        ],
      },
      validations: [{ expression: 'true' }],
      ...spec,
    },
  };
}

function binding(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: API,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'], ...spec },
  };
}

const deployment = (replicas: number, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'team', labels },
  spec: { replicas },
});

const evaluator = (...objects: KubeObject[]) => AdmissionEvaluator.compile(objects);

describe('evaluator | matching', () => {
  const maxReplicas = policy('max', {
    validations: [{ expression: 'object.spec.replicas <= 3', message: 'too many' }],
  });

  test('GIVEN a resource rule WHEN kinds, operations and groups differ THEN only the matching request is evaluated', () => {
    const ev = evaluator(maxReplicas, binding('max'));
    expect(ev.evaluate(requestFor(deployment(5))).allowed).toBe(false);
    expect(ev.evaluate(requestFor(deployment(5), { operation: 'DELETE' })).matched).toEqual([]);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { replicas: 5 } };
    expect(ev.evaluate(requestFor(pod)).matched).toEqual([]);
  });

  test('GIVEN excludeResourceRules THEN excluded resources are skipped', () => {
    const p = policy('max', {
      matchConstraints: {
        resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['*'] }],
        excludeResourceRules: [
          { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'], operations: ['*'] },
        ],
      },
      validations: [{ expression: 'false' }],
    });
    const ev = evaluator(p, binding('max'));
    expect(ev.evaluate(requestFor(deployment(1))).allowed).toBe(true);
    expect(
      ev.evaluate(requestFor({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).allowed,
    ).toBe(false);
  });

  test('GIVEN namespace selectors with matchLabels and matchExpressions THEN the namespace labels decide', () => {
    const ev = evaluator(
      maxReplicas,
      binding('max', {
        matchResources: {
          namespaceSelector: {
            matchLabels: { tier: 'prod' },
            matchExpressions: [
              { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
            ],
          },
        },
      }),
    );
    const inNs = (labels: Record<string, string>, ns = 'team') =>
      ev.evaluate(requestFor(deployment(5), { namespaceObject: namespaceObject(ns, labels) })).allowed;
    expect(inNs({ tier: 'prod' })).toBe(false);
    expect(inNs({ tier: 'dev' })).toBe(true);
    expect(inNs({ tier: 'prod' }, 'kube-system')).toBe(true);
  });

  test('GIVEN Exists / DoesNotExist and an objectSelector THEN labels decide', () => {
    const ev = evaluator(
      maxReplicas,
      binding('max', {
        matchResources: {
          namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
          objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] },
        },
      }),
    );
    const ns = namespaceObject('team', { team: 'a' });
    expect(ev.evaluate(requestFor(deployment(5), { namespaceObject: ns })).allowed).toBe(false);
    expect(ev.evaluate(requestFor(deployment(5, { skip: 'x' }), { namespaceObject: ns })).allowed).toBe(true);
    expect(ev.evaluate(requestFor(deployment(5))).allowed).toBe(true);
  });

  test('GIVEN a CONNECT rule on pods/exec THEN exec is matched and plain pod writes are not', () => {
    const p = policy('exec', {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], resources: ['pods/exec'], operations: ['CONNECT'] },
        ],
      },
      validations: [{ expression: "'ops' in request.userInfo.groups", message: 'no exec' }],
    });
    const ev = evaluator(p, binding('exec'));
    expect(ev.evaluate(connectRequest('p', 'team', 'exec', { username: 'u', groups: [] })).allowed).toBe(
      false,
    );
    expect(ev.evaluate(connectRequest('p', 'team', 'exec', { username: 'u', groups: ['ops'] })).allowed).toBe(
      true,
    );
    expect(ev.evaluate(connectRequest('p', 'team', 'attach', { username: 'u', groups: [] })).matched).toEqual(
      [],
    );
  });
});

describe('evaluator | expressions', () => {
  test('matchConditions: false skips the policy; an error follows failurePolicy', () => {
    const p = (failurePolicy: string) =>
      policy('mc', {
        failurePolicy,
        matchConditions: [{ name: 'only-big', expression: 'object.spec.replicas > 2' }],
        validations: [{ expression: 'false', message: 'denied' }],
      });
    expect(evaluator(p('Fail'), binding('mc')).evaluate(requestFor(deployment(1))).matched).toEqual([]);
    expect(evaluator(p('Fail'), binding('mc')).evaluate(requestFor(deployment(3))).allowed).toBe(false);
    const noSpec = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } };
    const failed = evaluator(p('Fail'), binding('mc')).evaluate(requestFor(noSpec));
    expect(failed.allowed).toBe(false);
    expect(failed.denials[0]).toMatchObject({
      error: true,
      message: expect.stringMatching(/resulted in error: No such key: spec/),
    });
    expect(evaluator(p('Ignore'), binding('mc')).evaluate(requestFor(noSpec)).allowed).toBe(true);
  });

  test('variables are lazy: an unused failing variable does not error, a used one does', () => {
    const p = policy('vars', {
      variables: [
        { name: 'replicas', expression: 'object.spec.replicas' },
        { name: 'broken', expression: 'object.spec.nothing' },
      ],
      validations: [
        { expression: 'variables.replicas < 3', message: 'too many' },
        { expression: 'variables.replicas == 99 ? variables.broken == 1 : true' },
      ],
    });
    const ev = evaluator(p, binding('vars'));
    expect(ev.evaluate(requestFor(deployment(1))).allowed).toBe(true);
    expect(ev.evaluate(requestFor(deployment(5))).denials.map((d) => d.message)).toEqual(['too many']);
    const err = ev.evaluate(requestFor(deployment(99))).denials;
    expect(err.map((d) => d.error)).toEqual([false, true]);
    expect(err[1].message).toMatch(/variable "broken"/);
  });

  test('messageExpression wins, falls back to message on error, then to the expression; reason is kept', () => {
    const p = policy('msg', {
      validations: [
        {
          expression: 'false',
          message: 'static',
          messageExpression: "'replicas: ' + string(object.spec.replicas)",
          reason: 'Forbidden',
        },
        { expression: 'false', message: 'fallback', messageExpression: 'object.nope' },
        { expression: '1 > 2' },
      ],
    });
    const d = evaluator(p, binding('msg')).evaluate(requestFor(deployment(4))).denials;
    expect(d.map((x) => x.message)).toEqual(['replicas: 4', 'fallback', 'failed expression: 1 > 2']);
    expect(d.map((x) => x.reason)).toEqual(['Forbidden', 'Invalid', 'Invalid']);
  });

  test('a validation that is not a bool is an error, never a pass', () => {
    const p = policy('nb', {
      validations: [{ expression: "object.spec.replicas == 1 ? 'yes' : object.spec.x" }],
    });
    expect(evaluator(p, binding('nb')).evaluate(requestFor(deployment(1))).denials[0].error).toBe(true);
  });

  test('auditAnnotations, request and namespaceObject are available', () => {
    const p = policy('audit', {
      validations: [
        { expression: "request.operation == 'CREATE' && namespaceObject.metadata.name == 'team'" },
      ],
      auditAnnotations: [
        {
          key: 'replicas',
          valueExpression: "request.userInfo.username + ':' + string(object.spec.replicas)",
        },
        { key: 'skipped', valueExpression: 'null' },
      ],
    });
    const d = evaluator(p, binding('audit')).evaluate(
      requestFor(deployment(2), { userInfo: { username: 'alice', groups: [] } }),
    );
    expect(d.allowed).toBe(true);
    expect(d.auditAnnotations).toEqual([{ key: 'audit/replicas', value: 'alice:2' }]);
  });

  test('validationActions: Warn and Audit never deny; Deny does', () => {
    const p = policy('act', { validations: [{ expression: 'false', message: 'no' }] });
    const warn = evaluator(p, binding('act', { validationActions: ['Warn', 'Audit'] })).evaluate(
      requestFor(deployment(1)),
    );
    expect(warn).toMatchObject({
      allowed: true,
      denials: [],
      warnings: [{ message: 'no' }],
      audit: [{ message: 'no' }],
    });
    const deny = evaluator(p, binding('act', { validationActions: ['Deny', 'Audit'] })).evaluate(
      requestFor(deployment(1)),
    );
    expect(deny).toMatchObject({ allowed: false, warnings: [], audit: [{ message: 'no' }] });
  });
});

describe('evaluator | malformed policies are rejected up front', () => {
  const compileError = (...objects: KubeObject[]): string => {
    try {
      AdmissionEvaluator.compile(objects);
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyCompileError);
      return (e as Error).message;
    }
    throw new Error('compiled');
  };

  test('invalid CEL names the policy, the field and the expression', () => {
    expect(
      compileError(policy('p', { validations: [{ expression: 'object.spec.replicas <' }] }), binding('p')),
    ).toMatch(
      /ValidatingAdmissionPolicy\/p spec\.validations\[0\]\.expression: invalid CEL "object\.spec\.replicas <"/,
    );
  });

  test('a validation or message of the wrong static type is caught at compile time', () => {
    expect(compileError(policy('p', { validations: [{ expression: "'yes'" }] }))).toMatch(
      /spec\.validations\[0\]\.expression: must evaluate to bool, but "'yes'" is string/,
    );
    expect(
      compileError(policy('p', { validations: [{ expression: 'true', messageExpression: '1 + 1' }] })),
    ).toMatch(/messageExpression: must evaluate to string, but "1 \+ 1" is int/);
  });

  test('unknown functions and variables are caught at compile time', () => {
    expect(
      compileError(policy('p', { validations: [{ expression: 'object.spec.x.frobnicate()' }] })),
    ).toMatch(/no matching overload/);
    expect(compileError(policy('p', { validations: [{ expression: 'params.max > 1' }] }))).toMatch(
      /Unknown variable: params/,
    );
    expect(compileError(policy('p', { validations: [{ expression: 'variables.nope' }] }))).toMatch(
      /"variables\.nope" is used .* but not defined/,
    );
  });

  test('structural errors: rules, reasons, names, bindings', () => {
    const msg = compileError(
      policy('p', {
        matchConstraints: {},
        failurePolicy: 'Sometimes',
        validations: [{ expression: 'true', reason: 'Because' }],
        variables: [{ name: 'not-an-identifier', expression: '1' }],
        matchConditions: [{ name: 'early', expression: 'variables.x == 1' }],
      }),
      binding('p', { validationActions: ['Deny', 'Warn'] }),
      binding('ghost'),
      { ...binding('q'), apiVersion: 'admissionregistration.k8s.io/v1beta1' },
    );
    expect(msg).toMatch(/spec\.matchConstraints\.resourceRules: must list at least one rule/);
    expect(msg).toMatch(/spec\.matchConditions\[0\]\.expression: cannot use variables/);
    expect(msg).toMatch(/spec\.failurePolicy: must be Fail or Ignore/);
    expect(msg).toMatch(/spec\.validations\[0\]\.reason: must be one of/);
    expect(msg).toMatch(/spec\.variables\[0\]\.name: must be a CEL identifier/);
    expect(msg).toMatch(
      /ValidatingAdmissionPolicyBinding\/p spec\.validationActions: must not combine Deny and Warn/,
    );
    expect(msg).toMatch(
      /ValidatingAdmissionPolicyBinding\/ghost spec\.policyName: names no ValidatingAdmissionPolicy/,
    );
    expect(msg).toMatch(
      /ValidatingAdmissionPolicyBinding\/q apiVersion: must be admissionregistration\.k8s\.io\/v1/,
    );
  });

  test('params are refused rather than silently ignored', () => {
    expect(
      compileError(
        policy('p', { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } }),
        binding('p', { paramRef: { name: 'x' } }),
      ),
    ).toMatch(/paramKind: is not supported[\s\S]*paramRef: is not supported/);
  });
});

describe('evaluator | rule and selector primitives', () => {
  const req = (resource: string, subResource = '', namespace = 'team') =>
    ({
      ...requestFor(deployment(1)),
      resource: { group: '', version: 'v1', resource },
      kind: { group: '', version: 'v1', kind: 'Pod' },
      subResource,
      namespace,
    }) as ReturnType<typeof requestFor>;
  const rule = (resources: string[], scope?: 'Cluster' | 'Namespaced' | '*') => ({
    apiGroups: [''],
    apiVersions: ['*'],
    resources,
    operations: ['CREATE'],
    ...(scope ? { scope } : {}),
  });

  test.each([
    [['*'], 'pods', '', true],
    [['*'], 'pods', 'status', false],
    [['*/*'], 'pods', 'status', true],
    [['pods/*'], 'pods', 'exec', true],
    [['pods/*'], 'pods', '', false],
    [['*/status'], 'services', 'status', true],
    [['pods/exec'], 'pods', 'attach', false],
  ])('resources %j match %s/%s: %s', (resources, resource, sub, expected) => {
    expect(ruleMatches(rule(resources), req(resource, sub))).toBe(expected);
  });

  test('scope Cluster / Namespaced', () => {
    expect(ruleMatches(rule(['pods'], 'Namespaced'), req('pods'))).toBe(true);
    expect(ruleMatches(rule(['pods'], 'Cluster'), req('pods'))).toBe(false);
  });

  test('label selectors: In, NotIn on a missing key, empty selector', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] }, {})).toBe(
      false,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, {})).toBe(
      true,
    );
    expect(selectorMatches({}, { any: 'thing' })).toBe(true);
  });
});
