/** The benchmark's results: their shape (also the JSON that `npm run bench -- --json` writes) and how they print. */
import type { Ceiling } from './ceiling';
import { HALF_ROWS, HYBRIDS, PEERS, type ImplName, type Plan } from './implementation';
import { PATH_OPTIONS } from '../src/gpu/kernels/registry';
import type { TimingOptions } from './timing';
import type { RoundsOptions } from './rounds';
import type { LayerSpec } from './problem';
import { columnKey, MODEL_COLUMNS, MODEL_SUMMARY_COLUMNS, ORT_COLUMNS, resultColumns, rowKey, SUMMARY_COLUMNS } from './columns';
import { MODEL_HEADERS, modelRows, modelsLegend, type ModelResult } from './model-report';
import { trainingLegend, trainingRows, type TrainingResult } from './training';
import { ORT_HEADERS, ortLegend, ortRows } from './ort-report';
import type { CutCost, OrtModelResult } from './ort-bench';

/** Relative error (maxAbsErr / max|ref|) every implementation must stay within. */
export const TOLERANCE = 1e-4;

/**
 * The same for float16 storage, against the reference of the float16-rounded input: the float32 result a
 * (within TOLERANCE·max|ref| of it) is rounded to float16, which moves it by at most half an ulp,
 * 2^-11·|a| <= 2^-11·(1 + TOLERANCE)·max|ref| (for subnormal halves, below 2^-14, by at most 2^-25, which is
 * within that bound whenever max|ref| >= 2^-14, as for every layer of the suite).
 */
export const HALF_TOLERANCE = TOLERANCE + 2 ** -11 * (1 + TOLERANCE);

/** The tolerance a row is held to. */
export function toleranceOf(impl: ImplName): number {
  return HALF_ROWS.includes(impl) ? HALF_TOLERANCE : TOLERANCE;
}

/** One (layer, implementation) measurement. Numbers are null where the implementation did not run the layer. */
export interface BenchResult {
  layer: string;
  impl: ImplName;
  /** One call submitted and waited for (submit → queue drained): wall-clock median over the rounds, ms. */
  latencyMs: number | null;
  /** The fastest such call, ms. */
  latencyMinMs: number | null;
  /** `batch` calls submitted together and waited for once, divided by `batch`: median over the rounds, ms. */
  throughputMs: number | null;
  /** K, the calls of one throughput measurement. */
  batch: number | null;
  /** Median GPU time of one call from timestamp queries, over the calls of the timed batches, ms (our layers, where the adapter offers timestamp-query). */
  gpuMs: number | null;
  /** Useful flops / throughputMs. */
  gflops: number | null;
  /** Largest |output − float64 reference|. */
  maxAbsErr: number | null;
  /** maxAbsErr / max|reference|. */
  relErr: number | null;
  /** gflops as a percentage of the FMA ceiling. */
  pctFma: number | null;
  /** Minimal traffic (input + weight + output bytes) / throughputMs, GB/s. */
  gbps: number | null;
  /** gbps as a percentage of the copy ceiling. */
  pctCopy: number | null;
  /** Timed rounds: latency calls and throughput batches behind the medians. */
  runs: number;
  /** Why a cell is n/a, a failure, or anything else worth knowing. */
  note: string;
  /**
   * First-call latency, ms: setting the implementation up for the layer (pipeline compiles not yet cached on
   * this device, weight packing and upload; for `auto`, also timing its close candidates) until the queue drains.
   */
  setupMs: number | null;
  /** What runs, for our layers (the path auto chose, its configuration and dispatches). */
  plan?: Plan;
}

