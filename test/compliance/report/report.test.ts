import { Validations } from 'aws-cdk-lib';
import { CONTROLS } from '../../../lib/compliance/controls';
import { canonicalJson, renderReportHtml, type EvidenceReport } from '../../../lib/compliance/evidence';
import { acknowledgementsIn } from '../../../lib/compliance/acknowledgements';
import { KUBE_BENCH, VERIFY_FAILING, built, fixtureConfig, reportOf, schemaErrors } from './helpers';

/*
 * report.json of the evidence report: built from the fixture's dev environment (synthesized once), with
 * and without the live evidence files.
 */
describe('evidence report | report.json', () => {
  test('GIVEN no live files WHEN built THEN it validates against docs/report.schema.json', () => {
    expect(schemaErrors(reportOf())).toEqual([]);
  });

  test('GIVEN verify and kube-bench files WHEN built THEN it still validates against the schema', () => {
    const report = reportOf({ verify: VERIFY_FAILING, kubeBench: KUBE_BENCH });
    expect(schemaErrors(report)).toEqual([]);
    expect(report.inputs.verify).toEqual({
      cluster: 'acme-dev',
      result: 'NON_COMPLIANT',
      checks: 9,
      counts: { COMPLIANT: 7, NON_COMPLIANT: 1, NOT_APPLICABLE: 1 },
    });
    expect(report.inputs.kubeBench).toEqual({ benchmark: 'eks-1.8.0', results: 4 });
  });

  test('the schema rejects what it documents as invalid (an unknown status, a missing field)', () => {
    const report = JSON.parse(JSON.stringify(reportOf()));
    report.controls[0].status = 'mostly-fine';
    delete report.configDigest;
    expect(schemaErrors(report).join('\n')).toMatch(/status|configDigest/);
    expect(schemaErrors(report).length).toBeGreaterThanOrEqual(2);
  });

  test('every catalogue control appears once, with where it is enforced and the test that proves it', () => {
    const report = reportOf();
    expect(report.controls.map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));
    for (const c of report.controls) {
      expect(c.enforcedBy.length).toBeGreaterThan(0);
      expect(c.provedBy).toMatch(/^test\/.+\.test\.ts > EKS-/);
    }
    expect(report.summary.controls.total).toBe(CONTROLS.length);
  });

  test('every CIS EKS 1.8 recommendation appears: 50 in sections 2-5 with 2, 13, 23 and 12 items', () => {
    const cis = reportOf().frameworks.cisEks;
    expect(cis.recommendations).toHaveLength(50);
    expect(new Set(cis.recommendations.map((r) => r.id)).size).toBe(50);
    const perSection = (s: string) => cis.recommendations.filter((r) => r.section === s).length;
    expect(['2', '3', '4', '5'].map(perSection)).toEqual([2, 13, 23, 12]);
    const counted = (s: (typeof cis.sections)[number]) => Object.values(s.counts).reduce((a, b) => a + b, 0);
    expect(cis.sections.map(counted)).toEqual([2, 13, 23, 12]);
    expect(cis.recommendations.find((r) => r.id === '4.2.1')).toMatchObject({
      title: 'Minimize the admission of privileged containers',
      coverage: 'enforced',
      controls: expect.arrayContaining(['EKS-ADM-002', 'EKS-K8S-PSA-001']),
    });
  });

  test('every CIS recommendation has a coverage class, and manual ones say how to evidence them', () => {
    for (const r of reportOf().frameworks.cisEks.recommendations) {
      if (r.coverage === 'manual' || r.coverage === 'kube-bench') expect(r.note).toBeTruthy();
      if (r.coverage === 'not-met') expect(r.evidence.length).toBeGreaterThan(0);
      if (r.coverage === 'enforced') expect(r.controls.length).toBeGreaterThan(0);
    }
  });

  test('the 10 tactics of the Threat Matrix appear, each with its preventive and detective controls', () => {
    const tactics = reportOf().frameworks.threatMatrix.tactics;
    expect(tactics.map((t) => t.name)).toEqual([
      'Initial Access',
      'Execution',
      'Persistence',
      'Privilege Escalation',
      'Defense Evasion',
      'Credential Access',
      'Discovery',
      'Lateral Movement',
      'Collection',
      'Impact',
    ]);
    const byName = Object.fromEntries(tactics.map((t) => [t.name, t]));
    // Exec into a container (MS-TA9006) is prevented by the exec policy and detected by its alarm.
    expect(byName.Execution.preventive).toContain('EKS-ADM-010');
    expect(byName.Execution.detective).toContain('EKS-DET-002');
    expect(byName['Privilege Escalation'].detective).toContain('EKS-DET-003');
  });

  test('NSA/CISA guide sections list the controls that implement them', () => {
    const sections = reportOf().frameworks.nsaCisa.sections;
    const byId = Object.fromEntries(sections.map((s) => [s.id, s.controls]));
    expect(byId['pod-security']).toEqual(expect.arrayContaining(['EKS-ADM-002', 'EKS-K8S-PSA-001']));
    expect(byId.logging).toContain('EKS-LOG-001');
    expect(byId.rbac).toContain('EKS-ADM-007');
  });

  test('EKS-NODE-002: a failing live row of a verify file shows as failed-live with its evidence', () => {
    const report = reportOf({ verify: VERIFY_FAILING });
    const imds = report.controls.find((c) => c.id === 'EKS-NODE-002')!;
    expect(imds.status).toBe('failed-live');
    expect(imds.evidence).toEqual([
      'nodes: IMDSv2, hop limit 1: 1 of 3 node(s) fail',
      'nodes: IMDSv2, hop limit 1: i-00000000000000002: HttpTokens=optional',
    ]);
    expect(report.summary.controls['failed-live']).toBe(1);
    expect(report.controls.find((c) => c.id === 'EKS-NET-001')!.status).toBe('passed-live');
    // Controls verify has no row for keep their synth-time standing.
    expect(report.controls.find((c) => c.id === 'EKS-ADM-002')!.status).toBe('enforced');
  });

  test('EKS-NET-001: a CIS item whose controls passed live is verified-live; one that failed is not-met', () => {
    const cis = reportOf({ verify: VERIFY_FAILING }).frameworks.cisEks.recommendations;
    expect(cis.find((r) => r.id === '5.4.2')).toMatchObject({ coverage: 'verified-live', live: 'passed' });
    expect(cis.find((r) => r.id === '5.3.1')).toMatchObject({ coverage: 'verified-live' });
    const before = reportOf().frameworks.cisEks.recommendations.find((r) => r.id === '5.4.2');
    expect(before).toMatchObject({ coverage: 'enforced' });
    expect(before!.live).toBeUndefined();
  });

  test('EKS-DET-012: GuardDuty "off" (the default) shows as a deviation with field, value and reason', () => {
    const report = reportOf();
    expect(report.deviations).toContainEqual({
      controlId: 'EKS-DET-012',
      field: 'detection.guardDuty.mode',
      value: '"off"',
      reason: expect.stringContaining('GuardDuty'),
    });
    expect(report.controls.find((c) => c.id === 'EKS-DET-012')).toMatchObject({
      status: 'deviation',
      evidence: ['detection.guardDuty.mode = "off"'],
    });
    const on = reportOf({ config: fixtureConfig({ detection: { guardDuty: { mode: 'create' } } }) });
    expect(on.deviations.map((d) => d.controlId)).not.toContain('EKS-DET-012');
    expect(on.controls.find((c) => c.id === 'EKS-DET-012')!.status).toBe('enforced');
  });

  test('EKS-NET-001: a public endpoint declared in config is a deviation and leaves CIS 5.4.2 not met', () => {
    const report = reportOf({
      config: fixtureConfig({
        endpointAccess: 'public-and-private',
        publicEndpointCidrs: ['203.0.113.10/32'],
      }),
    });
    expect(report.controls.find((c) => c.id === 'EKS-NET-001')!.status).toBe('deviation');
    const item = report.frameworks.cisEks.recommendations.find((r) => r.id === '5.4.2')!;
    expect(item.coverage).toBe('not-met');
    expect(item.evidence.join(' ')).toContain('publicEndpointCidrs');
  });

  test('EKS-ADM-004: a warn-only policy is listed as such, and the control as a deviation', () => {
    const report = reportOf({
      config: fixtureConfig({ admission: { warnOnlyPolicies: ['image-pinning'] } }),
    });
    expect(report.admissionPolicies.find((p) => p.id === 'image-pinning')).toMatchObject({
      state: 'warn-only',
      validationActions: ['Warn', 'Audit'],
    });
    expect(report.controls.find((c) => c.id === 'EKS-ADM-004')!.status).toBe('deviation');
  });

  test('kube-bench results merge per CIS item: a FAIL makes it not met, a PASS is kept as evidence', () => {
    const cis = reportOf({ kubeBench: KUBE_BENCH }).frameworks.cisEks.recommendations;
    const byId = Object.fromEntries(cis.map((r) => [r.id, r]));
    expect(byId['3.2.9']).toMatchObject({ coverage: 'not-met', kubeBench: { status: 'FAIL' } });
    expect(byId['3.2.9'].evidence.join(' ')).toContain('featureGates.RotateKubeletServerCertificate');
    expect(byId['3.1.1']).toMatchObject({
      coverage: 'kube-bench',
      kubeBench: { status: 'PASS', actual: 'permissions=600' },
    });
    expect(byId['4.1.1']).toMatchObject({ coverage: 'enforced', kubeBench: { status: 'PASS' } });
    expect(byId['4.1.9']).toMatchObject({ coverage: 'manual', kubeBench: { status: 'WARN' } });
    expect(byId['3.2.1'].kubeBench).toBeUndefined();
  });

  test('every cdk-nag acknowledgement of the stacks is listed with its rule, resource, reason and control', () => {
    const report = reportOf();
    const ids = new Set(CONTROLS.map((c) => c.id));
    expect(report.acknowledgements.length).toBeGreaterThan(20);
    for (const a of report.acknowledgements) {
      expect(ids.has(a.coveredBy)).toBe(true);
      expect(a.reason.length).toBeGreaterThan(10);
    }
    expect(report.acknowledgements).toContainEqual(
      expect.objectContaining({ rule: 'AwsSolutions-IAM5[Resource::*]', coveredBy: 'EKS-VER-004' }),
    );
  });

  test('acknowledgementsIn finds every cdk-nag acknowledgement aws-cdk-lib recorded on the tree', () => {
    const { app } = built();
    const recorded = app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.keys(m.data as object).map((rule) => `${c.node.path} ${rule}`)),
      )
      // aws-cdk-lib acknowledges its own CloudFormation validation findings; those are not cdk-nag's.
      .filter((x) => !x.includes(' CloudFormation-Validate::'));
    const listed = acknowledgementsIn(app);
    expect(listed).toHaveLength(recorded.length);
    for (const a of listed) expect(recorded.some((r) => r.startsWith(`${a.resource} `))).toBe(true);
    expect(reportOf().acknowledgements).toEqual(listed);
  });

  test('alarms and saved queries are those the detection stack deploys, by their AWS names', () => {
    const report = reportOf();
    expect(report.alarms).toHaveLength(8);
    expect(report.alarms.find((a) => a.controlId === 'EKS-DET-008')).toMatchObject({
      name: 'acme-dev-audit-AuditEvents',
      comparison: '<',
    });
    expect(report.queries.map((q) => q.name)).toContain('acme-dev/security/secret-reads');
    expect(report.admissionPolicies).toHaveLength(10);
    expect(report.admissionPolicies.every((p) => p.state === 'enforced' && p.failurePolicy === 'Fail')).toBe(
      true,
    );
  });

  test('the config digest is sha256 of the canonical resolved environment: stable, and it moves with config', () => {
    const a = reportOf().configDigest;
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(reportOf().configDigest).toBe(a);
    expect(reportOf({ config: fixtureConfig({ logRetentionDays: 731 }) }).configDigest).not.toBe(a);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });

  test('the same evidence gives the same report, byte for byte', () => {
    expect(JSON.stringify(reportOf({ verify: VERIFY_FAILING }))).toBe(
      JSON.stringify(reportOf({ verify: VERIFY_FAILING })),
    );
  });
});

