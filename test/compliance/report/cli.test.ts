import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dispatch } from '../../../bin/hardened-eks';
import { main } from '../../../lib/compliance/evidence/cli';
import { FIXTURE_CDK_JSON } from '../../helpers';
import { KUBE_BENCH, VERIFY_FAILING, schemaErrors } from './helpers';

/* `hardened-eks report` / `npm run report`: exit codes, one-line errors, and nothing written on error. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-report-cli-'));
fs.copyFileSync(FIXTURE_CDK_JSON, path.join(dir, 'cdk.json'));
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
};
const verifyJson = JSON.parse(fs.readFileSync(VERIFY_FAILING, 'utf-8'));
const kubeBenchJson = JSON.parse(fs.readFileSync(KUBE_BENCH, 'utf-8'));

async function run(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    cwd: dir,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    now: () => new Date('2026-03-04T05:06:07.890Z'),
  });
  return { status, stdout, stderr };
}

const out = (name: string) => ['--out', path.join(dir, name)];

describe('evidence report | CLI', () => {
  test.each([
    [[], 'report: --env is required; use one of: dev'],
    [['--env'], 'report: --env needs a value, e.g. --env prod'],
    [['dev'], 'report: unexpected argument "dev"; pass the environment as --env dev'],
    [
      ['--env', 'dev', '--verfy', 'x.json'],
      'report: unknown option --verfy; the options are --env, --verify, --kube-bench, --out, --config (see --help)',
    ],
    [['--env', 'dev', '--env', 'dev'], 'report: --env is given twice; pass it once'],
    [
      ['--env', 'prod'],
      `report: --env prod is not an environment in ${path.join(dir, 'cdk.json')}; use one of: dev`,
    ],
    [
      ['--env', 'dev', '--config', 'missing.json'],
      `report: --config ${path.join(dir, 'missing.json')} cannot be read (ENOENT); run from the project directory or pass --config <path to cdk.json>`,
    ],
    [
      ['--env', 'dev', '--verify', 'missing.json'],
      `report: --verify ${path.join(dir, 'missing.json')} cannot be read (ENOENT); pass the output of \`hardened-eks verify --env dev --format json\``,
    ],
    [
      ['--env', 'dev', '--verify', write('text.json', 'PASS EKS-NET-001')],
      `report: --verify ${path.join(dir, 'text.json')} is not JSON; pass the output of \`hardened-eks verify --format json\``,
    ],
    [
      [
        '--env',
        'dev',
        '--verify',
        write(
          'bad-status.json',
          JSON.stringify({ ...verifyJson, checks: [{ ...verifyJson.checks[0], status: 'OK' }] }),
        ),
      ],
      `report: --verify ${path.join(dir, 'bad-status.json')}: checks[0].status: Invalid option: expected one of "COMPLIANT"|"NON_COMPLIANT"|"NOT_APPLICABLE" (got "OK"); pass the output of \`hardened-eks verify --format json\``,
    ],
    [
      [
        '--env',
        'dev',
        '--verify',
        write('other-env.json', JSON.stringify({ ...verifyJson, environment: 'prod' })),
      ],
      `report: --verify ${path.join(dir, 'other-env.json')} is for environment "prod", not "dev"; run verify with --env dev`,
    ],
    [
      [
        '--env',
        'dev',
        '--verify',
        write(
          'unknown-control.json',
          JSON.stringify({ ...verifyJson, checks: [{ ...verifyJson.checks[0], controlId: 'EKS-NOPE-001' }] }),
        ),
      ],
      `report: --verify ${path.join(dir, 'unknown-control.json')}: control EKS-NOPE-001 is not in this blueprint's catalogue; run verify from the same version of the blueprint`,
    ],
    [
      [
        '--env',
        'dev',
        '--kube-bench',
        write(
          'old-bench.json',
          JSON.stringify({
            Controls: kubeBenchJson.Controls.map((c: object) => ({ ...c, version: 'eks-1.5.0' })),
          }),
        ),
      ],
      `report: --kube-bench ${path.join(dir, 'old-bench.json')} holds benchmark "eks-1.5.0", not eks-1.8.0; run kube-bench with --benchmark eks-1.8.0`,
    ],
    [
      [
        '--env',
        'dev',
        '--kube-bench',
        write(
          'bench-status.json',
          JSON.stringify([
            {
              ...kubeBenchJson.Controls[0],
              tests: [
                { section: '3.1', results: [{ test_number: '3.1.1', test_desc: 'x', status: 'SKIP' }] },
              ],
            },
          ]),
        ),
      ],
      `report: --kube-bench ${path.join(dir, 'bench-status.json')}: [0].tests[0].results[0].status: Invalid option: expected one of "PASS"|"FAIL"|"WARN"|"INFO" (got "SKIP"); pass the output of \`kube-bench --benchmark eks-1.8.0 --json\``,
    ],
    [
      [
        '--env',
        'dev',
        '--kube-bench',
        write(
          'bench-other.json',
          JSON.stringify({
            Controls: [
              {
                ...kubeBenchJson.Controls[0],
                tests: [
                  { section: '1.1', results: [{ test_number: '1.1.1', test_desc: 'x', status: 'PASS' }] },
                ],
              },
            ],
          }),
        ),
      ],
      `report: --kube-bench ${path.join(dir, 'bench-other.json')}: test 1.1.1 is not a CIS Amazon EKS Benchmark 1.8.0 recommendation; pass the output of \`kube-bench --benchmark eks-1.8.0 --json\``,
    ],
  ])('%j exits 2 with one line naming the flag and the fix, writing nothing', async (args, line) => {
    const res = await run([...args, ...out('never')]);
    expect(res).toEqual({ status: 2, stdout: '', stderr: `${line}\n` });
    expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
  });

  test('an invalid cdk.json prints its config error lines and exits 2', async () => {
    const cdkJson = JSON.parse(fs.readFileSync(FIXTURE_CDK_JSON, 'utf-8'));
    cdkJson.context.blueprint.environments.dev.vpcCidr = '10.0.0.0/33';
    const res = await run([
      '--env',
      'dev',
      '--config',
      write('bad-cdk.json', JSON.stringify(cdkJson)),
      ...out('never'),
    ]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^report: Invalid blueprint config at environments\.dev\.vpcCidr: .*\n$/);
    expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
  });

  test('--help prints the usage and exits 0; the hardened-eks bin dispatches report', async () => {
    const res = await run(['--help']);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('Usage: hardened-eks report --env <name>');
    let stdout = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true } };
    expect(await dispatch(['--help'], io)).toBe(0);
    expect(stdout).toMatch(/^ {2}report {4}/m);
    expect(await dispatch(['report', '--help'], io)).toBe(0);
  });

  test('EKS-NODE-002: with a failing verify file it writes both files and exits 0 (failures are content)', async () => {
    const res = await run([
      '--env',
      'dev',
      '--verify',
      VERIFY_FAILING,
      '--kube-bench',
      KUBE_BENCH,
      ...out('dist'),
    ]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(
      /^report: wrote dist\/dev\/index\.html and report\.json: \d+ controls \(\d+ in force, \d+ deviation, 1 failed live, \d+ not applicable\); CIS \d+ of 50 met, \d+ not met\n$/,
    );
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'dev', 'report.json'), 'utf-8'));
    expect(schemaErrors(report)).toEqual([]);
    expect(report.generatedAt).toBe('2026-03-04T05:06:07Z');
    expect(report.blueprint).toEqual({
      name: 'hardened-eks',
      version: JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf-8'))
        .version,
    });
    expect(report.controls.find((c: { id: string }) => c.id === 'EKS-NODE-002').status).toBe('failed-live');
    const page = fs.readFileSync(path.join(dir, 'dist', 'dev', 'index.html'), 'utf-8');
    expect(page).toContain('id="control-EKS-NODE-002"');
  });
});
