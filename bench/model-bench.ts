/**
 * A whole model end to end, in plain TF.js WebGPU and with our kernel registered (`registerWithTfjs`), on the
 * bench's shared device (TF.js is set up as for the tfjs-webgpu peer). One forward pass = the input tensors
 * created from typed arrays (uploaded by the first kernel that reads them), `model.predict`, `await y.data()`.
 * Passes alternate between the two ways, round after round, so a drift of the machine's speed hits both alike.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { registerWithTfjs, type TfjsRegistration } from '../src/integrations/tfjs-kernel';
import { useTfjsOn } from './impl-tfjs';
import { buildModel, convTransposesOf, describeModel, modelInputs, modelOutputShape, type ModelSpec } from './models';
import type { ModelResult } from './model-report';
import { compareToReference } from './problem';
import { median, timeRuns, type TimingOptions } from './timing';

/** The kernel `tf.conv2dTranspose` runs, which registerWithTfjs replaces. */
const KERNEL = 'Conv2DBackpropInput';
const BACKEND = 'webgpu';

/** How a pass runs: TF.js's own kernel, or ours through registerWithTfjs. */
export type Way = 'tfjs' | 'ours';

/**
 * Switches the registered `Conv2DBackpropInput` between TF.js's kernel and registerWithTfjs's, keeping our
 * prepared layers: `unregister()` frees them and a new registration would prepare (and tune) them again, which
 * alternating passes cannot afford. Both kernel configs are the ones TF.js and registerWithTfjs registered.
 */
function kernelSwitch() {
  const plain = tf.getKernel(KERNEL, BACKEND);
  if (!plain) throw new Error(`TF.js has no '${KERNEL}' kernel for backend '${BACKEND}'`);
  const registration = registerWithTfjs(tf);
  const ours = tf.getKernel(KERNEL, BACKEND)!;
  const use = (config: tf.KernelConfig) => {
    tf.unregisterKernel(KERNEL, BACKEND);
    tf.registerKernel(config);
  };
  return {
    registration,
    use: (way: Way) => use(way === 'ours' ? ours : plain),
    /** Puts TF.js's kernel back and frees our layers (registerWithTfjs's own unregister, with its kernel in place). */
    close() {
      use(ours);
      registration.unregister();
    },
  };
}

/** A model built once, runnable both ways. */
export interface ModelPair {
  spec: ModelSpec;
  model: tfl.LayersModel;
  registration: TfjsRegistration;
  /** First call with our kernel registered until `ready()`, ms. */
  setupMs: number;
  /** Why our kernel could not take some transposed convolution, if it could not (from registerWithTfjs's stats). */
  problems: string[];
  /** One forward pass one way: upload, predict, read-back. */
  pass(way: Way, inputs: { shape: number[]; values: Float32Array }[]): Promise<{ ms: number; output: Float32Array }>;
  /** Frees the model and our layers and puts TF.js's kernel back; returns the TF.js tensors left behind since opening. */
  close(): number;
}

/**
 * Builds the model on TF.js WebGPU (on `device`), runs it once plainly (TF.js's pipelines, weight upload), then
 * once with our kernel registered (TF.js's kernel runs while ours is prepared) and waits for `ready()`.
 */
