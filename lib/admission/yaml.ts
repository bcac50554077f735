/**
 * Reads manifest text the way kubectl does, so that `check` judges the object kubectl will send, not the
 * one a YAML 1.2 reader sees. kubectl splits a stream into documents on lines that begin with `---`
 * (k8s.io/apimachinery's YAMLReader), and converts each one with sigs.k8s.io/yaml, which decodes with
 * go-yaml v2 (YAML 1.1 scalars: `yes`/`on`/`y` are booleans, `0b1`/`0o17`/`017` integers, merge keys `<<`
 * applied in order, later keys overwriting earlier ones) and then turns map keys into JSON strings.
 *
 * The syntax is parsed by the `yaml` package with the failsafe schema (every scalar a string); scalars and
 * keys are then resolved here by go-yaml v2's rules. Where kubectl is silently ambiguous, this reader is
 * stricter and refuses the document: duplicate keys (kubectl keeps the last), a merge key that overwrites
 * a key set before it in the same mapping (go-yaml v2 and YAML 1.1 disagree on which wins), several
 * documents between two `---` lines (kubectl reads only the first), and integers a JavaScript number
 * cannot hold exactly. test/admission/yaml-kubectl.test.ts compares the result with the real kubectl.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Node,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/** A document of the stream, decoded to the JSON value kubectl would send. */
export interface DecodedDocument {
  /** 1-based line and column where the document's content starts. */
  readonly line: number;
  readonly column: number;
  /** The JSON-compatible value; null for an empty document. */
  readonly value: unknown;
  /**
   * 1-based lines of the entries of a top-level `items` sequence (what kubectl expands as a list).
   * Empty when there is none.
   */
  readonly itemLines: readonly number[];
}

/** A problem in the text. */
export interface YamlProblem {
  /** 1-based line (and column); 0 when the problem concerns the whole input. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface DecodedStream {
  readonly documents: readonly DecodedDocument[];
  readonly problems: readonly YamlProblem[];
}

/** Nesting deeper than this is refused (real manifests stay far below; deeper input only costs stack). */
export const MAX_DEPTH = 1000;
/** Alias expansion may add at most this many nodes, or as many as the document has, whichever is more. */
export const MIN_ALIAS_BUDGET = 100_000;
/** One file's report stops after this many problems. */
const MAX_PROBLEMS = 20;

const TAG = 'tag:yaml.org,2002:';
const STR = `${TAG}str`;
const INT = `${TAG}int`;
const FLOAT = `${TAG}float`;
const BOOL = `${TAG}bool`;
const NULL = `${TAG}null`;
const BINARY = `${TAG}binary`;
const TIMESTAMP = `${TAG}timestamp`;
const MERGE = `${TAG}merge`;

class DecodeError extends Error {
  constructor(
    message: string,
    public readonly offset: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Scalars: go-yaml v2's resolve() for plain (untagged, unquoted) scalars.

type Kind = 'str' | 'int' | 'float' | 'bool' | 'null';
/** Kind of the last value `resolvePlain` returned (kept out of the return value: this runs per scalar). */
let resolvedKind: Kind = 'str';

const RESOLVED: ReadonlyMap<string, readonly [Kind, unknown]> = new Map<string, readonly [Kind, unknown]>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map(
    (s) => [s, ['bool', true]] as const,
  ),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (s) => [s, ['bool', false]] as const,
  ),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, ['null', null]] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, ['float', NaN]] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, ['float', Infinity]] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, ['float', -Infinity]] as const),
]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
/** go-yaml's float syntax (yamlStyleFloat), tried only after the integer forms. */
const FLOAT_SYNTAX = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's strconv.ParseInt(s, 0, 64) syntax: sign, then 0x / 0b / 0o / leading-0 octal / decimal. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]*)|([1-9][0-9]*))$/;
const SMALL_DECIMAL = /^-?[1-9][0-9]{0,14}$/;

