/**
 * What a pull request can put in a checked directory, and what a pipeline can send on stdin, must neither
 * hang `check` nor fill its memory. The cases that could hang run in a child process with a timeout, so a
 * regression fails the test instead of freezing the test worker.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { FIXTURE_CDK_JSON } from '../helpers';
import { lines, runCheck } from '../support/check';

const ROOT = path.join(__dirname, '..', '..');
const MiB = 1024 * 1024;
const POD = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team-a}
data: {a: "1"}
`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-input-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

/** Fails instead of waiting when `promise` does not settle in time. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The real bin in a child process, killed after `timeoutMs`: a hang fails the test, it cannot freeze it. */
function checkBin(args: string[], timeoutMs = 30_000) {
  const r = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), 'bin/check.ts', '--config', FIXTURE_CDK_JSON, ...args],
    { cwd: ROOT, encoding: 'utf-8', timeout: timeoutMs, input: '' },
  );
  if (r.error || r.signal)
    throw new Error(`check ${args.join(' ')} did not finish in ${timeoutMs} ms (${r.signal})`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const run = (argv: string[], stdin?: NodeJS.ReadableStream) => runCheck(argv, stdin ? { stdin } : {});

describe('check | directory walks take regular files only', () => {
  test('GIVEN a symlink to /dev/zero, a FIFO, a symlinked directory and a broken link THEN they are skipped and reported, the rest is checked', async () => {
    const k8s = path.join(dir, 'k8s');
    fs.mkdirSync(path.join(k8s, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(k8s, 'ok.yaml'), POD);
    fs.symlinkSync('/dev/zero', path.join(k8s, 'zero.yaml'));
    mkfifo(path.join(k8s, 'pipe.yaml'));
    fs.symlinkSync(path.join(k8s, 'sub'), path.join(k8s, 'linked-dir'));
    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(k8s, 'broken.yaml'));
    fs.writeFileSync(path.join(k8s, 'sub', 'other.yaml'), POD.replace('settings', 'other'));
    fs.symlinkSync(path.join(k8s, 'sub', 'other.yaml'), path.join(k8s, 'link-to-file.yaml'));

    // The walk opens none of them; the guard turns a regression into a failure, not a stuck test.
    const r = await within(10_000, run(['--format', 'json', k8s]));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // Regular files and symlinks to regular files are read (as kubectl does); nothing else.
    expect(report.results.map((x: { file: string }) => path.basename(x.file))).toEqual([
      'link-to-file.yaml',
      'ok.yaml',
      'other.yaml',
    ]);
    const rel = (f: string) => path.join(k8s, f);
    expect(report.skipped).toEqual([
      { file: rel('broken.yaml'), reason: 'a broken symlink' },
      { file: rel('linked-dir'), reason: 'a symlink to a directory (not followed)' },
      { file: rel('pipe.yaml'), reason: 'a FIFO' },
      { file: rel('zero.yaml'), reason: 'a symlink to a character device' },
    ]);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /skipped 4 inputs that are not Kubernetes objects: .*broken\.yaml \(a broken symlink\)/,
    );
  });
});

