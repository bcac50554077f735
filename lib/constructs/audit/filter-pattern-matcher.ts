/**
 * An offline evaluator for the subset of CloudWatch Logs JSON filter patterns that `renderFilterPattern`
 * produces: `{ ... }` around comparisons `$.a.b[0] <op> value`, `&&`, `||` and parentheses. It parses the
 * pattern text (not the typed condition), so a test proves what CloudWatch will be given.
 *
 * Semantics modelled on CloudWatch's:
 * - a selector that resolves to nothing makes its comparison false, for `!=` too;
 * - string values are compared as strings, `*` matching any run of characters; a quoted value never
 *   equals a JSON number, and a number never equals a JSON string;
 * - `&&` and `||` may not be mixed without parentheses (the renderer never does; refusing keeps the
 *   evaluator out of CloudWatch's undocumented precedence).
 */

type Token =
  | { kind: 'lbrace' | 'rbrace' | 'lparen' | 'rparen' | 'and' | 'or' }
  | { kind: 'selector'; path: (string | number)[] }
  | { kind: 'op'; op: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number };

type Node =
  | { kind: 'cmp'; path: (string | number)[]; op: string; value: string | number }
  | { kind: 'and' | 'or'; parts: Node[] };

export class FilterPatternSyntaxError extends Error {
  constructor(message: string, pattern: string) {
    super(`${message} in filter pattern ${pattern}`);
    this.name = 'FilterPatternSyntaxError';
  }
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new FilterPatternSyntaxError(`${msg} at offset ${i}`, pattern);
  };
  while (i < pattern.length) {
    const ch = pattern[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '{' || ch === '}' || ch === '(' || ch === ')') {
      tokens.push({ kind: ({ '{': 'lbrace', '}': 'rbrace', '(': 'lparen', ')': 'rparen' } as const)[ch] });
      i++;
    } else if (pattern.startsWith('&&', i)) {
      tokens.push({ kind: 'and' });
      i += 2;
    } else if (pattern.startsWith('||', i)) {
      tokens.push({ kind: 'or' });
      i += 2;
    } else if (ch === '$') {
      const m = /^\$((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])+)/.exec(pattern.slice(i));
      if (!m) fail('malformed selector');
      const path: (string | number)[] = [];
      for (const seg of m![1].matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g)) {
        path.push(seg[1] !== undefined ? seg[1] : Number(seg[2]));
      }
      if (typeof path[0] !== 'string') fail('a selector starts with a property name');
      tokens.push({ kind: 'selector', path });
      i += m![0].length;
    } else if (/^(!=|<=|>=|=|<|>)/.test(pattern.slice(i))) {
      const op = /^(!=|<=|>=|=|<|>)/.exec(pattern.slice(i))![1];
      tokens.push({ kind: 'op', op });
      i += op.length;
    } else if (ch === '"') {
      const end = pattern.indexOf('"', i + 1);
      if (end < 0) fail('unterminated string');
      tokens.push({ kind: 'string', value: pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[-\d]/.test(ch)) {
      const m = /^-?\d+(\.\d+)?/.exec(pattern.slice(i));
      if (!m) fail('malformed number');
      tokens.push({ kind: 'number', value: Number(m![0]) });
      i += m![0].length;
    } else {
      fail(`unexpected character ${JSON.stringify(ch)}`);
    }
  }
  return tokens;
}

/** Parses a JSON filter pattern of the supported subset; throws `FilterPatternSyntaxError` otherwise. */
export function parseFilterPattern(pattern: string): Node {
  const tokens = tokenize(pattern);
  let pos = 0;
  const fail = (msg: string): never => {
    throw new FilterPatternSyntaxError(`${msg} (token ${pos})`, pattern);
  };
  const peek = () => tokens[pos];
  const expect = (kind: Token['kind']) => {
    if (peek()?.kind !== kind) fail(`expected ${kind}`);
    return tokens[pos++];
  };

  const primary = (): Node => {
    const t = peek();
    if (t?.kind === 'lparen') {
      pos++;
      const inner = expression();
      expect('rparen');
      return inner;
    }
    const sel = expect('selector') as Extract<Token, { kind: 'selector' }>;
    const op = (expect('op') as Extract<Token, { kind: 'op' }>).op;
    const v = tokens[pos++];
    if (v?.kind === 'string') {
      if (op !== '=' && op !== '!=') fail(`operator ${op} does not apply to strings`);
      return { kind: 'cmp', path: sel.path, op, value: v.value };
    }
    if (v?.kind === 'number') return { kind: 'cmp', path: sel.path, op, value: v.value };
    return fail('expected a quoted string or a number');
  };

  const expression = (): Node => {
    const first = primary();
    const connective = peek()?.kind;
    if (connective !== 'and' && connective !== 'or') return first;
    const parts = [first];
    while (peek()?.kind === 'and' || peek()?.kind === 'or') {
      if (peek()!.kind !== connective) fail('&& and || mixed without parentheses');
      pos++;
      parts.push(primary());
    }
    return { kind: connective, parts };
  };

  expect('lbrace');
  const root = expression();
  expect('rbrace');
  if (pos !== tokens.length) fail('trailing input');
  return root;
}

function resolve(event: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = event;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}

function globMatch(value: string, glob: string): boolean {
  const re = new RegExp(`^${glob.split('*').map(escapeRegExp).join('[\\s\\S]*')}$`);
  return re.test(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function evaluate(node: Node, event: unknown): boolean {
  if (node.kind !== 'cmp') {
    return node.kind === 'and'
      ? node.parts.every((p) => evaluate(p, event))
      : node.parts.some((p) => evaluate(p, event));
  }
  const actual = resolve(event, node.path);
  if (actual === undefined) return false;
  if (typeof node.value === 'string') {
    if (typeof actual !== 'string') return false;
    const same = globMatch(actual, node.value);
    return node.op === '=' ? same : !same;
  }
  if (typeof actual !== 'number') return false;
  const v = node.value;
  switch (node.op) {
    case '=':
      return actual === v;
    case '!=':
      return actual !== v;
    case '<':
      return actual < v;
    case '<=':
      return actual <= v;
    case '>':
      return actual > v;
    default:
      return actual >= v;
  }
}

/** Whether CloudWatch would count `event` (a parsed JSON log event) for this filter pattern. */
export function matchesFilterPattern(pattern: string, event: unknown): boolean {
  return evaluate(parseFilterPattern(pattern), event);
}
