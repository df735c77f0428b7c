/** The bar chart of the page: ms per layer per implementation, log-scale y axis, as an SVG string. */
import { IMPLEMENTATIONS, type ImplName } from './implementation';
import type { BenchResult } from './report';

/** Bar colours, one per implementation (ours in blues, peers in orange/green). */
export const IMPL_COLORS: Record<ImplName, string> = {
  gather: '#1f5fbf',
  'zero-insert': '#6fa8ff',
  phase: '#3f3fd8',
  tiled: '#c97bd6',
  'k-parallel': '#8a5a2b',
  auto: '#0b2f6b',
  'auto/nhwc': '#4a6b9b',
  'auto+relu': '#2a4f8b',
  'auto/f16': '#5a8fd0',
  'tfjs-webgpu': '#e8812a',
  'tfjs-webgpu+ours': '#b05a9e',
  'ort-webgpu': '#3a9a4a',
};

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/**
 * Grouped bars (one group per layer, one bar per implementation) of the median ms on a log10 axis spanning
 * whole decades. n/a cells are left empty with an "n/a" mark.
 */
export function barChartSvg(results: readonly BenchResult[], options: { width?: number; height?: number } = {}): string {
  const layers = [...new Set(results.map((r) => r.layer))];
  const width = options.width ?? Math.max(640, 90 * layers.length + 120);
  const height = options.height ?? 360;
  const m = { left: 60, right: 16, top: 36, bottom: 70 };
  const values = results.map((r) => r.ms).filter((v): v is number => v !== null && v > 0);
  if (values.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40"><text x="8" y="24">no results yet</text></svg>`;
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const plotH = height - m.top - m.bottom;
  const plotW = width - m.left - m.right;
  const y = (v: number) => m.top + plotH * (1 - (Math.log10(v) - lo) / (hi - lo));
  const groupW = plotW / layers.length;
  const barW = (groupW * 0.8) / IMPLEMENTATIONS.length;
  const parts: string[] = [];
  for (let e = lo; e <= hi; e++) {
    const yy = y(10 ** e);
    parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.left - 6}" y="${yy + 4}" text-anchor="end" font-size="11">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)} ms</text>`);
  }
  layers.forEach((layer, li) => {
    const x0 = m.left + li * groupW + groupW * 0.1;
    IMPLEMENTATIONS.forEach((impl, ii) => {
      const r = results.find((q) => q.layer === layer && q.impl === impl);
      const x = x0 + ii * barW;
      if (!r || r.ms === null) {
        parts.push(`<text x="${x + barW / 2}" y="${m.top + plotH - 4}" text-anchor="middle" font-size="8" fill="#999">n/a</text>`);
        return;
      }
      const top = y(r.ms);
      parts.push(`<rect x="${x}" y="${top}" width="${barW - 1}" height="${m.top + plotH - top}" fill="${IMPL_COLORS[impl]}"><title>${escapeXml(`${layer} ${impl}: ${r.ms.toFixed(3)} ms`)}</title></rect>`);
    });
    const cx = m.left + li * groupW + groupW / 2;
    parts.push(`<text x="${cx}" y="${m.top + plotH + 14}" text-anchor="end" font-size="11" transform="rotate(-30 ${cx} ${m.top + plotH + 14})">${escapeXml(layer)}</text>`);
  });
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + plotH}" stroke="#333"/>`);
  IMPLEMENTATIONS.forEach((impl, i) => {
    const x = m.left + i * 130;
    parts.push(`<rect x="${x}" y="8" width="12" height="12" fill="${IMPL_COLORS[impl]}"/><text x="${x + 16}" y="18" font-size="12">${impl}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" role="img" aria-label="median ms per layer and implementation, log scale">${parts.join('')}</svg>`;
}
