/**
 * The prepared form: a transposed convolution with its weights on the GPU, bound to one input shape, that
 * encodes into a caller's command encoder. Everything that can be checked is checked at creation, before
 * any GPU object exists; the hot path only binds buffers and dispatches.
 */
import { problem3d, resolveConvTranspose, sizeOf, type ConvTransposeAttributes, type Problem3d, type ResolvedConvTranspose } from '../shape';
import { biasParts, tensorData, type BiasLike, type TensorLike } from '../tensor';
import { resolveActivation, type Activation } from '../activation';
import { checkDataLayout, filterToIohw, shapeFromChannelsFirst, shapeToChannelsFirst, type DataLayout, type FilterLayout } from '../layout';
import { checkDataType, elementBytes, storageBytes, type DataType } from '../half';
import { denseView } from './uniforms';
import { BufferUsage } from './constants';
import { deviceLostError, deviceLostInfo, knownDeviceLoss, watchDevice, type DeviceLoss } from './device';
import { WORKGROUP_SIZE, getPipeline } from './pipelines';
import { adapterClassOf, checkAdapterClass, checkPathOption, PATHS, rankPaths, type GpuPath, type PathOption } from './paths';
import type { AdapterClass, Binding, Plan, PlanContext } from './paths/types';
import { tunedChoice } from './tune';
import { ChunkError, planChunks, type Chunk, type WeightSelection } from './chunks';

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
  /** Label prefix for the GPU objects, shown in WebGPU error messages and captures. */
  label?: string;
  /**
   * Plan as for this kind of adapter instead of the one read from `device.adapterInfo`: `gpu` (many small
   * invocations, split-K on deep layers) or `cpu` (SwiftShader-like: few, fat invocations). Changes speed and
   * the path `auto` picks, never the result.
   */
  adapterClass?: AdapterClass;
  /**
   * `auto` only (default true): when the cost model finds several paths close, time them once on this device
   * for this problem and keep the fastest (cached per device and problem, so only the first layer pays).
   * `false`: the cost model alone decides, with no GPU work at creation.
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

/** A transposed convolution ready to run on the GPU. Destroy it when done. */
export interface ConvTransposeLayer {
  /** The path that runs: the one asked for, or the one `auto` chose. */
  readonly path: GpuPath;
  /** What `encode` dispatches, in order: shader, override constants and workgroups (x, y). */
  readonly dispatches: readonly { shader: string; constants: Readonly<Record<string, number>>; workgroups: readonly [number, number] }[];
  /**
   * How many chunks the work runs as: 1, or more when a tensor (or the path's scratch or weights) exceeds
   * one binding (maxStorageBufferBindingSize): each chunk then runs on a window of the buffers (chunks.ts).
   */
  readonly chunks: number;
  /** The problem in channels-first form (its shapes are `nchw` whatever `inputLayout` is). */
  readonly resolved: ResolvedConvTranspose;
  /** The input's shape in the layer's layout. */
  readonly inputShape: readonly number[];
  /** The output's shape in the layer's layout. */
  readonly outputShape: readonly number[];
  readonly inputLayout: DataLayout;
  /** Storage type of input and output. */
  readonly dataType: DataType;
  /** Bytes the input buffer must hold, in the layer's layout: 4 per element, or for float16 2 per element rounded up to a multiple of 4. */
  readonly inputBytes: number;
  /** Bytes the output buffer must hold (likewise). */
  readonly outputBytes: number;
  /** The label its GPU objects carry (`<label>/weight`, `<label>/<shader>`, ...), so WebGPU errors name the layer. */
  readonly label: string;
  /**
   * Records the convolution as one compute pass into the caller's encoder. Checks synchronously, and throws on,
   * what WebGPU lets it see: the layer destroyed or its device known lost; a buffer that is not a GPUBuffer,
   * lacks STORAGE usage, is too small, is mapped or has a map pending; input and output the same buffer.
   * What WebGPU cannot tell synchronously (a buffer destroyed or of another device, an encoder finished or
   * with a pass open) stays the caller's to get right: WebGPU then reports a validation error at
   * `finish()`/`submit()`, naming the layer through the labels of its pass and bind groups.
   */
  encode(encoder: GPUCommandEncoder, input: GPUBuffer, output: GPUBuffer, timestampWrites?: GPUComputePassTimestampWrites): void;
  /**
   * Encodes and submits on the device's queue. Throws synchronously what `encode` checks; then returns a
   * promise that resolves once the GPU has accepted the work and rejects, with the layer's label, when WebGPU
   * raised a validation error for it (captured in an error scope, so it is not also reported as uncaptured)
   * or the device was lost. It does not wait for the work to finish (map the output, or
   * `device.queue.onSubmittedWorkDone()`). Callers that ignore the promise get the old fire-and-forget
   * behaviour, except that a failure is now an unhandled rejection instead of silence.
   */
  run(input: GPUBuffer, output: GPUBuffer): Promise<void>;
  /** Frees the layer's GPU buffers; idempotent. */
  destroy(): void;
}

