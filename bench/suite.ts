/**
 * Runs the suite: one shared GPUDevice, the ceiling, then every layer through every implementation with the
 * same timing method (bench/rounds.ts) and the same float64 reference. The page (bench/main.ts) and the Node
 * entry (bench/node.ts) both go through here; only where the device comes from differs.
 */
import { applyActivation, getDevice, PATH_OPTIONS, resolveActivation } from '../src/index';
import pkg from '../package.json';
import { version as tfjsWebgpuVersion } from '@tensorflow/tfjs-backend-webgpu/dist/version';
import { version_layers as tfjsLayersVersion } from '@tensorflow/tfjs-layers';
import suiteJson from './layers.json';
import modelsJson from './layers-models.json';
import { keepBusy, measureCeiling, type Ceiling } from './ceiling';
import { IMPLEMENTATIONS, type ImplName, type Prepared, type Preparer } from './implementation';
import { oursPreparer } from './impl-ours';
import { tfjsPreparer, tfjsVersion } from './impl-tfjs';
import { tfjsOursPreparer } from './impl-tfjs-ours';
import { ortPreparer, ortVersion } from './impl-ort';
import { problemOf, referenceOf, halfReferenceOf, compareToReference, type LayerSpec } from './problem';
import { summarize, toleranceOf, TOLERANCE, type AdapterSummary, type BenchReport, type BenchResult, type LayerSummary } from './report';
import { DEFAULT_TIMING, median, type TimingOptions } from './timing';
import { DEFAULT_ROUNDS, runRounds, type Contender, type RoundsOptions } from './rounds';
import { benchModel, emptyModelResult, type Way } from './model-bench';
import { modelPassed, type ModelResult } from './model-report';
import type { ModelSpec } from './models';
import { benchTraining, type TrainingResult, type TrainingSpec } from './training';
import { benchOrtModel, ortBreakdown, ortCutCost, type CutCost, type OrtModelResult } from './ort-bench';
import { ortRowPassed } from './ort-report';

/** The standard suite (bench/layers.json). */
export const LAYERS: readonly LayerSpec[] = suiteJson.layers as LayerSpec[];

/** The real-model suite (bench/layers-models.json): ConvTranspose layers of models run in browsers, each with its model and source. */
export const MODEL_LAYERS: readonly LayerSpec[] = modelsJson.layers as LayerSpec[];

/** The built-in layer lists, by the name the page's `?suite=` takes. */
export const SUITES: Readonly<Record<'standard' | 'models', { file: string; layers: readonly LayerSpec[] }>> = {
  standard: { file: 'bench/layers.json', layers: LAYERS },
  models: { file: 'bench/layers-models.json', layers: MODEL_LAYERS },
};

const PREPARERS: Record<ImplName, Preparer> = {
  ...(Object.fromEntries(PATH_OPTIONS.map((path) => [path, oursPreparer(path)])) as Record<(typeof PATH_OPTIONS)[number], Preparer>),
  'auto/nhwc': oursPreparer('auto', { inputLayout: 'nhwc' }),
  'auto+relu': oursPreparer('auto', { activation: 'relu' }),
  'auto/f16': oursPreparer('auto', { dataType: 'float16' }),
  'tfjs-webgpu': tfjsPreparer,
  'tfjs-webgpu+ours': tfjsOursPreparer,
  'ort-webgpu': ortPreparer,
};

/** Progress: a message and the fraction of the whole suite done (0..1). */
export type ProgressFn = (message: string, fraction: number) => void;