/** Per-layer facts and the comparison of our best path with the best peer. */
export interface LayerSummary {
  layer: string;
  /** The layer as given (bench/layers.json's fields, refN when the layers file has it). */
  spec?: LayerSpec;
  inputShape: number[];
  outputShape: number[];
  flops: number;
  bytes: number;
  /** Time the float64 CPU reference took, ms. */
  referenceMs: number;
  /** Our fastest row by latency (any path, or auto). */
  bestOurs: { impl: ImplName; ms: number } | null;
  /** What a user gets by default: the `auto` row's latency and the path it chose (from its note). */
  auto: { ms: number; chose: string } | null;
  /** The peer with the lowest latency. */
  bestPeer: { impl: ImplName; ms: number } | null;
  /** bestPeer.ms / auto.ms (bestOurs.ms when there is no auto row), latencies: above 1 means we are faster. */
  speedup: number | null;
  /** The same with throughputMs: the best peer's over auto's. */
  throughputSpeedup?: number | null;
  /** tfjs-webgpu ms / tfjs-webgpu+ours ms: what registerWithTfjs gives an unchanged TF.js model. */
  tfjsOursSpeedup?: number | null;
  /** auto ms / auto/f16 ms: what float16 storage gives our default path (above 1: float16 is faster). */
  halfSpeedup?: number | null;
}

/** The adapter the suite ran on. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  features: string[];
  userAgent: string;
}

/** Everything a run of the suite produced. */
export interface BenchReport {
  date: string;
  adapter: AdapterSummary;
  versions: Record<string, string>;
  /** The ceiling's and the models' timing. */
  timing: Required<TimingOptions>;
  /** The layers' timing: warm-up and interleaved rounds (bench/rounds.ts). */
  rounds?: Required<RoundsOptions>;
  tolerance: number;
  ceiling: Ceiling | null;
  results: BenchResult[];
  layers: LayerSummary[];
  /** Whole models in plain TF.js WebGPU and with registerWithTfjs (bench/model-bench.ts); absent in older reports. */
  models?: ModelResult[];
  /** A GAN trained in TF.js WebGPU, stock and with registerWithTfjs (bench/training.ts); absent in older reports. */
  training?: TrainingResult[];
  /** ONNX models on ORT Web alone and with createOrtSession (bench/ort-bench.ts), and one cut's cost; absent when none ran. */
  onnx?: OrtModelResult[];
  onnxCut?: CutCost | null;
  /** Every result that ran is within the tolerance, and nothing that should run failed. */
  passed: boolean;
}

/** Whether an implementation is one of ours. */
export function isOurs(impl: ImplName): boolean {
  return !(PEERS as readonly string[]).includes(impl) && !isHybrid(impl);
}

/** Whether an implementation is a peer running our kernel (compared only with that peer). */
export function isHybrid(impl: ImplName): boolean {
  return (HYBRIDS as readonly string[]).includes(impl);
}

/** Ours (`auto`, what users get by default; else our best path) vs the best peer for one layer. */
export function summarize(layer: string, results: readonly BenchResult[]): Pick<LayerSummary, 'bestOurs' | 'auto' | 'bestPeer' | 'speedup' | 'throughputSpeedup' | 'tfjsOursSpeedup' | 'halfSpeedup'> {
  const best = (pick: (r: BenchResult) => boolean, metric: 'latencyMs' | 'throughputMs' = 'latencyMs') => {
    let b: { impl: ImplName; ms: number } | null = null;
    for (const r of results) {
      const v = r[metric];
      if (r.layer !== layer || v === null || !pick(r)) continue;
      if (r.relErr === null || !(r.relErr <= toleranceOf(r.impl))) continue; // a wrong answer does not win
      if (!b || v < b.ms) b = { impl: r.impl, ms: v };
    }
    return b;
  };
  // Our paths only: the variant rows (channels-last, a fused activation, float16) do other work than the peers.
  const bestOurs = best((r) => (PATH_OPTIONS as readonly string[]).includes(r.impl));
  const bestPeer = best((r) => !isOurs(r.impl) && !isHybrid(r.impl));
  const autoRow = best((r) => r.impl === 'auto');
  const auto = autoRow ? { ms: autoRow.ms, chose: results.find((r) => r.layer === layer && r.impl === 'auto')!.note.match(/auto → (\S+)/)?.[1] ?? '?' } : null;
  const ours = auto ?? bestOurs;
  const tfjs = best((r) => r.impl === 'tfjs-webgpu'), tfjsOurs = best((r) => r.impl === 'tfjs-webgpu+ours');
  const autoHalf = best((r) => r.impl === 'auto/f16');
  const oursThroughput = best((r) => r.impl === 'auto', 'throughputMs') ?? best((r) => (PATH_OPTIONS as readonly string[]).includes(r.impl), 'throughputMs');
  const peerThroughput = best((r) => !isOurs(r.impl) && !isHybrid(r.impl), 'throughputMs');
  return {
    bestOurs, auto, bestPeer, speedup: ours && bestPeer ? bestPeer.ms / ours.ms : null,
    throughputSpeedup: oursThroughput && peerThroughput ? peerThroughput.ms / oursThroughput.ms : null,
    tfjsOursSpeedup: tfjs && tfjsOurs ? tfjs.ms / tfjsOurs.ms : null,
    halfSpeedup: auto && autoHalf ? auto.ms / autoHalf.ms : null,
  };
}