/** An integer beyond ±(2^53 - 1): kubectl sends it exactly, a JavaScript number cannot hold it. */
class UnsafeInteger {
  constructor(
    public readonly text: string,
    public readonly value: bigint,
  ) {}
}

function integer(value: bigint, text: string): number | UnsafeInteger {
  resolvedKind = 'int';
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER))
    return new UnsafeInteger(text, value);
  return Number(value);
}

/** strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64) (no sign); undefined when neither parses. */
function goInteger(s: string, text: string): number | UnsafeInteger | undefined {
  const m = GO_INT.exec(s);
  if (!m) return undefined;
  const [, sign, hex, bin, oct, legacyOct, dec] = m;
  const magnitude =
    hex !== undefined
      ? BigInt(`0x${hex}`)
      : bin !== undefined
        ? BigInt(`0b${bin}`)
        : oct !== undefined
          ? BigInt(`0o${oct}`)
          : legacyOct !== undefined
            ? legacyOct === ''
              ? 0n
              : BigInt(`0o${legacyOct}`)
            : BigInt(dec);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return integer(value, text);
  if (sign === '' && value <= UINT64_MAX) return integer(value, text);
  return undefined;
}

/** strconv.ParseInt(s, 2, 64) then ParseUint(s, 2, 64), for go-yaml's own `0b` fallback. */
function goBinary(s: string, signed: boolean, text: string): number | UnsafeInteger | undefined {
  const m = (signed ? /^([-+]?)([01]+)$/ : /^()([01]+)$/).exec(s);
  if (!m) return undefined;
  const value = m[1] === '-' ? -BigInt(`0b${m[2]}`) : BigInt(`0b${m[2]}`);
  if (value >= INT64_MIN && value <= (signed ? INT64_MAX : UINT64_MAX)) return integer(value, text);
  return undefined;
}

/** Go's rule for `_` in numbers (strconv.underscoreOK): only between digits, or after a base prefix. */
function goUnderscoresOk(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else if (saw === '_') return false;
    else saw = '!';
  }
  return saw !== '_';
}

/**
 * The value go-yaml v2 gives an untagged plain scalar (sets `resolvedKind`). Numbers go-yaml would give
 * as ±Inf or NaN come back as such (kubectl then fails to encode them; the caller refuses them).
 */
export function resolvePlain(text: string): unknown {
  resolvedKind = 'str';
  const c = text.charCodeAt(0);
  // go-yaml's resolve table: only these first characters can start anything but a string.
  const digit = c >= 48 && c <= 57;
  const sign = c === 43 || c === 45;
  const dot = c === 46;
  if (text !== '' && !digit && !sign && !dot && !'yYnNtTfFoO~'.includes(text[0])) return text;
  const known = RESOLVED.get(text);
  if (known) {
    resolvedKind = known[0];
    return known[1];
  }
  if (dot) {
    // strconv.ParseFloat on the text as written.
    if (text.includes('_') && !goUnderscoresOk(text)) return text;
    const plain = text.replace(/_/g, '');
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) {
        resolvedKind = 'float';
        return f;
      }
    }
    return text;
  }
  if (!digit && !sign) return text;
  if (SMALL_DECIMAL.test(text)) {
    resolvedKind = 'int';
    return Number(text);
  }
  const plain = text.replace(/_/g, '');
  const int = goInteger(plain, text);
  if (int !== undefined) return int === 0 ? 0 : int; // no negative zero from `-0`
  if (FLOAT_SYNTAX.test(plain)) {
    const f = Number(plain);
    // Go's ParseFloat fails on overflow (go-yaml then keeps the string); underflow gives 0.
    if (Number.isFinite(f)) {
      resolvedKind = 'float';
      return f;
    }
  }
  if (plain.startsWith('0b')) return goBinary(plain.slice(2), true, text) ?? text;
  if (plain.startsWith('-0b')) return goBinary(`-${plain.slice(3)}`, true, text) ?? text;
  return text;
}

