/**
 * Loads Kubernetes manifests the way `kubectl apply -f` takes them: files or directories, multi-document
 * YAML (Helm-rendered output included), JSON, and `*List` objects, keeping each object's file and line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, isMap, isSeq, parseAllDocuments, type Node } from 'yaml';
import type { KubeObject } from './types';

export interface LoadedObject {
  readonly file: string;
  /** 1-based line of the object's first field. */
  readonly line: number;
  readonly object: KubeObject;
}

export interface InputError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface LoadResult {
  readonly objects: readonly LoadedObject[];
  readonly errors: readonly InputError[];
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** Expands directories (recursively, sorted) into manifest files; a named file is taken whatever its suffix. */
export function expandPaths(paths: readonly string[], errors: InputError[]): string[] {
  const out: string[] = [];
  const walk = (p: string, named: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      errors.push({ file: p, line: 0, column: 0, message: 'cannot be read: no such file or directory' });
      return;
    }
    if (stat.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        if (e.startsWith('.')) continue;
        const child = path.join(p, e);
        if (fs.statSync(child).isDirectory() || MANIFEST.test(e)) walk(child, false);
      }
    } else if (named || MANIFEST.test(p)) out.push(p);
  };
  // `-` is standard input, as for `kubectl apply -f -` (`helm template . | hardened-eks check -`).
  for (const p of paths)
    if (p === '-') out.push(p);
    else walk(p, true);
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Parses one file's text. */
export function parseManifests(file: string, text: string): LoadResult {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const objects: LoadedObject[] = [];
  const errors: InputError[] = [];
  const at = (offset: number) => lines.linePos(offset);
  const push = (node: Node | null | undefined, value: unknown, where: string) => {
    const pos = at(node?.range?.[0] ?? 0);
    if (!isObject(value)) {
      errors.push({ file, line: pos.line, column: pos.col, message: `${where} is not a Kubernetes object` });
      return;
    }
    if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      errors.push({ file, line: pos.line, column: pos.col, message: `${where} has no apiVersion and kind` });
      return;
    }
    if (value.kind.endsWith('List') && Array.isArray(value.items)) {
      const items = isMap(node) ? node.get('items', true) : undefined;
      value.items.forEach((item, i) =>
        push(isSeq(items) ? (items.items[i] as Node) : node, item, `${where}, item ${i}`),
      );
      return;
    }
    objects.push({ file, line: pos.line, object: value as KubeObject });
  };
  if (!Array.isArray(docs)) return { objects, errors };
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = at(e.pos[0]);
        errors.push({ file, line: pos.line, column: pos.col, message: e.message.split('\n')[0] });
      }
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return; // empty document (`---` with only comments)
    push(doc.contents as Node, value, `document ${i + 1}`);
  });
  return { objects, errors };
}

/** Loads every manifest under `paths`. */
export function loadManifests(paths: readonly string[]): LoadResult {
  const errors: InputError[] = [];
  const objects: LoadedObject[] = [];
  for (const file of expandPaths(paths, errors)) {
    let text: string;
    try {
      text = fs.readFileSync(file === '-' ? 0 : file, 'utf-8');
    } catch (e) {
      errors.push({ file, line: 0, column: 0, message: `cannot be read: ${(e as Error).message}` });
      continue;
    }
    const r = parseManifests(file === '-' ? '<stdin>' : file, text);
    objects.push(...r.objects);
    errors.push(...r.errors);
  }
  return { objects, errors };
}