/** 3 significant digits without exponent noise (0.00312, 4.52, 123). */
const sig = (v: number | null) => (v === null ? 'n/a' : v === 0 ? '0' : v >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));
const sci = (v: number | null) => (v === null ? 'n/a' : v === 0 ? '0' : v.toExponential(1));
/** ms with 3 significant digits, at least 2 decimals below 10. */
const ms = (v: number | null) => (v === null ? 'n/a' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** The results table's header. */
export const RESULT_HEADERS: readonly string[] = ['layer', 'impl', 'latency ms', 'latency min ms', 'throughput ms', 'K', 'GPU ms', 'GFLOP/s', '% FMA', 'GB/s', '% copy', 'max abs err', 'rel err', 'rounds', 'setup ms', 'note'];
/** The per-layer table's header. */
export const SUMMARY_HEADERS: readonly string[] = ['layer', 'output', 'MFLOP', 'auto (chose)', 'best of ours', 'best peer', 'latency speed-up (peer / auto)', 'throughput speed-up (peer / auto)', 'float16 speed-up (auto ms / auto/f16 ms)', 'tfjs-webgpu+ours speed-up (tfjs ms / tfjs+ours ms)'];

/** The results table as rows of cells (header first). */
export function resultRows(report: BenchReport): string[][] {
  const rows = [[...RESULT_HEADERS]];
  for (const r of report.results) {
    rows.push([
      r.layer, r.impl, ms(r.latencyMs), ms(r.latencyMinMs), ms(r.throughputMs), r.batch === null ? 'n/a' : String(r.batch), ms(r.gpuMs), sig(r.gflops), sig(r.pctFma),
      sig(r.gbps), sig(r.pctCopy), sci(r.maxAbsErr), sci(r.relErr), String(r.runs), ms(r.setupMs ?? null), r.note,
    ]);
  }
  return rows;
}

/** The per-layer comparison as rows of cells (header first): of `layers` (default: every layer of the report). */
export function summaryRows(report: BenchReport, layers: readonly LayerSummary[] = report.layers): string[][] {
  const rows = [[...SUMMARY_HEADERS]];
  for (const l of layers) {
    rows.push([
      l.layer, l.outputShape.join('×'), (l.flops / 1e6).toFixed(1),
      l.auto ? `${ms(l.auto.ms)} ms (${l.auto.chose})` : 'n/a',
      l.bestOurs ? `${l.bestOurs.impl} ${ms(l.bestOurs.ms)} ms` : 'n/a',
      l.bestPeer ? `${l.bestPeer.impl} ${ms(l.bestPeer.ms)} ms` : 'n/a',
      l.speedup === null ? 'n/a' : `${l.speedup.toFixed(2)}×`,
      l.throughputSpeedup == null ? 'n/a' : `${l.throughputSpeedup.toFixed(2)}×`,
      l.halfSpeedup == null ? 'n/a' : `${l.halfSpeedup.toFixed(2)}×`,
      l.tfjsOursSpeedup == null ? 'n/a' : `${l.tfjsOursSpeedup.toFixed(2)}×`,
    ]);
  }
  return rows;
}

/** The layers of one model (`model` null: layers that name none), in the order the report has them. */
export interface LayerGroup {
  model: string | null;
  layers: LayerSummary[];
}

/**
 * The report's layers grouped by the model they come from (a layers file's `model` field, as in
 * bench/layers-models.json), groups in order of first appearance; one group with model null when no layer names one.
 */
export function layerGroups(report: BenchReport): LayerGroup[] {
  const groups = new Map<string | null, LayerSummary[]>();
  for (const l of report.layers) {
    const model = l.spec?.model ?? null;
    if (!groups.has(model)) groups.set(model, []);
    groups.get(model)!.push(l);
  }
  return [...groups].map(([model, layers]) => ({ model, layers }));
}

/** Whether the report's layers name their models (then the report shows them grouped, with the per-model table). */
export const hasModels = (report: BenchReport) => report.layers.some((l) => l.spec?.model);

/** The per-model table's header. */
export const MODEL_SUMMARY_HEADERS: readonly string[] = ['model', 'layers', 'auto ms (sum)', 'best peer ms (sum)', 'speed-up (peer sum / auto sum)', 'lowest speed-up', 'geomean speed-up'];

const geomean = (v: readonly number[]) => (v.length ? Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length) : null);