/** Lets the page repaint (progress bar) before a long synchronous step such as the CPU reference. */
const yieldToUi = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs a step with WebGPU validation and out-of-memory errors captured, so they become a note, not a silent 0. */
async function withErrorScopes<T>(device: GPUDevice, step: () => Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let value: T | undefined;
  let failure: Error | null = null;
  try {
    value = await step();
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
  }
  // Pop both scopes whatever happened, or later work would land in them.
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  const gpuError = validation ?? oom;
  const gpuMessage = gpuError ? `WebGPU ${validation ? 'validation' : 'out-of-memory'} error: ${gpuError.message}` : '';
  if (failure) throw new Error(gpuMessage ? `${failure.message} (${gpuMessage})` : failure.message);
  if (gpuError) throw new Error(gpuMessage);
  return value as T;
}

/** A benchmark in progress: holds the device, the ceiling and the results so far. */
export class BenchSession {
  readonly results: BenchResult[] = [];
  readonly layers: LayerSummary[] = [];
  /** The models section: whole models in plain TF.js WebGPU and with registerWithTfjs (bench/model-bench.ts). */
  readonly models: ModelResult[] = [];
  /** The training section: a GAN trained in TF.js WebGPU, stock and with registerWithTfjs (bench/training.ts). */
  readonly training: TrainingResult[] = [];
  /** The ONNX models section: ORT Web alone and with createOrtSession (bench/ort-bench.ts), and what one cut costs. */
  readonly onnx: OrtModelResult[] = [];
  onnxCut: CutCost | null = null;
  ceiling: Ceiling | null = null;
  readonly timing: Required<TimingOptions>;
  readonly rounds: Required<RoundsOptions>;

