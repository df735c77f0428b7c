/**
 * The benchmark page: wires the suite to the DOM (adapter info, progress bar, tables, chart, JSON download)
 * and exposes `window.benchApi` for the headless driver (scripts/bench.mjs), which calls the same steps.
 * `?suite=models` picks the real-model layers (bench/layers-models.json; default `standard`, bench/layers.json),
 * and a layers file can be loaded from disk; `?autorun` (optionally `&layers=a,b`, `&models=a,b` or
 * `&models=none`, `&onnx=a,b` or `&onnx=none`, `&training=...`) starts a run on load.
 */
import { BenchSession, LAYERS, SUITES, type ProgressFn } from './suite';
import { parseLayers } from './layers-check.mjs';
import { barChartSvg } from './chart';
import { IMPLEMENTATIONS, type ImplName } from './implementation';
import { adapterLine, ceilingLine, HALF_TOLERANCE, hasModels, layerGroups, MODEL_SUMMARY_HEADERS, modelSummaryRows, reportMarkdown, reportText, RESULT_HEADERS, resultRows, SUMMARY_HEADERS, summaryRows, TOLERANCE, type BenchReport, type MarkdownMeta } from './report';
import { columnKey, MODEL_COLUMNS, MODEL_SUMMARY_COLUMNS, resultColumns, rowKey, SUMMARY_COLUMNS } from './columns';
import { PATH_OPTIONS } from '../src/index';
import { MODELS, type ModelSpec } from './models';
import { MODEL_HEADERS, modelRows, modelsLegend, type ModelResult } from './model-report';
import { TRAININGS, trainingLegend, trainingRows, type TrainingResult, type TrainingSpec } from './training';
import type { TimingOptions } from './timing';
import type { LayerSpec } from './problem';
import { DEFAULT_ROUNDS, type RoundsOptions } from './rounds';
import { setOrtWasm } from './impl-ort';
import { ORT_MODEL_NAMES, type CutCost, type OrtModelResult } from './ort-bench';
import { ORT_HEADERS, ortLegend, ortRows } from './ort-report';
import { ORT_COLUMNS } from './columns';
// The wasm binary of ORT's WebGPU build, served by Vite from node_modules (and emitted as an asset by a build):
// nothing is fetched from a CDN.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

setOrtWasm({ url: ortWasmUrl });

/** What the headless driver calls; every call is short enough for one CDP round trip. */
export interface BenchApi {
  /** Opens the device; returns the adapter line and the layer names. */
  init(): Promise<{ adapter: string; layers: string[]; models: string[]; trainings: string[]; onnxModels: string[] }>;
  ceiling(): Promise<string>;
  /** Sets how layers are timed (bench/rounds.ts) from here on; returns the options in force. */
  setRounds(options: RoundsOptions): Required<RoundsOptions>;
  /** One layer (a name of bench/layers.json, or a spec as in a layers file) through `impls` (default: every implementation). */
  runLayer(layer: string | LayerSpec, impls?: string[]): Promise<void>;
  /**
   * One model (a name from bench/models.ts, or a spec) in plain TF.js and with registerWithTfjs; its row, and
   * with `outputs` the two outputs (NHWC, flattened).
   */
  runModel(model: string | ModelSpec, options?: { timing?: TimingOptions; outputs?: boolean }): Promise<{ result: ModelResult; outputs?: { tfjs: number[]; ours: number[] } }>;
  /** One ONNX model of bench/ort-models.ts on ORT Web alone and through createOrtSession; its row. */
  runOnnxModel(name: string, options?: { timing?: TimingOptions }): Promise<OrtModelResult>;
  /** What one cut costs (an identity segment of ORT's); shown under the ONNX models table. */
  onnxCut(): Promise<CutCost>;
  /** One GAN of bench/training.ts trained with SGD, stock and with registerWithTfjs; its row. */
  runTraining(name: string, options?: { timing?: TimingOptions }): Promise<TrainingResult>;
  report(): BenchReport;
  /** Shows a saved report (the JSON of Download JSON or `npm run bench -- --json`) in the page's chart and tables. */
  show(report: BenchReport): void;
  text(): string;
  markdown(meta: MarkdownMeta): string;
}

