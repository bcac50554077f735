import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { AdmissionEvaluator, namespaceObject, requestFor, type KubeObject } from '../../lib/admission';
import { main } from '../../lib/admission/cli';
import { PodSecurity, PSS_VERSION_LABEL } from '../../policies/pod-security';

/*
 * Conformance with the upstream Pod Security Admission corpus (kubernetes/pod-security-admission
 * test/testdata, see ../shared/fixtures/README.md): at each version and level, every `fail` pod is rejected
 * and every `pass` pod admitted by policy 2, as a Pod, wrapped in a Deployment and in a CronJob, and by the
 * `check` command limited to Pod Security.
 */
const ROOT = path.join(__dirname, '..', '..');
const CORPUS = process.env.PSS_FIXTURES_DIR ?? path.join(ROOT, '..', 'shared', 'fixtures', 'pss');
const VERSIONS = ['v1.32', 'v1.33', 'v1.34', 'v1.35'];
const LEVELS = ['baseline', 'restricted'] as const;
const present = fs.existsSync(CORPUS);
/** CI must run the suite; only a developer's machine without the corpus may skip it. */
const inCi = !['', 'false', '0'].includes((process.env.CI ?? '').toLowerCase());
const missing = `corpus not found at ${CORPUS} (set PSS_FIXTURES_DIR)`;
if (!present && inCi) {
  describe('pod-security | upstream Pod Security conformance corpus', () => {
    test('EKS-ADM-002: the corpus is present (CI is set: a missing corpus fails, never skips)', () => {
      throw new Error(`Pod Security conformance cannot run: ${missing}`);
    });
  });
} else if (!present) {
  console.warn(`SKIPPED Pod Security conformance: ${missing}`);
}
const describeIfCorpus = present
  ? describe
  : (name: string, fn: () => void) => describe.skip(`${name} (SKIPPED: ${missing})`, fn);

interface Case {
  readonly level: (typeof LEVELS)[number];
  readonly version: string;
  readonly expect: 'pass' | 'fail';
  readonly file: string;
  readonly pod: KubeObject;
}

function corpus(): Case[] {
  if (!present) return [];
  return LEVELS.flatMap((level) =>
    VERSIONS.flatMap((version) =>
      (['pass', 'fail'] as const).flatMap((expect) => {
        const dir = path.join(CORPUS, level, version, expect);
        return fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.yaml'))
          .sort()
          .map((file) => ({
            level,
            version,
            expect,
            file,
            pod: parse(fs.readFileSync(path.join(dir, file), 'utf-8')),
          }));
      }),
    ),
  );
}

const wrap = {
  Pod: (pod: KubeObject): KubeObject => pod,
  Deployment: (pod: KubeObject): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: pod.metadata?.name },
    spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: pod.metadata, spec: pod.spec } },
  }),
  CronJob: (pod: KubeObject): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: pod.metadata?.name },
    spec: {
      schedule: '@hourly',
      jobTemplate: { spec: { template: { metadata: pod.metadata, spec: pod.spec } } },
    },
  }),
};

describeIfCorpus('pod-security | upstream Pod Security conformance corpus', () => {
  const cases = corpus();
  const evaluator = AdmissionEvaluator.compile(
    new PodSecurity({ exemptNamespaces: ['kube-system'] }).manifests(),
  );
  const counts: string[] = [];

  afterAll(() => console.log(`Pod Security conformance (${CORPUS}):\n${counts.join('\n')}`));

  test('the corpus holds every level and version', () => {
    expect(cases.length).toBeGreaterThanOrEqual(548);
  });

  test.each(Object.keys(wrap))(
    'EKS-ADM-002: every fail pod rejected and every pass pod admitted, as %s, v1.32-v1.35, both levels',
    (kind) => {
      const wrong: string[] = [];
      let rejected = 0;
      let admitted = 0;
      for (const c of cases) {
        const ns = namespaceObject('app', {
          'pod-security.kubernetes.io/enforce': c.level,
          [PSS_VERSION_LABEL]: c.version,
        });
        const object = wrap[kind as keyof typeof wrap](c.pod);
        const d = evaluator.evaluate(requestFor(object, { namespace: 'app', namespaceObject: ns }));
        if (d.denials.some((v) => v.error))
          wrong.push(`${c.level}/${c.version}/${c.expect}/${c.file}: expression error`);
        if (d.allowed !== (c.expect === 'pass')) wrong.push(`${c.level}/${c.version}/${c.expect}/${c.file}`);
        else if (d.allowed) admitted++;
        else rejected++;
      }
      const fails = cases.filter((c) => c.expect === 'fail').length;
      if (kind === 'Pod') {
        for (const level of LEVELS)
          for (const version of VERSIONS) {
            const here = cases.filter((c) => c.level === level && c.version === version);
            const f = here.filter((c) => c.expect === 'fail').length;
            counts.push(`  ${level.padEnd(10)} ${version}  fail ${f}, pass ${here.length - f}`);
          }
      }
      counts.push(
        `  ${kind.padEnd(10)} fail rejected ${rejected}/${fails}, pass admitted ${admitted}/${cases.length - fails}`,
      );
      expect(wrong).toEqual([]);
    },
  );

  test('EKS-ADM-002: the check command with --only pod-security agrees on every fixture directory', async () => {
    let total = 0;
    for (const level of LEVELS)
      for (const version of VERSIONS)
        for (const expected of ['pass', 'fail']) {
          const out: string[] = [];
          const dir = path.join(CORPUS, level, version, expected);
          const code = await main(
            [
              '--only',
              'pod-security',
              '--level',
              level,
              '--version',
              version,
              '--namespace',
              'app',
              '--format',
              'json',
              dir,
            ],
            { stdout: (t) => out.push(t), stderr: () => undefined, cwd: ROOT },
          );
          const report = JSON.parse(out.join(''));
          total += report.results.length;
          expect(report.results.length).toBe(fs.readdirSync(dir).length);
          if (expected === 'pass') {
            expect(code).toBe(0);
            expect(report.results.filter((r: { allowed: boolean }) => !r.allowed)).toEqual([]);
          } else {
            expect(code).toBe(1);
            expect(report.results.filter((r: { allowed: boolean }) => r.allowed)).toEqual([]);
          }
        }
    counts.push(`  check CLI  ${total} pods, every verdict as expected`);
  });
});
