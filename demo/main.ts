/**
 * The demo page (index.html): 2× up-sampling of a picture with three kernels and their overlap-count maps,
 * timings of every path on this page's GPU, and a step-through of the worked example in its scatter and
 * zero-insert views. Everything runs through the library's public API. `window.demo` lets the headless test
 * (test/demo.test.ts) drive the page and read its results.
 */
import { getDevice, PATH_OPTIONS, type PathOption } from '../src/index';
import { drawCounts, drawCountsZoom, drawRgb, drawRgbZoom, escapeHtml, gridTable, legendOf, type LegendEntry } from './draw';
import { landscape } from './picture';
import { Chain, KERNELS, timeChain, upsample, type Kernel, type UpsampleResult } from './upsample';
import { WORKED_EXPECTED, workedExample, workedOnGpu, type Grid, type WorkedExample } from './worked';
import { setupModelPanel, type ModelPanelApi } from './model-panel';
import { setupOrtPanel, type OrtPanelResult } from './ort-panel';

/** Options of the up-sampling section. */
export interface RenderOptions {
  path: PathOption;
  /** Pad the picture by one edge pixel per side before up-sampling (no dark frame); false shows the frame. */
  edge: boolean;
  /** Picture side in pixels (the output is twice that). */
  size: number;
}

/** One timed (path, kernel) pair. */
export interface TimingCell {
  path: PathOption;
  kernel: Kernel['id'];
  /** Median wall ms of one 2× up-sampling of the picture (submit to GPU done). */
  ms: number | null;
  /** The path(s) that ran (for auto, the one it chose). */
  ran: string;
  error: string | null;
}

/** What the worked-example section computed for one stride. */
export interface WorkedSummary {
  stride: number;
  expected: Grid | null;
  reference: Grid;
  scatter: Grid;
  zeroInsert: Grid;
  gpu: { path: PathOption; output: Grid | null; error: string | null }[];
}

/** The page's API for the headless test. */
export interface DemoApi {
  /** `ready` once the first render, the worked example and the GPU runs are done; `error: ...` on failure. */
  state: string;
  /** `done` once the timing table is filled. */
  timingState: 'idle' | 'running' | 'done';
  options: RenderOptions;
  /** The current up-sampling results (numbers, not pixels; the test reads the pixels from the canvases). */
  upsampled(): { kernel: Kernel['id']; size: number; paths: string; overlap: number[]; legend: LegendEntry[] }[];
  render(options: Partial<RenderOptions>): Promise<void>;
  worked(stride: number): Promise<WorkedSummary>;
  timings(): TimingCell[];
  /** Moves a step-through view by `delta` steps; returns the new step. */
  step(view: 'scatter' | 'zero-insert', delta: number): number;
  /** The model panel (demo/model-panel.ts), once the page has a device. */
  model?: ModelPanelApi;
  /** The ONNX panel (demo/ort-panel.ts): runs the ONNX model both ways, as its button does. */
  ort?: { run(model?: string): Promise<OrtPanelResult> };
}

