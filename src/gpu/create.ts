/**
 * createConvTranspose: checks the options (options.ts: once, against the table), resolves the problem
 * (problem.ts), builds the planning context, picks what runs (the path asked for, or `auto`: ranked by the
 * cost model, the close ones timed) and builds the layer (layer.ts).
 */
import type { ConvTransposeAttributes } from '../shape';
import type { BiasLike, TensorLike } from '../tensor';
import type { Activation } from '../activation';
import type { DataLayout, FilterLayout } from '../layout';
import type { DataType } from '../half';
import { checkOptions, type CheckedOptions } from '../options';
import { CORE_NAMES, resolveProblem, type Problem } from '../problem';
import { deviceLostInfo } from './device';
import { GPU_PATHS, familyOf, type PathOption } from './kernels/registry';
import { adapterClassOf, deviceLimits, makeContext, type AdapterClass, type PlanContext } from './plan/context';
import { checkTensorBuffers, chunkedPlan, fitsDevice, type Candidate } from './plan/chunked';
import { autoChoice } from './plan/auto';
import { buildLayer, lostLayerError, type ConvTransposeLayer } from './layer';

/** Options of {@link createConvTranspose}: the attributes, the weights and the input shape the layer runs on. */
export interface ConvTransposeLayerOptions extends ConvTransposeAttributes {
  /** `[N, C_in, ...spatial]` (`[N, ...spatial, C_in]` with `inputLayout: 'nhwc'`), 1 to 3 spatial axes; N may be left out (unbatched). */
  inputShape: readonly number[];
  /** `[C_in, C_out/groups, ...kernel]`. */
  weight: TensorLike;
  /** `[C_out]`, optional. */
  bias?: BiasLike | null;
  /** A path by name, or `auto` (default): the path the cost model expects to be fastest here. */
  path?: PathOption;
  /**
   * With a path by name: the configuration of its family to run (e.g. `{ kernel: 'gemm', px: 4, ocv: 1, ksplit: 2 }`
   * for `phase`), instead of the family's rule; each path documents its settings (`layer.config` shows the
   * one that runs). For tests and tuning experiments: it changes speed, never the result.
   */
  config?: object;
  /** Label prefix for the GPU objects, shown in WebGPU error messages and captures. */
  label?: string;
  /**
   * Plan as for this kind of adapter instead of the one read from `device.adapterInfo`: `gpu` (many small
   * invocations, split-K on deep layers) or `cpu` (SwiftShader-like: few, fat invocations). Changes speed and
   * the path `auto` picks, never the result.
   */
  adapterClass?: AdapterClass;
  /**
   * `auto` only (default true): when the cost model finds several candidates close (paths, and on a GPU their
   * configurations), time them on this device for this problem and keep the fastest (cached per device and
   * problem, so only the first layer pays). `false`: the cost model alone decides, with no GPU work at creation.
   */
  tune?: boolean;
  /**
   * Fused activation applied to `sum + bias` before the store, by name or as `{ name, ...parameters }`, with
   * the core's defaults: `relu`; `relu6` (clamp to [0, 6]); `sigmoid`; `tanh`; `gelu` (exact, with erf);
   * `leakyRelu` (`alpha` 0.01, as PyTorch and WebNN); `elu` (`alpha` 1); `hardSigmoid` (max(0, min(1,
   * alpha*x + beta)), `alpha` 0.2, `beta` 0.5, as WebNN and ONNX; PyTorch's Hardsigmoid is alpha 1/6);
   * `clamp` (`min` -Infinity, `max` +Infinity). E.g. `{ name: 'leakyRelu', alpha: 0.2 }`,
   * `{ name: 'clamp', min: 0, max: 6 }`. (The TF.js and WebNN spellings take their own names: activation.ts.)
   */
  activation?: Activation | null;
  /**
   * Order of `weight`'s axes, converted to `iohw` once here. `i` is every input channel (C_in), `o` the output
   * channels of one group (C_out/groups), `hw` the kernel axes in order (1 to 3 of them):
   * - `iohw` (default): `[C_in, C_out/groups, ...kernel]`, PyTorch ConvTranspose's and ONNX's weight;
   * - `oihw`: `[C_out/groups, C_in, ...kernel]`, iohw with its first two axes swapped. With groups = 1 this is
   *   a forward Conv's weight `[C_out, C_in, ...kernel]` (PyTorch Conv, ONNX Conv); with groups > 1 it is not
   *   PyTorch Conv's `[C_out, C_in/groups, ...kernel]`: the first axis holds one group's output channels, the
   *   second all input channels (group g's are rows g*C_in/groups to (g+1)*C_in/groups - 1);
   * - `hwoi`: `[...kernel, C_out/groups, C_in]`, TF.js's filter `[kH, kW, outDepth, inDepth]`, WebNN's hwoi;
   * - `ohwi`: `[C_out/groups, ...kernel, C_in]`, WebNN's ohwi.
   */
  filterLayout?: FilterLayout;
  /**
   * Layout of the input and output buffers: `nchw` (default, channels first) or `nhwc` (channels last,
   * `[N, ...spatial, C]` in any rank). The kernels index either directly; there is no transpose pass.
   */
  inputLayout?: DataLayout;
  /**
   * Storage type of the input and output buffers (WebNN's name): `float32` (default) or `float16`, two
   * elements to a 4-byte word, little-endian (as a Float16Array lies in memory). float16 works on every
   * adapter (no `shader-f16`): the kernels widen the input as they read it and accumulate in float32, and a
   * last dispatch rounds the result to float16 (to nearest, ties to even). Weights and bias stay float32 on
   * the GPU; they may be given as float16 (a Float16Array, or with `float16` a Uint16Array of bit patterns),
   * widened once here.
   */
  dataType?: DataType;
}