/**
 * Per model: its layers' latencies added up (auto, and each layer's best peer), the ratio of the sums (what a
 * pass through the model's transposed convolutions gains), the lowest and the geometric mean of the per-layer
 * speed-ups; then a row for all layers. Sums only over layers where both auto and a peer have a number.
 */
export function modelSummaryRows(report: BenchReport): string[][] {
  const row = (name: string, layers: readonly LayerSummary[]) => {
    const both = layers.filter((l) => l.auto && l.bestPeer);
    const autoSum = both.reduce((a, l) => a + l.auto!.ms, 0), peerSum = both.reduce((a, l) => a + l.bestPeer!.ms, 0);
    const speedups = layers.flatMap((l) => (l.speedup === null ? [] : [l.speedup]));
    const x = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)}×`);
    return [name, String(layers.length), both.length ? ms(autoSum) : 'n/a', both.length ? ms(peerSum) : 'n/a',
      x(both.length ? peerSum / autoSum : null), x(speedups.length ? Math.min(...speedups) : null), x(geomean(speedups))];
  };
  return [[...MODEL_SUMMARY_HEADERS], ...layerGroups(report).map((g) => row(g.model ?? '(no model)', g.layers)), row('all layers', report.layers)];
}

/** Plain-text table with aligned columns. */
export function textTable(rows: readonly string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: readonly string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Markdown table. */
export function markdownTable(rows: readonly string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const line = (r: readonly string[]) => `| ${r.map(esc).join(' | ')} |`;
  return [line(rows[0]), `|${rows[0].map(() => '---').join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** One-line description of the adapter. */
export function adapterLine(a: AdapterSummary): string {
  return [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ') || 'unknown adapter';
}

/** The ceiling in one line. */
export function ceilingLine(c: Ceiling | null): string {
  if (!c) return 'ceiling: not measured';
  const gpu = c.gpuGflops !== null && c.gpuGbps !== null
    ? ` (timestamp queries: ${c.gpuGflops.toFixed(2)} GFLOP/s, ${c.gpuGbps.toFixed(2)} GB/s)` : '';
  return `ceiling: FMA ${c.gflops.toFixed(2)} GFLOP/s, copy ${c.gbps.toFixed(2)} GB/s${gpu}`;
}

/** The whole report as text: adapter, ceiling, results, per-layer comparison, verdict. */
/** The largest relative error of the float32 rows, and a clause on the float16 rows' (held to HALF_TOLERANCE) when there are any. */
function worstErrors(report: BenchReport): { worst: number; half: string } {
  const of = (rows: BenchResult[]) => Math.max(0, ...rows.map((r) => r.relErr ?? 0));
  const halfRows = report.results.filter((r) => HALF_ROWS.includes(r.impl));
  const half = halfRows.length ? `; float16 rows (against the reference of the rounded input): largest ${of(halfRows).toExponential(2)} (tolerance ${HALF_TOLERANCE.toExponential(2)})` : '';
  return { worst: of(report.results.filter((r) => !HALF_ROWS.includes(r.impl))), half };
}

/** The training section as text lines (nothing when none ran). */
function trainingText(report: BenchReport): string[] {
  if (!report.training?.length) return [];
  return ['training: SGD steps, stock TF.js WebGPU vs with registerWithTfjs', textTable(trainingRows(report.training)), trainingLegend(report.training), ''];
}

/** The models section as text lines (nothing when no model ran). */
function modelsText(report: BenchReport): string[] {
  if (!report.models?.length) return [];
  return ['models: end to end, plain TF.js WebGPU vs with registerWithTfjs', textTable(modelRows(report.models)), modelsLegend(report.tolerance), ''];
}

/** The ONNX models section as text lines (nothing when none ran). */
function onnxText(report: BenchReport): string[] {
  if (!report.onnx?.length) return [];
  return ['ONNX models: ORT Web alone vs createOrtSession (ORT + ours)', textTable(ortRows(report.onnx)), ortLegend(report.onnxCut ?? null, report.tolerance), ''];
}

export function reportText(report: BenchReport): string {
  const { worst, half } = worstErrors(report);
  const verdict = report.passed ? 'all within tolerance' : 'FAILED: see notes';
  // A models-only run (npm run bench -- --models-only) has no layer tables.
  const layers = report.results.length ? [
    textTable(resultRows(report)),
    '',
    ...(hasModels(report) ? [
      ...layerGroups(report).flatMap((g) => [`model: ${g.model ?? '(none)'}`, textTable(summaryRows(report, g.layers)), '']),
      'per model',
      textTable(modelSummaryRows(report)),
    ] : [textTable(summaryRows(report))]),
    '',
  ] : [];
  return [
    `adapter: ${adapterLine(report.adapter)}`,
    ceilingLine(report.ceiling),
    '',
    ...layers,
    ...modelsText(report),
    ...onnxText(report),
    ...trainingText(report),
    report.results.length ? `largest relative error ${worst.toExponential(2)} (tolerance ${report.tolerance})${half}; ${verdict}` : verdict,
  ].join('\n');
}

/** Facts only the headless driver knows, for the Markdown page. */
export interface MarkdownMeta {
  command: string;
  browser: string;
  wallSeconds: number;
}

/** How the layers were timed, in one sentence (reports from before the rounds have none). */
export function roundsSentence(r: Required<RoundsOptions> | undefined): string {
  if (!r) return 'Layers: each implementation timed on its own, one waited call at a time.';
  return `Layers: before setting a layer up, at least ${r.warmMs} ms of the FMA kernel (auto times candidates while it is created), and before timing it, at least ${r.warmMs} ms of back-to-back batches of the implementations about to be timed (so GPU clocks are up), ` +
    `then rounds in which every implementation runs once (the first one rotating): one call submitted and waited for (latency), then K = ${r.batch} calls ` +
    `submitted together and waited for once (throughput = that / K; fewer calls, down to 1, where K would take over ${r.batchMaxMs} ms), ` +
    `until at least ${r.minRounds} rounds and ${r.minMs} ms (at most ${r.maxRounds}; past ${r.maxMs} ms, stop once ${r.floorRounds} are done). ` +
    'Medians over the rounds; every implementation shares one GPUDevice and waits with `device.queue.onSubmittedWorkDone()`. ' +
    '"GPU ms" is the median of timestamp queries around each of our passes in the timed batches.';
}

/** A Markdown list of [name, meaning] pairs. */
const keyList = (pairs: readonly [string, string][]) => pairs.map(([k, v]) => `- **${k}**: ${v}`).join('\n');

/** The per-layer tables, one per model with where each layer is in its code, then the per-model table and its key. */
function perModelMarkdown(report: BenchReport): string {
  const groups = layerGroups(report).map((g) => `### ${g.model ?? '(no model)'}

${g.layers.filter((l) => l.spec?.source).map((l) => `- ${l.layer}: ${l.spec!.source}`).join('\n')}

${markdownTable(summaryRows(report, g.layers))}`);
  return `${groups.join('\n\n')}

### Per model

${markdownTable(modelSummaryRows(report))}

${keyList(columnKey(MODEL_SUMMARY_HEADERS, MODEL_SUMMARY_COLUMNS))}`;
}

/** bench/RESULTS.md. */
export function reportMarkdown(report: BenchReport, meta: MarkdownMeta): string {
  const { worst, half } = worstErrors(report);
  const t = report.timing;
  const c = report.ceiling;
  return `# Benchmark results

Regenerate with \`${meta.command}\` (see the top of \`scripts/bench.mjs\`: headless Chromium on the page \`bench/index.html\`, or with \`--node\` Node on Dawn).
Numbers below come from one run on this machine; nothing here is hand-edited.

- Date: ${report.date}
- Adapter: ${adapterLine(report.adapter)} (features: ${report.adapter.features.join(', ') || 'none'})
- Runtime: ${meta.browser}
- Versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}
- Whole suite wall time: ${meta.wallSeconds.toFixed(0)} s
- ${roundsSentence(report.rounds)}
- Ceiling and models: ${t.warmupRuns} warm-up runs (1 when the first takes over ${t.warmupMs} ms), then runs until at least ${t.minRuns} runs and ${t.minMs} ms (at most ${t.maxRuns} runs; past ${t.maxMs} ms, stop once ${t.floorRuns} are done), each waited for.
- "setup ms" is the first-call latency: the implementation's set-up for the layer (pipeline compiles not yet cached on this device, weight packing and upload; for \`auto\`, also timing its close candidates) until the queue drains. Implementations are set up in table order, so a path's later layers reuse pipelines compiled for earlier ones.
- GFLOP/s = 2·N·Cin·(Cout/g)·H·W·kH·kW / throughput ms. GB/s = (input + weight + output bytes) / throughput ms.
- Errors: largest |output − float64 scatter reference|; rel err = that / max|reference|. Tolerance ${report.tolerance}; largest seen ${worst.toExponential(2)}${half}: ${report.passed ? 'all within tolerance' : '**FAILED**'}.

## Ceiling

${c ? `| kernel | result | detail |
|---|---|---|
| FMA (\`bench/ceiling_fma.wgsl\`) | ${c.gflops.toFixed(2)} GFLOP/s${c.gpuGflops !== null ? ` (GPU time: ${c.gpuGflops.toFixed(2)})` : ''} | ${c.fma.invocations} invocations × ${c.fma.iterations} iterations × 8 vec4 chains, ${c.fma.ms.toFixed(1)} ms |
| copy (\`bench/ceiling_copy.wgsl\`) | ${c.gbps.toFixed(2)} GB/s${c.gpuGbps !== null ? ` (GPU time: ${c.gpuGbps.toFixed(2)})` : ''} | ${(c.copy.bytes / 2 / 2 ** 20).toFixed(0)} MiB read + written, ${c.copy.kernel} kernel ${c.copy.ms.toFixed(1)} ms (strided ${c.copy.stridedMs.toFixed(1)} ms, blocked ${c.copy.blockedMs.toFixed(1)} ms) |` : 'not measured'}

## Per layer

${hasModels(report) ? perModelMarkdown(report) : markdownTable(summaryRows(report))}

${keyList(columnKey(SUMMARY_HEADERS, SUMMARY_COLUMNS))}

${report.models?.length ? `## Models

Whole models written with TF.js layers, end to end, in plain TF.js WebGPU and with \`registerWithTfjs\` (\`bench/models.ts\`, \`bench/model-bench.ts\`). ${modelsLegend(report.tolerance)}

${report.models.map((m) => `- ${m.model}: ${m.description}`).join('\n')}

${markdownTable(modelRows(report.models))}

${keyList(columnKey(MODEL_HEADERS, MODEL_COLUMNS))}

` : ''}${report.onnx?.length ? `## ONNX models on ONNX Runtime Web

${ortLegend(report.onnxCut ?? null, report.tolerance)}

${markdownTable(ortRows(report.onnx))}

${keyList(columnKey(ORT_HEADERS, ORT_COLUMNS))}

` : ''}${report.training?.length ? `## Training

A GAN trained with SGD in TF.js WebGPU, stock and with \`registerWithTfjs\` (\`bench/training.ts\`). ${trainingLegend(report.training)}

${markdownTable(trainingRows(report.training))}

` : ''}## All results

${markdownTable(resultRows(report))}

Columns:

${keyList(columnKey(RESULT_HEADERS, resultColumns(report.tolerance, HALF_TOLERANCE)))}

Rows:

${keyList(rowKey(report.results.map((r) => r.impl)))}
`;
}