/** Throws a RangeError when the problem is beyond the shaders' 32-bit index math (whatever the chunking). */
function checkIndexRange(path: GpuPath, r: ResolvedConvTranspose, p: Problem3d): void {
  for (let a = 0; a < 3; a++) {
    if (p.s[a] > 65535) throw new RangeError(`strides: the GPU paths take strides up to 65535, got ${p.s[a]}`);
    const reach = Math.max((p.inS[a] - 1) * p.s[a] + (p.k[a] - 1) * p.d[a] + 1, p.outS[a] + p.pb[a]);
    if (reach > 2 ** 31 - 1) {
      throw new RangeError(`${path}: axis ${a - (3 - r.dims)} spans ${reach} cells before padding, beyond the GPU paths' 32-bit index range`);
    }
  }
}

/** A chunk of the work with its planning context and its path's plan. */
interface PlannedChunk {
  readonly chunk: Chunk;
  readonly ctx: PlanContext;
  readonly plan: Plan;
}

/**
 * The path's plan for the problem, split into chunks when a tensor, scratch buffer or the weights would
 * exceed one binding (chunks.ts). Throws a RangeError saying what cannot fit when no split works.
 */
function chunkedPlan(device: GPUDevice, ctx: PlanContext, path: GpuPath): PlannedChunk[] {
  const { r, p } = ctx;
  checkIndexRange(path, r, p);
  const limits = device.limits;
  for (const [name, shape] of [['input', r.inputShape], ['output', r.outputShape]] as const) {
    const bytes = storageBytes(sizeOf(shape), ctx.dataType);
    if (bytes > limits.maxBufferSize) {
      throw new RangeError(`${name}: needs ${bytes} bytes, more than this device's maxBufferSize (${limits.maxBufferSize}): no buffer can hold it`);
    }
  }
  const module = PATHS.find((m) => m.name === path)!;
  const planned = new Map<Chunk, PlannedChunk>();
  const fits = (chunk: Chunk): string | null => {
    const sub: PlanContext = { ...ctx, r: chunk.r, p: chunk.p, views: chunk.views };
    const plan = module.plan(sub);
    const sizes: Record<string, number> = { weight: plan.weightBytes, ...plan.scratch };
    for (const [name, bytes] of Object.entries(sizes)) {
      if (bytes > ctx.maxBindingBytes) {
        const hint = name === 'zero-inserted input' ? "; the 'gather' and 'phase' paths need no such buffer" : '';
        return `${name}: ${bytes} bytes${hint}`;
      }
    }
    for (const s of plan.stages) {
      if (s.grid[1] > limits.maxComputeWorkgroupsPerDimension || s.grid[0] * s.grid[1] * WORKGROUP_SIZE > 2 ** 32 - 1) {
        return `${s.grid[0] * s.grid[1]} workgroups, more than this device can dispatch`;
      }
    }
    planned.set(chunk, { chunk, ctx: sub, plan });
    return null;
  };
  const lim = { maxBinding: ctx.maxBindingBytes, alignment: limits.minStorageBufferOffsetAlignment, elementBytes: elementBytes(ctx.dataType) };
  try {
    return planChunks(r, ctx.channelsLast, lim, fits).map((c) => planned.get(c)!);
  } catch (e) {
    if (e instanceof ChunkError) throw new RangeError(`${path}: ${e.message}`);
    throw e;
  }
}

/** The weights `[C_in, C_out/groups, ...kernel]` (and bias) of a chunk's selection: the full ones, or a copied slice. */
function selectWeights(p: Problem3d, w: Float32Array, bias: Float32Array | undefined, sel: WeightSelection): { w: Float32Array; bias: Float32Array | undefined } {
  if (sel.groups === p.G && sel.oc === p.CoutG) return { w, bias };
  const taps = sizeOf(p.k);
  const out = new Float32Array(sel.groups * p.CinG * sel.oc * taps);
  let o = 0;
  for (let ic = sel.g0 * p.CinG; ic < (sel.g0 + sel.groups) * p.CinG; ic++) {
    const from = (ic * p.CoutG + sel.oc0) * taps;
    out.set(w.subarray(from, from + sel.oc * taps), o);
    o += sel.oc * taps;
  }
  let b: Float32Array | undefined;
  if (bias) {
    b = new Float32Array(sel.groups * sel.oc);
    for (let g = 0; g < sel.groups; g++) b.set(bias.subarray((sel.g0 + g) * p.CoutG + sel.oc0, (sel.g0 + g) * p.CoutG + sel.oc0 + sel.oc), g * sel.oc);
  }
  return { w: out, bias: b };
}