  private constructor(readonly device: GPUDevice, readonly adapter: AdapterSummary, timing: TimingOptions, rounds: RoundsOptions) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    this.rounds = { ...DEFAULT_ROUNDS, ...rounds };
  }

  /**
   * Opens a session on `device` (default: the package's default device, with timestamp-query when offered),
   * which every implementation shares. `userAgent` names the runtime (default navigator.userAgent).
   */
  static async open(options: { device?: GPUDevice; timing?: TimingOptions; rounds?: RoundsOptions; userAgent?: string } = {}): Promise<BenchSession> {
    const device = options.device ?? await getDevice();
    const info = device.adapterInfo;
    const adapter: AdapterSummary = {
      vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', device: info?.device ?? '',
      description: info?.description ?? '', features: [...device.features].sort(),
      userAgent: options.userAgent ?? (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '',
    };
    return new BenchSession(device, adapter, options.timing ?? {}, options.rounds ?? {});
  }

  /** Library versions of everything measured. */
  get versions(): Record<string, string> {
    return {
      'webgpu-convtranspose': pkg.version,
      '@tensorflow/tfjs-core': tfjsVersion,
      '@tensorflow/tfjs-backend-webgpu': tfjsWebgpuVersion,
      '@tensorflow/tfjs-layers': tfjsLayersVersion,
      'onnxruntime-web': ortVersion,
    };
  }

  async measureCeiling(): Promise<Ceiling> {
    this.ceiling = await withErrorScopes(this.device, () => measureCeiling(this.device, { timing: this.timing }));
    return this.ceiling;
  }

  /**
   * Benchmarks one layer: sets every implementation up (in `impls` order), warms the GPU up with them, times them
   * in interleaved rounds (bench/rounds.ts), checks each one's output against the float64 reference, and frees
   * them. Appends and returns its rows.
   */
  async runLayer(spec: LayerSpec, progress: (message: string, fraction: number) => void = () => {}, impls: readonly ImplName[] = IMPLEMENTATIONS): Promise<BenchResult[]> {
    const problem = problemOf(spec);
    progress(`${spec.name}: float64 CPU reference${problem.refN < spec.N ? ` (${problem.refN} of ${spec.N} items, repeated)` : ''}`, 0);
    await yieldToUi();
    const t0 = performance.now();
    const ref = referenceOf(problem);
    const referenceMs = performance.now() - t0;
    // The reference of the float16-rounded input, for float16 rows (computed once, when one runs).
    let halfRef: Float64Array | null = null;
    const refs = { ref, half: () => (halfRef ??= halfReferenceOf(problem)) };
    const rows = impls.map((impl): BenchResult => ({
      layer: spec.name, impl, latencyMs: null, latencyMinMs: null, throughputMs: null, batch: null, gpuMs: null, gflops: null,
      maxAbsErr: null, relErr: null, pctFma: null, gbps: null, pctCopy: null, runs: 0, note: '', setupMs: null,
    }));
    const prepared: (Prepared | null)[] = [];
    try {
      // Clocks up before set-up too: auto times its close candidates while it is created.
      if (this.ceiling) await withErrorScopes(this.device, () => keepBusy(this.device, this.rounds.warmMs, this.ceiling!));
      for (const [i, impl] of impls.entries()) {
        progress(`${spec.name}: setting up ${impl}`, (i + 1) / (impls.length + 2));
        await yieldToUi();
        prepared.push(await this.prepare(impl, problem, rows[i]));
      }
      const live = prepared.flatMap((p, i) => (p ? [i] : []));
      progress(`${spec.name}: warm-up, then ${live.length} implementations in rounds`, (impls.length + 1) / (impls.length + 2));
      await yieldToUi();
      const contenders: Contender[] = live.map((i) => ({ call: () => prepared[i]!.run(), batch: (n, timed) => prepared[i]!.runBatch(n, timed) }));
      const { timings } = await runRounds(contenders, this.rounds, (k, step) => withErrorScopes(this.device, step));
      for (const [k, i] of live.entries()) await this.finish(rows[i], prepared[i]!, timings[k], problem, refs);
    } finally {
      for (const p of prepared) await p?.destroy();
    }
    this.results.push(...rows);
    this.layers.push({
      layer: spec.name, spec: { ...spec }, inputShape: problem.inputShape, outputShape: problem.outputShape,
      flops: problem.flops, bytes: problem.bytes, referenceMs, ...summarize(spec.name, rows),
    });
    return rows;
  }

  /** Sets `impl` up for the problem (its setupMs into `row`); null, with the reason in the row's note, when it cannot run. */
  private async prepare(impl: ImplName, problem: ReturnType<typeof problemOf>, row: BenchResult): Promise<Prepared | null> {
    try {
      const t0 = performance.now();
      const prepared = await withErrorScopes(this.device, () => PREPARERS[impl](this.device, problem));
      await this.device.queue.onSubmittedWorkDone(); // the weight upload is part of the first call
      row.setupMs = performance.now() - t0;
      if ('unsupported' in prepared) {
        row.note = `n/a: ${prepared.unsupported}`;
        return null;
      }
      return prepared;
    } catch (e) {
      row.note = `failed to set up: ${(e as Error).message}`;
      return null;
    }
  }

  /** A timed implementation's row: medians, GPU time, rates, and its output against the reference. */
  private async finish(row: BenchResult, ready: Prepared, timing: Awaited<ReturnType<typeof runRounds>>['timings'][number],
    problem: ReturnType<typeof problemOf>, refs: { ref: Float64Array; half: () => Float64Array }): Promise<void> {
    if (timing.error) {
      row.note = `failed: ${timing.error.message}`;
      return;
    }
    try {
      await withErrorScopes(this.device, async () => {
        row.latencyMs = median(timing.latencyMs);
        row.latencyMinMs = Math.min(...timing.latencyMs);
        row.throughputMs = median(timing.throughputMs);
        row.batch = timing.batch;
        row.runs = timing.latencyMs.length;
        if (ready.gpuMs) {
          const gpu = await ready.gpuMs();
          if (gpu.length) row.gpuMs = median(gpu);
        }
        const ref = ready.half ? refs.half() : refs.ref;
        const expected = ready.activation ? applyActivation(Float64Array.from(ref), resolveActivation(ready.activation)) : ref;
        Object.assign(row, compareToReference(await ready.output(), expected));
      });
      row.gflops = problem.flops / row.throughputMs! / 1e6;
      row.gbps = (ready.half?.bytes ?? problem.bytes) / row.throughputMs! / 1e6;
      if (this.ceiling) {
        row.pctFma = (100 * row.gflops) / this.ceiling.gflops;
        row.pctCopy = (100 * row.gbps) / this.ceiling.gbps;
      }
      if (ready.plan) row.plan = ready.plan;
      const notes = [ready.note ?? ''];
      if (!(row.relErr! <= toleranceOf(row.impl))) notes.push(`ERROR: rel err above ${toleranceOf(row.impl)}`);
      row.note = notes.filter(Boolean).join('; ');
    } catch (e) {
      row.latencyMs = row.latencyMinMs = row.throughputMs = row.gpuMs = row.gflops = row.gbps = row.pctFma = row.pctCopy = null;
      row.note = `failed: ${(e as Error).message}`;
    }
  }

  /** Runs one model both ways (bench/model-bench.ts); appends and returns its row, and the two outputs when it ran. */
  async runModel(spec: ModelSpec, timing: TimingOptions = this.timing): Promise<{ result: ModelResult; outputs: Record<Way, Float32Array> | null }> {
    let run: { result: ModelResult; outputs: Record<Way, Float32Array> | null };
    try {
      run = await withErrorScopes(this.device, () => benchModel(this.device, spec, { timing, tolerance: TOLERANCE }));
    } catch (e) {
      run = { result: emptyModelResult(spec, `failed: ${(e as Error).message}`), outputs: null };
    }
    this.models.push(run.result);
    return run;
  }

  /** Trains one GAN both ways (bench/training.ts); appends and returns its row. */
  async runTraining(spec: TrainingSpec, timing: TimingOptions = this.timing): Promise<TrainingResult> {
    const row = await withErrorScopes(this.device, () => benchTraining(this.device, spec, timing));
    this.training.push(row);
    return row;
  }

  /**
   * One ONNX model on ORT Web alone and through createOrtSession, alternated, then where ORT's time goes on it
   * (its ConvTranspose share); appends and returns its row. ORT runs on its own device (ORT 1.31 takes none).
   */
  async runOnnxModel(name: string, timing: TimingOptions = this.timing): Promise<OrtModelResult> {
    let row: OrtModelResult;
    try {
      row = await benchOrtModel(name, timing);
      row.breakdown = await ortBreakdown(name);
    } catch (e) {
      row = {
        name, ortMs: NaN, oursMs: NaN, ortMinMs: NaN, oursMinMs: NaN, speedup: NaN, rounds: 0, here: 0, ortRuns: 0,
        plan: `failed: ${(e as Error).message}`, maxDiff: Infinity, scale: 0, setupMs: NaN,
      };
    }
    this.onnx.push(row);
    return row;
  }

  /** What one cut costs on ORT's device (an identity segment), for the ONNX models section. */
  async measureCut(): Promise<CutCost> {
    this.onnxCut = await ortCutCost();
    return this.onnxCut;
  }

  /** The report so far. */
  report(): BenchReport {
    // A failure (not an n/a) of an implementation that should run counts against the suite like a wrong answer.
    const passed = this.results.every((r) => (r.latencyMs === null ? r.note.startsWith('n/a') : r.relErr !== null && r.relErr <= toleranceOf(r.impl))) &&
      this.models.every((m) => modelPassed(m, TOLERANCE)) && this.training.every((t) => t.speedup !== null) &&
      this.onnx.every((r) => ortRowPassed(r, TOLERANCE));
    return {
      date: new Date().toISOString(), adapter: this.adapter, versions: this.versions, timing: this.timing, rounds: this.rounds,
      tolerance: TOLERANCE, ceiling: this.ceiling, results: [...this.results], layers: [...this.layers], models: [...this.models], training: [...this.training],
      ...(this.onnx.length ? { onnx: [...this.onnx], onnxCut: this.onnxCut } : {}), passed,
    };
  }
}