/** Whether every value is finite (no ±Inf, no NaN). */
function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** Plans a forced candidate now, so that a problem it cannot run says which paths can. */
function checkForced(ctx: PlanContext, candidate: Candidate): void {
  try {
    chunkedPlan(ctx, candidate);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const others = GPU_PATHS.filter((path) => path !== candidate.path && fitsDevice(ctx, { path }));
    if (others.length > 0) e.message += `; ${others.map((p) => `'${p}'`).join(', ')} ${others.length > 1 ? 'fit' : 'fits'} this device (or use path 'auto')`;
    throw e;
  }
}

/** Validates options and creates a layer: weights uploaded in the plan's layout, pipelines compiled. */
export async function createConvTranspose(device: GPUDevice, options: ConvTransposeLayerOptions): Promise<ConvTransposeLayer> {
  checkDeviceArgument(device);
  const o = checkOptions('createConvTranspose', options);
  const problem = resolveProblem(CORE_NAMES, o.inputShape, o.weight, o.attributes, o);
  return createLayer(device, problem, o);
}

/** Throws a TypeError naming `device` unless it is a GPUDevice (the prepared forms' first argument). */
export function checkDeviceArgument(device: unknown): asserts device is GPUDevice {
  if (!device || typeof (device as GPUDevice).createBuffer !== 'function') {
    throw new TypeError(`device: expected a GPUDevice, got ${device === null ? 'null' : typeof device}`);
  }
}

/** How a layer is picked and labelled: checked options (options.ts). */
export type LayerChoice = Pick<CheckedOptions, 'path' | 'config' | 'label' | 'adapterClass' | 'tune'>;

/**
 * A layer for a resolved problem (problem.ts) with checked options (options.ts): what every entry point's
 * prepared form, and the one-shot forms, call once they have checked their arguments.
 */
export async function createLayer(device: GPUDevice, problem: Problem, o: LayerChoice): Promise<ConvTransposeLayer> {
  const { r, weights: w, dataType } = problem;
  const limits = deviceLimits(device);
  checkTensorBuffers(r, dataType, limits, '; the one-shot form (convTranspose) runs such a problem in parts, or split the batch into layers that fit');
  const ctx: PlanContext = makeContext(r, {
    limits, adapter: o.adapterClass ?? adapterClassOf(device), activation: problem.activation,
    channelsLast: problem.inputLayout === 'nhwc', dataType, finiteWeights: allFinite(w),
  });
  const asked = o.path;
  if (asked !== 'auto') {
    const why = familyOf(asked).unsupported?.(ctx);
    if (why) throw new RangeError(`path: '${asked}' cannot run this layer: it takes ${why}; use path 'auto' or another path`);
  }
  const forced: Candidate | null = asked === 'auto' ? null : { path: asked, ...(o.config !== undefined ? { config: familyOf(asked).checkConfig(ctx, o.config) } : {}) };
  if (forced) checkForced(ctx, forced);
  // A layer made on a lost device would "work" and compute nothing: refuse it (arguments are checked first).
  const lostAlready = await deviceLostInfo(device, 0);
  if (lostAlready) throw lostLayerError('createConvTranspose', lostAlready);
  const build = (c: Candidate) => buildLayer(device, ctx, c, w, problem.bias, o.label);
  return forced ? build(forced) : autoChoice(device, ctx, o.tune, build);
}
