import {
  all,
  any,
  compare,
  eq,
  ne,
  noneOf,
  oneOf,
  renderFilterPattern,
  UnexpressibleConditionError,
} from '../../../lib/constructs/audit/filter-pattern';
import {
  FilterPatternSyntaxError,
  matchesFilterPattern,
  parseFilterPattern,
} from '../../../lib/constructs/audit/filter-pattern-matcher';

describe('renderFilterPattern |', () => {
  test('GIVEN two equalities WHEN rendered THEN one && group without extra parentheses', () => {
    expect(renderFilterPattern(all(eq('verb', 'create'), eq('objectRef.resource', 'pods')))).toBe(
      '{ ($.verb = "create") && ($.objectRef.resource = "pods") }',
    );
  });

  test('GIVEN a single comparison WHEN rendered THEN it is parenthesized inside braces', () => {
    expect(renderFilterPattern(eq('responseStatus.code', 403))).toBe('{ ($.responseStatus.code = 403) }');
  });

  test('GIVEN nested groups, numbers, != and array indexes WHEN rendered THEN every group is parenthesized', () => {
    const c = all(
      any(eq('user.username', 'system:anonymous'), eq(['user', 'groups', 0], 'system:unauthenticated')),
      noneOf('responseStatus.code', [401, 403]),
      compare('responseStatus.code', '>=', 200),
    );
    expect(renderFilterPattern(c)).toBe(
      '{ (($.user.username = "system:anonymous") || ($.user.groups[0] = "system:unauthenticated")) && ' +
        '(($.responseStatus.code != 401) && ($.responseStatus.code != 403)) && ($.responseStatus.code >= 200) }',
    );
  });

  test('GIVEN oneOf WHEN rendered THEN a || group of equalities', () => {
    expect(renderFilterPattern(oneOf('verb', ['get', 'list']))).toBe(
      '{ ($.verb = "get") || ($.verb = "list") }',
    );
  });

  test('GIVEN an annotation key with dots and a slash WHEN rendered THEN it is refused as unexpressible', () => {
    const c = eq(['annotations', 'authorization.k8s.io/decision'], 'allow');
    expect(() => renderFilterPattern(c)).toThrow(UnexpressibleConditionError);
    expect(() => renderFilterPattern(c)).toThrow(
      /UnexpressibleInFilterPattern: property name "authorization.k8s.io\/decision"/,
    );
  });

  test('GIVEN a string with an ordering operator, a quote, or an over-long pattern THEN it is refused', () => {
    expect(() => compare('verb', '>', 'get')).toThrow(UnexpressibleConditionError);
    expect(() => renderFilterPattern(eq('verb', 'a"b'))).toThrow(/quote/);
    const long = oneOf(
      'verb',
      Array.from({ length: 60 }, (_, i) => `verb-number-${i}`),
    );
    expect(() => renderFilterPattern(long)).toThrow(/limit of 1024/);
  });
});

describe('matchesFilterPattern |', () => {
  const event = {
    verb: 'create',
    user: { username: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts', 'x'] },
    objectRef: { resource: 'pods', subresource: 'exec' },
    responseStatus: { code: 403, message: 'pods "a" is forbidden: violates PodSecurity "restricted:latest"' },
  };

  test('GIVEN = and && WHEN all parts hold THEN it matches', () => {
    expect(matchesFilterPattern('{ ($.verb = "create") && ($.objectRef.resource = "pods") }', event)).toBe(
      true,
    );
    expect(matchesFilterPattern('{ ($.verb = "create") && ($.objectRef.resource = "secrets") }', event)).toBe(
      false,
    );
  });

  test('GIVEN || WHEN one part holds THEN it matches', () => {
    expect(matchesFilterPattern('{ ($.verb = "get") || ($.verb = "create") }', event)).toBe(true);
    expect(matchesFilterPattern('{ ($.verb = "get") || ($.verb = "list") }', event)).toBe(false);
  });

  test('GIVEN * wildcards WHEN matching strings THEN prefix, suffix and infix globs work', () => {
    expect(matchesFilterPattern('{ $.user.username = "system:serviceaccount:*" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.user.username = "*:deployer" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.responseStatus.message = "*violates PodSecurity*" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.user.username != "system:*" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.user.username = "system:node:*" }', event)).toBe(false);
  });

  test('GIVEN numeric comparisons WHEN evaluated THEN they compare numbers only', () => {
    expect(matchesFilterPattern('{ $.responseStatus.code >= 400 }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.responseStatus.code < 400 }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.responseStatus.code != 401 }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.responseStatus.code = "403" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.verb = 3 }', event)).toBe(false);
  });

  test('GIVEN array indexes and missing fields WHEN evaluated THEN a missing field fails even !=', () => {
    expect(matchesFilterPattern('{ $.user.groups[0] = "system:serviceaccounts" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.user.groups[5] = "x" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.objectRef.namespace != "kube-system" }', event)).toBe(false);
  });

  test('GIVEN unsupported or malformed syntax WHEN parsed THEN it is refused', () => {
    expect(() => parseFilterPattern('{ ($.a = "x") && ($.b = "y") || ($.c = "z") }')).toThrow(/mixed/);
    expect(() => parseFilterPattern('{ $.a > "x" }')).toThrow(FilterPatternSyntaxError);
    expect(() => parseFilterPattern('{ $.a.b/c = "x" }')).toThrow(FilterPatternSyntaxError);
    expect(() => parseFilterPattern('$.a = "x"')).toThrow(/expected lbrace/);
    expect(() => parseFilterPattern('{ $.a = "x" } extra')).toThrow(FilterPatternSyntaxError);
  });

  test('GIVEN the renderer output WHEN parsed back THEN the matcher agrees with the typed condition', () => {
    const pattern = renderFilterPattern(all(ne('verb', 'get'), any(eq('objectRef.subresource', 'exec'))));
    expect(matchesFilterPattern(pattern, event)).toBe(true);
    expect(matchesFilterPattern(pattern, { ...event, verb: 'get' })).toBe(false);
  });
});
