/**
 * The ONNX models section of the benchmark (bench/main.ts: `npm run bench`, or
 * `npm run bench:ort` for this section alone): ONNX models on ONNX Runtime Web's WebGPU provider alone and through createOrtSession (ORT plus our
 * ConvTranspose layers), in the page: model latency, one pass = the input tensors made from typed arrays, run,
 * the outputs read back to the CPU (upload to read-back). Passes alternate between the two ways, round after
 * round (the first way of a round alternating), so a drift of the machine's speed hits both alike; medians.
 * Also the cost of one cut: an identity segment (ORT's Identity on a GPU-buffer tensor, output kept on the GPU),
 * which is what a cut adds: one more ORT run.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { createOrtSession, type OrtTensorLike } from '../src/integrations/ort-session';
import { identityModel, segmentModel } from '../src/integrations/ort/segment';
import { decodeModel, encodeModel, ONNX_TYPES } from '../src/integrations/ort/onnx-model';
import { partition, type HereStep } from '../src/integrations/ort/partition';
import { bestMs, layerMs, ortStepMs } from '../src/integrations/ort/measure';
import { createConvTranspose } from '../src/index';
import { benchOrtModels } from './ort-models';
import { GraphBuilder, type Feed, type TestModel } from './onnx-models';
import { median, timeRuns, type TimingOptions } from './timing';

// The wasm binary's URL is set by the page (bench/impl-ort.ts: setOrtWasm); threads need cross-origin isolation.
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

/**
 * The section's timing: whole models take seconds a pass on a software adapter, and a 5% difference must show
 * through the noise, so at least 8 alternated rounds (10 where they fit in 2 s), up to 40 s.
 */
export const ORT_TIMING: TimingOptions = { warmupRuns: 1, minRuns: 10, minMs: 2000, maxMs: 40000, floorRuns: 8 };

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
  /** Whether the plan left the model uncut: then both ways run the same ORT session, and the speed-up is noise. */
  uncut: boolean;
  /** createOrtSession until the first run is done (layers prepared, auto's timing, the cuts measured), ms. */
  setupMs: number;
  /** Where ORT alone spends its time (ortBreakdown), when it was measured. */
  breakdown?: OrtBreakdown;
}

const models = new Map(benchOrtModels().map((m) => [m.name, m]));
/** The section's models, in table order. */
export const ORT_MODEL_NAMES: readonly string[] = [...models.keys()];
let keeper: ort.InferenceSession | null = null;

const tensors = (fs: Record<string, Feed>) => Object.fromEntries(Object.entries(fs).map(([k, f]) => [k, new ort.Tensor(f.type, f.data, f.dims)]));

export type Runner = { run(feeds: Record<string, ort.Tensor>): Promise<Record<string, OrtTensorLike | ort.Tensor>>; outputNames: readonly string[] };

/** One pass: tensors from typed arrays, run, outputs on the CPU (bench/ort-cuts.ts times it too). */
export async function pass(s: Runner, m: TestModel): Promise<{ ms: number; outputs: Float32Array[] }> {
  const t0 = performance.now();
  const out = await s.run(tensors(m.feeds));
  const outputs = s.outputNames.map((n) => out[n].data as Float32Array);
  return { ms: performance.now() - t0, outputs };
}

export async function benchOrtModel(name: string, timing: TimingOptions = {}): Promise<OrtModelResult> {
  const m = models.get(name);
  if (!m) throw new Error(`unknown model ${name}; known: ${[...models.keys()].join(', ')}`);
  await ortDevice();
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
    }, { ...ORT_TIMING, ...timing });
    let maxDiff = 0, scale = 0;
    last.ort!.forEach((o, i) => o.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - last.ours![i][j])); scale = Math.max(scale, Math.abs(v)); }));
    const ortMs = median(ms.ort), oursMs = median(ms.ours);
    return {
      name, ortMs, oursMs, ortMinMs: Math.min(...ms.ort), oursMinMs: Math.min(...ms.ours), speedup: ortMs / oursMs, rounds: ms.ort.length,
      here: ours.stats.perRun.here, ortRuns: ours.stats.perRun.ortRuns, uncut: ours.plan.steps.length === 1 && ours.stats.perRun.here === 0, plan: ours.plan.toString(), maxDiff, scale, setupMs,
    };
  } finally {
    await ours.release();
    await plain.release();
  }
}

/** The cost of one cut: the median of ORT runs of an Identity segment on a small GPU tensor (output on the GPU), ms. */
export interface CutCost { medianMs: number; minMs: number; runs: number }