describe('check | every input is bounded', () => {
  test('GIVEN check /dev/zero and a FIFO nobody writes to THEN neither hangs: the FIFO reads as empty, /dev/zero stops at the default 64 MiB, exit 2 with one line', () => {
    const fifo = path.join(dir, 'pipe.yaml');
    mkfifo(fifo);
    const r = checkBin(['--format', 'json', fifo, '/dev/zero']);
    expect(r.code).toBe(2);
    const message =
      'more than 64 MiB to read (all inputs together); raise the bound with --max-bytes if this is expected';
    expect(lines(r.stderr)).toEqual([`/dev/zero:0:0: error: ${message}`]);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: 'input',
        message: `/dev/zero:0:0: error: ${message}`,
        problems: [{ file: '/dev/zero', line: 0, column: 0, message }],
      },
    });
  });

  test('GIVEN a FIFO fed without end THEN reading stops at --max-bytes, exit 2', async () => {
    const fifo = path.join(dir, 'pipe.yaml');
    mkfifo(fifo);
    let writer: ChildProcess | undefined;
    try {
      writer = spawn('sh', ['-c', `yes 'a: b' > '${fifo}'`], { stdio: 'ignore' });
      // The writer opens its end when the shell starts; give it a moment so check meets a live FIFO.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const r = await within(10_000, run(['--max-bytes', '1MiB', fifo]));
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toEqual([
        `${fifo}:0:0: error: more than 1 MiB to read (all inputs together); raise the bound with --max-bytes if this is expected`,
      ]);
    } finally {
      if (writer?.pid) process.kill(writer.pid);
    }
  });

  test('GIVEN a file larger than --max-bytes THEN exit 2 without reading it; a raised bound admits it', async () => {
    const file = path.join(dir, 'big.yaml');
    fs.writeFileSync(file, `${POD}# ${'x'.repeat(2 * MiB)}\n`);
    const r = await run(['--max-bytes', '1MiB', file]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('more than 1 MiB to read');
    expect((await run(['--max-bytes', '3MiB', file])).code).toBe(0);
  });

  test('GIVEN stdin larger than --max-bytes THEN exit 2, and --format json still prints one error document', async () => {
    const big = Readable.from([Buffer.from(POD), Buffer.alloc(2 * MiB, 0x20)]);
    const r = await run(['--max-bytes', '1MiB', '--format', 'json', '-'], big);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'input',
      problems: [{ file: '<stdin>', line: 0, message: expect.stringContaining('more than 1 MiB') }],
    });
  });

  test('GIVEN the bound is spread over several files THEN it applies to all of them together', async () => {
    for (const n of ['a', 'b', 'c'])
      fs.writeFileSync(path.join(dir, `${n}.yaml`), `${POD}# ${'x'.repeat(400 * 1024)}\n`);
    const r = await run(['--max-bytes', '1MiB', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/c\.yaml:0:0: error: more than 1 MiB to read \(all inputs together\)/);
  });

  test.each([['0'], ['-5'], ['12XB'], ['501MiB']])(
    'GIVEN --max-bytes %s THEN a usage error naming the flag',
    async (v) => {
      const r = await run(['--max-bytes', v, dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^hardened-eks check: (--max-bytes must be a size from 1 byte to 500 MiB|--max-bytes needs a value)/,
      );
    },
  );
});

describe('check | binary and non-UTF-8 input is one line, never its bytes', () => {
  test('GIVEN a binary file THEN one line saying so, without its bytes', async () => {
    const file = path.join(dir, 'image.yaml');
    const bytes = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x1b, 0x5b, 0x32, 0x4a,
    ]);
    fs.writeFileSync(file, Buffer.concat([bytes, Buffer.alloc(4096, 0xff)]));
    const r = await run([file]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `${file}:3:0: error: is binary (a NUL byte at offset 8), not YAML or JSON`,
    ]);
  });

  test('GIVEN Latin-1 text THEN one line naming the byte; GIVEN UTF-16 THEN one line naming the encoding', async () => {
    const latin1 = path.join(dir, 'latin1.yaml');
    fs.writeFileSync(
      latin1,
      Buffer.concat([Buffer.from(`${POD}# caf`), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    const r = await run([latin1]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `${latin1}:5:0: error: is not UTF-8 text (byte 0xE9 at offset ${POD.length + 5})`,
    ]);

    const utf16 = path.join(dir, 'utf16.yaml');
    fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, 'utf16le')]));
    expect(lines((await run([utf16])).stderr)).toEqual([
      `${utf16}:0:0: error: is UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)`,
    ]);
  });

  test('GIVEN terminal escapes in a YAML error THEN stderr carries no control characters', async () => {
    const file = path.join(dir, 'escape.yaml');
    fs.writeFileSync(file, `${POD}---\nkind: [\u001b[2J\u001b]0;owned\u0007\n`);
    const r = await run([file]);
    expect(r.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(lines(r.stderr)).toHaveLength(1);
  });
});
