/**
 * Whole models for the end-to-end comparison (bench `models` section, demo panel): a DCGAN generator and a
 * U-Net decoder block, written with TF.js layers, with seeded weights. The seeded weights and inputs are plain
 * typed arrays (no TF.js needed to make them), so a test can recompute a model in float64 from the same numbers.
 * Tensors are NHWC and filters in TF.js layouts (dense [in, out], conv2d [kH, kW, in, out], conv2dTranspose
 * [kH, kW, out, in]).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { randomFloats, seedOf } from './random';

/** A model of the section: an architecture and its size. */
export interface ModelSpec {
  name: string;
  kind: 'dcgan' | 'unet-decoder';
  batch: number;
  /**
   * dcgan: channels of the projected 4×4 map (1024 in Radford et al.; each transposed convolution halves them,
   * the last one goes to 3). unet-decoder: channels of the deep map (the skip tensor and the output have half).
   */
  width: number;
  /** unet-decoder: side of the deep map (the skip tensor and the output are twice that). dcgan: always 4 → 64. */
  size?: number;
}

/**
 * The models the bench runs, in table order. The U-Net block's transposed convolution is the suite's unet-up
 * layer. Other sizes run through the page's `benchApi.runModel(spec)` (a batch-8 generator takes over 3 minutes
 * on a software adapter, so it is not in the default run).
 */
export const MODELS: readonly ModelSpec[] = [
  { name: 'dcgan-64', kind: 'dcgan', batch: 1, width: 1024 },
  { name: 'unet-decoder', kind: 'unet-decoder', batch: 1, width: 256, size: 32 },
];

/** DCGAN: size of z, kernel of the transposed convolutions (k4 s2 'same': even overlap, pads 1 as PyTorch's DCGAN). */
export const Z_SIZE = 100;
export const DCGAN_KERNEL = 4;
/** tfjs-layers' BatchNormalization default, written out because the float64 check uses it too. */
export const BN_EPSILON = 1e-3;

/** One layer's weights in the order TF.js's `layer.setWeights` takes them. */
export interface LayerWeights {
  name: string;
  kind: 'dense' | 'batchNorm' | 'convTranspose' | 'conv';
  tensors: { shape: number[]; values: Float32Array }[];
}

/** Checks a spec; returns the unet size (or 4 for dcgan). */
function checkSpec(spec: ModelSpec): number {
  const fail = (what: string) => { throw new RangeError(`model ${spec.name}: ${what}`); };
  if (!Number.isInteger(spec.batch) || spec.batch < 1) fail(`batch: expected a positive integer, got ${spec.batch}`);
  if (spec.kind === 'dcgan') {
    if (!Number.isInteger(spec.width) || spec.width < 8 || spec.width % 8 !== 0) fail(`width: expected a multiple of 8, got ${spec.width}`);
    return 4;
  }
  if (spec.kind !== 'unet-decoder') fail(`kind: expected 'dcgan' or 'unet-decoder', got ${String(spec.kind)}`);
  if (!Number.isInteger(spec.width) || spec.width < 2 || spec.width % 2 !== 0) fail(`width: expected an even integer, got ${spec.width}`);
  const size = spec.size ?? 32;
  if (!Number.isInteger(size) || size < 1) fail(`size: expected a positive integer, got ${size}`);
  return size;
}

/**
 * Uniform weights with variance 2 / fanIn (He), so every layer keeps its activations near unit size and the
 * batch norm's moving statistics (seeded near mean 0, variance 1) roughly fit them: the image neither
 * saturates the tanh nor fades to grey.
 */
function kernel(model: string, layer: string, shape: number[], fanIn: number): { shape: number[]; values: Float32Array } {
  const count = shape.reduce((a, b) => a * b, 1);
  return { shape, values: randomFloats(count, seedOf(`${model}/${layer}/kernel`), Math.sqrt(6 / fanIn)) };
}

/** Bilinear 2× up-sampling taps per axis (k = 4, stride 2): each output pixel gets 3/4 of its nearer input and 1/4 of the other. */
const BILINEAR = [0.25, 0.75, 0.75, 0.25];

/**
 * The generator's transposed-convolution filters [4, 4, C_out, C_in]: a random gain per channel pair on the
 * bilinear taps, plus independent random taps. Untrained filters of independent taps draw per-pixel noise;
 * these draw smooth colour fields with some texture, a picture worth showing, with every tap still distinct
 * (the float64 check sees a flipped or transposed filter). Variance about 2 / C_in·gain² (He), as kernel().
 */
