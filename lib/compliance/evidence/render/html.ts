import type {
  CisCoverage,
  CisEntry,
  ControlEntry,
  ControlStatus,
  EvidenceReport,
  LiveStatus,
  TacticEntry,
} from '../model';
import { CIS_COVERAGES, CONTROL_STATUSES } from '../model';
import { renderHeatmap, renderStackedBarChart, textColorOn, type SeriesStyle } from './charts';
import { markup, raw, type Markup } from './markup';

/*
 * index.html of the evidence report: one self-contained page (inline CSS and SVG, no script, nothing
 * fetched: the Content-Security-Policy forbids it), readable in a browser, an artifact store and on
 * paper. Summary and charts first, then what needs attention, then every table.
 */

export const COVERAGE_STYLE: Readonly<Record<CisCoverage, { label: string; short: string; color: string }>> =
  {
    'verified-live': { label: 'verified live', short: 'verified live', color: '#1b7837' },
    enforced: { label: 'enforced by the blueprint', short: 'enforced', color: '#7fbf7b' },
    'kube-bench': { label: 'checked by the kube-bench job', short: 'kube-bench job', color: '#4575b4' },
    'aws-managed': { label: 'AWS-managed', short: 'AWS-managed', color: '#91bfdb' },
    manual: { label: 'manual evidence', short: 'manual', color: '#fdb863' },
    'not-met': { label: 'not met', short: 'not met', color: '#d73027' },
  };

export const STATUS_STYLE: Readonly<Record<ControlStatus, { label: string; color: string }>> = {
  'failed-live': { label: 'failed live', color: '#d73027' },
  deviation: { label: 'deviation', color: '#f1a340' },
  'passed-live': { label: 'passed live', color: '#1b7837' },
  enforced: { label: 'enforced', color: '#7fbf7b' },
  'not-applicable': { label: 'not applicable', color: '#bdbdbd' },
};

const LIVE_STYLE: Readonly<Record<LiveStatus, { label: string; color: string }>> = {
  COMPLIANT: { label: 'pass', color: '#1b7837' },
  NON_COMPLIANT: { label: 'fail', color: '#d73027' },
  NOT_APPLICABLE: { label: 'not applicable', color: '#bdbdbd' },
};