function checkBuffer(name: string, buffer: GPUBuffer, bytes: number, shape: readonly number[]): void {
  if (!buffer || typeof buffer !== 'object' || typeof buffer.size !== 'number') {
    throw new TypeError(`${name}: expected a GPUBuffer, got ${buffer === null ? 'null' : typeof buffer}`);
  }
  const mapState = (buffer as { mapState?: GPUBufferMapState }).mapState;
  if (mapState === 'mapped') {
    throw new Error(`${name}: the buffer is mapped (mapState 'mapped'); call unmap() before the GPU uses it (a buffer made with mappedAtCreation stays mapped until then)`);
  }
  if (mapState === 'pending') {
    throw new Error(`${name}: the buffer has a mapAsync() pending (mapState 'pending'); wait for it and unmap() before the GPU uses it`);
  }
  if ((buffer.usage & BufferUsage.STORAGE) === 0) {
    throw new TypeError(`${name}: the buffer needs GPUBufferUsage.STORAGE (usage is 0x${buffer.usage.toString(16)})`);
  }
  if (buffer.size < bytes) {
    throw new RangeError(`${name}: buffer has ${buffer.size} bytes, shape [${shape.join(', ')}] needs ${bytes}`);
  }
}

/** Validates options and creates a layer: weights uploaded in the path's layout, pipelines compiled. */
export async function createConvTranspose(device: GPUDevice, options: ConvTransposeLayerOptions): Promise<ConvTransposeLayer> {
  if (!device || typeof (device as GPUDevice).createBuffer !== 'function') {
    throw new TypeError(`device: expected a GPUDevice, got ${device === null ? 'null' : typeof device}`);
  }
  if (!options || typeof options !== 'object') throw new TypeError('options: expected an object');
  const { inputShape, weight: given, bias, path: asked = 'auto', label = 'convtranspose', adapterClass, tune = true, activation, filterLayout, inputLayout = 'nchw', dataType = 'float32', ...attrs } = options;
  checkDataLayout(inputLayout);
  checkDataType(dataType);
  const act = resolveActivation(activation);
  const weight = filterToIohw(given, filterLayout, dataType);
  checkPathOption(asked);
  checkAdapterClass(adapterClass);
  if (typeof tune !== 'boolean') throw new TypeError(`tune: expected a boolean, got ${JSON.stringify(tune)}`);
  if (!weight || typeof weight !== 'object') throw new TypeError('weight: expected a tensor { data, shape }');
  const b = biasParts(bias, dataType);
  const r = resolveConvTranspose(shapeToChannelsFirst(inputShape, inputLayout, weight.shape?.length), weight.shape, b?.shape, attrs);
  const w = tensorData('weight', weight, dataType);
  const p = problem3d(r);
  // A layer made on a lost device would "work" and compute nothing: refuse it (arguments are checked first).
  const lostAlready = await deviceLostInfo(device, 0);
  if (lostAlready) throw lostLayerError('createConvTranspose', lostAlready);

  const limits = device.limits;
  const ctx: PlanContext = {
    r, p, maxWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    maxBindingBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize), adapter: adapterClass ?? adapterClassOf(device),
    activation: act,
    channelsLast: inputLayout === 'nhwc',
    views: { x: denseView(p.Cin, p.inS, inputLayout === 'nhwc'), y: denseView(p.Cout, p.outS, inputLayout === 'nhwc') },
    dataType,
    finiteWeights: allFinite(w),
  };
  if (asked !== 'auto') return buildLayer(device, ctx, asked, w, b?.data, label);

  // auto: the paths that fit this device, cheapest first by the cost model; close ones are timed (tune.ts).
  const fitting = rankPaths(ctx).filter(({ path }) => fitsDevice(device, ctx, path));
  if (fitting.length === 0) return buildLayer(device, ctx, 'phase', w, b?.data, label); // throws the reason
  const build = (path: GpuPath) => buildLayer(device, ctx, path, w, b?.data, label);
  return tune && r.batch > 0 ? tunedChoice(device, ctx, fitting, build) : build(fitting[0].path);
}

