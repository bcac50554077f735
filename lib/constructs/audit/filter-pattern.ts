/**
 * Typed CloudWatch Logs JSON filter patterns. A condition is data (field, operator, value, and all/any
 * groups); `renderFilterPattern` turns it into the pattern string. Only the part of the syntax the
 * blueprint needs is modelled, and anything the syntax cannot express is refused here, at synth time,
 * instead of producing a filter that silently never matches.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */

/** A path into the JSON event: property names and array indexes, e.g. `['user', 'groups', 0]`. */
export type FieldPath = readonly (string | number)[];

export type StringOperator = '=' | '!=';
export type NumberOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** `$.field = "value"`; `*` in the value is a wildcard for any run of characters. */
export interface StringComparison {
  readonly field: FieldPath;
  readonly op: StringOperator;
  readonly value: string;
}

export interface NumberComparison {
  readonly field: FieldPath;
  readonly op: NumberOperator;
  readonly value: number;
}

export interface AllOf {
  readonly all: readonly Condition[];
}

export interface AnyOf {
  readonly any: readonly Condition[];
}

export type Condition = StringComparison | NumberComparison | AllOf | AnyOf;

/** CloudWatch's limit on a filter pattern's length. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/** A condition CloudWatch filter patterns cannot express; use a Logs Insights query instead. */
export class UnexpressibleConditionError extends Error {
  public readonly code = 'UnexpressibleInFilterPattern';
  constructor(message: string) {
    super(`UnexpressibleInFilterPattern: ${message}; express it as a saved Logs Insights query instead`);
    this.name = 'UnexpressibleConditionError';
  }
}

const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `'objectRef.resource'` → `['objectRef', 'resource']`; use the array form for keys holding dots. */
export function field(path: string): FieldPath {
  return path.split('.');
}

export function eq(path: string | FieldPath, value: string | number): Condition {
  return compare(path, '=', value);
}

export function ne(path: string | FieldPath, value: string | number): Condition {
  return compare(path, '!=', value);
}

export function compare(path: string | FieldPath, op: NumberOperator, value: string | number): Condition {
  const f = typeof path === 'string' ? field(path) : path;
  if (typeof value === 'string') {
    if (op !== '=' && op !== '!=') {
      throw new UnexpressibleConditionError(`string values only support = and != (got ${op})`);
    }
    return { field: f, op, value };
  }
  return { field: f, op, value };
}

export function all(...conditions: Condition[]): Condition {
  return { all: conditions };
}

export function any(...conditions: Condition[]): Condition {
  return { any: conditions };
}

/** The field equals one of the values. */
export function oneOf(path: string | FieldPath, values: readonly (string | number)[]): Condition {
  return any(...values.map((v) => eq(path, v)));
}

/** The field equals none of the values (each `!=` needs the field to be present). */
export function noneOf(path: string | FieldPath, values: readonly (string | number)[]): Condition {
  return all(...values.map((v) => ne(path, v)));
}

/** `['user', 'groups', 0]` → `$.user.groups[0]`. Keys with dots, slashes etc. cannot be selected. */
export function renderSelector(path: FieldPath): string {
  if (path.length === 0 || typeof path[0] !== 'string') {
    throw new UnexpressibleConditionError('a selector starts with a property name');
  }
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') {
      if (!Number.isInteger(seg) || seg < 0) {
        throw new UnexpressibleConditionError(`array index ${seg} is not a non-negative integer`);
      }
      return `${acc}[${seg}]`;
    }
    if (!PROPERTY_NAME.test(seg)) {
      throw new UnexpressibleConditionError(
        `property name "${seg}" holds characters a filter-pattern selector cannot address`,
      );
    }
    return `${acc}.${seg}`;
  }, '$');
}

function renderValue(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnexpressibleConditionError(`${value} is not a finite number`);
    return String(value);
  }
  if (/["\\]/.test(value)) {
    throw new UnexpressibleConditionError(`value ${JSON.stringify(value)} contains a quote or backslash`);
  }
  return `"${value}"`;
}

function isComparison(c: Condition): c is StringComparison | NumberComparison {
  return 'field' in c;
}

/** Renders a condition without the outer braces; every operand of && / || is parenthesized. */
export function renderCondition(c: Condition): string {
  if (isComparison(c)) return `(${renderSelector(c.field)} ${c.op} ${renderValue(c.value)})`;
  const parts = 'all' in c ? c.all : c.any;
  if (parts.length === 0) throw new UnexpressibleConditionError('an empty all/any group');
  if (parts.length === 1) return renderCondition(parts[0]);
  const joined = parts.map(renderCondition).join('all' in c ? ' && ' : ' || ');
  return `(${joined})`;
}

/** The full JSON filter pattern, e.g. `{ ($.verb = "create") && ($.objectRef.resource = "pods") }`. */
export function renderFilterPattern(c: Condition): string {
  const inner = renderCondition(c);
  // The top-level group needs no parentheses of its own.
  const body = !isComparison(c) && inner.startsWith('(') && flattened(c) ? inner.slice(1, -1) : inner;
  const pattern = `{ ${body} }`;
  if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
    throw new UnexpressibleConditionError(
      `the pattern is ${pattern.length} characters, above CloudWatch's limit of ${MAX_FILTER_PATTERN_LENGTH}`,
    );
  }
  return pattern;
}

function flattened(c: AllOf | AnyOf): boolean {
  return ('all' in c ? c.all : c.any).length > 1;
}
