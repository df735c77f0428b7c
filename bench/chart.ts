/** The bar chart of the page: ms per layer per implementation, log-scale y axis, as an SVG string. */
import { IMPLEMENTATIONS, type ImplName } from './implementation';
import { isOurs, type BenchResult } from './report';

/**
 * One colour per name, distinct for any list of names: ours (paths, auto and its variants) spread over the blues
 * and violets, everything else (peers, a peer running our kernel) over the warm and green hues, each family in
 * list order with its lightness cycling, so names added later get colours of their own.
 */
export function implColors(names: readonly string[]): Map<string, string> {
  const ours = names.filter((n) => isOurs(n as ImplName));
  const others = names.filter((n) => !isOurs(n as ImplName));
  const colours = new Map<string, string>();
  const spread = (family: string[], from: number, span: number, saturation: number, lightness: readonly number[]) => {
    family.forEach((name, i) => {
      const hue = (from + (family.length > 1 ? (span * i) / (family.length - 1) : 0)) % 360;
      colours.set(name, `hsl(${hue.toFixed(1)}, ${saturation}%, ${lightness[i % lightness.length]}%)`);
    });
  };
  spread(ours, 200, 80, 65, [32, 52, 68]);
  spread(others, 20, 130, 70, [45, 38]);
  return colours;
}

/** Every implementation the chart knows, in table order, then any other name the results hold. */
function allNames(results: readonly BenchResult[]): string[] {
  const names: string[] = [...IMPLEMENTATIONS];
  for (const r of results) if (!names.includes(r.impl)) names.push(r.impl);
  return names;
}

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
/** 3 significant digits, the chart's value labels. */
const label = (v: number) => (v >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));
/** The label of the y axis' line at 10^e ms: 0.01 ms … 100 ms, 1 s, 10 s, … */
const tick = (e: number) => (e >= 3 ? `${10 ** (e - 3)} s` : `${e >= 0 ? 10 ** e : (10 ** e).toFixed(-e)} ms`);
/** A generous width estimate of sans-serif text (the legend and the labels are laid out from it). */
const textWidth = (s: string, size: number) => s.length * size * 0.62;

/** Options of {@link barChartSvg}. */
export interface ChartOptions {
  /** Natural width in px (the SVG scales down to its box). Default: from the number of layers, 640 to 1200. */
  width?: number;
  height?: number;
}

/**
 * Grouped bars (one group per layer, one bar per implementation that has results) of the median ms on a log10
 * axis spanning whole decades, each with a tooltip and, where the bar is wide enough, its value. The legend wraps
 * onto as many rows as the names need. n/a cells are left empty with an "n/a" mark.
 */
export function barChartSvg(results: readonly BenchResult[], options: ChartOptions = {}): string {
  const layers = [...new Set(results.map((r) => r.layer))];
  const names = allNames(results);
  const impls = names.filter((n) => results.some((r) => r.impl === n));
  const colours = implColors(names);
  const values = results.map((r) => r.latencyMs).filter((v): v is number => v !== null && v > 0);
  const width = options.width ?? Math.min(1200, Math.max(640, layers.length * Math.max(90, impls.length * 14) + 80));
  if (values.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40" viewBox="0 0 ${width} 40" style="max-width:100%;height:auto"><text x="8" y="24">no results yet</text></svg>`;

  // Legend: items laid out left to right, wrapping at the plot's width.
  const legendSize = 12, rowH = 18, left = 70, right = 16;
  const legend: string[] = [];
  let lx = left, row = 0;
  for (const impl of impls) {
    const w = 16 + textWidth(impl, legendSize) + 14;
    if (lx > left && lx + w > width - right) { lx = left; row++; }
    const ly = 8 + row * rowH;
    legend.push(`<g class="legend-item"><rect x="${lx}" y="${ly}" width="12" height="12" fill="${colours.get(impl)}"/>` +
      `<text x="${lx + 16}" y="${ly + 10}" font-size="${legendSize}">${escapeXml(impl)}</text></g>`);
    lx += w;
  }
  const m = { left, right, top: 8 + (row + 1) * rowH + 14, bottom: 70 };
  const height = options.height ?? 300 + m.top;

  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const plotH = height - m.top - m.bottom;
  const plotW = width - m.left - m.right;
  const y = (v: number) => m.top + plotH * (1 - (Math.log10(v) - lo) / (hi - lo));
  const groupW = plotW / layers.length;
  const barW = (groupW * 0.8) / impls.length;
  const labelSize = Math.min(10, barW - 1);
  const parts: string[] = [];
  for (let e = lo; e <= hi; e++) {
    const yy = y(10 ** e);
    parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.left - 6}" y="${yy + 4}" text-anchor="end" font-size="11">${tick(e)}</text>`);
  }
  const base = m.top + plotH;
  parts.push(`<text x="14" y="${m.top + plotH / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${m.top + plotH / 2})">median latency ms per call (log scale; lower is faster)</text>`);
  layers.forEach((layer, li) => {
    const x0 = m.left + li * groupW + groupW * 0.1;
    impls.forEach((impl, ii) => {
      const r = results.find((q) => q.layer === layer && q.impl === impl);
      const x = x0 + ii * barW, cx = x + barW / 2;
      if (!r || r.latencyMs === null) {
        parts.push(`<text x="${cx}" y="${base - 4}" text-anchor="middle" font-size="8" fill="#999"><title>${escapeXml(`${layer} ${impl}: ${r?.note || 'not run'}`)}</title>n/a</text>`);
        return;
      }
      const top = y(r.latencyMs);
      parts.push(`<rect x="${x}" y="${top}" width="${Math.max(1, barW - 1)}" height="${base - top}" fill="${colours.get(impl)}"><title>${escapeXml(`${layer} · ${impl}: ${r.latencyMs.toFixed(3)} ms`)}</title></rect>`);
      if (labelSize < 7) return; // too narrow for a readable label: the tooltip has the value
      // The value, vertical: above the bar where there is room, else inside it.
      const text = label(r.latencyMs), len = textWidth(text, labelSize) + 3;
      const above = top - m.top >= len, inside = base - top >= len;
      if (!above && !inside) return;
      const ty = above ? top - 3 : top + 3;
      parts.push(`<text class="bar-value" x="${cx + labelSize * 0.35}" y="${ty}" font-size="${labelSize}" text-anchor="${above ? 'start' : 'end'}" ` +
        `fill="${above ? '#333' : '#fff'}" transform="rotate(-90 ${cx + labelSize * 0.35} ${ty})">${text}</text>`);
    });
    const cx = m.left + li * groupW + groupW / 2;
    parts.push(`<text x="${cx}" y="${base + 14}" text-anchor="end" font-size="11" transform="rotate(-30 ${cx} ${base + 14})">${escapeXml(layer)}</text>`);
  });
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${base}" stroke="#333"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" style="max-width:100%;height:auto" ` +
    `font-family="sans-serif" role="img" aria-label="median ms per layer and implementation, log scale">${legend.join('')}${parts.join('')}</svg>`;
}
