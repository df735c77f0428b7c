/**
 * The training section: a DCGAN generator and discriminator trained with SGD in TF.js WebGPU, stock and with
 * `registerWithTfjs`, on the bench's shared device. One step = a discriminator step (real and generated batch)
 * then a generator step (through the discriminator), each `optimizer.minimize`, then a wait for the GPU (the
 * loss read back). The transposed convolutions are the generator's forward passes and the input gradients of
 * the discriminator's convolutions (Conv2DBackpropInput); their weights change every step, so every call
 * packs its filter on the GPU first. Steps alternate between the two ways, round after round.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerWithTfjs, type TfjsRegistration } from '../src/integrations/tfjs-kernel';
import { useTfjsOn } from './impl-tfjs';
import { median, timeRuns, type TimingOptions } from './timing';
import { buildModel, describeModel, MODELS, Z_SIZE, type ModelSpec } from './models';

/** A GAN trained in the section: the bench's DCGAN generator (bench/models.ts) and a discriminator that mirrors it. */
export interface TrainingSpec {
  name: string;
  /** A `dcgan` model of bench/models.ts: the generator, with its seeded weights. */
  generator: ModelSpec;
}

export const TRAININGS: readonly TrainingSpec[] = [
  { name: 'dcgan-64-train', generator: MODELS.find((m) => m.name === 'dcgan-64')! },
];

const KERNELS = ['Conv2DBackpropInput', 'Conv3DBackpropInputV2', 'DepthwiseConv2dNativeBackpropInput'];

/** One row of the training table. */
export interface TrainingResult {
  name: string;
  description: string;
  /** Median ms of one training step (D step + G step, waited for), stock TF.js WebGPU and with the plug-in. */
  tfjsMs: number | null;
  oursMs: number | null;
  speedup: number | null;
  runs: number;
  /** Calls per step our layers ran, and TF.js-kernel calls per step with the plug-in registered (0 when ours ran them all). */
  oursCallsPerStep: number | null;
  fallbacksPerStep: number | null;
  /** Filters packed on the GPU per step (weights change every step). */
  packsPerStep: number | null;
  /** Share of a stock step's GPU kernel time in the kernels the plug-in replaces (tf.profile), or null when TF.js gives no kernel times. */
  replacedShare: number | null;
  note: string;
}

/** The discriminator's convolution widths: the generator's in reverse (DCGAN's D mirrors its G). */
function discriminatorWidths(g: ModelSpec): number[] {
  return [g.width / 8, g.width / 4, g.width / 2, g.width];
}

function describe(spec: TrainingSpec): string {
  const g = spec.generator;
  return `the bench's ${g.name} generator (${describeModel(g)}) + a mirrored D (conv2d k4 s2 to ${discriminatorWidths(g).join(', ')} channels, leaky ReLU, dense), batch ${g.batch}, SGD`;
}

/** Generator (the models section's, seeded) and discriminator (seeded). */
function buildGan(spec: TrainingSpec): { g: tfl.LayersModel; d: tfl.Sequential } {
  const g = buildModel(spec.generator);
  let seed = 1;
  const init = () => tfl.initializers.heNormal({ seed: seed++ });
  const d = tfl.sequential();
  discriminatorWidths(spec.generator).forEach((filters, i) => {
    d.add(tfl.layers.conv2d({ ...(i === 0 ? { inputShape: [64, 64, 3] } : {}), filters, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init() }));
    d.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  });
  d.add(tfl.layers.flatten());
  d.add(tfl.layers.dense({ units: 1, kernelInitializer: init() }));
  return { g, d };
}

/** Switches the three kernels between TF.js's and the registration's (keeping our prepared layers). */
function kernelSwitch(registration: () => TfjsRegistration) {
  const plain = KERNELS.map((k) => tf.getKernel(k, 'webgpu')).filter((k): k is tf.KernelConfig => !!k);
  const reg = registration();
  const ours = KERNELS.map((k) => tf.getKernel(k, 'webgpu')).filter((k): k is tf.KernelConfig => !!k);
  const use = (configs: tf.KernelConfig[]) => configs.forEach((c) => { tf.unregisterKernel(c.kernelName, 'webgpu'); tf.registerKernel(c); });
  return { reg, use: (way: 'tfjs' | 'ours') => use(way === 'ours' ? ours : plain), close: () => { use(ours); reg.unregister(); } };
}