const IN_FORCE: readonly ControlStatus[] = ['enforced', 'passed-live'];
const MET: readonly CisCoverage[] = ['verified-live', 'enforced', 'kube-bench', 'aws-managed'];

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 14px; line-height: 1.4; color: #1a1a1a; margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; background: #ffffff; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #d0d0d0; }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.meta, p.note { color: #444444; margin: 4px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
nav ul { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav a { color: #1f4e99; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; margin: 12px 0; }
.card { border: 1px solid #cccccc; border-left: 6px solid #7fbf7b; border-radius: 4px; padding: 8px 12px; }
.card .value { font-size: 26px; font-weight: 700; }
.card .label { color: #333333; }
.card.bad { border-left-color: #d73027; background: #fdecea; }
.card.warn { border-left-color: #f1a340; background: #fff4e0; }
.card.info { border-left-color: #bdbdbd; }
figure { margin: 16px 0; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: inherit; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #d6d6d6; padding: 4px 6px; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; }
th.group { background: #f6f6f6; font-weight: 600; }
td ul { margin: 0; padding-left: 16px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
td, th { overflow-wrap: break-word; }
td.id code { white-space: nowrap; overflow-wrap: normal; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
tr.row-failed-live td, tr.cov-not-met td { background: #fdecea; }
tr.row-failed-live td:first-child, tr.cov-not-met td:first-child { border-left: 5px solid #d73027; }
tr.row-deviation td { background: #fff4e0; }
tr.row-deviation td:first-child { border-left: 5px solid #f1a340; }
.evidence { color: #7a1010; }
.muted { color: #666666; }
footer { margin-top: 40px; color: #555555; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  h2 { break-after: avoid; }
  tr, .card { break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function badge(label: string, color: string): Markup {
  return markup`<span class="badge" style="background:${color};color:${textColorOn(color)}">${label}</span>`;
}

const statusBadge = (s: ControlStatus) => badge(STATUS_STYLE[s].label, STATUS_STYLE[s].color);
const coverageBadge = (c: CisCoverage, long = false) =>
  badge(COVERAGE_STYLE[c][long ? 'label' : 'short'], COVERAGE_STYLE[c].color);
const list = (items: readonly (string | Markup)[]) =>
  items.length === 0
    ? markup`<span class="muted">—</span>`
    : markup`<ul>
        ${items.map((i) => markup`<li>${i}</li>`)}
      </ul>`;
const codes = (items: readonly string[]) =>
  items.map((i, k) => markup`${k > 0 ? ', ' : ''}<code>${i}</code>`);

function card(value: string | number, label: string, tone: 'good' | 'bad' | 'warn' | 'info'): Markup {
  return markup`<div class="card ${tone === 'good' ? '' : tone}">
    <div class="value">${value}</div>
    <div class="label">${label}</div>
  </div>`;
}

/** The page's summary cards. */
function summaryCards(r: EvidenceReport): Markup {
  const s = r.summary;
  const inForce = s.controls.enforced + s.controls['passed-live'];
  const met = MET.reduce((n, c) => n + s.cis[c], 0);
  const gaps = r.frameworks.threatMatrix.tactics.reduce(
    (n, t) => n + (effective(r, t.preventive) === 0 ? 1 : 0) + (effective(r, t.detective) === 0 ? 1 : 0),
    0,
  );
  const verify = r.inputs.verify;
  return markup`<div class="cards">
    ${card(`${inForce} / ${s.controls.total}`, `controls in force (${s.controls['not-applicable']} not applicable)`, 'good')}
    ${card(s.controls.deviation, `controls weakened by ${s.deviations} declared deviation(s)`, s.controls.deviation > 0 ? 'warn' : 'good')}
    ${
      verify
        ? card(
            s.controls['failed-live'],
            `controls failing live (${verify.counts.NON_COMPLIANT} of ${verify.checks} checks)`,
            s.controls['failed-live'] > 0 ? 'bad' : 'good',
          )
        : card('—', 'live failures: no verify file given', 'info')
    }
    ${card(`${met} / ${s.cis.total}`, `CIS EKS ${r.frameworks.cisEks.version} met · ${s.cis.manual} manual · ${s.cis['not-met']} not met`, s.cis['not-met'] > 0 ? 'bad' : 'good')}
    ${card(gaps, 'Threat Matrix cells without a control in force', gaps > 0 ? 'warn' : 'good')}
    ${card(s.acknowledgements, 'cdk-nag acknowledgements, each with its covering control', 'info')}
  </div>`;
}

function effective(r: EvidenceReport, ids: readonly string[]): number {
  return ids.filter((id) => IN_FORCE.includes(r.controls.find((c) => c.id === id)!.status)).length;
}

function cisChart(r: EvidenceReport): Markup {
  const series: SeriesStyle[] = CIS_COVERAGES.map((c) => ({
    key: c,
    label: COVERAGE_STYLE[c].label,
    color: COVERAGE_STYLE[c].color,
  }));
  return renderStackedBarChart({
    id: 'chart-cis',
    title: `CIS Amazon EKS Benchmark ${r.frameworks.cisEks.version}: coverage per section`,
    series,
    rows: r.frameworks.cisEks.sections.map((s) => ({ label: `${s.id} ${s.title}`, values: s.counts })),
  });
}

function threatChart(r: EvidenceReport): Markup {
  const tactics = r.frameworks.threatMatrix.tactics;
  const weakened = (ids: readonly string[]) => {
    const n = ids.filter((id) => !IN_FORCE.includes(r.controls.find((c) => c.id === id)!.status)).length;
    return n > 0 ? `${n} not in force` : '';
  };
  return renderHeatmap({
    id: 'chart-threats',
    title: 'Microsoft Threat Matrix for Kubernetes: controls in force per tactic',
    rows: tactics.map((t) => t.name),
    columns: ['Preventive', 'Detective'],
    values: tactics.map((t) => [effective(r, t.preventive), effective(r, t.detective)]),
    notes: tactics.map((t) => [weakened(t.preventive), weakened(t.detective)]),
  });
}

function liveChart(r: EvidenceReport): Markup {
  const families = new Map<string, Record<string, number>>();
  for (const c of r.controls) {
    for (const x of c.live) {
      const family = c.id.split('-').slice(0, -1).join('-');
      const values = families.get(family) ?? {};
      values[x.status] = (values[x.status] ?? 0) + 1;
      families.set(family, values);
    }
  }
  return renderStackedBarChart({
    id: 'chart-live',
    title: 'Live checks of verify, per control family',
    series: (['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'] as const).map((k) => ({
      key: k,
      ...LIVE_STYLE[k],
    })),
    rows: [...families.keys()].sort().map((f) => ({ label: f, values: families.get(f)! })),
  });
}

/** A table with fixed column widths (percent), so long code paths wrap inside their column. */
function table(columns: readonly (readonly [string, number])[], rows: Markup | readonly Markup[]): Markup {
  return markup`<table>
    <colgroup>
      ${columns.map(([, w]) => markup`<col style="width:${w}%" />`)}
    </colgroup>
    <thead>
      <tr>
        ${columns.map(([h]) => markup`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

const idCell = (id: string, anchor?: string) =>
  markup`<td class="id">
    ${anchor ? markup`<a href="#${anchor}"><code>${id}</code></a>` : markup`<code>${id}</code>`}
  </td>`;

function controlRow(c: ControlEntry): Markup {
  const passed = c.live.filter((x) => x.status !== 'NON_COMPLIANT');
  const stands = c.status === 'failed-live' || c.status === 'deviation';
  const evidence = [
    ...c.evidence.map((e) => markup`<span class="${stands ? 'evidence' : ''}">${e}</span>`),
    ...passed.map(
      (x) =>
        markup`<span class="muted"
          >live ${LIVE_STYLE[x.status].label}:
          ${x.check}${x.evidence[0] ? ` — ${x.evidence[0]}` : ''}${x.evidence.length > 1 ? ` (+${x.evidence.length - 1} more)` : ''}</span
        >`,
    ),
    ...(c.synthCheck && c.synthCheck.findings.length === 0
      ? [markup`<span class="muted">synth-time rule passed on ${c.synthCheck.templates} templates</span>`]
      : []),
    ...(c.limitation ? [markup`<span class="muted">limitation: ${c.limitation}</span>`] : []),
  ];
  return markup`<tr class="row-${c.status}" id="control-${c.id}">
    ${idCell(c.id)}
    <td><strong>${c.title}</strong><br /><span class="muted">${c.rationale}</span></td>
    <td>${statusBadge(c.status)}<br /><span class="muted">${c.role}</span></td>
    <td>${list(evidence)}</td>
    <td>
      ${list(c.enforcedBy.map((e) => markup`<code>${e}</code>`))}
      <span class="muted">proved by</span> <code>${c.provedBy}</code>
      ${c.deviationField ? markup`<br /><span class="muted">weakened only through</span> <code>${c.deviationField}</code>` : ''}
    </td>
    <td>
      ${c.frameworks.cisEks.length ? markup`CIS ${c.frameworks.cisEks.join(', ')}<br />` : ''}${c.frameworks.mitre.join(', ')}
    </td>
  </tr>`;
}

function cisRow(e: CisEntry): Markup {
  const bench = e.kubeBench;
  return markup`<tr class="cov-${e.coverage}" id="cis-${e.id}">
    ${idCell(e.id)}
    <td>${e.title} <span class="muted">(${e.assessment})</span></td>
    <td>${coverageBadge(e.coverage)}</td>
    <td>${codes(e.controls)}</td>
    <td>
      ${bench ? markup`<strong>${bench.status}</strong>${bench.actual ? markup`<br /><span class="muted">${bench.actual}</span>` : ''}` : markup`<span class="muted">—</span>`}
    </td>
    <td>
      ${e.evidence.length ? list(e.evidence.map((x) => markup`<span class="${e.coverage === 'not-met' ? 'evidence' : 'muted'}">${x}</span>`)) : ''}${e.note ? markup`<span>${e.note}</span>` : ''}
    </td>
  </tr>`;
}

function cisTables(r: EvidenceReport): Markup {
  const recs = r.frameworks.cisEks.recommendations;
  const columns = [
    ['ID', 7],
    ['Recommendation', 28],
    ['Coverage', 13],
    ['Controls', 18],
    ['kube-bench', 9],
    ['How it is met · evidence', 25],
  ] as const;
  return markup`${r.frameworks.cisEks.sections.map(
    (s) =>
      markup`<h3>${s.id} ${s.title}</h3>
        ${table(
          columns,
          s.groups.map(
            (g) =>
              markup`<tr>
                  <th class="group" colspan="6">${g.id} ${g.title}</th>
                </tr>
                ${recs.filter((x) => x.group === g.id).map(cisRow)}`,
          ),
        )}`,
  )}`;
}

function tacticRow(r: EvidenceReport, t: TacticEntry): Markup {
  const ids = (xs: readonly string[]) =>
    xs.length === 0
      ? markup`<span class="evidence">none</span>`
      : xs.map((id, k) => {
          const status = r.controls.find((c) => c.id === id)!.status;
          return markup`${k > 0 ? ', ' : ''}<code>${id}</code>${IN_FORCE.includes(status) ? '' : markup` (${STATUS_STYLE[status].label})`}`;
        });
  return markup`<tr>
    <td><strong>${t.name}</strong></td>
    <td>
      ${t.techniques.map((x, k) => markup`${k > 0 ? '; ' : ''}${x.name} <span class="muted">${x.id}</span>`)}
    </td>
    <td>${ids(t.preventive)}</td>
    <td>${ids(t.detective)}</td>
  </tr>`;
}

function attention(r: EvidenceReport): Markup {
  const failing = r.controls.filter((c) => c.status === 'failed-live');
  const notMet = r.frameworks.cisEks.recommendations.filter((c) => c.coverage === 'not-met');
  if (failing.length === 0 && r.deviations.length === 0 && notMet.length === 0) {
    return markup`<p>
      Nothing failed live, no control is weakened by config, and every CIS recommendation is covered.
    </p>`;
  }
  const failingTable = table(
    [
      ['ID', 12],
      ['Control', 30],
      ['Status', 10],
      ['Live evidence', 48],
    ],
    failing.map(
      (c) =>
        markup`<tr class="row-failed-live">
          ${idCell(c.id, `control-${c.id}`)}
          <td>${c.title}</td>
          <td>${statusBadge(c.status)}</td>
          <td>${list(c.evidence.map((e) => markup`<span class="evidence">${e}</span>`))}</td>
        </tr>`,
    ),
  );
  const notMetTable = table(
    [
      ['ID', 8],
      ['Recommendation', 40],
      ['Why', 52],
    ],
    notMet.map(
      (e) =>
        markup`<tr class="cov-not-met">
          ${idCell(e.id, `cis-${e.id}`)}
          <td>${e.title}</td>
          <td>${list(e.evidence.map((x) => markup`<span class="evidence">${x}</span>`))}</td>
        </tr>`,
    ),
  );
  return markup`${
    failing.length > 0
      ? markup`<h3>Controls failing live (${failing.length})</h3>
          ${failingTable}`
      : ''
  }
  ${
    r.deviations.length > 0
      ? markup`<h3>Declared deviations (${r.deviations.length})</h3>
          ${deviationTable(r)}`
      : ''
  }
  ${
    notMet.length > 0
      ? markup`<h3>CIS recommendations not met (${notMet.length})</h3>
          ${notMetTable}`
      : ''
  }`;
}

function deviationTable(r: EvidenceReport): Markup {
  return table(
    [
      ['Control', 14],
      ['Config field', 24],
      ['Value', 32],
      ['Reason', 30],
    ],
    r.deviations.map(
      (d) =>
        markup`<tr class="row-deviation">
          ${idCell(d.controlId, `control-${d.controlId}`)}
          <td><code>${d.field}</code></td>
          <td><code>${d.value}</code></td>
          <td>${d.reason}</td>
        </tr>`,
    ),
  );
}

/** Every table section after "Needs attention". */
function sections(r: EvidenceReport): Markup {
  const controlsByStatus = CONTROL_STATUSES.flatMap((s) => r.controls.filter((c) => c.status === s));
  const cis = r.frameworks.cisEks;
  return markup`<section id="controls">
      <h2>Controls (${r.controls.length})</h2>
      <p class="note">
        Every catalogue control, failing and weakened ones first. A control is <em>enforced</em> when config
        does not weaken it and its synth-time rule (if it has one) passes on this environment's templates;
        with a verify file, <em>passed live</em> / <em>failed live</em> say what the running cluster showed.
      </p>
      ${table(
        [
          ['ID', 11],
          ['Control', 22],
          ['Status', 9],
          ['Evidence', 27],
          ['Enforced by · proved by', 21],
          ['Frameworks', 10],
        ],
        controlsByStatus.map(controlRow),
      )}
    </section>
    <section id="cis">
      <h2>${cis.name} ${cis.version} (${cis.recommendations.length} recommendations)</h2>
      <p class="note">${CIS_COVERAGES.map((c, k) => markup`${k > 0 ? ' ' : ''}${coverageBadge(c, true)}`)}</p>
      ${cisTables(r)}
    </section>
    <section id="threat-matrix">
      <h2>${r.frameworks.threatMatrix.name}</h2>
      ${table(
        [
          ['Tactic', 14],
          ['Techniques', 36],
          ['Preventive controls', 25],
          ['Detective controls', 25],
        ],
        r.frameworks.threatMatrix.tactics.map((t) => tacticRow(r, t)),
      )}
    </section>
    <section id="nsa">
      <h2>${r.frameworks.nsaCisa.name} ${r.frameworks.nsaCisa.version}</h2>
      ${table(
        [
          ['Chapter', 24],
          ['Section', 30],
          ['Implementing controls', 46],
        ],
        r.frameworks.nsaCisa.sections.map(
          (s) =>
            markup`<tr>
              <td>${s.chapter}</td>
              <td>${s.title}</td>
              <td>${s.controls.length ? codes(s.controls) : markup`<span class="evidence">none</span>`}</td>
            </tr>`,
        ),
      )}
    </section>
    <section id="deviations">
      <h2>Deviations (${r.deviations.length})</h2>
      ${r.deviations.length ? deviationTable(r) : markup`<p>None: config weakens no control.</p>`}
    </section>
    <section id="acknowledgements">
      <h2>cdk-nag acknowledgements (${r.acknowledgements.length})</h2>
      ${table(
        [
          ['Rule', 27],
          ['Resource', 27],
          ['Reason', 33],
          ['Covered by', 13],
        ],
        r.acknowledgements.map(
          (a) =>
            markup`<tr>
              <td><code>${a.rule}</code></td>
              <td><code>${a.resource}</code></td>
              <td>${a.reason}</td>
              ${idCell(a.coveredBy, `control-${a.coveredBy}`)}
            </tr>`,
        ),
      )}
    </section>
    <section id="admission">
      <h2>Admission policies (${r.admissionPolicies.length})</h2>
      ${table(
        [
          ['Policy', 18],
          ['State', 10],
          ['Validation actions', 12],
          ['Failure policy', 9],
          ['Not bound in namespaces', 31],
          ['Controls', 20],
        ],
        r.admissionPolicies.map(
          (p) =>
            markup`<tr class="${p.state === 'enforced' ? '' : 'row-deviation'}">
              <td><code>${p.id}</code></td>
              <td>${p.state}</td>
              <td>${p.validationActions.join(', ') || '—'}</td>
              <td>${p.failurePolicy ?? '—'}</td>
              <td>${codes(p.excludedNamespaces)}</td>
              <td>${codes(p.controls)}</td>
            </tr>`,
        ),
      )}
    </section>
    <section id="alarms">
      <h2>Audit-log alarms (${r.alarms.length})</h2>
      ${table(
        [
          ['Alarm', 30],
          ['Control', 12],
          ['Fires when', 24],
          ['What it means', 34],
        ],
        r.alarms.map(
          (a) =>
            markup`<tr>
              <td><code>${a.name}</code></td>
              ${idCell(a.controlId, `control-${a.controlId}`)}
              <td>
                ${a.comparison === '<' ? 'fewer than' : 'at least'} ${a.threshold} event(s) in
                ${a.periodMinutes} min, ${a.evaluationPeriods} period(s)
              </td>
              <td>${a.description}</td>
            </tr>`,
        ),
      )}
    </section>
    <section id="queries">
      <h2>Saved Logs Insights queries (${r.queries.length})</h2>
      ${table(
        [
          ['Query', 32],
          ['Question it answers', 43],
          ['Log groups', 25],
        ],
        r.queries.map(
          (q) =>
            markup`<tr>
              <td><code>${q.name}</code></td>
              <td>${q.title}</td>
              <td>${codes(q.logGroups)}</td>
            </tr>`,
        ),
      )}
    </section>`;
}

const SECTIONS = [
  ['summary', 'Summary'],
  ['attention', 'Needs attention'],
  ['controls', 'Controls'],
  ['cis', 'CIS EKS Benchmark'],
  ['threat-matrix', 'Threat Matrix'],
  ['nsa', 'NSA/CISA guide'],
  ['deviations', 'Deviations'],
  ['acknowledgements', 'Acknowledgements'],
  ['admission', 'Admission policies'],
  ['alarms', 'Alarms'],
  ['queries', 'Queries'],
] as const;

/** The whole page. Pure: the same report gives the same bytes. */
export function renderReportHtml(r: EvidenceReport): string {
  const verify = r.inputs.verify;
  const bench = r.inputs.kubeBench;
  const title = `Evidence report: ${r.environment} (${r.cluster.name})`;
  const page = markup`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta
          http-equiv="Content-Security-Policy"
          content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        />
        <link rel="icon" href="data:," />
        <title>${title}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <h1>${title}</h1>
          <p class="meta">
            Cluster <strong>${r.cluster.name}</strong> · account ${r.cluster.account} · ${r.cluster.region} ·
            Kubernetes ${r.cluster.kubernetesVersion}
          </p>
          <dl class="facts">
            <dt>Generated</dt>
            <dd>${r.generatedAt}</dd>
            <dt>Blueprint</dt>
            <dd>${r.blueprint.name} ${r.blueprint.version}</dd>
            <dt>Config digest</dt>
            <dd><code>${r.configDigest}</code></dd>
            <dt>Live evidence</dt>
            <dd>
              ${verify ? `verify of cluster ${verify.cluster}: ${verify.result}, ${verify.checks} checks (${verify.counts.COMPLIANT} pass, ${verify.counts.NON_COMPLIANT} fail, ${verify.counts.NOT_APPLICABLE} not applicable)` : 'none: no --verify file was given; statuses are what the blueprint and its config declare'}
            </dd>
            <dt>kube-bench</dt>
            <dd>
              ${bench ? `${bench.benchmark}: ${bench.results} results merged per CIS recommendation` : 'none: no --kube-bench file was given'}
            </dd>
          </dl>
        </header>
        <nav aria-label="Contents">
          <ul>
            ${SECTIONS.map(([id, label]) => markup`<li><a href="#${id}">${label}</a></li>`)}
          </ul>
        </nav>
        <main>
          <section id="summary">
            <h2>Summary</h2>
            ${summaryCards(r)}
            <figure>
              <figcaption>
                CIS Amazon EKS Benchmark ${r.frameworks.cisEks.version}: how each recommendation is covered,
                per section
              </figcaption>
              ${cisChart(r)}
            </figure>
            <figure>
              <figcaption>Threat Matrix: controls in force per tactic (a red cell has none)</figcaption>
              ${threatChart(r)}
            </figure>
            ${
              verify
                ? markup`<figure>
                    <figcaption>Live status: verify checks per control family</figcaption>
                    ${liveChart(r)}
                  </figure>`
                : ''
            }
          </section>
          <section id="attention">
            <h2>Needs attention</h2>
            ${attention(r)}
          </section>
          ${sections(r)}
        </main>
        <footer>
          Generated by <code>hardened-eks report</code>. The same data is in report.json beside this page
          (schema: docs/report.schema.json of the blueprint).
        </footer>
      </body>
    </html> `;
  return page.value;
}
