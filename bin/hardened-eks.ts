import type { CliIo } from '../lib/verify/cli';

/** A subcommand: same shape as every `lib/<area>/cli.ts` `main`. */
type Subcommand = (argv: readonly string[], io: CliIo) => Promise<number>;

// Each subcommand's code is loaded when it runs: `verify` alone loads nine AWS SDK clients, `report` the
// whole blueprint, and none of them needs the others' (a command starts in a third of the time).
/* eslint-disable @typescript-eslint/no-require-imports */
const cli = {
  check: () => (require('../lib/admission/cli') as typeof import('../lib/admission/cli')).main,
  report: () =>
    (require('../lib/compliance/evidence/cli') as typeof import('../lib/compliance/evidence/cli')).main,
  upgradePlan: () => (require('../lib/upgrade/cli') as typeof import('../lib/upgrade/cli')).main,
  verify: () => (require('../lib/verify/cli') as typeof import('../lib/verify/cli')).main,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Subcommands of the package's `hardened-eks` bin. */
const SUBCOMMANDS: Record<string, { run: Subcommand; summary: string }> = {
  // `check` writes through plain functions; adapt the stream-style io.
  check: {
    run: (argv, io) =>
      cli.check()(argv, {
        stdout: (t) => io.stdout.write(t),
        stderr: (t) => io.stderr.write(t),
        cwd: io.cwd,
      }),
    summary: 'evaluate manifests against the admission policies, offline (exit 1 on violations)',
  },
  verify: {
    run: (argv, io) => cli.verify()(argv, io),
    summary: 'check a deployed cluster against the blueprint, live (AWS APIs, SSM)',
  },
  report: {
    run: (argv, io) => cli.report()(argv, io),
    summary:
      'write the evidence report (HTML + JSON) of an environment, offline, with optional live evidence',
  },
  'upgrade-plan': {
    run: (argv, io) => cli.upgradePlan()(argv, io),
    summary: 'the ordered steps from the running Kubernetes version to the configured one, live (read-only)',
  },
};

const usage = () =>
  [
    'Usage: hardened-eks <command> [options]',
    '',
    'Commands:',
    ...Object.entries(SUBCOMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`),
    '',
    'Run hardened-eks <command> --help for its options.',
  ].join('\n');

/** Dispatches `hardened-eks <command> ...` and returns the exit code. */
export async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const sub = SUBCOMMANDS[name];
  if (!sub) {
    io.stderr.write(
      `hardened-eks: unknown command "${name}"; use one of: ${Object.keys(SUBCOMMANDS).join(', ')}\n`,
    );
    return 2;
  }
  return sub.run(rest, io);
}

if (require.main === module) {
  void dispatch(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