/** Times training steps both ways, alternated; appends nothing anywhere (the caller keeps the row). */
export async function benchTraining(device: GPUDevice, spec: TrainingSpec, timing: TimingOptions): Promise<TrainingResult> {
  await useTfjsOn(device);
  const row: TrainingResult = {
    name: spec.name, description: describe(spec), tfjsMs: null, oursMs: null, speedup: null, runs: 0,
    oursCallsPerStep: null, fallbacksPerStep: null, packsPerStep: null, replacedShare: null, note: '',
  };
  const { g, d } = buildGan(spec);
  const optG = tf.train.sgd(0.01), optD = tf.train.sgd(0.01);
  const batch = spec.generator.batch;
  const z = tf.randomNormal([batch, Z_SIZE], 0, 1, 'float32', 7);
  const real = tf.randomUniform([batch, 64, 64, 3], -1, 1, 'float32', 8);
  const ones = tf.ones([batch, 1]), zeros = tf.zeros([batch, 1]);
  const bce = (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
  const gVars = g.trainableWeights.map((w) => w.read() as tf.Variable);
  const dVars = d.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = async () => {
    optD.minimize(() => tf.add(bce(ones, d.predict(real) as tf.Tensor), bce(zeros, d.predict(g.predict(z) as tf.Tensor) as tf.Tensor)) as tf.Scalar, false, dVars);
    const loss = optG.minimize(() => bce(ones, d.predict(g.predict(z) as tf.Tensor) as tf.Tensor), true, gVars)!;
    await loss.data();
    loss.dispose();
  };
  let sw: ReturnType<typeof kernelSwitch> | null = null;
  try {
    // TF.js's pipelines first; then ours, prepared during a first step.
    await step();
    sw = kernelSwitch(() => registerWithTfjs(tf));
    const s = sw;
    await step();
    await s.reg.ready();
    // The share of a stock step's kernel time in the replaced kernels, from TF.js's profiler.
    s.use('tfjs');
    const profile = await tf.profile(async () => { await step(); });
    let all = 0, replaced = 0, known = true;
    for (const k of profile.kernels) {
      const t = await (k.kernelTimeMs as number | Promise<number> | { error: string });
      if (typeof t !== 'number') { known = false; break; }
      all += t;
      if (KERNELS.includes(k.name)) replaced += t;
    }
    row.replacedShare = known && all > 0 ? replaced / all : null;
    const ms = { tfjs: [] as number[], ours: [] as number[] };
    let round = 0, oursSteps = 0;
    const counts = { ours: 0, fallback: 0, packs: 0 };
    await timeRuns(async (slot) => {
      for (const way of round++ % 2 ? ['ours', 'tfjs'] as const : ['tfjs', 'ours'] as const) {
        s.use(way);
        const before = { ours: s.reg.stats.ours, fallback: s.reg.stats.fallback, packs: s.reg.stats.weightPacks };
        const t0 = performance.now();
        await step();
        if (slot === null) continue;
        ms[way].push(performance.now() - t0);
        if (way === 'ours') {
          oursSteps++;
          counts.ours += s.reg.stats.ours - before.ours;
          counts.fallback += s.reg.stats.fallback - before.fallback;
          counts.packs += s.reg.stats.weightPacks - before.packs;
        }
      }
    }, { ...timing, floorRuns: Math.max(timing.floorRuns ?? 3, 5) });
    Object.assign(row, {
      tfjsMs: median(ms.tfjs), oursMs: median(ms.ours), runs: ms.tfjs.length,
      oursCallsPerStep: counts.ours / oursSteps, fallbacksPerStep: counts.fallback / oursSteps, packsPerStep: counts.packs / oursSteps,
    });
    row.speedup = counts.fallback === 0 ? row.tfjsMs! / row.oursMs! : null;
    const paths = Object.entries(s.reg.stats.paths).map(([p, n]) => `${p} ×${n}`).join(', ');
    row.note = [`ours: ${paths || 'no layer'}`, counts.fallback ? `ERROR: TF.js's kernels ran ${counts.fallback}× in timed steps with ours registered` : ''].filter(Boolean).join('; ');
  } catch (e) {
    row.note = `failed: ${(e as Error).message}`;
  } finally {
    sw?.close();
    g.dispose();
    d.dispose();
    optG.dispose();
    optD.dispose();
    tf.dispose([z, real, ones, zeros]);
  }
  return row;
}

const ms = (v: number | null) => (v === null ? 'n/a' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const num = (v: number | null) => (v === null ? 'n/a' : Number.isInteger(v) ? String(v) : v.toFixed(1));

export const TRAINING_HEADERS: readonly string[] = ['training', 'TF.js WebGPU ms/step', '+ours ms/step', 'speed-up', 'runs', 'ours calls/step', 'fallbacks/step', 'filter packs/step', 'replaced kernels\' share of a stock step', 'note'];

/** The training table as rows of cells (header first). */
export function trainingRows(rows: readonly TrainingResult[]): string[][] {
  return [[...TRAINING_HEADERS], ...rows.map((r) => [
    r.name, ms(r.tfjsMs), ms(r.oursMs), r.speedup === null ? 'n/a' : `${r.speedup.toFixed(2)}×`, String(r.runs),
    num(r.oursCallsPerStep), num(r.fallbacksPerStep), num(r.packsPerStep), r.replacedShare === null ? 'n/a' : `${(100 * r.replacedShare).toFixed(0)}%`, r.note,
  ])];
}

/** The sentence under the table. */
export function trainingLegend(rows: readonly TrainingResult[]): string {
  return `${rows.map((r) => `${r.name}: ${r.description}.`).join(' ')} One step = a discriminator step and a generator step (optimizer.minimize each), the loss read back; ` +
    'median of steps alternated between stock TF.js WebGPU and registerWithTfjs, after warm-up. The weights change every step, so each of our calls packs its filter on the GPU first. ' +
    'Share: the replaced kernels\' part of one stock step\'s kernel time (tf.profile).';
}