function upFilter(model: string, layer: string, cout: number, cin: number, gain: number, noise: number): { shape: number[]; values: Float32Array } {
  const k = DCGAN_KERNEL;
  const pairs = randomFloats(cout * cin, seedOf(`${model}/${layer}/gain`), Math.sqrt(6 / cin));
  const taps = randomFloats(k * k * cout * cin, seedOf(`${model}/${layer}/kernel`), Math.sqrt(6 / (4 * cin)));
  const values = new Float32Array(k * k * cout * cin);
  for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) {
    const at = ((ky * k + kx) * cout + o) * cin + i;
    values[at] = gain * (pairs[o * cin + i] * BILINEAR[ky] * BILINEAR[kx] + noise * taps[at]);
  }
  return { shape: [k, k, cout, cin], values };
}

/** Values `center` ± `spread`, seeded. */
function around(model: string, name: string, count: number, center: number, spread: number): { shape: number[]; values: Float32Array } {
  const values = randomFloats(count, seedOf(`${model}/${name}`), spread);
  for (let i = 0; i < count; i++) values[i] += center;
  return { shape: [count], values };
}

function batchNorm(model: string, name: string, channels: number): LayerWeights {
  return {
    name, kind: 'batchNorm', tensors: [
      around(model, `${name}/gamma`, channels, 1, 0.2),
      around(model, `${name}/beta`, channels, 0, 0.1),
      around(model, `${name}/moving_mean`, channels, 0, 0.2),
      around(model, `${name}/moving_variance`, channels, 1, 0.3),
    ],
  };
}

/**
 * The seeded weights of a model, layer by layer in model order. The weights depend on the model's name and
 * shape only (not on TF.js's layer counters), so every run and every page sees the same numbers.
 */
export function modelWeights(spec: ModelSpec): LayerWeights[] {
  checkSpec(spec);
  const m = spec.name;
  if (spec.kind === 'dcgan') {
    const w = spec.width;
    // The last one (to RGB, the only one with a bias) with less per-tap noise, which would show as a pixel grid.
    const up = (name: string, cin: number, cout: number, bias: boolean): LayerWeights => ({
      name, kind: 'convTranspose',
      tensors: [upFilter(m, name, cout, cin, bias ? 1.5 : 1, bias ? 0.15 : 0.25), ...(bias ? [around(m, `${name}/bias`, cout, 0, 0.1)] : [])],
    });
    return [
      { name: 'project', kind: 'dense', tensors: [kernel(m, 'project', [Z_SIZE, 16 * w], Z_SIZE)] },
      batchNorm(m, 'bn0', w),
      up('up1', w, w / 2, false), batchNorm(m, 'bn1', w / 2),
      up('up2', w / 2, w / 4, false), batchNorm(m, 'bn2', w / 4),
      up('up3', w / 4, w / 8, false), batchNorm(m, 'bn3', w / 8),
      up('up4', w / 8, 3, true),
    ];
  }
  const c = spec.width, half = c / 2;
  return [
    { name: 'up', kind: 'convTranspose', tensors: [kernel(m, 'up', [2, 2, half, c], c), around(m, 'up/bias', half, 0, 0.1)] },
    { name: 'conv1', kind: 'conv', tensors: [kernel(m, 'conv1', [3, 3, 2 * half, half], 9 * 2 * half), around(m, 'conv1/bias', half, 0, 0.1)] },
    { name: 'conv2', kind: 'conv', tensors: [kernel(m, 'conv2', [3, 3, half, half], 9 * half), around(m, 'conv2/bias', half, 0, 0.1)] },
  ];
}

/** A model's inputs (NHWC), seeded: z uniform in [-1, 1) for the generator; feature maps in [0, 1) (post-ReLU) for the decoder. */
export function modelInputs(spec: ModelSpec, seed = 0): { shape: number[]; values: Float32Array }[] {
  const size = checkSpec(spec);
  const n = spec.batch;
  const make = (what: string, shape: number[], positive: boolean) => {
    const values = randomFloats(shape.reduce((a, b) => a * b, 1), seedOf(`${spec.name}/${what}/${seed}`));
    if (positive) for (let i = 0; i < values.length; i++) values[i] = Math.abs(values[i]);
    return { shape, values };
  };
  if (spec.kind === 'dcgan') return [make('z', [n, Z_SIZE], false)];
  return [make('deep', [n, size, size, spec.width], true), make('skip', [n, 2 * size, 2 * size, spec.width / 2], true)];
}

