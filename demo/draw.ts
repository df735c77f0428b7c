/** Canvas and table helpers of the demo page. */

/** Draws RGB planes ([3, h, w], values in [0, 1], clamped) into a canvas of the same pixel size. */
export function drawRgb(canvas: HTMLCanvasElement, planes: Float32Array, w: number, h: number): void {
  canvas.width = w;
  canvas.height = h;
  const img = new ImageData(w, h);
  const plane = w * h;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) img.data[p * 4 + c] = Math.round(Math.max(0, Math.min(1, planes[c * plane + p])) * 255);
    img.data[p * 4 + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(img, 0, 0);
}

/** Viridis anchors (t = 0, 0.25, 0.5, 0.75, 1). */
const VIRIDIS: [number, number, number][] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/** Viridis colour for t in [0, 1], as 0..255 RGB. */
export function viridis(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, t)) * 4;
  const i = Math.min(3, Math.floor(x)), f = x - i;
  const a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}

/** One legend entry of an overlap map: a count, its colour, and how many pixels have it. */
export interface LegendEntry {
  value: number;
  rgb: [number, number, number];
  pixels: number;
}

/**
 * The counts present in a map, each with its colour, smallest first. The colours span the map's own range (the
 * smallest count viridis' darkest, the largest its brightest), so a map of 1s, 2s and 4s shows its pattern at
 * full size; a flat map takes the middle colour.
 */
export function legendOf(counts: Float32Array): LegendEntry[] {
  const tally = new Map<number, number>();
  for (const v of counts) {
    const k = Math.round(v);
    tally.set(k, (tally.get(k) ?? 0) + 1);
  }
  const values = [...tally.keys()];
  const min = Math.min(...values), max = Math.max(...values);
  const t = (v: number) => (max > min ? (v - min) / (max - min) : 0.5);
  return [...tally.entries()].sort((a, b) => a[0] - b[0]).map(([value, pixels]) => ({ value, pixels, rgb: viridis(t(value)) }));
}

/** Draws a count map ([h, w]) in its legend's colours into a canvas of the same pixel size. */
export function drawCounts(canvas: HTMLCanvasElement, counts: Float32Array, w: number, h: number, legend: readonly LegendEntry[]): void {
  canvas.width = w;
  canvas.height = h;
  const colour = new Map(legend.map((e) => [e.value, e.rgb]));
  const img = new ImageData(w, h);
  for (let p = 0; p < w * h; p++) {
    const [r, g, b] = colour.get(Math.round(counts[p]))!;
    img.data.set([r, g, b, 255], p * 4);
  }
  canvas.getContext('2d')!.putImageData(img, 0, 0);
}

/** Draws the top-left n×n cells of a count map, `cell` px each, with the count written in each cell. */
export function drawCountsZoom(canvas: HTMLCanvasElement, counts: Float32Array, w: number, n: number, cell: number, legend: readonly LegendEntry[]): void {
  canvas.width = canvas.height = n * cell;
  const ctx = canvas.getContext('2d')!;
  const colour = new Map(legend.map((e) => [e.value, e.rgb]));
  ctx.font = `${Math.round(cell * 0.5)}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const v = Math.round(counts[y * w + x]);
    const [r, g, b] = colour.get(v)!;
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x * cell, y * cell, cell, cell);
    ctx.fillStyle = r * 0.3 + g * 0.59 + b * 0.11 > 140 ? '#000' : '#fff';
    ctx.fillText(String(v), x * cell + cell / 2, y * cell + cell / 2 + 1);
  }
}

/** Draws the top-left n×n pixels of RGB planes ([3, h, w]) at `cell` px per pixel. */
export function drawRgbZoom(canvas: HTMLCanvasElement, planes: Float32Array, w: number, h: number, n: number, cell: number): void {
  canvas.width = canvas.height = n * cell;
  const ctx = canvas.getContext('2d')!;
  const plane = w * h;
  const byte = (v: number) => Math.round(Math.max(0, Math.min(1, v)) * 255);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const p = y * w + x;
    ctx.fillStyle = `rgb(${byte(planes[p])},${byte(planes[plane + p])},${byte(planes[2 * plane + p])})`;
    ctx.fillRect(x * cell, y * cell, cell, cell);
  }
}

/** A number grid as an HTML table; `mark(r, c)` gives a CSS class per cell. */
export function gridTable(grid: readonly (readonly number[])[], mark: (r: number, c: number) => string = () => ''): string {
  const fmt = (v: number) => (Number.isNaN(v) ? '·' : Number.isInteger(v) ? String(v) : v.toFixed(2));
  return `<table class="grid">${grid.map((row, r) => `<tr>${row.map((v, c) => {
    const cls = mark(r, c);
    return `<td${cls ? ` class="${cls}"` : ''}>${fmt(v)}</td>`;
  }).join('')}</tr>`).join('')}</table>`;
}

export const escapeHtml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