export async function openModelPair(device: GPUDevice, spec: ModelSpec): Promise<ModelPair> {
  await useTfjsOn(device);
  const tensorsBefore = tf.memory().numTensors;
  const model = buildModel(spec);
  let switcher: ReturnType<typeof kernelSwitch> | null = null;
  const close = () => {
    switcher?.close();
    switcher = null;
    model.dispose();
    return tf.memory().numTensors - tensorsBefore;
  };
  try {
    switcher = kernelSwitch();
    const sw = switcher;
    const pass: ModelPair['pass'] = async (way, inputs) => {
      sw.use(way);
      const t0 = performance.now();
      const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
      const y = model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
      try {
        const output = (await y.data()) as Float32Array;
        return { ms: performance.now() - t0, output };
      } finally {
        tf.dispose([...xs, y]);
      }
    };
    const warm = modelInputs(spec);
    await pass('tfjs', warm);
    const t0 = performance.now();
    await pass('ours', warm);
    await sw.registration.ready();
    const setupMs = performance.now() - t0;
    const problems = Object.entries(sw.registration.stats.reasons).filter(([r]) => r !== 'preparing').map(([r, n]) => `${n}× ${r}`);
    return { spec, model, registration: sw.registration, setupMs, problems, pass, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** Both ways on the same inputs, alternated: medians, the last outputs, and how many calls ran ours. */
export interface PairTiming {
  tfjsMs: number;
  oursMs: number;
  tfjsMsMin: number;
  oursMsMin: number;
  runs: number;
  outputs: Record<Way, Float32Array>;
  /** Calls our layers ran per timed `ours` pass; and TF.js-kernel calls during those passes (0 when ours ran them all). */
  oursCallsPerPass: number;
  fallbacks: number;
}

/** Times both ways in rounds (the first way of a round alternates), with the bench's stop rules counting rounds. */
export async function timePair(pair: ModelPair, inputs: { shape: number[]; values: Float32Array }[], timing: TimingOptions): Promise<PairTiming> {
  const ms: Record<Way, number[]> = { tfjs: [], ours: [] };
  const outputs: Partial<Record<Way, Float32Array>> = {};
  let round = 0, oursPasses = 0, oursCalls = 0, fallbacks = 0;
  const { stats } = pair.registration;
  await timeRuns(async (slot) => {
    const order: Way[] = round++ % 2 ? ['ours', 'tfjs'] : ['tfjs', 'ours'];
    for (const way of order) {
      const before = { ours: stats.ours, fallback: stats.fallback };
      const r = await pair.pass(way, inputs);
      outputs[way] = r.output;
      if (slot === null) continue;
      ms[way].push(r.ms);
      if (way === 'ours') {
        oursPasses++;
        oursCalls += stats.ours - before.ours;
        fallbacks += stats.fallback - before.fallback;
      }
    }
  }, timing);
  return {
    tfjsMs: median(ms.tfjs), oursMs: median(ms.ours), tfjsMsMin: Math.min(...ms.tfjs), oursMsMin: Math.min(...ms.ours),
    runs: ms.tfjs.length, outputs: outputs as Record<Way, Float32Array>, oursCallsPerPass: oursCalls / oursPasses, fallbacks,
  };
}

/** Largest |ours − plain| and that over max|plain| (the bench's relative error, plain TF.js as the reference). */
export function compareOutputs(outputs: Record<Way, Float32Array>): { maxAbsDiff: number; relDiff: number } {
  const { maxAbsErr, relErr } = compareToReference(outputs.ours, Float64Array.from(outputs.tfjs));
  return { maxAbsDiff: maxAbsErr, relDiff: relErr };
}

/** A row for the spec with nothing measured yet (what a failure leaves). */
export function emptyModelResult(spec: ModelSpec, note = ''): ModelResult {
  return {
    model: spec.name, description: describeModel(spec), inputShapes: modelInputs(spec).map((i) => i.shape), outputShape: modelOutputShape(spec),
    tfjsMs: null, oursMs: null, tfjsMsMin: null, oursMsMin: null, speedup: null, maxAbsDiff: null, relDiff: null, runs: 0,
    convTransposes: convTransposesOf(spec), oursCalls: null, paths: {}, setupMs: null, leakedTensors: null, note,
  };
}

/** The models-section row of a spec, and the two outputs. */
export async function benchModel(device: GPUDevice, spec: ModelSpec, options: { timing: TimingOptions; tolerance: number; inputSeed?: number }):
  Promise<{ result: ModelResult; outputs: Record<Way, Float32Array> }> {
  const inputs = modelInputs(spec, options.inputSeed ?? 1);
  const result = emptyModelResult(spec);
  const pair = await openModelPair(device, spec);
  let t: PairTiming;
  try {
    result.setupMs = pair.setupMs;
    result.paths = { ...pair.registration.stats.paths };
    t = await timePair(pair, inputs, options.timing);
  } finally {
    result.leakedTensors = pair.close();
  }
  Object.assign(result, {
    tfjsMs: t.tfjsMs, oursMs: t.oursMs, tfjsMsMin: t.tfjsMsMin, oursMsMin: t.oursMsMin, runs: t.runs, oursCalls: t.oursCallsPerPass,
    ...compareOutputs(t.outputs),
  });
  const notes = [`ours: ${Object.entries(result.paths).map(([p, n]) => `${p} ×${n}`).join(', ') || 'no layer'}`, ...pair.problems];
  if (t.fallbacks) notes.push(`ERROR: TF.js's kernel ran ${t.fallbacks}× in timed passes with ours registered`);
  if (result.oursCalls !== result.convTransposes) notes.push(`ERROR: ours ran ${result.oursCalls} of ${result.convTransposes} transposed convolutions per pass`);
  if (!(result.relDiff! <= options.tolerance)) notes.push(`ERROR: rel diff above ${options.tolerance}`);
  if (result.leakedTensors !== 0) notes.push(`ERROR: ${result.leakedTensors} TF.js tensors left behind`);
  result.note = notes.join('; ');
  // A wrong answer gets no speed-up.
  result.speedup = notes.some((n) => n.startsWith('ERROR')) ? null : t.tfjsMs / t.oursMs;
  return { result, outputs: t.outputs };
}
