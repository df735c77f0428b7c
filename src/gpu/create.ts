/**
 * createConvTranspose: checks the options, builds the planning context, picks what runs (the path asked for,
 * or `auto`: ranked by the cost model, the close ones timed) and builds the layer (layer.ts).
 */
import { resolveConvTranspose, type ConvTransposeAttributes } from '../shape';
import { biasParts, tensorData, type BiasLike, type TensorLike } from '../tensor';
import { resolveActivation, type Activation } from '../activation';
import { checkDataLayout, filterToIohw, shapeToChannelsFirst, type DataLayout, type FilterLayout } from '../layout';
import { checkDataType, type DataType } from '../half';
import { deviceLostInfo } from './device';
import { GPU_PATHS, checkPathOption, familyOf, type PathOption } from './kernels/registry';
import { adapterClassOf, deviceLimits, makeContext, type AdapterClass, type PlanContext } from './plan/context';
import { chunkedPlan, fitsDevice, type Candidate } from './plan/chunked';
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
   * Fused activation applied to `sum + bias` before the store: `relu`, `relu6`, `sigmoid`, `tanh`, `gelu`,
   * `leakyRelu`, `elu`, `hardSigmoid` by name (WebNN defaults), or `{ name, ...parameters }`, e.g.
   * `{ name: 'leakyRelu', alpha: 0.2 }`, `{ name: 'clamp', min: 0, max: 6 }`.
   */
  activation?: Activation | null;
  /** Order of `weight`'s axes (default `iohw`, `[C_in, C_out/groups, ...kernel]`); converted once here. */
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

/** Throws a TypeError naming `adapterClass` unless it is absent, `cpu` or `gpu`. */
export function checkAdapterClass(value: unknown): asserts value is AdapterClass | undefined {
  if (value !== undefined && value !== 'cpu' && value !== 'gpu') {
    throw new TypeError(`adapterClass: expected 'cpu' or 'gpu', got ${JSON.stringify(value)}`);
  }
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
  if (!device || typeof (device as GPUDevice).createBuffer !== 'function') {
    throw new TypeError(`device: expected a GPUDevice, got ${device === null ? 'null' : typeof device}`);
  }
  if (!options || typeof options !== 'object') throw new TypeError('options: expected an object');
  const { inputShape, weight: given, bias, path: asked = 'auto', config, label = 'convtranspose', adapterClass, tune = true, activation, filterLayout, inputLayout = 'nchw', dataType = 'float32', ...attrs } = options;
  checkDataLayout(inputLayout);
  checkDataType(dataType);
  const act = resolveActivation(activation);
  const weight = filterToIohw(given, filterLayout, dataType);
  checkPathOption(asked);
  checkAdapterClass(adapterClass);
  if (typeof tune !== 'boolean') throw new TypeError(`tune: expected a boolean, got ${JSON.stringify(tune)}`);
  if (config !== undefined && asked === 'auto') throw new TypeError("config: configures one path's kernels: give a path by name with it, not 'auto'");
  if (!weight || typeof weight !== 'object') throw new TypeError('weight: expected a tensor { data, shape }');
  const b = biasParts(bias, dataType);
  const r = resolveConvTranspose(shapeToChannelsFirst(inputShape, inputLayout, weight.shape?.length), weight.shape, b?.shape, attrs);
  const w = tensorData('weight', weight, dataType);
  const ctx = makeContext(r, {
    limits: deviceLimits(device), adapter: adapterClass ?? adapterClassOf(device), activation: act,
    channelsLast: inputLayout === 'nhwc', dataType, finiteWeights: allFinite(w),
  });
  if (asked !== 'auto') {
    const why = familyOf(asked).unsupported?.(ctx);
    if (why) throw new RangeError(`path: '${asked}' cannot run this layer: it takes ${why}; use path 'auto' or another path`);
  }
  const forced: Candidate | null = asked === 'auto' ? null : { path: asked, ...(config !== undefined ? { config: familyOf(asked).checkConfig(ctx, config) } : {}) };
  if (forced) checkForced(ctx, forced);
  // A layer made on a lost device would "work" and compute nothing: refuse it (arguments are checked first).
  const lostAlready = await deviceLostInfo(device, 0);
  if (lostAlready) throw lostLayerError('createConvTranspose', lostAlready);
  const build = (c: Candidate) => buildLayer(device, ctx, c, w, b?.data, label);
  return forced ? build(forced) : autoChoice(device, ctx, tune, build);
}
