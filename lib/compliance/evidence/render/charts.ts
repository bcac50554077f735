import { markup, type Markup } from './markup';

/*
 * The report's charts as inline SVG: pure functions from numbers to markup, with fixed geometry (no
 * fonts measured, no script), readable printed in black and white because every count is also written
 * as text and every shape carries a <title>.
 */

export interface SeriesStyle {
  readonly key: string;
  readonly label: string;
  /** #rrggbb */
  readonly color: string;
}

export interface BarRow {
  readonly label: string;
  /** Values by series key; missing keys count 0. */
  readonly values: Readonly<Record<string, number>>;
}

export interface StackedBarSpec {
  /** Unique on the page; also names the chart's <title> element. */
  readonly id: string;
  readonly title: string;
  readonly rows: readonly BarRow[];
  /** Stacking order, left to right. */
  readonly series: readonly SeriesStyle[];
  /** @default 760 */
  readonly width?: number;
}

const FONT = 12;
/** A generous average glyph width of the page's sans-serif font at 12px, for laying out labels. */
const CHAR_WIDTH = 7;

/** Black or white, whichever reads better on `color` (#rrggbb). */
export function textColorOn(color: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 ? '#000000' : '#ffffff';
}

const num = (n: number) => Math.round(n * 10) / 10;

function svg(id: string, title: string, width: number, height: number, body: Markup): Markup {
  return markup`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${id}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title"><title id="${id}-title">${title}</title>${body}</svg>`;
}

/** Legend entries laid out left to right, wrapping at `width`; returns the markup and its height. */
function legend(series: readonly SeriesStyle[], x0: number, y0: number, width: number): [Markup, number] {
  let x = x0;
  let y = y0;
  const items = series.map((s) => {
    const w = 18 + s.label.length * CHAR_WIDTH + 16;
    if (x + w > width && x > x0) {
      x = x0;
      y += 20;
    }
    const item = markup`<g class="legend-item"><rect x="${x}" y="${y}" width="12" height="12" fill="${s.color}" stroke="#555555" stroke-width="0.5"/><text x="${x + 18}" y="${y + 10}" font-size="${FONT}">${s.label}</text></g>`;
    x += w;
    return item;
  });
  return [markup`${items}`, y - y0 + 20];
}

/** Horizontal stacked bars, one row per label, scaled to the largest total; counts written in the bars. */
export function renderStackedBarChart(spec: StackedBarSpec): Markup {
  const width = spec.width ?? 760;
  const labelWidth = Math.min(320, Math.max(80, ...spec.rows.map((r) => r.label.length * CHAR_WIDTH)) + 12);
  const barWidth = width - labelWidth - 48;
  const rowHeight = 30;
  const barHeight = 20;
  const top = 6;
  const totals = spec.rows.map((r) => spec.series.reduce((sum, s) => sum + (r.values[s.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const rows = spec.rows.map((row, i) => {
    const y = top + i * rowHeight;
    let x = labelWidth;
    const segments = spec.series.map((s) => {
      const value = row.values[s.key] ?? 0;
      if (value === 0) return markup``;
      const w = (value / max) * barWidth;
      const count =
        w >= 16
          ? markup`<text x="${num(x + w / 2)}" y="${y + 14}" font-size="${FONT}" text-anchor="middle" fill="${textColorOn(s.color)}">${value}</text>`
          : '';
      const segment = markup`<rect x="${num(x)}" y="${y}" width="${num(w)}" height="${barHeight}" fill="${s.color}"><title>${row.label}: ${value} ${s.label}</title></rect>${count}`;
      x += w;
      return segment;
    });
    return markup`<g class="bar-row"><text x="${labelWidth - 8}" y="${y + 14}" font-size="${FONT}" text-anchor="end">${row.label}</text>${segments}<text x="${num(x + 6)}" y="${y + 14}" font-size="${FONT}" fill="#333333">${totals[i]}</text></g>`;
  });
  const legendTop = top + spec.rows.length * rowHeight + 6;
  const [legendMarkup, legendHeight] = legend(spec.series, labelWidth, legendTop, width);
  return svg(spec.id, spec.title, width, legendTop + legendHeight + 4, markup`${rows}${legendMarkup}`);
}

export interface HeatmapSpec {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** values[row][column]: how many controls cover the cell. */
  readonly values: readonly (readonly number[])[];
  /** Extra words per cell, e.g. "1 not in force"; shown in parentheses after the count. */
  readonly notes?: readonly (readonly string[])[];
  /** @default 760 */
  readonly width?: number;
}

/** Shades of green for covered cells, light to dark; an empty cell is a gap and shown in red. */
export const HEAT_SCALE = ['#e5f5e0', '#c7e9c0', '#a1d99b', '#74c476', '#31a354', '#006d2c'] as const;
export const HEAT_GAP = '#f4b6b6';

export function heatColor(value: number, max: number): string {
  if (value <= 0) return HEAT_GAP;
  const step = Math.ceil((value / Math.max(1, max)) * (HEAT_SCALE.length - 1));
  return HEAT_SCALE[Math.min(HEAT_SCALE.length - 1, Math.max(1, step))];
}

/** A grid of counts: rows × columns, each cell shaded by its count, a zero marked as a gap. */
export function renderHeatmap(spec: HeatmapSpec): Markup {
  const width = spec.width ?? 760;
  const labelWidth = Math.max(60, ...spec.rows.map((r) => r.length * CHAR_WIDTH)) + 16;
  const cellWidth = Math.floor((width - labelWidth) / spec.columns.length);
  const cellHeight = 28;
  const headerHeight = 24;
  const max = Math.max(1, ...spec.values.flat());
  const header = spec.columns.map(
    (c, j) =>
      markup`<text x="${labelWidth + j * cellWidth + cellWidth / 2}" y="16" font-size="${FONT}" font-weight="bold" text-anchor="middle">${c}</text>`,
  );
  const rows = spec.rows.map((r, i) => {
    const y = headerHeight + i * cellHeight;
    const cells = spec.columns.map((c, j) => {
      const value = spec.values[i]?.[j] ?? 0;
      const color = heatColor(value, max);
      const note = spec.notes?.[i]?.[j];
      const label = `${value === 0 ? '0 · gap' : value}${note ? ` (${note})` : ''}`;
      const x = labelWidth + j * cellWidth;
      return markup`<rect x="${x}" y="${y}" width="${cellWidth - 2}" height="${cellHeight - 2}" fill="${color}"><title>${r} · ${c}: ${value} control(s)${note ? `, ${note}` : ''}</title></rect><text x="${x + (cellWidth - 2) / 2}" y="${y + 17}" font-size="${FONT}" text-anchor="middle" fill="${textColorOn(color)}">${label}</text>`;
    });
    return markup`<g class="heat-row"><text x="${labelWidth - 8}" y="${y + 17}" font-size="${FONT}" text-anchor="end">${r}</text>${cells}</g>`;
  });
  return svg(
    spec.id,
    spec.title,
    width,
    headerHeight + spec.rows.length * cellHeight + 4,
    markup`${header}${rows}`,
  );
}