/** The output shape (NHWC). */
export function modelOutputShape(spec: ModelSpec): number[] {
  const size = checkSpec(spec);
  return spec.kind === 'dcgan' ? [spec.batch, 64, 64, 3] : [spec.batch, 2 * size, 2 * size, spec.width / 2];
}

/** Transposed convolutions in one forward pass. */
export function convTransposesOf(spec: ModelSpec): number {
  return spec.kind === 'dcgan' ? 4 : 1;
}

/** One line on what the model is. */
export function describeModel(spec: ModelSpec): string {
  const size = checkSpec(spec);
  if (spec.kind === 'dcgan') {
    const w = spec.width;
    return `DCGAN generator, batch ${spec.batch}: z ${Z_SIZE} → dense → 4×4×${w} → 4 conv2dTranspose k${DCGAN_KERNEL} s2 ` +
      `(${w / 2}, ${w / 4}, ${w / 8}, 3 channels) with batch norm + ReLU, tanh → 64×64×3`;
  }
  const c = spec.width;
  return `U-Net decoder block, batch ${spec.batch}: ${size}×${size}×${c} → conv2dTranspose k2 s2 (${c / 2}) ‖ skip ` +
    `${2 * size}×${2 * size}×${c / 2} → 2 conv2d 3×3 + ReLU → ${2 * size}×${2 * size}×${c / 2}`;
}

/**
 * The model in TF.js layers with its seeded weights (the default initializers are replaced by zeros first, so
 * no unseeded random numbers are drawn). Weights live in the current TF.js backend; `model.dispose()` frees them.
 */
export function buildModel(spec: ModelSpec): tfl.LayersModel {
  const size = checkSpec(spec);
  const weights = modelWeights(spec);
  const zeros = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  const pairs: [tfl.layers.Layer, LayerWeights][] = [];
  const named = (name: string) => {
    const w = weights.find((l) => l.name === name);
    if (!w) throw new Error(`model ${spec.name}: no weights for layer ${name}`);
    return w;
  };
  const use = <L extends tfl.layers.Layer>(layer: L, name: string): L => {
    pairs.push([layer, named(name)]);
    return layer;
  };
  let model: tfl.LayersModel;
  if (spec.kind === 'dcgan') {
    const w = spec.width;
    const s = tfl.sequential();
    s.add(use(tfl.layers.dense({ inputShape: [Z_SIZE], units: 16 * w, useBias: false, ...zeros }), 'project'));
    s.add(tfl.layers.reshape({ targetShape: [4, 4, w] }));
    s.add(use(tfl.layers.batchNormalization({ epsilon: BN_EPSILON }), 'bn0'));
    s.add(tfl.layers.reLU());
    for (const [i, cout] of [w / 2, w / 4, w / 8].entries()) {
      s.add(use(tfl.layers.conv2dTranspose({ filters: cout, kernelSize: DCGAN_KERNEL, strides: 2, padding: 'same', useBias: false, ...zeros }), `up${i + 1}`));
      s.add(use(tfl.layers.batchNormalization({ epsilon: BN_EPSILON }), `bn${i + 1}`));
      s.add(tfl.layers.reLU());
    }
    s.add(use(tfl.layers.conv2dTranspose({ filters: 3, kernelSize: DCGAN_KERNEL, strides: 2, padding: 'same', activation: 'tanh', ...zeros }), 'up4'));
    model = s;
  } else {
    const c = spec.width, half = c / 2;
    const deep = tfl.input({ shape: [size, size, c] });
    const skip = tfl.input({ shape: [2 * size, 2 * size, half] });
    const up = use(tfl.layers.conv2dTranspose({ filters: half, kernelSize: 2, strides: 2, padding: 'same', ...zeros }), 'up').apply(deep) as tfl.SymbolicTensor;
    const joined = tfl.layers.concatenate({ axis: -1 }).apply([up, skip]) as tfl.SymbolicTensor;
    const c1 = use(tfl.layers.conv2d({ filters: half, kernelSize: 3, padding: 'same', activation: 'relu', ...zeros }), 'conv1').apply(joined) as tfl.SymbolicTensor;
    const c2 = use(tfl.layers.conv2d({ filters: half, kernelSize: 3, padding: 'same', activation: 'relu', ...zeros }), 'conv2').apply(c1) as tfl.SymbolicTensor;
    model = tfl.model({ inputs: [deep, skip], outputs: c2 });
  }
  for (const [layer, w] of pairs) {
    const tensors = w.tensors.map((t) => tf.tensor(t.values, t.shape));
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
  return model;
}
