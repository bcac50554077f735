/**
 * Reading `check`'s inputs without trusting them: a pull request controls what sits in a checked directory,
 * and a pipeline controls what arrives on stdin. Directory walks take regular files only and say what they
 * skipped; every read is bounded (all inputs together); a FIFO, a device or stdin can neither hang the walk
 * nor fill memory; text must be UTF-8 without NUL bytes (a binary file is reported in one line, not echoed).
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as tty from 'tty';

/** The default bound on what one run reads, all inputs together (`--max-bytes`). */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/**
 * The highest bound `--max-bytes` accepts: a file is decoded into one JavaScript string, and V8 cannot make
 * one longer than 2^29 - 24 characters.
 */
export const MAX_MAX_BYTES = 500 * 1024 * 1024;
/** Suffixes a directory walk takes, as `kubectl apply -f <dir>` does. */
export const MANIFEST_SUFFIX = /\.(ya?ml|json)$/i;
/** Version-control metadata is never walked. */
const VCS_DIRECTORIES = new Set(['.git', '.hg', '.svn']);

/** Something a directory walk did not read, and why. */
export interface SkippedEntry {
  readonly file: string;
  readonly reason: string;
}

/** A file a walk found, or `-` for standard input. */
export interface InputFile {
  readonly file: string;
  /** The command-line argument it came from. */
  readonly input: string;
}

/** An input that cannot be read; the message is one line and never contains the input's bytes. */
export class InputProblem extends Error {
  constructor(
    public readonly file: string,
    message: string,
    public readonly line = 0,
    public readonly column = 0,
  ) {
    super(message);
  }
}

/** What is left of the byte bound; shared by every input of one run. */
export class ByteBudget {
  private used = 0;
  constructor(public readonly max: number = DEFAULT_MAX_BYTES) {}

  public get remaining(): number {
    return this.max - this.used;
  }

  /** Takes `n` bytes read from `file`; throws once the total passes the bound. */
  public take(file: string, n: number): void {
    this.used += n;
    if (this.used > this.max) throw new InputProblem(file, tooLarge(this.max));
  }
}

export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const)
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  return `${n} bytes`;
}

function tooLarge(max: number): string {
  return `more than ${formatBytes(max)} to read (all inputs together); raise the bound with --max-bytes if this is expected`;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSymbolicLink()) return 'a symlink';
  return 'a regular file';
}

/**
 * Expands command-line arguments into files: a directory recursively (sorted, regular files with a
 * manifest suffix, symlinks to regular files included), a named file whatever its type (the user chose
 * it), `-` for stdin. Anything else met in a directory is skipped and reported.
 */
export function expandInputs(
  args: readonly string[],
  problems: InputProblem[],
  skipped: SkippedEntry[],
): InputFile[] {
  const out: InputFile[] = [];
  const walk = (dir: string, input: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(new InputProblem(dir, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!VCS_DIRECTORIES.has(e.name)) walk(file, input);
      } else if (e.isFile()) {
        if (MANIFEST_SUFFIX.test(e.name)) out.push({ file, input });
      } else if (e.isSymbolicLink()) {
        let target: fs.Stats | undefined;
        try {
          target = fs.statSync(file);
        } catch {
          if (MANIFEST_SUFFIX.test(e.name)) skipped.push({ file, reason: 'a broken symlink' });
          continue;
        }
        // kubectl's walk does not follow directory symlinks either; files behind symlinks it reads.
        if (target.isDirectory()) skipped.push({ file, reason: 'a symlink to a directory (not followed)' });
        else if (!MANIFEST_SUFFIX.test(e.name)) continue;
        else if (target.isFile()) out.push({ file, input });
        else skipped.push({ file, reason: `a symlink to ${kindOf(target)}` });
      } else if (MANIFEST_SUFFIX.test(e.name)) {
        const stat = fs.lstatSync(file, { throwIfNoEntry: false });
        skipped.push({ file, reason: stat ? kindOf(stat) : 'not a regular file' });
      }
    }
  };
  for (const arg of args) {
    if (arg === '-') {
      out.push({ file: '-', input: '-' });
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push(
        new InputProblem(
          arg,
          code === 'ENOENT' ? 'cannot be read: no such file or directory' : `cannot be read: ${code}`,
        ),
      );
      continue;
    }
    if (stat.isDirectory()) walk(arg, arg);
    else if (stat.isSocket()) problems.push(new InputProblem(arg, 'is a socket, not a file'));
    else out.push({ file: arg, input: arg });
  }
  return out;
}