/** Whether every value is finite (no ±Inf, no NaN). */
function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** Whether a path can run the problem on the device, split into chunks or not. */
function fitsDevice(device: GPUDevice, ctx: PlanContext, path: GpuPath): boolean {
  try {
    chunkedPlan(device, ctx, path);
    return true;
  } catch {
    return false;
  }
}

/** The error a layer (or its creation) gives once its device is lost: the loss, and what to do about it. */
function lostLayerError(who: string, loss: DeviceLoss): Error {
  const e = deviceLostError(who, loss);
  e.message += '; a layer cannot outlive its device: create a new one with createConvTranspose on a live device (getDevice() gives a new shared one)';
  return e;
}

/** Uploads the weights in the plan's layout, compiles its pipelines and returns the layer. */
async function buildLayer(device: GPUDevice, ctx: PlanContext, path: GpuPath, w: Float32Array, biasValues: Float32Array | undefined, label: string): Promise<ConvTransposeLayer> {
  const { r, p } = ctx;
  const inputLayout: DataLayout = ctx.channelsLast ? 'nhwc' : 'nchw';
  const inputShape = shapeFromChannelsFirst(r.inputShape, inputLayout, r.unbatched);
  const outputShape = shapeFromChannelsFirst(r.outputShape, inputLayout, r.unbatched);
  const inputBytes = storageBytes(sizeOf(r.inputShape), ctx.dataType);
  const outputBytes = storageBytes(sizeOf(r.outputShape), ctx.dataType);
  const chunks = chunkedPlan(device, ctx, path);
  // Every stage of every chunk, in order; chunks with the same weight selection and packing share weights.
  const stages = chunks.flatMap(({ plan }, ci) => plan.stages.map((stage) => ({ stage, ci })));
  const packed = new Map<string, { weights: Float32Array; bias: Float32Array }>();
  const weightKey = ({ chunk, plan }: PlannedChunk) => `${JSON.stringify(chunk.weights)}/${plan.weightBytes}`;
  for (const c of chunks) {
    const key = weightKey(c);
    if (packed.has(key)) continue;
    const sel = selectWeights(p, w, biasValues, c.chunk.weights);
    packed.set(key, { weights: c.plan.packWeights(sel.w), bias: c.plan.packBias(sel.bias) });
  }
  // Scratch buffers are shared by the chunks (they run in order), sized for the largest.
  const scratchBytes = new Map<string, number>();
  for (const { plan } of chunks) for (const [name, bytes] of Object.entries(plan.scratch)) scratchBytes.set(name, Math.max(bytes, scratchBytes.get(name) ?? 0));

  // From here on GPU objects exist: anything that fails must free them.
  const owned: GPUBuffer[] = [];
  const upload = (what: string, data: ArrayBuffer | Float32Array, usage: number) => {
    const buffer = device.createBuffer({ label: `${label}/${what}`, size: Math.max(16, data.byteLength), usage: usage | BufferUsage.COPY_DST });
    owned.push(buffer);
    device.queue.writeBuffer(buffer, 0, data as ArrayBuffer);
    return buffer;
  };
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    for (const buffer of owned) buffer.destroy();
    owned.length = 0;
  };
  // Compile first: pipelines are shared and cached, and awaiting here keeps the error scopes below free of
  // awaits, so concurrent callers cannot interleave their scopes.
  const pipelines = await Promise.all(stages.map(({ stage: s }) => getPipeline(device, s.shader, s.overrides)));
  try {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const weightBuffers = new Map<string, { weight: GPUBuffer; bias: GPUBuffer }>();
    for (const [key, data] of packed) {
      const part = packed.size > 1 ? `#${weightBuffers.size}` : '';
      weightBuffers.set(key, { weight: upload(`weight${part}`, data.weights, BufferUsage.STORAGE), bias: upload(`bias${part}`, data.bias, BufferUsage.STORAGE) });
    }
    const uniforms = stages.map(({ stage: s }, i) => upload(`params${i}`, s.uniforms, BufferUsage.UNIFORM));
    const scratch = new Map<string, GPUBuffer>();
    for (const [name, bytes] of scratchBytes) {
      const buffer = device.createBuffer({ label: `${label}/${name}`, size: Math.max(16, bytes), usage: BufferUsage.STORAGE });
      owned.push(buffer);
      scratch.set(`scratch:${name}`, buffer);
    }
    const validation = device.popErrorScope();
    const oom = device.popErrorScope();
    const error = (await validation) ?? (await oom);
    if (error) throw new Error(`${path}: the GPU rejected the layer's setup: ${error.message}`);
    // Lost while compiling or uploading: the scopes above then report nothing.
    const lostNow = await deviceLostInfo(device, 0);
    if (lostNow) throw lostLayerError('createConvTranspose', lostNow);
    watchDevice(device);
    const who = `ConvTransposeLayer "${label}"`;
    /** Throws when the layer cannot run at all: destroyed, or its device known lost. */
    const checkUsable = () => {
      if (destroyed) throw new Error(`${who}: used after destroy()`);
      const loss = knownDeviceLoss(device);
      if (loss) throw lostLayerError(who, loss);
    };

    // Bind groups depend on the caller's buffers; the last pair is kept so a hot loop re-binds nothing.
    let last: { input: GPUBuffer; output: GPUBuffer; groups: GPUBindGroup[] } | null = null;
    const bindGroups = (input: GPUBuffer, output: GPUBuffer): GPUBindGroup[] => {
      if (last && last.input === input && last.output === output) return last.groups;
      // The caller's buffers are bound as the chunk's windows (the whole tensor when there is one chunk).
      const resource = (b: Binding, c: PlannedChunk): GPUBufferBinding => {
        if (b === 'input' || b === 'output') return { buffer: b === 'input' ? input : output, ...c.chunk.windows[b] };
        const own = weightBuffers.get(weightKey(c))!;
        return { buffer: b === 'weight' ? own.weight : b === 'bias' ? own.bias : scratch.get(b)! };
      };
      const entries = (i: number): GPUBindGroupEntry[] => {
        const { stage, ci } = stages[i];
        return [{ binding: 0, resource: { buffer: uniforms[i] } }, ...stage.bindings.map((b, j) => ({ binding: j + 1, resource: resource(b, chunks[ci]) }))];
      };
      const groups = pipelines.map((pl, i) => device.createBindGroup({ label: `${label}/${stages[i].stage.shader.name}`, layout: pl.getBindGroupLayout(0), entries: entries(i) }));
      last = { input, output, groups };
      return groups;
    };

    const layer: ConvTransposeLayer = {
      path,
      dispatches: stages.map(({ stage: s }) => ({ shader: s.shader.name, constants: { ...s.overrides }, workgroups: s.grid })),
      chunks: chunks.length,
      resolved: r,
      inputShape,
      outputShape,
      inputLayout,
      dataType: ctx.dataType ?? 'float32',
      inputBytes,
      outputBytes,
      label,
      encode(encoder, input, output, timestampWrites) {
        checkUsable();
        if (!encoder || typeof (encoder as GPUCommandEncoder).beginComputePass !== 'function') {
          throw new TypeError(`encoder: expected a GPUCommandEncoder, got ${encoder === null ? 'null' : typeof encoder}`);
        }
        checkBuffer('input', input, inputBytes, inputShape);
        checkBuffer('output', output, outputBytes, outputShape);
        if (input === output) throw new RangeError('output: must be a different buffer from input');
        if (r.batch === 0) return; // an empty batch has nothing to compute (and zero-sized buffers cannot be bound)
        const groups = bindGroups(input, output);
        const pass = encoder.beginComputePass({ label: `${label}/${path}`, ...(timestampWrites ? { timestampWrites } : {}) });
        stages.forEach(({ stage: s }, i) => {
          pass.setPipeline(pipelines[i]);
          pass.setBindGroup(0, groups[i]);
          pass.dispatchWorkgroups(s.grid[0], s.grid[1]);
        });
        pass.end();
      },
      run(input, output) {
        checkUsable();
        // Validation errors of this run are captured here (no await between push and pop, so concurrent
        // callers' scopes cannot interleave) and become this promise's rejection, with the layer's name.
        device.pushErrorScope('validation');
        try {
          const encoder = device.createCommandEncoder({ label: `${label}/run` });
          layer.encode(encoder, input, output);
          device.queue.submit([encoder.finish()]);
        } catch (e) {
          device.popErrorScope().catch(() => {});
          throw e;
        }
        const failed = async (error: GPUError | null): Promise<void> => {
          // Bind groups made from these buffers may be the invalid ones: make them again next time, so a
          // later error names its own cause rather than "invalid due to a previous error".
          if (error) last = null;
          const loss = await deviceLostInfo(device, 0);
          if (loss) throw lostLayerError(who, loss);
          if (error) throw new Error(`${who}: run(): the GPU rejected the work: ${error.message}`);
        };
        return device.popErrorScope().then(failed, async (e) => {
          const loss = await deviceLostInfo(device, 0);
          throw loss ? lostLayerError(who, loss) : new Error(`${who}: run(): ${(e as Error)?.message ?? e}`, { cause: e });
        });
      },
      destroy,
    };
    return layer;
  } catch (e) {
    destroy();
    throw e;
  }
}