/** go-yaml v2's resolve() for a scalar carrying one of the core tags (`!!int "12"` is 12). */
function resolveTagged(tag: string, text: string, offset: number): unknown {
  const value = resolvePlain(text);
  const kind = resolvedKind;
  const want = tag.slice(TAG.length);
  if (tag === TIMESTAMP) {
    // go-yaml keeps a timestamp decoded into an interface as its text.
    if (/^[0-9]{4}-/.test(text)) return text;
  } else if (want === kind) return value;
  else if (tag === FLOAT && kind === 'int') return value;
  throw new DecodeError(`cannot decode !!${kind} \`${text}\` as a !!${want}`, offset);
}

/** go-yaml's !!binary: standard base64, line breaks ignored; the bytes become a string. */
function binary(text: string, offset: number): string {
  const b64 = text.replace(/[\r\n]/g, '');
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64))
    throw new DecodeError('!!binary value contains invalid base64 data', offset);
  return Buffer.from(b64, 'base64').toString('utf-8');
}

// ---------------------------------------------------------------------------------------------------------
// Map keys: sigs.k8s.io/yaml turns go-yaml's key values into JSON object keys.

/** Go's strconv.FormatFloat(float64(x), 'g', -1, 32): the shortest float32 digits, %e past 1e6 or below 1e-4. */
export function goFloat32Key(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  const f = Math.fround(x);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  let exp = 0;
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    const e = Math.abs(f).toExponential(p - 1);
    if (Math.fround(Number(e)) === Math.abs(f)) {
      const [mantissa, exponent] = e.split('e');
      digits = mantissa.replace('.', '');
      exp = Number(exponent);
      break;
    }
  }
  const neg = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${neg}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${neg}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${neg}${whole}${frac ? `.${frac}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Documents.

/** Line numbers of one chunk of text, built only when a position is asked for. */
class Lines {
  private starts?: number[];
  constructor(
    public readonly text: string,
    private readonly firstLine: number,
  ) {}

  public at(offset: number): { line: number; column: number } {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1))
        this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.firstLine + lo, column: offset - this.starts[lo] + 1 };
  }
}

/** Stores `value` under `key` as an own property, `__proto__` included (as JSON.parse does). */
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function describe(node: Node | null | undefined): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a sequence';
  return 'a scalar';
}

/** Converts one parsed document, tracking anchors in document order as go-yaml does. */
class Converter {
  private readonly anchors = new Map<string, Node>();
  /** Converted value and expanded size of each anchored node. */
  private readonly anchored = new Map<Node, { value: unknown; size: number }>();
  private readonly open = new Set<Node>();
  /** Nodes written in the document, and nodes added by alias expansion. */
  private own = 0;
  private aliased = 0;
  private depth = 0;

  /**
   * @param json the input is JSON: kubectl decodes it with encoding/json, not go-yaml, so YAML 1.1's
   * narrower escapes do not apply (JSON's `\/` is fine).
   */
  constructor(
    private readonly lines: Lines,
    private readonly json = false,
  ) {}

  public convert(node: Node | null | undefined): unknown {
    return this.node(node);
  }

  private node(node: Node | null | undefined): unknown {
    if (node === null || node === undefined) {
      this.own++;
      return null;
    }
    if (isAlias(node)) return this.alias(node.source, node.range?.[0] ?? 0).value;
    const anchor = (node as { anchor?: string }).anchor;
    const before = this.own + this.aliased;
    if (anchor) {
      this.anchors.set(anchor, node);
      this.open.add(node);
    }
    let value: unknown;
    if (isMap(node) || isSeq(node)) {
      if (++this.depth > MAX_DEPTH)
        throw new DecodeError(`nested deeper than ${MAX_DEPTH} levels`, node.range?.[0] ?? 0);
      value = isMap(node) ? this.map(node) : this.seq(node);
      this.depth--;
    } else {
      this.own++;
      value = this.scalar(node as Scalar);
    }
    if (anchor) {
      this.open.delete(node);
      this.anchored.set(node, { value, size: this.own + this.aliased - before });
    }
    return value;
  }

  /** An alias's target; its expanded size counts against the budget that stops YAML bombs. */
  private alias(name: string, at: number): { value: unknown; size: number } {
    const target = this.anchors.get(name);
    if (!target) throw new DecodeError(`unknown anchor '${name}' referenced`, at);
    if (this.open.has(target)) throw new DecodeError(`anchor '${name}' value contains itself`, at);
    const r = this.anchored.get(target) ?? { value: null, size: 1 };
    this.aliased += r.size;
    const budget = Math.max(MIN_ALIAS_BUDGET, this.own);
    if (this.aliased > budget)
      throw new DecodeError(`aliases expand to more than ${budget} nodes (a YAML bomb?)`, at);
    return r;
  }

  private scalar(node: Scalar): unknown {
    const text = node.value === null || node.value === undefined ? '' : String(node.value);
    const at = node.range?.[0] ?? 0;
    const tag = node.tag;
    let value: unknown;
    if (node.type === 'QUOTE_DOUBLE' && !this.json && text.includes('/')) this.checkEscapes(node);
    if (!tag) value = node.type === 'PLAIN' ? resolvePlain(text) : text;
    else if (tag === STR || tag === MERGE) value = text;
    else if (tag === BINARY) value = binary(text, at);
    else if (tag === INT || tag === FLOAT || tag === BOOL || tag === NULL || tag === TIMESTAMP)
      value = resolveTagged(tag, text, at);
    // Any other tag (`!`, `!local`, `!!set`, ...) leaves go-yaml a string.
    else value = text;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      if (typeof value !== 'number' || Number.isFinite(value)) return value;
      throw new DecodeError(
        `${text} is not a number JSON can carry (kubectl refuses it); quote it if it is meant as a string`,
        at,
      );
    }
    if (value instanceof UnsafeInteger)
      throw new DecodeError(
        `integer ${value.text} is beyond ±${Number.MAX_SAFE_INTEGER}, which check cannot compare exactly; quote it if it is meant as a string`,
        at,
      );
    return value;
  }

  /** `\\/` is a YAML 1.2 escape; go-yaml v2 (YAML 1.1) refuses it, so kubectl refuses the file. */
  private checkEscapes(node: Scalar): void {
    const [start, end] = node.range ?? [0, 0];
    const raw = this.lines.text.slice(start, end);
    for (let i = raw.indexOf('\\'); i !== -1; i = raw.indexOf('\\', i + 2))
      if (raw[i + 1] === '/')
        throw new DecodeError(
          'unknown escape \\/ in a double-quoted string (kubectl reads YAML 1.1, which has none); write / alone',
          start + i,
        );
  }

  private seq(node: YAMLSeq): unknown[] {
    this.own++;
    const items = node.items;
    const value = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) value[i] = this.node(items[i] as Node);
    return value;
  }

  private static isMergeKey(key: unknown): boolean {
    if (!isScalar(key) || key.value !== '<<') return false;
    return key.tag === MERGE || (!key.tag && key.type === 'PLAIN');
  }

  /** The JSON key sigs.k8s.io/yaml makes of a key node. */
  private key(node: Node | null | undefined, at: number): string {
    if (isAlias(node)) {
      const target = this.anchors.get(node.source);
      if (!target) throw new DecodeError(`unknown anchor '${node.source}' referenced`, at);
      return this.key(target, at);
    }
    if (isMap(node) || isSeq(node)) throw new DecodeError(`invalid map key: ${describe(node)}`, at);
    if (node === null || node === undefined) throw new DecodeError('unsupported map key: null', at);
    const s = node as Scalar;
    const text = s.value === null || s.value === undefined ? '' : String(s.value);
    if (s.type === 'QUOTE_DOUBLE' && !this.json && text.includes('/')) this.checkEscapes(s);
    const tag = s.tag;
    if (!tag) {
      if (s.type !== 'PLAIN') return text;
    } else if (tag === STR || tag === MERGE || !tag.startsWith(TAG)) return text;
    else if (tag === BINARY) return binary(text, at);
    const value = tag ? resolveTagged(tag, text, at) : resolvePlain(text);
    const kind = tag === FLOAT ? 'float' : resolvedKind;
    if (value instanceof UnsafeInteger) {
      // go-yaml gives uint64 above int64's range, which sigs.k8s.io/yaml cannot use as a key.
      if (value.value > INT64_MAX) throw new DecodeError(`unsupported map key: ${value.text} (uint64)`, at);
      return value.value.toString();
    }
    if (value === null) throw new DecodeError('unsupported map key: null', at);
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') return kind === 'int' ? String(value) : goFloat32Key(value);
    return String(value);
  }

  private map(node: YAMLMap): Record<string, unknown> {
    this.own++;
    const out: Record<string, unknown> = {};
    /** Offsets of the keys written explicitly, to report duplicates and merge conflicts. */
    const explicit = new Map<string, number>();
    let merged = -1;
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const at = keyNode?.range?.[0] ?? node.range?.[0] ?? 0;
      if (Converter.isMergeKey(keyNode)) {
        if (merged !== -1)
          throw new DecodeError(
            `duplicate merge key << (first at line ${this.lines.at(merged).line}); merge several maps with <<: [*a, *b]`,
            at,
          );
        merged = at;
        for (const source of this.mergeSources(pair.value as Node | null, at))
          for (const k of Object.keys(source)) {
            const first = explicit.get(k);
            if (first !== undefined)
              throw new DecodeError(
                `key "${k}" (line ${this.lines.at(first).line}) is overwritten by the merge key << below it: kubectl applies the merge last, YAML 1.1 readers keep the key; put << first or remove one`,
                at,
              );
            setKey(out, k, source[k]);
          }
        continue;
      }
      const k = this.key(keyNode, at);
      const first = explicit.get(k);
      if (first !== undefined)
        throw new DecodeError(
          `duplicate key "${k}" (first at line ${this.lines.at(first).line}); kubectl would keep only the last one`,
          at,
        );
      explicit.set(k, at);
      setKey(out, k, this.node(pair.value as Node | null));
    }
    return out;
  }

  /** The maps a merge key brings in, in the order go-yaml applies them (a sequence's first map wins). */
  private mergeSources(value: Node | null, at: number): Readonly<Record<string, unknown>>[] {
    const one = (n: Node | null | undefined): Record<string, unknown> => {
      const target = isAlias(n) ? this.anchors.get(n.source) : n;
      if (isAlias(n) && !target) throw new DecodeError(`unknown anchor '${n.source}' referenced`, at);
      if (!isMap(target))
        throw new DecodeError('map merge requires a mapping or a sequence of mappings as the value', at);
      return this.node(n) as Record<string, unknown>;
    };
    if (isSeq(value)) {
      this.own++;
      return value.items.map((n) => one(n as Node)).reverse();
    }
    return [one(value)];
  }
}

/** One `---`-separated section of the text, as kubectl's YAMLReader cuts it. */
interface Chunk {
  readonly text: string;
  /** 1-based line of the chunk's first line. */
  readonly line: number;
}

/** Go's strings.TrimSpace whitespace. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0]+|[\t\n\v\f\r \u0085\u00a0]+$/g;

/**
 * Splits like kubectl: a line starting with `---` ends the current document when anything but spaces or a
 * comment follows it, kubectl refuses the file (reported here as a problem on that line).
 */
function chunks(text: string, problems: YamlProblem[]): Chunk[] {
  const out: Chunk[] = [];
  let start = 0;
  let startLine = 1;
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    if (text.startsWith('---', pos)) {
      const rest = text.slice(pos + 3, end).replace(GO_SPACE, '');
      if (rest !== '' && !rest.startsWith('#'))
        problems.push({
          line,
          column: 4,
          message: `invalid document separator: kubectl allows only a comment after ---; put the content on the next line`,
        });
      if (pos > start) {
        out.push({ text: text.slice(start, pos), line: startLine });
        // The separator line itself is dropped, as kubectl does.
        start = end;
        startLine = line + 1;
      }
    }
    pos = end;
    line++;
  }
  if (start < text.length) out.push({ text: text.slice(start), line: startLine });
  return out;
}

/** Control characters and bidirectional overrides: input that would rewrite what a terminal shows. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text from the input made safe for a terminal line: every unprintable character becomes `?`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '?');
}

/** A one-line message without the input's bytes (unprintable characters dropped, length bounded). */
export function oneLine(message: string, max = 200): string {
  const s = message.replace(UNPRINTABLE, ' ').replace(/ {2,}/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function decodeChunk(
  chunk: Chunk,
  json: boolean,
  documents: DecodedDocument[],
  problems: YamlProblem[],
): void {
  const lines = new Lines(chunk.text, chunk.line);
  const problem = (offset: number, message: string) => {
    const pos = lines.at(offset);
    problems.push({ line: pos.line, column: pos.column, message: oneLine(message) });
  };
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(chunk.text, {
      schema: 'failsafe',
      version: '1.1',
      uniqueKeys: false,
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch (e) {
    // The parser recurses per nesting level; absurd nesting ends here, not in a crash.
    if (e instanceof RangeError) return problem(0, `nested too deeply to read`);
    throw e;
  }
  if (!Array.isArray(docs) || docs.length === 0) return;
  const [doc, second] = docs;
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // The parser reports its own stack overflow as an error of the document.
    if (/Maximum call stack size exceeded/.test(e.message))
      return problem(e.pos[0], 'nested too deeply to read');
    return problem(e.pos[0], e.message.split('\n')[0]);
  }
  if (second) {
    return problem(
      second.range?.[0] ?? 0,
      'a second document after "..." without a --- line: kubectl reads only the first; separate documents with ---',
    );
  }
  const contents = doc.contents as Node | null;
  const start = contents?.range?.[0] ?? 0;
  let value: unknown;
  try {
    value = new Converter(lines, json).convert(contents);
  } catch (e) {
    if (e instanceof DecodeError) return problem(e.offset, e.message);
    if (e instanceof RangeError) return problem(start, 'nested too deeply to read');
    throw e;
  }
  const pos = lines.at(start);
  let itemLines: number[] = [];
  if (isMap(contents)) {
    const items = contents.items.find((p) => isScalar(p.key) && p.key.value === 'items')?.value;
    if (isSeq(items)) itemLines = items.items.map((n) => lines.at((n as Node)?.range?.[0] ?? start).line);
  }
  documents.push({ line: pos.line, column: pos.column, value, itemLines });
}

/**
 * Decodes a whole manifest text (YAML or JSON) into the documents kubectl would send, in order. Each
 * `---` section is decoded on its own: a problem in one is reported, and the others are still read.
 */
export function decodeManifestText(input: string): DecodedStream {
  const problems: YamlProblem[] = [];
  const documents: DecodedDocument[] = [];
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // go-yaml refuses these characters anywhere (kubectl: "control characters are not allowed").
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufeff\ufffe\uffff]/.exec(
    text,
  );
  if (control) {
    const pos = new Lines(text, 1).at(control.index);
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return {
      documents,
      problems: [
        {
          line: pos.line,
          column: pos.column,
          message: `control character U+${code}, which YAML does not allow (kubectl refuses the file)`,
        },
      ],
    };
  }
  // kubectl decodes a stream that starts with `{` as JSON (k8s.io/apimachinery's YAMLOrJSONDecoder).
  const json = /^[\t\n\v\f\r \u0085\u00a0]*\{/.test(text);
  for (const chunk of chunks(text, problems)) {
    if (problems.length >= MAX_PROBLEMS) break;
    decodeChunk(chunk, json, documents, problems);
  }
  if (problems.length > MAX_PROBLEMS) problems.length = MAX_PROBLEMS;
  return { documents, problems };
}
