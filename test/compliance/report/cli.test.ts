import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dispatch } from '../../../bin/hardened-eks';
import { main } from '../../../lib/compliance/evidence/cli';
import { FIXTURE_CDK_JSON } from '../../helpers';
import { KUBE_BENCH, TEST_OUTPUT, VERIFY_FAILING, schemaErrors } from './helpers';

/*
 * `hardened-eks report` / `npm run report`: exit codes, one-line errors, nothing written on error; then the
 * written page in a real browser. In one file, so the blueprint's modules load once for both.
 */
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

/** The successful run both the CLI test and the browser test look at (one synthesis for the file). */
let success: ReturnType<typeof run> | undefined;
const written = () =>
  (success ??= run([
    '--env',
    'dev',
    '--verify',
    VERIFY_FAILING,
    '--kube-bench',
    KUBE_BENCH,
    '--out',
    'dist',
  ]));
const writtenFile = (name: string) => path.join(dir, 'dist', 'dev', name);

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
    const res = await written();
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(
      /^report: wrote dist\/dev\/index\.html and report\.json: \d+ controls \(\d+ in force, \d+ deviation, 1 failed live, \d+ not applicable\); CIS \d+ of 50 met, \d+ not met\n$/,
    );
    const report = JSON.parse(fs.readFileSync(writtenFile('report.json'), 'utf-8'));
    expect(schemaErrors(report)).toEqual([]);
    expect(report.generatedAt).toBe('2026-03-04T05:06:07Z');
    expect(report.blueprint).toEqual({
      name: 'hardened-eks',
      version: JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf-8'))
        .version,
    });
    expect(report.controls.find((c: { id: string }) => c.id === 'EKS-NODE-002').status).toBe('failed-live');
    const page = fs.readFileSync(writtenFile('index.html'), 'utf-8');
    expect(page).toContain('id="control-EKS-NODE-002"');
  });
});

/*
 * index.html rendered by a real browser: Debian's Chromium, driven by puppeteer-core (which downloads no
 * browser). .ci/run installs Chromium, so CI always runs this; on a developer machine without it, the test
 * is skipped with the command that installs it. One page load.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);

describe('evidence report | index.html in Chromium', () => {
  let browser: import('puppeteer-core').Browser | undefined;
  let userDataDir: string | undefined;
  // Also after a failure or a timeout, so no Chromium outlives the test.
  afterAll(async () => {
    await browser?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  if (!available) {
    if (process.env.CI) {
      test('Chromium is installed (.ci/run installs it)', () => {
        throw new Error(
          `${CHROMIUM} is missing; .ci/run must run: apt-get update && apt-get install -y chromium`,
        );
      });
    } else {
      console.warn(
        `Skipping the browser test of the evidence report: ${CHROMIUM} not found. Install it with: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).`,
      );
    }
  }

  (available ? test : test.skip)(
    'GIVEN a report with verify and kube-bench evidence WHEN Chromium opens it from a file THEN it renders offline, without errors, with sized charts',
    async () => {
      const out = path.join(TEST_OUTPUT, 'browser');
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out, { recursive: true });
      expect((await written()).status).toBe(0);
      // A copy beside the screenshot, for a person to open.
      const page = path.join(out, 'index.html');
      fs.copyFileSync(writtenFile('index.html'), page);

      const puppeteer = await import('puppeteer-core');
      userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-chromium-'));
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        userDataDir,
        // Runs as root in CI, hence no sandbox; the rest keeps Chromium from calling home.
        args: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const tab = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      tab.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
      tab.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      tab.on('request', (r) => requests.push(r.url()));
      await tab.setViewport({ width: 1280, height: 1800 });
      await tab.goto(`file://${page}`, { waitUntil: 'load' });

      const charts = await tab.$$eval('svg.chart', (svgs) =>
        svgs.map((s) => {
          const r = s.getBoundingClientRect();
          return { id: s.id, width: Math.round(r.width), height: Math.round(r.height) };
        }),
      );
      const background = (selector: string) =>
        tab.$eval(selector, (td) => td.ownerDocument.defaultView!.getComputedStyle(td).backgroundColor);
      const facts = {
        scripts: (await tab.$$('script')).length,
        failing: await background('#control-EKS-NODE-002 td'),
        failingText: await tab.$eval('#control-EKS-NODE-002', (tr) => tr.textContent),
        deviation: await background('#control-EKS-DET-012 td'),
      };
      fs.writeFileSync(path.join(out, 'summary.png'), await tab.screenshot({ type: 'png' }));
      // Printed, the navigation goes and the charts stay.
      await tab.emulateMediaType('print');
      const printed = {
        nav: await tab.$eval('nav', (n) => n.ownerDocument.defaultView!.getComputedStyle(n).display),
        charts: await tab.$$eval(
          'svg.chart',
          (svgs) => svgs.filter((s) => s.getBoundingClientRect().width > 0).length,
        ),
      };

      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
      expect(charts.map((c) => c.id)).toEqual(['chart-cis', 'chart-threats', 'chart-live']);
      for (const c of charts) {
        expect(c.width).toBeGreaterThan(0);
        expect(c.height).toBeGreaterThan(0);
      }
      expect(facts.scripts).toBe(0);
      // Failing-live and deviation rows stand out (red and amber tints) and show their evidence.
      expect(facts.failing).toBe('rgb(253, 236, 234)');
      expect(facts.deviation).toBe('rgb(255, 244, 224)');
      expect(facts.failingText).toContain('i-00000000000000002: HttpTokens=optional');
      expect(printed).toEqual({ nav: 'none', charts: 3 });
    },
    // One synthesis and one browser start; generous for a loaded two-core CI machine.
    120_000,
  );
});
