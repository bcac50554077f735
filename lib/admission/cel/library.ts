/**
 * The CEL environment admission expressions run in: `@marcbachmann/cel-js` plus the Kubernetes CEL
 * libraries the policies use (quantity, sets, lists, regex), each with the semantics of the API server's.
 * https://kubernetes.io/docs/reference/using-api/cel/#cel-options-language-features-and-libraries
 */
import { Environment } from '@marcbachmann/cel-js';
import { Quantity } from './quantity';

/** A CEL runtime value as the evaluator passes it around (integers are bigint, maps plain objects). */
export type CelValue = unknown;

/** The variables every admission expression may reference (`params` and `authorizer` are not offered). */
export const ADMISSION_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'namespaceObject',
  'variables',
] as const;

class SetsNamespace {}

function fail(message: string): never {
  throw new Error(message);
}

/** CEL equality for lists and maps as values of `indexOf`, `sets.*`: deep, with int and double kept apart. */
export function celEquals(a: CelValue, b: CelValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => celEquals(x, b[i]));
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  return ak.every(
    (k) =>
      Object.hasOwn(b, k) && celEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

function compare(a: CelValue, b: CelValue): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return fail(`no such overload: cannot compare ${typeof a} with ${typeof b}`);
}

function quantityOf(text: string): Quantity {
  return Quantity.parse(text) ?? fail(`quantity: "${text}" is not a valid Kubernetes quantity`);
}

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'g');
  } catch (e) {
    return fail(`invalid regular expression "${pattern}": ${(e as Error).message}`);
  }
}

function sum(list: readonly CelValue[]): CelValue {
  if (list.length === 0) return 0n;
  if (list.every((x) => typeof x === 'bigint')) return (list as bigint[]).reduce((s, x) => s + x, 0n);
  if (list.every((x) => typeof x === 'number')) return (list as number[]).reduce((s, x) => s + x, 0);
  return fail('list.sum(): the list must hold only ints or only doubles');
}

function extreme(list: readonly CelValue[], sign: 1 | -1, name: string): CelValue {
  if (list.length === 0) fail(`list.${name}(): the list is empty`);
  return list.reduce((best, x) => (compare(x, best) * sign > 0 ? x : best));
}

/** Builds the environment once; `Environment` construction is the expensive part, evaluation is cheap. */
export function createAdmissionEnvironment(): Environment {
  const env = new Environment({
    unlistedVariablesAreDyn: false,
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
  });
  for (const v of ADMISSION_VARIABLES) env.registerVariable(v, 'dyn');

  // Lists library.
  env
    .registerFunction('list.indexOf(dyn): int', (l: CelValue[], x: CelValue) =>
      BigInt(l.findIndex((y) => celEquals(x, y))),
    )
    .registerFunction('list.lastIndexOf(dyn): int', (l: CelValue[], x: CelValue) => {
      for (let i = l.length - 1; i >= 0; i--) if (celEquals(x, l[i])) return BigInt(i);
      return -1n;
    })
    .registerFunction('list.sum(): dyn', sum)
    .registerFunction('list.min(): dyn', (l: CelValue[]) => extreme(l, -1, 'min'))
    .registerFunction('list.max(): dyn', (l: CelValue[]) => extreme(l, 1, 'max'))
    .registerFunction('list.isSorted(): bool', (l: CelValue[]) =>
      l.every((x, i) => i === 0 || compare(l[i - 1], x) <= 0),
    );

  // Sets library: lists treated as sets.
  env
    .registerType('SetsNamespace', SetsNamespace)
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerFunction(
      'SetsNamespace.contains(list, list): bool',
      (_: unknown, a: CelValue[], b: CelValue[]) => b.every((x) => a.some((y) => celEquals(x, y))),
    )
    .registerFunction(
      'SetsNamespace.intersects(list, list): bool',
      (_: unknown, a: CelValue[], b: CelValue[]) => b.some((x) => a.some((y) => celEquals(x, y))),
    )
    .registerFunction(
      'SetsNamespace.equivalent(list, list): bool',
      (_: unknown, a: CelValue[], b: CelValue[]) =>
        b.every((x) => a.some((y) => celEquals(x, y))) && a.every((x) => b.some((y) => celEquals(x, y))),
    );

  // Regex library (RE2 syntax; the policies stay within the subset JavaScript shares with it).
  env
    .registerFunction('string.find(string): string', (s: string, p: string) => {
      const m = regex(p).exec(s);
      return m ? m[0] : '';
    })
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) =>
      Array.from(s.matchAll(regex(p)), (m) => m[0]),
    )
    .registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => {
      const all = Array.from(s.matchAll(regex(p)), (m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    });

  // Quantity library.
  env
    .registerType('Quantity', Quantity)
    .registerFunction('isQuantity(string): bool', (s: string) => Quantity.parse(s) !== undefined)
    .registerFunction('quantity(string): Quantity', quantityOf)
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) =>
      BigInt(a.compareTo(b)),
    )
    .registerFunction(
      'Quantity.isGreaterThan(Quantity): bool',
      (a: Quantity, b: Quantity) => a.compareTo(b) > 0,
    )
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0)
    .registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => a.add(b))
    .registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) => a.add(Quantity.ofInteger(b)))
    .registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => a.sub(b))
    .registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) => a.sub(Quantity.ofInteger(b)))
    .registerFunction('Quantity.sign(): int', (a: Quantity) => BigInt(a.sign()))
    .registerFunction('Quantity.isInteger(): bool', (a: Quantity) => a.isInteger())
    .registerFunction('Quantity.asInteger(): int', (a: Quantity) =>
      a.isInteger() ? a.num : fail('asInteger: the quantity is not an integer'),
    )
    .registerFunction('Quantity.asApproximateFloat(): double', (a: Quantity) => a.asApproximateFloat());
  return env;
}

/**
 * Converts decoded JSON/YAML into the values the API server's CEL sees: integers become int (bigint),
 * `null` fields are dropped (the API server's decoding drops them from typed objects).
 */
export function toCel(value: unknown): CelValue {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, CelValue> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue;
      // A key named __proto__ is data to the API server; assigned, it would replace the map's prototype.
      if (k === '__proto__')
        Object.defineProperty(out, k, {
          value: toCel(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[k] = toCel(v);
    }
    return out;
  }
  return value;
}