declare global {
  interface Window {
    demo?: DemoApi;
  }
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let device: GPUDevice;
const options: RenderOptions = { path: 'auto', edge: true, size: 64 };
let results: UpsampleResult[] = [];
let timingCells: TimingCell[] = [];

// ---- Up-sampling section -------------------------------------------------------------------------------

/**
 * The comparison grid after its first cell (the input, in index.html): the three outputs beside the input, then
 * one row per closer look, each opened by a label cell. Row-major, four cells per row.
 */
function kernelGrid(): string {
  const row = (label: string, cell: (k: Kernel) => string) =>
    `<div class="rowlabel">${label}</div>${KERNELS.map((k) => `<div class="kcell">${cell(k)}</div>`).join('')}`;
  return KERNELS.map((k) => `<div class="kcell" id="col-${k.id}"><h3>${escapeHtml(k.title)}</h3>
      <figure><canvas id="out-${k.id}" class="big"></canvas><figcaption>output <span id="ran-${k.id}"></span></figcaption></figure></div>`).join('') +
    row('<b>Up close:</b> the top-left 12×12 output pixels, enlarged.',
      (k) => `<figure><canvas id="zoom-${k.id}" class="zoom"></canvas></figure>`) +
    row('<b>Overlap count</b> of the top-left 12×12 output pixels: how many kernel taps reach each one.',
      (k) => `<figure><canvas id="overlap-zoom-${k.id}" class="zoom"></canvas></figure>`) +
    row('<b>Overlap count of the whole output</b>, colours spanning each map\'s smallest to largest count.',
      (k) => `<figure><canvas id="overlap-${k.id}" class="big"></canvas></figure><div class="legend" id="legend-${k.id}"></div>`) +
    row('', (k) => `<p class="note">${k.note}</p>`);
}

async function render(next: Partial<RenderOptions> = {}): Promise<void> {
  Object.assign(options, next);
  const { path, edge, size } = options;
  $<HTMLSelectElement>('path').value = path;
  $<HTMLSelectElement>('size').value = String(size);
  $<HTMLInputElement>('edge').checked = edge;
  $('up-status').textContent = `running on path ${path}…`;
  const picture = landscape(size);
  drawRgb($<HTMLCanvasElement>('picture'), picture, size, size);
  $('picture-caption').textContent = `input, ${size}×${size}`;
  const t0 = performance.now();
  const fresh: UpsampleResult[] = [];
  for (const k of KERNELS) fresh.push(await upsample(device, picture, size, k, path, edge ? 1 : 0));
  results = fresh;
  for (const r of results) {
    const n = r.size;
    drawRgb($<HTMLCanvasElement>(`out-${r.kernel}`), r.image, n, n);
    drawRgbZoom($<HTMLCanvasElement>(`zoom-${r.kernel}`), r.image, n, n, 12, 36);
    const legend = legendOf(r.overlap);
    drawCounts($<HTMLCanvasElement>(`overlap-${r.kernel}`), r.overlap, n, n, legend);
    drawCountsZoom($<HTMLCanvasElement>(`overlap-zoom-${r.kernel}`), r.overlap, n, 12, 36, legend);
    $(`legend-${r.kernel}`).innerHTML = legend.map((e) =>
      `<span class="swatch" style="background:rgb(${e.rgb.join(',')})"></span> ${e.value} tap${e.value === 1 ? '' : 's'} ` +
      `<span class="share">(${((100 * e.pixels) / (n * n)).toFixed(1)}%)</span>`).join('<br>');
    $(`ran-${r.kernel}`).textContent = `${n}×${n}, path ${r.paths}`;
  }
  $('up-status').textContent = `path ${path}: 3 up-samplings and 3 overlap maps in ${(performance.now() - t0).toFixed(0)} ms ` +
    `(including layer creation and read-back; see the timings below for the GPU work alone).`;
}

// ---- Timing section ------------------------------------------------------------------------------------

async function timeAll(): Promise<void> {
  demo.timingState = 'running';
  const button = $<HTMLButtonElement>('time');
  button.disabled = true;
  const { size, edge } = options;
  const e = edge ? 1 : 0;
  timingCells = [];
  drawTimings(true);
  try {
    for (const path of PATH_OPTIONS) {
      for (const k of KERNELS) {
        $('time-status').textContent = `timing ${path} on ${k.title}…`;
        let chain: Chain | null = null;
        try {
          chain = await Chain.build(device, k.stages(e), 3, size + 2 * e, path);
          chain.write(new Float32Array(3 * (size + 2 * e) ** 2).fill(0.5));
          timingCells.push({ path, kernel: k.id, ms: await timeChain(chain), ran: chain.paths, error: null });
        } catch (err) {
          timingCells.push({ path, kernel: k.id, ms: null, ran: '', error: (err as Error).message });
        } finally {
          chain?.destroy();
        }
        drawTimings(true);
      }
    }
    $('time-status').textContent = `median wall-clock ms per 2× up-sampling of a ${size}×${size} RGB picture ` +
      '(encode, submit, wait for the GPU; at least 5 runs), on this page\'s adapter. Bold: fastest per column.';
  } finally {
    button.disabled = false;
    demo.timingState = 'done';
    drawTimings(false);
  }
}

function drawTimings(partial: boolean): void {
  const head = `<tr><th>path</th>${KERNELS.map((k) => `<th>${escapeHtml(k.title)}</th>`).join('')}</tr>`;
  const best = new Map(KERNELS.map((k) => [k.id, Math.min(...timingCells.filter((c) => c.kernel === k.id && c.ms !== null).map((c) => c.ms!))]));
  const rows = PATH_OPTIONS.map((path) => `<tr><th>${path}</th>${KERNELS.map((k) => {
    const c = timingCells.find((t) => t.path === path && t.kernel === k.id);
    if (!c) return `<td>${partial ? '…' : ''}</td>`;
    if (c.ms === null) return `<td class="fail" title="${escapeHtml(c.error ?? '')}">failed</td>`;
    const ms = c.ms < 10 ? c.ms.toFixed(2) : c.ms.toFixed(1);
    const ran = path === 'auto' ? ` <span class="share">(${escapeHtml(c.ran)})</span>` : '';
    return `<td>${c.ms === best.get(k.id) ? `<b>${ms}</b>` : ms} ms${ran}</td>`;
  }).join('')}</tr>`).join('');
  $('timings').innerHTML = `<table class="times">${head}${rows}</table>`;
}

// ---- Worked example ------------------------------------------------------------------------------------

let example: WorkedExample = workedExample(1);
let scatterStep = 0;
let zeroStep = 0;

function drawScatter(): void {
  const ex = example;
  const st = ex.scatter[scatterStep];
  const prev = ex.scatter[Math.max(0, scatterStep - 1)];
  const [ci, cj] = st.cell ?? [-1, -1];
  const [oi, oj] = st.origin ?? [-99, -99];
  const inRegion = (r: number, c: number) => r >= oi && r < oi + 3 && c >= oj && c < oj + 3;
  const scaled = st.cell ? ex.kernel.map((row) => row.map((v) => v * ex.input[ci][cj])) : null;
  $('scatter-view').innerHTML = `
    <div class="cell-group"><div>input</div>${gridTable(ex.input, (r, c) => (r === ci && c === cj ? 'hot' : ''))}</div>
    <div class="op">${st.cell ? `${ex.input[ci][cj]} ×` : ''}</div>
    <div class="cell-group"><div>kernel</div>${gridTable(ex.kernel)}</div>
    <div class="op">${scaled ? '=' : ''}</div>
    <div class="cell-group"><div>${scaled ? `added at (${oi}, ${oj})` : 'nothing added yet'}</div>${scaled ? gridTable(scaled, () => 'hot') : ''}</div>
    <div class="op">→</div>
    <div class="cell-group"><div>output so far</div>${gridTable(st.sum, (r, c) => (inRegion(r, c) ? (st.sum[r][c] !== prev.sum[r][c] ? 'hot changed' : 'hot') : ''))}</div>`;
  $('scatter-label').textContent = scatterStep === 0
    ? `step 0 of 4: the output starts at zero`
    : `step ${scatterStep} of 4: input cell (${ci}, ${cj}) = ${ex.input[ci][cj]} adds ${ex.input[ci][cj]} × kernel at output (${oi}, ${oj}) = (${ci}·${ex.stride}, ${cj}·${ex.stride})`;
  $<HTMLButtonElement>('scatter-prev').disabled = scatterStep === 0;
  $<HTMLButtonElement>('scatter-next').disabled = scatterStep === 4;
}

function drawZero(): void {
  const ex = example;
  const n = ex.out;
  const total = n * n;
  const cur = zeroStep - 1; // the output pixel computed at this step
  const oy = Math.floor(cur / n), ox = cur % n;
  const landed = new Set(ex.landed.map(([r, c]) => `${r},${c}`));
  const size = ex.zeroInserted.length;
  const before = ex.landed[0][0];
  const last = ex.landed[ex.landed.length - 1][0];
  const cls = (r: number, c: number) => {
    const parts = [];
    if (landed.has(`${r},${c}`)) parts.push('landed');
    else if (r < before || c < before || r > last || c > last) parts.push('pad');
    else parts.push('inserted');
    if (cur >= 0 && r >= oy && r < oy + 3 && c >= ox && c < ox + 3) parts.push('hot');
    return parts.join(' ');
  };
  const partial = ex.convolved.map((row, r) => row.map((v, c) => (r * n + c <= cur ? v : NaN)));
  let sum = '';
  if (cur >= 0) {
    const terms: string[] = [];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      const z = ex.zeroInserted[oy + a][ox + b], f = ex.flipped[a][b];
      if (z !== 0 && f !== 0) terms.push(`${z}·${f}`);
    }
    sum = `output (${oy}, ${ox}) = ${terms.length ? terms.join(' + ') : '0 (no input cell under a non-zero weight)'} = ${ex.convolved[oy][ox]}`;
  }
  $('zero-view').innerHTML = `
    <div class="cell-group"><div>zero-inserted input, padded by k−1 = 2 (${size}×${size})</div>${gridTable(ex.zeroInserted, cls)}</div>
    <div class="op">∗</div>
    <div class="cell-group"><div>kernel flipped 180°</div>${gridTable(ex.flipped)}</div>
    <div class="op">→</div>
    <div class="cell-group"><div>output so far</div>${gridTable(partial, (r, c) => (r === oy && c === ox ? 'hot changed' : ''))}</div>`;
  $('zero-label').textContent = zeroStep === 0
    ? `step 0 of ${total}: slide the flipped kernel over the zero-inserted input, one output pixel per position`
    : `step ${zeroStep} of ${total}: ${sum}`;
  $<HTMLButtonElement>('zero-prev').disabled = zeroStep === 0;
  $<HTMLButtonElement>('zero-next').disabled = zeroStep === total;
}