describe('evidence report | index.html', () => {
  test('is one self-contained page: no script, nothing loaded from elsewhere, a CSP that forbids it', () => {
    const page = renderReportHtml(reportOf({ verify: VERIFY_FAILING }));
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).not.toMatch(/<script|<iframe|<object|<embed|@import|url\(/i);
    expect(page).not.toMatch(/\s(src|srcset)=/i);
    // The only URL is the SVG namespace, which is never fetched.
    const urls = page.match(/https?:\/\/[^\s"'<]+/g) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(page).toContain('@media print');
  });

  test('has the summary, the CIS and Threat Matrix charts, and the live chart only with a verify file', () => {
    const without = renderReportHtml(reportOf());
    const withVerify = renderReportHtml(reportOf({ verify: VERIFY_FAILING }));
    const charts = (p: string) => [...p.matchAll(/<svg [^>]*id="([^"]+)"/g)].map((m) => m[1]);
    expect(charts(without)).toEqual(['chart-cis', 'chart-threats']);
    expect(charts(withVerify)).toEqual(['chart-cis', 'chart-threats', 'chart-live']);
    expect(without).toContain('live failures: no verify file given');
  });

  test('EKS-NODE-002: a failing live row stands out with its evidence, and so does a deviation', () => {
    const page = renderReportHtml(reportOf({ verify: VERIFY_FAILING }));
    const row = (id: string) =>
      new RegExp(`<tr class="row-([a-z-]+)" id="control-${id}">([\\s\\S]*?)</tr>`).exec(page)!;
    expect(row('EKS-NODE-002')[1]).toBe('failed-live');
    expect(row('EKS-NODE-002')[2]).toContain('i-00000000000000002: HttpTokens=optional');
    expect(row('EKS-DET-012')[1]).toBe('deviation');
    expect(row('EKS-DET-012')[2]).toContain('detection.guardDuty.mode = &quot;off&quot;');
    // Failing rows come first in the controls table, then deviations.
    expect(page.indexOf('id="control-EKS-NODE-002"')).toBeLessThan(page.indexOf('id="control-EKS-DET-012"'));
    expect(page.indexOf('id="control-EKS-DET-012"')).toBeLessThan(page.indexOf('id="control-EKS-NET-001"'));
  });

  test('text from the verify file is escaped', () => {
    const report = reportOf({ verify: VERIFY_FAILING });
    const hostile: EvidenceReport = {
      ...report,
      controls: report.controls.map((c) =>
        c.id === 'EKS-NODE-002' ? { ...c, evidence: ['<script>alert("x")</script>'] } : c,
      ),
    };
    const page = renderReportHtml(hostile);
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  test('the same report renders to the same bytes', () => {
    const report = reportOf({ verify: VERIFY_FAILING });
    expect(renderReportHtml(report)).toBe(renderReportHtml(report));
  });
});
