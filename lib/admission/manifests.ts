/**
 * Loads Kubernetes manifests the way `kubectl apply -f` takes them: files or directories, multi-document
 * YAML (Helm-rendered output included), JSON, and lists, keeping each object's file and line. The YAML is
 * read as kubectl reads it (./yaml.ts) and lists are expanded as kubectl expands them: any object with an
 * `items` field is a list whatever its kind, and an item without apiVersion and kind takes the list's.
 */
import type { KubeObject } from './types';
import { decodeManifestText, oneLine, type DecodedDocument, type YamlProblem } from './yaml';
import {
  ByteBudget,
  DEFAULT_MAX_BYTES,
  InputProblem,
  decodeText,
  expandInputs,
  readInput,
  type SkippedEntry,
} from './input';

export { DEFAULT_MAX_BYTES, MAX_MAX_BYTES, formatBytes, type SkippedEntry } from './input';

export interface LoadedObject {
  readonly file: string;
  /** 1-based line of the object's first field. */
  readonly line: number;
  readonly object: KubeObject;
}

/** A problem with one input, at its line (0: the whole input). */
export interface InputError extends YamlProblem {
  readonly file: string;
}

export interface LoadResult {
  readonly objects: readonly LoadedObject[];
  readonly errors: readonly InputError[];
}

/** How many objects each command-line argument gave, to tell "nothing to check" apart per input. */
export interface InputCount {
  readonly input: string;
  /** Files read for it (1 for a file or stdin). */
  readonly files: number;
  readonly objects: number;
}

export interface LoadedInputs extends LoadResult {
  /** Entries of walked directories that were not read (not regular files). */
  readonly skipped: readonly SkippedEntry[];
  readonly inputs: readonly InputCount[];
}

export interface LoadOptions {
  /** The most bytes read in one run, all inputs together. @default DEFAULT_MAX_BYTES (64 MiB) */
  readonly maxBytes?: number;
  /** What `-` reads. @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return 'a sequence';
  if (x === null) return 'null';
  return `a ${typeof x}`;
}

const text = (x: unknown): string => (typeof x === 'string' ? x : '');

/** Adds the objects kubectl would send for one document. */
function expand(
  file: string,
  index: number,
  doc: DecodedDocument,
  objects: LoadedObject[],
  errors: InputError[],
): void {
  const where = `document ${index}`;
  const fail = (line: number, message: string): void => {
    errors.push({ file, line, column: 1, message });
  };
  const v = doc.value;
  if (v === null) return; // an empty document: kubectl skips it
  if (!isObject(v)) return fail(doc.line, `${where} is not a Kubernetes object (it is ${describe(v)})`);
  if (text(v.apiVersion) === '' || text(v.kind) === '')
    return fail(doc.line, `${where} has no apiVersion and kind`);
  if (!('items' in v)) {
    objects.push({ file, line: doc.line, object: v as KubeObject });
    return;
  }
  // kubectl decodes every object with an `items` field as a list and sends the items, not the object.
  if (v.items === null) return;
  if (!Array.isArray(v.items))
    return fail(
      doc.line,
      `${where} (${v.kind}) has an items field that is ${describe(v.items)}: kubectl reads any object with items as a list of objects`,
    );
  const itemKind = text(v.kind).replace(/List$/, '');
  v.items.forEach((item: unknown, i: number) => {
    const line = doc.itemLines[i] ?? doc.line;
    const at = `${where}, item ${i + 1}`;
    if (!isObject(item)) return fail(line, `${at} is not a Kubernetes object (it is ${describe(item)})`);
    const object: Record<string, unknown> =
      text(item.apiVersion) === '' && text(item.kind) === ''
        ? { ...item, apiVersion: v.apiVersion, kind: itemKind }
        : item;
    if (text(object.apiVersion) === '' || text(object.kind) === '')
      return fail(line, `${at} has no apiVersion and kind`);
    if (Array.isArray(object.items))
      return fail(line, `${at} is itself a list; kubectl refuses nested lists`);
    objects.push({ file, line, object: object as KubeObject });
  });
}

/** Parses one file's text. */
export function parseManifests(file: string, source: string): LoadResult {
  const decoded = decodeManifestText(source);
  const objects: LoadedObject[] = [];
  const errors: InputError[] = decoded.problems.map((p) => ({ file, ...p }));
  decoded.documents.forEach((doc, i) => expand(file, i + 1, doc, objects, errors));
  errors.sort((a, b) => a.line - b.line);
  return { objects, errors };
}

/**
 * Loads every manifest under `paths` (files, directories, `-` for stdin), bounded by `maxBytes` in total.
 * Never throws for bad input: problems come back as errors, one line each.
 */
/** kustomize's own configuration (`Kustomization`, `Component`): read by kustomize, never sent to a cluster. */
function isKustomizeFile(object: KubeObject): boolean {
  return (
    /^kustomize\.config\.k8s\.io\//.test(object.apiVersion ?? '') &&
    ['Kustomization', 'Component'].includes(object.kind ?? '')
  );
}

export async function loadManifests(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<LoadedInputs> {
  const problems: InputProblem[] = [];
  const skipped: SkippedEntry[] = [];
  const objects: LoadedObject[] = [];
  const errors: InputError[] = [];
  const files = expandInputs(paths, problems, skipped);
  const problem = (p: InputProblem) =>
    errors.push({ file: p.file, line: p.line, column: p.column, message: oneLine(p.message) });
  problems.forEach(problem);
  const counts = new Map<string, { files: number; objects: number }>(
    paths.map((p) => [p, { files: 0, objects: 0 }]),
  );
  const budget = new ByteBudget(options.maxBytes ?? DEFAULT_MAX_BYTES);
  for (const { file, input } of files) {
    const name = file === '-' ? '<stdin>' : file;
    const count = counts.get(input) ?? { files: 0, objects: 0 };
    count.files++;
    let source: string;
    try {
      // process.stdin is touched only when `-` is read: creating it opens a handle on fd 0.
      const stdin = file === '-' ? (options.stdin ?? process.stdin) : undefined;
      source = decodeText(name, await readInput(file, budget, stdin));
    } catch (e) {
      if (!(e instanceof InputProblem)) throw e;
      problem(e);
      // Past the bound nothing more is read: the run is already refused.
      if (budget.remaining < 0) break;
      continue;
    }
    const r = parseManifests(name, source);
    // One at a time: a spread of 100,000 objects into push() overflows the call stack.
    let kustomize = 0;
    for (const o of r.objects) {
      if (isKustomizeFile(o.object)) kustomize++;
      else objects.push(o);
    }
    // A kustomization.yaml next to manifests (dist/manifests/<env>/ has them) configures a build; no API
    // server admits it. Judged by content, not by name: a Pod in a file named kustomization.yaml is checked.
    if (kustomize > 0) skipped.push({ file, reason: 'kustomize configuration, not a Kubernetes object' });
    for (const e of r.errors) errors.push(e);
    count.objects += r.objects.length - kustomize;
  }
  return {
    objects,
    errors,
    skipped,
    inputs: paths.map((p) => ({
      input: p === '-' ? '<stdin>' : p,
      ...(counts.get(p) ?? { files: 0, objects: 0 }),
    })),
  };
}
