/** Runs the `check` CLI in process for tests and captures what it prints. */
import * as path from 'path';
import { Readable } from 'stream';
import { main } from '../../lib/admission/cli';
import { FIXTURE_CDK_JSON } from '../helpers';

export interface CheckRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunCheckOptions {
  /** @default the repository root */
  readonly cwd?: string;
  /** What `-` reads. @default an empty stream */
  readonly stdin?: NodeJS.ReadableStream;
}

/** Runs `check` in process with the fixture config (unless argv names its own `--config`). */
export async function runCheck(argv: readonly string[], options: RunCheckOptions = {}): Promise<CheckRun> {
  const out: string[] = [];
  const err: string[] = [];
  const args = argv.includes('--config') ? argv : ['--config', FIXTURE_CDK_JSON, ...argv];
  const code = await main(args, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: options.cwd ?? path.join(__dirname, '..', '..'),
    stdin: options.stdin ?? Readable.from([]),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** The non-empty lines of a text. */
export const lines = (text: string): string[] => text.split('\n').filter(Boolean);