function step(view: 'scatter' | 'zero-insert', delta: number): number {
  if (view === 'scatter') {
    scatterStep = Math.max(0, Math.min(4, scatterStep + delta));
    drawScatter();
    return scatterStep;
  }
  zeroStep = Math.max(0, Math.min(example.out ** 2, zeroStep + delta));
  drawZero();
  return zeroStep;
}

const sameGrid = (a: Grid | null, b: Grid | null) => !!a && !!b && a.length === b.length && a.every((row, r) => row.length === b[r].length && row.every((v, c) => v === b[r][c]));

async function worked(stride: number): Promise<WorkedSummary> {
  example = workedExample(stride);
  scatterStep = 4;
  zeroStep = example.out ** 2;
  $<HTMLSelectElement>('stride').value = String(stride);
  drawScatter();
  drawZero();
  const gpu = await workedOnGpu(device, stride);
  const summary: WorkedSummary = {
    stride, expected: stride === 1 ? WORKED_EXPECTED : null, reference: example.reference,
    scatter: example.scatter[4].sum, zeroInsert: example.convolved, gpu,
  };
  const target = summary.expected ?? summary.reference;
  const flat = (g: Grid) => `[${g.map((r) => `[${r.join(', ')}]`).join(', ')}]`;
  const row = (what: string, g: Grid | null, error: string | null = null) =>
    `<tr><th>${what}</th><td class="mono">${g ? flat(g) : escapeHtml(error ?? '')}</td><td>${sameGrid(g, target) ? '✓' : '<span class="fail">✗</span>'}</td></tr>`;
  $('worked-results').innerHTML = `<table class="results">
    ${summary.expected ? row('expected (worked by hand)', summary.expected) : ''}
    ${row('CPU reference (float64 scatter)', summary.reference)}
    ${row('scatter view, step 4', summary.scatter)}
    ${row('zero-insert view, last step', summary.zeroInsert)}
    ${gpu.map((g) => row(`GPU, path <code>${g.path}</code>`, g.output, g.error)).join('')}
  </table>`;
  return summary;
}

