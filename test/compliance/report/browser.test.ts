import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../lib/compliance/evidence/cli';
import { FIXTURE_CDK_JSON } from '../../helpers';
import { KUBE_BENCH, TEST_OUTPUT, VERIFY_FAILING } from './helpers';

/*
 * index.html rendered by a real browser: Debian's Chromium, driven by puppeteer-core (which downloads no
 * browser). .ci/run installs Chromium, so CI always runs this; on a developer machine without it, the test
 * is skipped with the command that installs it. One page load.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);

describe('evidence report | index.html in Chromium', () => {
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
      const stdout: string[] = [];
      const code = await main(
        [
          '--env',
          'dev',
          '--config',
          FIXTURE_CDK_JSON,
          '--verify',
          VERIFY_FAILING,
          '--kube-bench',
          KUBE_BENCH,
          '--out',
          out,
        ],
        {
          stdout: { write: (s) => stdout.push(s) },
          stderr: { write: (s) => stdout.push(s) },
          now: () => new Date(0),
        },
      );
      expect({ code, stdout }).toEqual({ code: 0, stdout: [expect.stringContaining('index.html')] });
      const page = path.join(out, 'dev', 'index.html');

      const puppeteer = await import('puppeteer-core');
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-chromium-'));
      const browser = await puppeteer.launch({
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
      try {
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
        const pdf = await tab.pdf({ format: 'A4', printBackground: true });
        fs.writeFileSync(path.join(out, 'report.pdf'), pdf);

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
        expect(pdf.length).toBeGreaterThan(10_000);
      } finally {
        await browser.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  );
});
