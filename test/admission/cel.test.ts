import { Quantity, createAdmissionEnvironment, toCel } from '../../lib/admission';

const env = createAdmissionEnvironment();
const run = (expression: string, object: unknown = {}) => env.evaluate(expression, { object: toCel(object) });

describe('Kubernetes CEL library | quantity', () => {
  test.each([
    ['1Gi', '1073741824', 0],
    ['500m', '0.5', 0],
    ['1.5Gi', '1536Mi', 0],
    ['2e3', '2k', 0],
    ['100Mi', '1Gi', -1],
    ['1', '999m', 1],
  ])('%s compared to %s is %d', (a, b, expected) => {
    expect(run(`quantity('${a}').compareTo(quantity('${b}'))`)).toBe(BigInt(expected));
  });

  test('isQuantity accepts Kubernetes quantities only', () => {
    expect(run("['1', '500m', '1.5Gi', '+2', '1e3', '.5'].all(q, isQuantity(q))")).toBe(true);
    expect(run("['', 'abc', '1GiB', '1.2.3', '5 Mi'].exists(q, isQuantity(q))")).toBe(false);
  });

  test('arithmetic, sign, integers', () => {
    expect(run("quantity('1Gi').add(quantity('1Gi')).compareTo(quantity('2Gi'))")).toBe(0n);
    expect(run("quantity('1').sub(2).sign()")).toBe(-1n);
    expect(run("quantity('2k').asInteger()")).toBe(2000n);
    expect(run("quantity('1.5').isInteger()")).toBe(false);
    expect(run("quantity('250m').asApproximateFloat()")).toBe(0.25);
    expect(
      run("quantity('1').isGreaterThan(quantity('999m')) && quantity('1m').isLessThan(quantity('1'))"),
    ).toBe(true);
  });

  test('an invalid quantity is an evaluation error, not false', () => {
    expect(() => run("quantity('lots').sign() == 1")).toThrow(/not a valid Kubernetes quantity/);
    expect(() => run("quantity('1.5').asInteger() == 1")).toThrow(/not an integer/);
    expect(Quantity.parse('1e999')).toBeUndefined();
  });
});

describe('Kubernetes CEL library | sets, lists, regex', () => {
  test('sets.contains / intersects / equivalent', () => {
    expect(run("sets.contains(['a', 'b'], ['a']) && !sets.contains(['a'], ['a', 'c'])")).toBe(true);
    expect(run("sets.intersects(['a', 'b'], ['c', 'b']) && !sets.intersects(['a'], [])")).toBe(true);
    expect(run('sets.equivalent([1, 2, 2], [2, 1]) && !sets.equivalent([1], [1, 3])')).toBe(true);
    expect(run('sets.contains(object.l, [{"k": 1}])', { l: [{ k: 1 }] })).toBe(true);
  });

  test('list indexOf, lastIndexOf, sum, min, max, isSorted', () => {
    expect(
      run(
        "['a', 'b', 'a'].indexOf('a') == 0 && ['a', 'b', 'a'].lastIndexOf('a') == 2 && [1].indexOf(2) == -1",
      ),
    ).toBe(true);
    expect(run('object.ports.sum()', { ports: [80, 443] })).toBe(523n);
    expect(run('[1.5, 2.5].sum()')).toBe(4);
    expect(run('[].sum()')).toBe(0n);
    expect(run('[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && ["b", "a"].min() == "a"')).toBe(true);
    expect(run('[1, 2, 2].isSorted() && ![2, 1].isSorted()')).toBe(true);
    expect(() => run('[].max() == 1')).toThrow(/empty/);
  });

  test('regex find and findAll', () => {
    expect(run("'registry.io/team/app:1.2'.find('[^/]+$')")).toBe('app:1.2');
    expect(run("'abc'.find('[0-9]+')")).toBe('');
    expect(run("'a1b22c333'.findAll('[0-9]+')")).toEqual(['1', '22', '333']);
    expect(run("'a1b22c333'.findAll('[0-9]+', 2)")).toEqual(['1', '22']);
    expect(() => run("'a'.find('[') == ''")).toThrow(/invalid regular expression/);
  });

  test('objects are seen as the API server decodes them: ints as int, null fields absent', () => {
    expect(toCel({ a: 1, b: 1.5, c: null, d: [2, null] })).toEqual({ a: 1n, b: 1.5, d: [2n, null] });
    expect(run('object.port + 1 == 81 && !has(object.gone)', { port: 80, gone: null })).toBe(true);
    expect(run("object.?spec.?x.orValue('none')", { spec: {} })).toBe('none');
    expect(run('cel.bind(p, object.port, p * 2)', { port: 2 })).toBe(4n);
  });
});
