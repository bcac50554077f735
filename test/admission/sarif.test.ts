/**
 * `check --format sarif` feeds code-scanning UIs. The log is checked against the SARIF 2.1.0 rules a consumer
 * relies on (required fields, enumerations, index references, 1-based lines), and against GitHub code
 * scanning's documented limit: only 5,000 results of a run are kept.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as sarif from 'sarif';
import type { CheckResult } from '../../lib/admission';
import { renderSarif } from '../../lib/admission/sarif';
import { FIXTURE_CDK_JSON } from '../helpers';
import { runCheck } from '../support/check';
import { FIXTURE_IMAGE, deploymentYaml } from '../support/manifests';

/** Problems with a log's shape per SARIF 2.1.0 (the parts this tool writes and consumers read). */
function sarifProblems(log: sarif.Log): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, what: string) => {
    if (!ok) problems.push(what);
  };
  need(log.version === '2.1.0', 'version must be "2.1.0"');
  need(/^https:\/\/.*sarif-2\.1\.0.*\.json$/.test(log.$schema ?? ''), '$schema must name the 2.1.0 schema');
  need(Array.isArray(log.runs) && log.runs.length > 0, 'runs must be a non-empty array');
  for (const [r, run] of (log.runs ?? []).entries()) {
    const at = `runs[${r}]`;
    need(
      typeof run.tool?.driver?.name === 'string' && run.tool.driver.name !== '',
      `${at}.tool.driver.name is required`,
    );
    const rules = run.tool?.driver?.rules ?? [];
    need(new Set(rules.map((x) => x.id)).size === rules.length, `${at} rule ids must be unique`);
    for (const [i, rule] of rules.entries()) {
      need(typeof rule.id === 'string' && rule.id !== '', `${at}.rules[${i}].id is required`);
      need(rule.shortDescription?.text, `${at}.rules[${i}].shortDescription.text`);
      need(
        ['none', 'note', 'warning', 'error'].includes(rule.defaultConfiguration?.level ?? 'warning'),
        `${at}.rules[${i}].defaultConfiguration.level`,
      );
    }
    need(Array.isArray(run.results), `${at}.results must be an array`);
    for (const [i, result] of (run.results ?? []).entries()) {
      const rat = `${at}.results[${i}]`;
      need(result.message?.text, `${rat}.message.text is required`);
      need(['none', 'note', 'warning', 'error'].includes(result.level ?? 'warning'), `${rat}.level`);
      if (result.ruleIndex !== undefined)
        need(
          rules[result.ruleIndex]?.id === result.ruleId,
          `${rat}.ruleIndex must point at rule ${result.ruleId}`,
        );
      for (const loc of result.locations ?? []) {
        const p = loc.physicalLocation;
        if (!p) continue;
        need(
          typeof p.artifactLocation?.uri === 'string' && !/^\/|\\/.test(p.artifactLocation.uri),
          `${rat} uri must be a relative URI`,
        );
        need(
          Number.isInteger(p.region?.startLine) && (p.region?.startLine ?? 0) >= 1,
          `${rat} region.startLine >= 1`,
        );
      }
    }
    for (const inv of run.invocations ?? []) {
      need(
        typeof inv.executionSuccessful === 'boolean',
        `${at}.invocations[].executionSuccessful is required`,
      );
      for (const n of inv.toolExecutionNotifications ?? [])
        need(n.message?.text, `${at} notification message.text`);
    }
  }
  return problems;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-sarif-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Run from the temporary directory, as CI runs from the repository root: paths come out relative.
const run = (...argv: string[]) => runCheck(argv, { cwd: dir });

