import {
  HEAT_GAP,
  HEAT_SCALE,
  heatColor,
  renderHeatmap,
  renderStackedBarChart,
  textColorOn,
} from '../../../lib/compliance/evidence/render/charts';
import { esc, markup, raw } from '../../../lib/compliance/evidence/render/markup';

/* The pure render functions behind index.html (markup and charts), tested by their output. */
describe('evidence report | markup', () => {
  test('markup escapes every interpolation that is not markup', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    expect(markup`<td title="${name}">${name}</td>`.value).toBe(
      '<td title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</td>',
    );
    expect(
      markup`<p>${markup`<b>${'a<b'}</b>`}${[1, ' & ', raw('<br>')]}${undefined}${false}</p>`.value,
    ).toBe('<p><b>a&lt;b</b>1 &amp; <br></p>');
    expect(esc(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });
});

describe('evidence report | charts', () => {
  const series = [
    { key: 'ok', label: 'ok', color: '#1b7837' },
    { key: 'bad', label: 'bad', color: '#fdb863' },
  ];

  test('a stacked bar scales every row to the largest total and writes each count', () => {
    const svg = renderStackedBarChart({
      id: 'c',
      title: 'T',
      width: 400,
      series,
      rows: [
        { label: 'a', values: { ok: 2, bad: 1 } },
        { label: 'b', values: { ok: 0, bad: 1 } },
      ],
    }).value;
    // Labels take 80+12 px and totals 48 px, leaving 260 px for the largest total (3): 173.3 + 86.7.
    expect(svg).toBe(
      [
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="c" width="400" height="96" viewBox="0 0 400 96" role="img" aria-labelledby="c-title"><title id="c-title">T</title>',
        '<g class="bar-row"><text x="84" y="20" font-size="12" text-anchor="end">a</text>',
        '<rect x="92" y="6" width="173.3" height="20" fill="#1b7837"><title>a: 2 ok</title></rect>',
        '<text x="178.7" y="20" font-size="12" text-anchor="middle" fill="#ffffff">2</text>',
        '<rect x="265.3" y="6" width="86.7" height="20" fill="#fdb863"><title>a: 1 bad</title></rect>',
        '<text x="308.7" y="20" font-size="12" text-anchor="middle" fill="#000000">1</text>',
        '<text x="358" y="20" font-size="12" fill="#333333">3</text></g>',
        '<g class="bar-row"><text x="84" y="50" font-size="12" text-anchor="end">b</text>',
        '<rect x="92" y="36" width="86.7" height="20" fill="#fdb863"><title>b: 1 bad</title></rect>',
        '<text x="135.3" y="50" font-size="12" text-anchor="middle" fill="#000000">1</text>',
        '<text x="184.7" y="50" font-size="12" fill="#333333">1</text></g>',
        '<g class="legend-item"><rect x="92" y="72" width="12" height="12" fill="#1b7837" stroke="#555555" stroke-width="0.5"/><text x="110" y="82" font-size="12">ok</text></g>',
        '<g class="legend-item"><rect x="140" y="72" width="12" height="12" fill="#fdb863" stroke="#555555" stroke-width="0.5"/><text x="158" y="82" font-size="12">bad</text></g>',
        '</svg>',
      ].join(''),
    );
  });

  test('a count is written in white on dark segments and in black on light ones', () => {
    expect(textColorOn('#1b7837')).toBe('#ffffff');
    expect(textColorOn('#fdb863')).toBe('#000000');
    const svg = renderStackedBarChart({
      id: 'c',
      title: 'T',
      width: 400,
      series,
      rows: [{ label: 'a', values: { ok: 1, bad: 1 } }],
    }).value;
    expect(svg).toContain('fill="#ffffff">1</text>');
    expect(svg).toContain('fill="#000000">1</text>');
  });

  test('chart text is escaped', () => {
    const svg = renderStackedBarChart({
      id: 'c',
      title: 'a <b>',
      series: [{ key: 'k', label: '<i>', color: '#000000' }],
      rows: [{ label: '"x"', values: { k: 1 } }],
    }).value;
    expect(svg).toContain('<title id="c-title">a &lt;b&gt;</title>');
    expect(svg).toContain('&quot;x&quot;: 1 &lt;i&gt;');
    expect(svg).not.toContain('<i>');
  });

  test('a heatmap shades by count and marks an empty cell as a gap', () => {
    expect(heatColor(0, 5)).toBe(HEAT_GAP);
    expect(heatColor(5, 5)).toBe(HEAT_SCALE[HEAT_SCALE.length - 1]);
    expect(heatColor(1, 100)).toBe(HEAT_SCALE[1]);
    const svg = renderHeatmap({
      id: 'h',
      title: 'H',
      rows: ['Execution', 'Impact'],
      columns: ['Preventive', 'Detective'],
      values: [
        [3, 0],
        [1, 2],
      ],
      notes: [
        ['', ''],
        ['1 not in force', ''],
      ],
    }).value;
    expect(svg).toContain('>0 · gap</text>');
    expect(svg).toContain(`fill="${HEAT_GAP}"><title>Execution · Detective: 0 control(s)</title>`);
    expect(svg).toContain('>1 (1 not in force)</text>');
    expect(svg).toContain(`fill="${HEAT_SCALE[5]}"><title>Execution · Preventive: 3 control(s)</title>`);
    expect((svg.match(/<rect /g) ?? []).length).toBe(4);
  });
});