// ---- Wiring --------------------------------------------------------------------------------------------

const demo: DemoApi = {
  state: 'loading',
  timingState: 'idle',
  options,
  upsampled: () => results.map((r) => ({ kernel: r.kernel, size: r.size, paths: r.paths, overlap: Array.from(r.overlap), legend: legendOf(r.overlap) })),
  render,
  worked,
  timings: () => timingCells.map((c) => ({ ...c })),
  step,
};
window.demo = demo;

async function main(): Promise<void> {
  $('kernels').insertAdjacentHTML('beforeend', kernelGrid());
  $<HTMLSelectElement>('path').innerHTML = PATH_OPTIONS.map((p) => `<option value="${p}">${p}</option>`).join('');
  $('path-list').textContent = PATH_OPTIONS.join(', ');
  try {
    device = await getDevice();
    const info = device.adapterInfo;
    $('adapter').textContent = `WebGPU adapter: ${[info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' / ') || 'unknown'}`;
    demo.model = setupModelPanel($('model-panel'), device);
    demo.ort = setupOrtPanel($('ort-panel'));
    const rerender = (next: Partial<RenderOptions>) => render(next).catch((e) => { $('up-status').textContent = `failed: ${(e as Error).message}`; });
    $<HTMLSelectElement>('path').addEventListener('change', (e) => rerender({ path: (e.target as HTMLSelectElement).value as PathOption }));
    $<HTMLSelectElement>('size').addEventListener('change', (e) => rerender({ size: Number((e.target as HTMLSelectElement).value) }));
    $<HTMLInputElement>('edge').addEventListener('change', (e) => rerender({ edge: (e.target as HTMLInputElement).checked }));
    $('time').addEventListener('click', () => { timeAll().catch((e) => { $('time-status').textContent = `failed: ${(e as Error).message}`; }); });
    $('scatter-prev').addEventListener('click', () => step('scatter', -1));
    $('scatter-next').addEventListener('click', () => step('scatter', 1));
    $('zero-prev').addEventListener('click', () => step('zero-insert', -1));
    $('zero-next').addEventListener('click', () => step('zero-insert', 1));
    $<HTMLSelectElement>('stride').addEventListener('change', (e) => { worked(Number((e.target as HTMLSelectElement).value)).catch(() => {}); });
    await render();
    await worked(1);
    // Start the step-throughs at the beginning for a visitor (worked() leaves them at the end).
    scatterStep = 0;
    zeroStep = 0;
    drawScatter();
    drawZero();
    demo.state = 'ready';
    void timeAll();
  } catch (e) {
    demo.state = `error: ${(e as Error).message}`;
    $('up-status').textContent = `Could not run: ${(e as Error).message}`;
  }
}

void main();