/** Reads what a readable stream delivers, up to the budget; stops (and releases it) past the bound. */
function readStream(stream: NodeJS.ReadableStream, file: string, budget: ByteBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let failed = false;
    const stop = (e: unknown) => {
      if (failed) return;
      failed = true;
      cleanup();
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(e);
    };
    const onData = (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      try {
        budget.take(file, b.length);
      } catch (e) {
        return stop(e);
      }
      parts.push(b);
    };
    const onEnd = () => {
      if (failed) return;
      cleanup();
      resolve(Buffer.concat(parts));
    };
    const onError = (e: Error) =>
      stop(new InputProblem(file, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.resume();
  });
}

/** Reads a named input of any type, bounded; a FIFO nobody writes to reads as empty instead of hanging. */
async function readNamed(file: string, budget: ByteBudget): Promise<Buffer> {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (e) {
    throw new InputProblem(file, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let handedOver = false;
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isFile() && stat.size > budget.remaining) throw new InputProblem(file, tooLarge(budget.max));
    if (tty.isatty(fd)) throw new InputProblem(file, 'is a terminal; name files, or pipe manifests into -');
    const parts: Buffer[] = [];
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN' && stat.isFIFO()) {
          // A writer is there but has not written yet: wait for it without blocking the process.
          handedOver = true;
          const socket = new net.Socket({ fd, readable: true, writable: false });
          const rest = await readStream(socket, file, budget);
          return Buffer.concat([...parts, rest]);
        }
        throw new InputProblem(file, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      if (n === 0) return Buffer.concat(parts);
      budget.take(file, n);
      parts.push(Buffer.from(chunk.subarray(0, n)));
    }
  } finally {
    if (!handedOver) fs.closeSync(fd);
  }
}

/** The bytes of one input (`-` is `stdin`), within the run's byte budget. */
export function readInput(file: string, budget: ByteBudget, stdin?: NodeJS.ReadableStream): Promise<Buffer> {
  if (file !== '-') return readNamed(file, budget);
  if (!stdin) throw new InputProblem('<stdin>', 'no standard input to read');
  return readStream(stdin, '<stdin>', budget);
}

/** The first byte offset where `buf` is not valid UTF-8. */
function invalidUtf8At(buf: Buffer): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i];
    const n =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0) return i;
    for (let k = 1; k < n; k++) if (i + k >= buf.length || (buf[i + k] & 0xc0) !== 0x80) return i;
    if (n === 3 && ((b === 0xe0 && buf[i + 1] < 0xa0) || (b === 0xed && buf[i + 1] >= 0xa0))) return i;
    if (n === 4 && ((b === 0xf0 && buf[i + 1] < 0x90) || (b === 0xf4 && buf[i + 1] >= 0x90))) return i;
    i += n;
  }
  return -1;
}

function lineAt(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = buf.indexOf(10); i !== -1 && i < offset; i = buf.indexOf(10, i + 1)) line++;
  return line;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of an input: UTF-8, no NUL bytes. Anything else is one line naming what it is. */
export function decodeText(file: string, buf: Buffer): string {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
    throw new InputProblem(file, 'is UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)');
  const nul = buf.indexOf(0);
  if (nul !== -1)
    throw new InputProblem(
      file,
      `is binary (a NUL byte at offset ${nul}), not YAML or JSON`,
      lineAt(buf, nul),
      0,
    );
  try {
    return utf8.decode(buf);
  } catch {
    const at = invalidUtf8At(buf);
    const byte = buf[Math.max(at, 0)].toString(16).toUpperCase().padStart(2, '0');
    throw new InputProblem(file, `is not UTF-8 text (byte 0x${byte} at offset ${at})`, lineAt(buf, at), 0);
  }
}