export async function ortCutCost(elements = 4096): Promise<CutCost> {
  const device = await ortDevice();
  const s = await ort.InferenceSession.create(identityModel(), { executionProviders: ['webgpu'], preferredOutputLocation: 'gpu-buffer' });
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

/**
 * ORT's WebGPU device, held for the page's life: ORT destroys its device (and its compiled shaders) with its
 * last session, so one session of ORT's is kept open.
 */
async function ortDevice(): Promise<GPUDevice> {
  keeper ??= await ort.InferenceSession.create(identityModel(), { executionProviders: ['webgpu'] });
  return (await ort.env.webgpu.device) as GPUDevice;
}

/**
 * One step of a model cut at every ConvTranspose: its ORT time alone, and ours for a ConvTranspose, ms (best of 3).
 * For a ConvTranspose also ORT's time for the two layout Transposes its one-node model carries (its input to
 * channels-last, its output back), which it does not pay inside the graph.
 */
export interface StepTime { step: string; ortMs: number; oursMs: number | null; transposeMs?: number }

/**
 * Where ORT's time goes on a model: the whole model on ORT (GPU tensors out), and the model cut at every
 * ConvTranspose, each step run alone: ORT's segments, and each ConvTranspose (with its fused activation) on ORT
 * and ours. The ConvTranspose share of ORT's time is the sum of its ConvTransposes' times over the whole's.
 */
export interface OrtBreakdown {
  name: string;
  wholeMs: number;
  steps: StepTime[];
  /** ORT's time for the ConvTransposes over its time for the whole model: each alone less its two layout Transposes. */
  share: number;
  /** The same without taking the Transposes off (an upper bound). */
  shareAlone: number;
}

export async function ortBreakdown(name: string): Promise<OrtBreakdown> {
  const m = models.get(name);
  if (!m) throw new Error(`unknown model ${name}`);
  const device = await ortDevice();
  const decoded = decodeModel(m.bytes);
  const g = decoded.graph!;
  // Every tensor's shape: the model run once with every node output as a graph output too.
  const named = new Set(g.output.map((v) => v.name));
  const probe = encodeModel({ ...decoded, graph: { ...g, output: [...g.output, ...g.node.flatMap((n) => n.output).filter((o) => o && !named.has(o)).map((o) => ({ name: o }))] } });
  const ps = await ort.InferenceSession.create(probe, { executionProviders: ['webgpu'] });
  const shapes = new Map<string, number[]>(Object.entries(m.feeds).map(([k, f]) => [k, f.dims]));
  const probed = await ps.run(tensors(m.feeds));
  for (const [k, t] of Object.entries(probed)) { shapes.set(k, [...t.dims]); t.dispose(); }
  await ps.release();
  const opts = { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' as const };
  const gpuFeed = (dims: readonly number[], type: 'float32' | 'float16') => {
    const buffer = device.createBuffer({ size: Math.max(4, Math.ceil(dims.reduce((a, b) => a * b, 1) * (type === 'float16' ? 2 : 4) / 4) * 4), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    return { tensor: ort.Tensor.fromGpuBuffer(buffer, { dataType: type, dims }), buffer };
  };
  const timeSession = async (bytes: Uint8Array, inputs: readonly string[]) => {
    const s = await ort.InferenceSession.create(bytes, { ...opts, preferredOutputLocation: 'gpu-buffer' as const });
    const feeds = inputs.map((k) => [k, gpuFeed(shapes.get(k)!, m.dataType)] as const);
    try {
      return await bestMs(device, async () => {
        const out = await s.run(Object.fromEntries(feeds.map(([k, f]) => [k, f.tensor])));
        return () => { for (const t of Object.values(out)) t.dispose(); };
      }, 3);
    } finally {
      await s.release();
      for (const [, f] of feeds) { f.tensor.dispose(); f.buffer.destroy(); }
    }
  };
  /** ORT's Transpose of a tensor of `dims` to channels-last (what its layout pass inserts around a Conv). */
  const timeTranspose = async (dims: readonly number[], type: 'float32' | 'float16') => {
    const g2 = new GraphBuilder(0, type);
    const x = g2.input('x', [...dims]);
    g2.output(g2.node('Transpose', [x], ['y'], { perm: [0, ...dims.slice(2).map((_, i) => i + 2), 1] }));
    const bytes = g2.bytes();
    const s = await ort.InferenceSession.create(bytes, { ...opts, preferredOutputLocation: 'gpu-buffer' as const });
    const f = gpuFeed(dims, type);
    try {
      return await bestMs(device, async () => { const out = await s.run({ x: f.tensor }); return () => out.y.dispose(); }, 3);
    } finally {
      await s.release();
      f.tensor.dispose();
      f.buffer.destroy();
    }
  };
  const wholeMs = await timeSession(m.bytes, Object.keys(m.feeds));
  // NCHW cuts: each segment is timed on the model's own tensors, and the layout Transposes apart.
  const cut = partition(decoded, { minFlops: 0, shapes, channelsLast: false });
  const elemType = m.dataType === 'float16' ? ONNX_TYPES.float16 : ONNX_TYPES.float;
  const types = new Map([...shapes].map(([k, shape]) => [k, { elemType, shape }]));
  const steps: StepTime[] = [];
  for (const [k, step] of cut.steps.entries()) {
    if (step.kind === 'ort') {
      steps.push({ step: `ort(${step.nodes.map((n) => n.op_type).join(',')})`, ortMs: await timeSession(segmentModel(decoded, step, k, types), step.inputs), oursMs: null });
      continue;
    }
    const here = { ...step, inputShape: shapes.get(step.input)! } as HereStep;
    const transposeMs = await timeTranspose(shapes.get(step.input)!, m.dataType) + await timeTranspose(shapes.get(step.output)!, m.dataType);
    const layer = await createConvTranspose(device, { inputShape: here.inputShape!, weight: { data: here.weight.data, shape: here.weightShape }, bias: here.bias?.data ?? null, ...here.attributes, activation: here.activation, dataType: here.dataType });
    try {
      steps.push({ step: `ConvTranspose ${step.name}`, ortMs: await ortStepMs(ort as never, device, decoded, here, opts), oursMs: await layerMs(device, layer), transposeMs });
    } finally {
      layer.destroy();
    }
  }
  const cts = steps.filter((s) => s.oursMs !== null);
  const alone = cts.reduce((a, s) => a + s.ortMs, 0);
  const inGraph = cts.reduce((a, s) => a + Math.max(0, s.ortMs - (s.transposeMs ?? 0)), 0);
  return { name, wholeMs, steps, share: inGraph / wholeMs, shareAlone: alone / wholeMs };
}


