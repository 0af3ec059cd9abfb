/**
 * A server-rendered SVG chart: one stacked bar per pair of adjacent releases,
 * one segment per change category. Pages carry no script, so the SVG is
 * complete as sent; colors are presentation attributes, which the site's
 * Content-Security-Policy allows where inline styles are blocked.
 */
import { html, type SafeHtml } from '../../web/render/html.js';
import { CATEGORY_COLORS, CATEGORY_LABELS } from './categories.js';
import type { ReleaseStep } from './series.js';
import { CATEGORIES, type Category } from './schema.js';

/** Unchanged objects outnumber the changes and would flatten every other bar, so the chart leaves them out. */
const CHARTED: readonly Category[] = CATEGORIES.filter((category) => category !== 'unchanged');

const BAR_WIDTH = 44;
const BAR_GAP = 28;
const PLOT_HEIGHT = 220;
const LEFT = 56;
const TOP = 16;
const AXIS_LABELS = 40;
const LEGEND_ROW = 18;

export interface ChartOptions {
  /** Path of each pair's changelog, for linking its bar. */
  pairPath: (step: ReleaseStep) => string;
}

function niceMaximum(value: number): number {
  if (value <= 10) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  for (const step of steps) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

export function renderChangeChart(steps: readonly ReleaseStep[], options: ChartOptions): SafeHtml {
  const pairs = steps.filter((step) => step.counts !== undefined && step.previous !== undefined);
  if (pairs.length === 0) return html`<p class="empty">The chart needs at least two imported releases of this domain.</p>`;

  const totals = pairs.map((step) => CHARTED.reduce((sum, category) => sum + (step.counts?.byCategory[category] ?? 0), 0));
  const maximum = niceMaximum(Math.max(...totals));
  const scale = PLOT_HEIGHT / maximum;
  const width = LEFT + pairs.length * (BAR_WIDTH + BAR_GAP) + BAR_GAP;
  const legendTop = TOP + PLOT_HEIGHT + AXIS_LABELS;
  const height = legendTop + Math.ceil(CHARTED.length / 3) * LEGEND_ROW + 8;

  const ticks = [0, maximum / 2, maximum].map((value) => {
    const y = TOP + PLOT_HEIGHT - value * scale;
    return html`<line x1="${LEFT - 4}" y1="${y}" x2="${width}" y2="${y}" stroke="#cccccc" stroke-width="1"/>
      <text x="${LEFT - 8}" y="${y + 4}" text-anchor="end" font-size="11" fill="#333333">${value}</text>`;
  });

  const bars = pairs.map((step, index) => {
    const x = LEFT + BAR_GAP + index * (BAR_WIDTH + BAR_GAP);
    let y = TOP + PLOT_HEIGHT;
    const label = `${step.previous?.version ?? ''}\u2192${step.release.version}`;
    const segments = CHARTED.map((category) => {
      const count = step.counts?.byCategory[category] ?? 0;
      if (count === 0) return html``;
      const segmentHeight = count * scale;
      y -= segmentHeight;
      return html`<rect x="${x}" y="${y}" width="${BAR_WIDTH}" height="${segmentHeight}" fill="${CATEGORY_COLORS[category]}"><title>${label}: ${CATEGORY_LABELS[category]} ${count}</title></rect>`;
    });
    return html`<a href="${options.pairPath(step)}">${segments}
      <text x="${x + BAR_WIDTH / 2}" y="${TOP + PLOT_HEIGHT + 16}" text-anchor="middle" font-size="11" fill="#333333">${label}</text>
      <text x="${x + BAR_WIDTH / 2}" y="${TOP + PLOT_HEIGHT + 30}" text-anchor="middle" font-size="10" fill="#666666">${totals[index]}</text></a>`;
  });

  const legend = CHARTED.map((category, index) => {
    const x = LEFT + (index % 3) * 190;
    const y = legendTop + Math.floor(index / 3) * LEGEND_ROW;
    return html`<rect x="${x}" y="${y}" width="12" height="12" fill="${CATEGORY_COLORS[category]}"/>
      <text x="${x + 18}" y="${y + 10}" font-size="11" fill="#333333">${CATEGORY_LABELS[category]}</text>`;
  });

  const chartWidth = Math.max(width, LEFT + 3 * 190);
  return html`<figure class="chart">
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${chartWidth} ${height}" width="${chartWidth}" height="${height}" role="img" aria-labelledby="change-chart-title">
      <title id="change-chart-title">Changed objects per category between adjacent imported releases (unchanged objects not shown)</title>
      ${ticks}${bars}${legend}
    </svg>
    <figcaption>Changed objects per category between each pair of adjacent imported releases. Select a bar for its changelog.</figcaption>
  </figure>`;
}
