/**
 * ONNX models on ONNX Runtime Web's WebGPU provider alone and through createOrtSession (ORT plus our
 * ConvTranspose layers), in the page: model latency, one pass = the input tensors made from typed arrays, run,
 * the outputs read back to the CPU (upload to read-back). Passes alternate between the two ways, round after
 * round (the first way of a round alternating), so a drift of the machine's speed hits both alike; medians.
 * Also the cost of one cut: an identity segment (ORT's Identity on a GPU-buffer tensor, output kept on the GPU),
 * which is what a cut adds: one more ORT run.
 */
import * as ort from 'onnxruntime-web/webgpu';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { createOrtSession, type OrtTensorLike } from '../src/integrations/ort-session';
import { identityModel } from '../src/integrations/ort/segment';
import { benchOrtModels } from './ort-models';
import type { Feed, TestModel } from './onnx-models';
import { median, timeRuns, type TimingOptions } from './timing';

ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export interface OrtModelResult {
  name: string;
  /** Median and minimum pass, ms: ORT alone, ORT with ours. */
  ortMs: number; oursMs: number; ortMinMs: number; oursMinMs: number;
  speedup: number;
  rounds: number;
  /** ConvTranspose nodes run here per run, ORT runs per model run, and the plan. */
  here: number; ortRuns: number; plan: string;
  /** Largest |ours − ORT| over the outputs, and max |ORT| (its scale). */
  maxDiff: number; scale: number;
  /** createOrtSession until the first run is done (layers prepared, auto's timing), ms. */
  setupMs: number;
}

const models = new Map(benchOrtModels().map((m) => [m.name, m]));
let keeper: ort.InferenceSession | null = null;

const tensors = (fs: Record<string, Feed>) => Object.fromEntries(Object.entries(fs).map(([k, f]) => [k, new ort.Tensor(f.type, f.data, f.dims)]));

type Runner = { run(feeds: Record<string, ort.Tensor>): Promise<Record<string, OrtTensorLike | ort.Tensor>>; outputNames: readonly string[] };

/** One pass: tensors from typed arrays, run, outputs on the CPU. */
async function pass(s: Runner, m: TestModel): Promise<{ ms: number; outputs: Float32Array[] }> {
  const t0 = performance.now();
  const out = await s.run(tensors(m.feeds));
  const outputs = s.outputNames.map((n) => out[n].data as Float32Array);
  return { ms: performance.now() - t0, outputs };
}

async function benchModel(name: string, timing: TimingOptions = {}): Promise<OrtModelResult> {
  const m = models.get(name);
  if (!m) throw new Error(`unknown model ${name}; known: ${[...models.keys()].join(', ')}`);
  const plain = await ort.InferenceSession.create(m.bytes, { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' });
  const t0 = performance.now();
  const ours = await createOrtSession(ort, m.bytes, { sessionOptions: { graphOptimizationLevel: 'all' } });
  try {
    await pass(ours, m);
    const setupMs = performance.now() - t0;
    await pass(plain, m);
    const ms = { ort: [] as number[], ours: [] as number[] };
    const last: { ort?: Float32Array[]; ours?: Float32Array[] } = {};
    let round = 0;
    await timeRuns(async (slot) => {
      const order = round++ % 2 ? (['ours', 'ort'] as const) : (['ort', 'ours'] as const);
      for (const way of order) {
        const r = await pass(way === 'ort' ? plain : ours, m);
        last[way] = r.outputs;
        if (slot !== null) ms[way].push(r.ms);
      }
    }, { warmupRuns: 1, minRuns: 10, minMs: 2000, maxMs: 15000, floorRuns: 5, ...timing });
    let maxDiff = 0, scale = 0;
    last.ort!.forEach((o, i) => o.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - last.ours![i][j])); scale = Math.max(scale, Math.abs(v)); }));
    const ortMs = median(ms.ort), oursMs = median(ms.ours);
    return {
      name, ortMs, oursMs, ortMinMs: Math.min(...ms.ort), oursMinMs: Math.min(...ms.ours), speedup: ortMs / oursMs, rounds: ms.ort.length,
      here: ours.stats.perRun.here, ortRuns: ours.stats.perRun.ortRuns, plan: ours.plan.toString(), maxDiff, scale, setupMs,
    };
  } finally {
    await ours.release();
    await plain.release();
  }
}

/** The cost of one cut: the median of ORT runs of an Identity segment on a small GPU tensor (output on the GPU), ms. */
async function cutCost(elements = 4096): Promise<{ medianMs: number; minMs: number; runs: number }> {
  const s = await ort.InferenceSession.create(identityModel(), { executionProviders: ['webgpu'], preferredOutputLocation: 'gpu-buffer' });
  const device = (await ort.env.webgpu.device) as GPUDevice;
  const buffer = device.createBuffer({ size: 4 * elements, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const x = ort.Tensor.fromGpuBuffer(buffer, { dataType: 'float32', dims: [elements] });
  try {
    const t = await timeRuns(async () => {
      const out = await s.run({ x });
      await device.queue.onSubmittedWorkDone();
      out.y.dispose();
    }, { warmupRuns: 3, minRuns: 50, minMs: 1000 });
    return { medianMs: t.medianMs, minMs: t.minMs, runs: t.samplesMs.length };
  } finally {
    await s.release();
    buffer.destroy();
  }
}

async function init(): Promise<{ ok: boolean; info: string; models: string[] }> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return { ok: false, info: 'navigator.gpu has no adapter', models: [] };
  // ORT destroys its device (and compiled shaders) with its last session: one is held for the page's life.
  keeper ??= await ort.InferenceSession.create(identityModel(), { executionProviders: ['webgpu'] });
  const info = adapter.info;
  return { ok: true, info: `${info.vendor} ${info.architecture} ${info.description}`.trim() + `, onnxruntime-web ${ort.env.versions.web}`, models: [...models.keys()] };
}

export const ortBench = { init, benchModel, cutCost };
export type OrtBench = typeof ortBench;
(window as unknown as { ortBench: OrtBench }).ortBench = ortBench;

const out = document.getElementById('out')!;
out.textContent = 'ready';
document.getElementById('run')!.addEventListener('click', async () => {
  const { info, models: names } = await init();
  out.textContent = `${info}\n`;
  for (const n of names) {
    const r = await benchModel(n);
    out.textContent += `${n}: ORT ${r.ortMs.toFixed(1)} ms, ORT+ours ${r.oursMs.toFixed(1)} ms, ${r.speedup.toFixed(2)}×\n`;
  }
  const c = await cutCost();
  out.textContent += `one cut (identity segment): ${c.medianMs.toFixed(2)} ms\n`;
});