test('GIVEN violations and warnings THEN --format sarif has a rule per policy and a located result per violation', async () => {
  const cdk = JSON.parse(fs.readFileSync(FIXTURE_CDK_JSON, 'utf-8'));
  cdk.context.blueprint.org.admission = { warnOnlyPolicies: ['image-pinning'] };
  const config = path.join(dir, 'cdk.json');
  fs.writeFileSync(config, JSON.stringify(cdk));
  const file = path.join(dir, 'k8s', 'apps.yaml');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(
    file,
    `${deploymentYaml('ok')}---\n${deploymentYaml('web', 'team-a', FIXTURE_IMAGE.replace('1.4.2', 'latest'))}---\n${deploymentYaml('api', 'default', 'nginx:latest')}`,
  );

  const r = await run('--config', config, '--format', 'sarif', file);
  const json = await run('--config', config, '--format', 'json', file);
  expect(r.code).toBe(1);
  expect(r.code).toBe(json.code);
  const log = JSON.parse(r.stdout) as sarif.Log;
  expect(sarifProblems(log)).toEqual([]);
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
  const [sarifRun] = log.runs;
  expect(sarifRun.tool.driver.name).toBe('hardened-eks check');

  // One rule per policy, carrying its controls; a Warn-only policy's rule defaults to warning.
  const rules = sarifRun.tool.driver.rules ?? [];
  expect(rules.map((x) => x.id)).toEqual(
    expect.arrayContaining(['image-pinning', 'pod-security', 'secrets-hygiene']),
  );
  const pinning = rules.find((x) => x.id === 'image-pinning');
  expect(pinning).toMatchObject({
    shortDescription: { text: 'No latest or tag-less images' },
    defaultConfiguration: { level: 'warning' },
    properties: { controls: ['EKS-ADM-004'] },
  });
  expect(pinning?.help?.text).toContain('images must carry a version tag other than latest, or a digest');
  expect(rules.find((x) => x.id === 'allowed-registries')?.defaultConfiguration?.level).toBe('error');

  // One result per violation and per warning, at the object's file and line.
  const report = JSON.parse(json.stdout);
  const expected = report.results.flatMap((o: CheckResult) => [
    ...o.violations.map((v) => ({ ruleId: v.policy, level: 'error', line: o.line, name: o.name })),
    ...o.warnings.map((v) => ({ ruleId: v.policy, level: 'warning', line: o.line, name: o.name })),
  ]);
  expect(expected.length).toBeGreaterThanOrEqual(4);
  const uri = 'k8s/apps.yaml';
  expect(
    (sarifRun.results ?? []).map((x) => ({
      ruleId: x.ruleId,
      level: x.level,
      line: x.locations?.[0].physicalLocation?.region?.startLine,
      name: x.locations?.[0].logicalLocations?.[0].name,
      uri: x.locations?.[0].physicalLocation?.artifactLocation?.uri,
    })),
  ).toEqual(
    // Errors first, then warnings.
    [
      ...expected.filter((e: { level: string }) => e.level === 'error'),
      ...expected.filter((e: { level: string }) => e.level === 'warning'),
    ].map((e: object) => ({ ...e, uri })),
  );
  expect(sarifRun.results?.find((x) => x.ruleId === 'secrets-hygiene')?.message.text).toBe(
    'Deployment/default/api: workloads must not run in the default namespace; use a tenant namespace',
  );
  expect(sarifRun.invocations?.[0].executionSuccessful).toBe(true);
});

test('GIVEN input check cannot read THEN --format sarif prints a log whose invocation failed, exit 2', async () => {
  const r = await run('--config', FIXTURE_CDK_JSON, '--format', 'sarif', path.join(dir, 'missing.yaml'));
  expect(r.code).toBe(2);
  const log = JSON.parse(r.stdout) as sarif.Log;
  expect(sarifProblems(log)).toEqual([]);
  expect(log.runs[0].results).toEqual([]);
  expect(log.runs[0].invocations?.[0]).toMatchObject({
    executionSuccessful: false,
    toolExecutionNotifications: [
      { level: 'error', message: { text: expect.stringContaining('cannot be read') } },
    ],
  });
});

test('GIVEN more than 5,000 results THEN the log keeps 5,000, errors first, and says so in the run and on stderr', async () => {
  // 334 objects with 15 violations each: 5,010 results.
  const bad = `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad-NAME}
spec:
  template:
    spec:
      hostPID: true
      hostNetwork: true
      volumes: [{name: h, hostPath: {path: /}}]
      containers:
        - name: app
          image: nginx
          ports: [{containerPort: 80, hostPort: 80}]
          securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}
`;
  const file = path.join(dir, 'bad.yaml');
  fs.writeFileSync(file, Array.from({ length: 334 }, (_, i) => bad.replace('NAME', String(i))).join('---\n'));
  const r = await run('--config', FIXTURE_CDK_JSON, '--format', 'sarif', file);
  expect(r.code).toBe(1);
  const log = JSON.parse(r.stdout) as sarif.Log;
  expect(sarifProblems(log)).toEqual([]);
  const total = 334 * 15;
  expect(log.runs[0].results).toHaveLength(5000);
  expect(log.runs[0].properties).toMatchObject({ truncated: true, totalResults: total, keptResults: 5000 });
  expect(log.runs[0].invocations?.[0].toolExecutionNotifications?.[0].message.text).toMatch(
    new RegExp(`results truncated: 5000 of ${total} kept`),
  );
  expect(r.stderr).toBe(
    `hardened-eks check: the SARIF log holds 5000 of ${total} results (code scanning keeps at most 5000 per run; errors come first); --format json lists all\n`,
  );
});

test('GIVEN warnings and errors beyond the limit THEN errors are kept before warnings', () => {
  const result = (i: number, kind: 'violations' | 'warnings'): CheckResult => ({
    file: 'a.yaml',
    line: i + 1,
    kind: 'Pod',
    name: `p${i}`,
    namespace: 'x',
    allowed: kind === 'warnings',
    violations: kind === 'violations' ? [{ policy: 'p', validatingAdmissionPolicy: 'p', message: 'm' }] : [],
    warnings: kind === 'warnings' ? [{ policy: 'w', validatingAdmissionPolicy: 'w', message: 'm' }] : [],
  });
  // Warnings come first in the input; the errors must still all be kept.
  const results = [
    ...Array.from({ length: 10 }, (_, i) => result(i, 'warnings')),
    ...Array.from({ length: 8 }, (_, i) => result(i, 'violations')),
  ];
  const out = renderSarif({ environment: 'dev', results, rules: [], toolVersion: '1', resultLimit: 12 });
  expect(out.truncated).toEqual({ total: 18, kept: 12 });
  expect(out.log.runs[0].results?.map((x) => x.level)).toEqual([
    ...Array(8).fill('error'),
    ...Array(4).fill('warning'),
  ]);
});