declare global {
  interface Window {
    benchApi?: BenchApi;
    /** Set by the headless driver (puppeteer exposeFunction) to receive progress lines. */
    __benchProgress?: (message: string) => void;
    /** The outcome of the benchApi call the headless driver started (scripts/bench.mjs: inPage), null while it runs. */
    __benchStep?: { ok: boolean; message?: string } | null;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** A table; `meanings` gives the headers their tooltips. */
function htmlTable(rows: string[][], meanings: Readonly<Record<string, string>>): string {
  const [head, ...body] = rows;
  const cls = (cell: string) => (/^(ERROR|failed)/.test(cell) || cell.includes('ERROR') ? ' class="fail"' : '');
  const th = (h: string) => `<th${meanings[h] ? ` title="${esc(meanings[h])}"` : ''}>${esc(h)}</th>`;
  return `<table><thead><tr>${head.map(th).join('')}</tr></thead><tbody>${
    body.map((r) => `<tr>${r.map((c) => `<td${cls(c)}>${esc(c)}</td>`).join('')}</tr>`).join('')
  }</tbody></table>`;
}

let session: BenchSession | null = null;
let sessionPromise: Promise<BenchSession> | null = null;

function openSession(): Promise<BenchSession> {
  sessionPromise ??= BenchSession.open().then((s) => {
    session = s;
    $('adapter').textContent = `${adapterLine(s.adapter)}\nfeatures: ${s.adapter.features.join(', ') || 'none'}\n` +
      `limits: maxStorageBufferBindingSize ${s.device.limits.maxStorageBufferBindingSize}, maxBufferSize ${s.device.limits.maxBufferSize}\n` +
      `versions: ${Object.entries(s.versions).map(([k, v]) => `${k} ${v}`).join(', ')}\n${s.adapter.userAgent}`;
    return s;
  });
  return sessionPromise;
}

const progress: ProgressFn = (message, fraction) => {
  $<HTMLProgressElement>('progress').value = fraction;
  $('status').textContent = message;
  window.__benchProgress?.(message);
};

const RESULT_COLUMNS = resultColumns(TOLERANCE, HALF_TOLERANCE);
const keyHtml = (pairs: readonly [string, string][]) => pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');

function render(report: BenchReport | undefined = session?.report()): void {
  if (!report) return;
  $('ceiling').textContent = ceilingLine(report.ceiling);
  $('chart').innerHTML = barChartSvg(report.results);
  // Layers that name their model (bench/layers-models.json) show one table per model, then the per-model table.
  $('summary').innerHTML = hasModels(report)
    ? layerGroups(report).map((g) => `<h3>${esc(g.model ?? '(no model)')}</h3>${
      htmlTable(summaryRows(report, g.layers), SUMMARY_COLUMNS)}${
      g.layers.some((l) => l.spec?.source) ? `<p class="hint">${g.layers.filter((l) => l.spec?.source).map((l) => `${esc(l.layer)}: ${esc(l.spec!.source!)}`).join('; ')}</p>` : ''}`).join('') +
      `<h3>Per model</h3>${htmlTable(modelSummaryRows(report), MODEL_SUMMARY_COLUMNS)}`
    : htmlTable(summaryRows(report), SUMMARY_COLUMNS);
  $('results').innerHTML = htmlTable(resultRows(report), RESULT_COLUMNS);
  $('models').innerHTML = report.models?.length ? htmlTable(modelRows(report.models), MODEL_COLUMNS) : '';
  $('onnx').innerHTML = report.onnx?.length ? htmlTable(ortRows(report.onnx), ORT_COLUMNS) : '';
  $('onnx-legend').textContent = ortLegend(report.onnxCut ?? null, report.tolerance);
  $('training').innerHTML = report.training?.length ? htmlTable(trainingRows(report.training), {}) : '';
  $('training-legend').textContent = report.training?.length ? trainingLegend(report.training) : '';
  $('rows-key').innerHTML = keyHtml(rowKey([...IMPLEMENTATIONS, ...report.results.map((r) => r.impl)]));
  $<HTMLButtonElement>('download').disabled = report.results.length === 0 && !report.models?.length && !report.onnx?.length;
}

/** Steps of a whole run, in order, with the suite-wide fraction each layer covers. */
async function runAll(names: string[], models: readonly ModelSpec[] = [], trainings: readonly TrainingSpec[] = [], onnx: readonly string[] = []): Promise<void> {
  const s = await openSession();
  s.results.length = 0;
  s.layers.length = 0;
  s.models.length = 0;
  s.training.length = 0;
  s.onnx.length = 0;
  progress('measuring the ceiling (FMA and copy kernels)', 0);
  await s.measureCeiling();
  render();
  for (const [i, name] of names.entries()) {
    const spec = suiteLayers.find((l) => l.name === name)!;
    await s.runLayer(spec, (msg, f) => progress(msg, (i + f) / (names.length + models.length)));
    render();
  }
  for (const [i, spec] of models.entries()) {
    progress(`model ${spec.name}: plain TF.js and registerWithTfjs`, (names.length + i) / (names.length + models.length));
    await s.runModel(spec);
    render();
  }
  if (onnx.length) {
    progress('ONNX models: what one cut costs', 1);
    await s.measureCut();
  }
  for (const name of onnx) {
    progress(`ONNX model ${name}: ORT Web alone and createOrtSession`, 1);
    await s.runOnnxModel(name);
    render();
  }
  for (const spec of trainings) {
    progress(`training ${spec.name}: stock TF.js and registerWithTfjs`, 1);
    await s.runTraining(spec);
    render();
  }
  progress(`done: ${names.length} layers, ${models.length} models, ${onnx.length} ONNX models, ${trainings.length} trainings`, 1);
}

const api: BenchApi = {
  async init() {
    const s = await openSession();
    return { adapter: adapterLine(s.adapter), layers: LAYERS.map((l) => l.name), models: MODELS.map((m) => m.name), trainings: TRAININGS.map((t) => t.name), onnxModels: [...ORT_MODEL_NAMES] };
  },
  async ceiling() {
    const s = await openSession();
    progress('measuring the ceiling (FMA and copy kernels)', 0);
    await s.measureCeiling();
    render();
    return ceilingLine(s.ceiling);
  },
  setRounds(options) {
    if (!session) throw new Error('setRounds: call init() first');
    return Object.assign(session.rounds, { ...DEFAULT_ROUNDS, ...options });
  },
  async runLayer(layer, impls) {
    const s = await openSession();
    // A name of the suite picked on the page, else of a built-in suite.
    const known = [...suiteLayers, ...Object.values(SUITES).flatMap((s) => s.layers)];
    const spec = typeof layer === 'string' ? known.find((l) => l.name === layer) : layer;
    if (!spec) throw new Error(`unknown layer ${String(layer)}; known: ${[...new Set(known.map((l) => l.name))].join(', ')}`);
    const unknown = (impls ?? []).filter((i) => !IMPLEMENTATIONS.includes(i as ImplName));
    if (unknown.length) throw new Error(`unknown implementation(s) ${unknown.join(', ')}; known: ${IMPLEMENTATIONS.join(', ')}`);
    await s.runLayer(spec, progress, (impls as ImplName[] | undefined) ?? IMPLEMENTATIONS);
    render();
  },
  async runModel(model, options = {}) {
    const s = await openSession();
    const spec = typeof model === 'string' ? MODELS.find((m) => m.name === model) : model;
    if (!spec) throw new Error(`unknown model ${String(model)}; known: ${MODELS.map((m) => m.name).join(', ')}`);
    progress(`model ${spec.name}: plain TF.js and registerWithTfjs`, 0);
    const { result, outputs } = await s.runModel(spec, options.timing);
    render();
    return options.outputs && outputs ? { result, outputs: { tfjs: Array.from(outputs.tfjs), ours: Array.from(outputs.ours) } } : { result };
  },
  async runOnnxModel(name, options = {}) {
    const s = await openSession();
    if (!ORT_MODEL_NAMES.includes(name)) throw new Error(`unknown ONNX model ${name}; known: ${ORT_MODEL_NAMES.join(', ')}`);
    progress(`ONNX model ${name}: ORT Web alone and createOrtSession`, 0);
    const row = await s.runOnnxModel(name, options.timing);
    render();
    return row;
  },
  async onnxCut() {
    const s = await openSession();
    const cut = await s.measureCut();
    render();
    return cut;
  },
  async runTraining(name, options = {}) {
    const s = await openSession();
    const spec = TRAININGS.find((t) => t.name === name);
    if (!spec) throw new Error(`unknown training ${name}; known: ${TRAININGS.map((t) => t.name).join(', ')}`);
    progress(`training ${spec.name}: stock TF.js and registerWithTfjs`, 0);
    const row = await s.runTraining(spec, options.timing);
    render();
    return row;
  },
  report: () => session!.report(),
  show: (report) => render(report),
  text: () => reportText(session!.report()),
  markdown: (meta) => reportMarkdown(session!.report(), meta),
};
window.benchApi = api;

// What the columns and rows mean, and the paths the intro names.
$('paths').textContent = PATH_OPTIONS.filter((p) => p !== 'auto').join(', ');
$('summary-key').innerHTML = keyHtml(columnKey(SUMMARY_HEADERS, SUMMARY_COLUMNS));
$('results-key').innerHTML = keyHtml(columnKey(RESULT_HEADERS, RESULT_COLUMNS));
$('models-key').innerHTML = keyHtml(columnKey(MODEL_HEADERS, MODEL_COLUMNS));
$('onnx-key').innerHTML = keyHtml(columnKey(ORT_HEADERS, ORT_COLUMNS));
$('rows-key').innerHTML = keyHtml(rowKey(IMPLEMENTATIONS));

// Suite and layer pickers, and buttons. The suite: a built-in list (?suite=standard|models) or a layers file
// loaded from disk (checked like --layers-file).
let suiteLayers: readonly LayerSpec[] = LAYERS;
function showLayers(layers: readonly LayerSpec[], where: string): void {
  suiteLayers = layers;
  $('layers').innerHTML = layers.map((l) => `<label title="${esc([l.model, l.source].filter(Boolean).join(': '))}"><input type="checkbox" value="${esc(l.name)}" checked> ${esc(l.name)}</label>`).join('');
  $('suite-file').textContent = where;
}
const suiteSelect = $<HTMLSelectElement>('suite');
suiteSelect.innerHTML = Object.entries(SUITES).map(([key, s]) => `<option value="${key}">${key} (${s.file}, ${s.layers.length} layers)</option>`).join('');
const pickSuite = (key: string) => {
  const suite = SUITES[key as keyof typeof SUITES];
  if (!suite) throw new Error(`unknown suite ${key}; known: ${Object.keys(SUITES).join(', ')}`);
  suiteSelect.value = key;
  showLayers(suite.layers, suite.file);
};
suiteSelect.addEventListener('change', () => pickSuite(suiteSelect.value));
$<HTMLInputElement>('layers-file').addEventListener('change', async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    showLayers(parseLayers(await file.text(), file.name), file.name);
  } catch (err) {
    $('status').textContent = `failed: ${(err as Error).message}`;
  }
});
pickSuite(new URLSearchParams(location.search).get('suite') ?? 'standard');
const chosen = () => [...document.querySelectorAll<HTMLInputElement>('#layers input:checked')].map((i) => i.value);
$('model-picker').innerHTML = MODELS.map((m) => `<label title="${m.kind}"><input type="checkbox" value="${m.name}" checked> ${m.name}</label>`).join('');
$('models-legend').textContent = modelsLegend(TOLERANCE);
const chosenModels = () => [...document.querySelectorAll<HTMLInputElement>('#model-picker input:checked')].map((i) => MODELS.find((m) => m.name === i.value)!);
$('training-picker').innerHTML = TRAININGS.map((t) => `<label><input type="checkbox" value="${t.name}" checked> ${t.name}</label>`).join('');
$('onnx-picker').innerHTML = ORT_MODEL_NAMES.map((n) => `<label><input type="checkbox" value="${n}" checked> ${n}</label>`).join('');
const chosenOnnx = () => [...document.querySelectorAll<HTMLInputElement>('#onnx-picker input:checked')].map((i) => i.value);
const chosenTrainings = () => [...document.querySelectorAll<HTMLInputElement>('#training-picker input:checked')].map((i) => TRAININGS.find((t) => t.name === i.value)!);
const runButton = $<HTMLButtonElement>('run');
runButton.addEventListener('click', async () => {
  runButton.disabled = true;
  try {
    await runAll(chosen(), chosenModels(), chosenTrainings(), chosenOnnx());
  } catch (e) {
    $('status').textContent = `failed: ${(e as Error).message}`;
  } finally {
    runButton.disabled = false;
  }
});
$('download').addEventListener('click', () => {
  if (!session) return;
  const blob = new Blob([JSON.stringify(session.report(), null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `convtranspose-bench-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

openSession().then(() => {
  runButton.disabled = false;
  const params = new URLSearchParams(location.search);
  if (params.has('autorun')) {
    const names = params.get('layers')?.split(',').filter(Boolean) ?? suiteLayers.map((l) => l.name);
    for (const box of document.querySelectorAll<HTMLInputElement>('#layers input')) box.checked = names.includes(box.value);
    const models = params.get('models')?.split(',').filter(Boolean) ?? MODELS.map((m) => m.name);
    for (const box of document.querySelectorAll<HTMLInputElement>('#model-picker input')) box.checked = models.includes(box.value);
    const onnx = params.get('onnx')?.split(',').filter(Boolean) ?? [...ORT_MODEL_NAMES];
    for (const box of document.querySelectorAll<HTMLInputElement>('#onnx-picker input')) box.checked = onnx.includes(box.value);
    const trainings = params.get('training')?.split(',').filter(Boolean) ?? TRAININGS.map((t) => t.name);
    for (const box of document.querySelectorAll<HTMLInputElement>('#training-picker input')) box.checked = trainings.includes(box.value);
    runButton.click();
  }
}, (e) => {
  $('adapter').textContent = `WebGPU is not available here: ${(e as Error).message}`;
});
