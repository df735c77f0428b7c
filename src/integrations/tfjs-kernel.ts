/**
 * `webgpu-convtranspose/tfjs`: one line makes TF.js models use this library for their transposed convolutions,
 * unchanged, inference and training alike:
 *
 *   import * as tf from '@tensorflow/tfjs';            // or tfjs-core + tfjs-backend-webgpu
 *   import { registerWithTfjs } from 'webgpu-convtranspose/tfjs';
 *   const ours = registerWithTfjs(tf);                 // ours.unregister() puts TF.js's kernels back
 *
 * It replaces three kernels of the TF.js WebGPU backend: `Conv2DBackpropInput` (tf.conv2dTranspose, and the
 * input gradient of conv2d), `Conv3DBackpropInputV2` (tf.conv3dTranspose, conv3d's input gradient) and
 * `DepthwiseConv2dNativeBackpropInput` (depthwise conv2d's input gradient: a grouped transposed convolution,
 * one group per input channel). TF.js is not imported here: the caller passes its namespace, so TF.js stays
 * the application's (peer) dependency and never the core's.
 *
 * How a call runs, on TF.js's own GPUDevice and GPU buffers, with no trip through the CPU:
 * - Layers are prepared per kernel, shapes and attributes, never per filter: TF.js kernels are synchronous
 *   and preparing a layer is not (pipelines compile asynchronously), so the first call of a shape runs
 *   TF.js's own kernel while the layer is prepared; every later call of that shape runs ours, whatever its
 *   filter. `ready()` waits for the layers being prepared.
 * - The filter is packed on the GPU, from TF.js's buffer, inside TF.js's command encoder, by the layer's
 *   encodeWeights, whenever the layer last packed another filter tensor (a TF.js data id holds one value
 *   for its life; a Variable's assign gives it a new one). So weights that change every training step cost
 *   one small packing pass per step, never a read-back; a model whose weights stay packs each filter once.
 * - The call maps through the library's TF.js spelling (mapTfjsConv2dTranspose/mapTfjsConv3dTranspose: the
 *   pads TF.js derives from inputShape, strides, pad, dilations and dimRoundingMode) onto a layer with
 *   `inputLayout` 'nhwc' (or 'nchw' for dataFormat NCHW) and `filterLayout` 'hwoi' (TF.js's [kH, kW, outC,
 *   inC]); a depthwise filter [kH, kW, inC, multiplier] is the same memory as an hwoi filter [kH, kW, 1,
 *   inC·multiplier] with inC groups. The kernels read dy and write dx in TF.js's layout: no transpose pass.
 * - Our passes are encoded into TF.js's command encoder between its own passes, so queue order is TF.js's
 *   order; the tensors they use are held through TF.js's list of ids owned by the pending command queue, so no
 *   buffer is reused before the commands that read it are submitted.
 * - Anything else runs TF.js's original kernel: another backend's tensors, non-float32 data, a filter or input
 *   held in a texture, or a call the TF.js spelling or our layer rejects (e.g. a dy that is not the size TF.js
 *   derives from inputShape). `stats` counts both, with the reason.
 */
// The library through its main entry: in the build this stays an import of dist/webgpu-convtranspose.js, so the
// library is bundled once (vite.config.ts).
import { createConvTranspose, mapTfjsConv2dTranspose, mapTfjsConv3dTranspose, type ConvTransposeLayer, type CoreMapping, type PathOption, type TfjsPad2d, type TfjsPad3d } from '../index';

/** TF.js data types. */
export type TfjsDataType = 'float32' | 'int32' | 'bool' | 'complex64' | 'string';

/** What TF.js passes between kernels (tfjs-core `TensorInfo`). */
export interface TfjsTensorInfo {
  dataId: object;
  shape: number[];
  dtype: TfjsDataType;
}

/** A kernel's arguments (tfjs-core `KernelFunc` parameters). */
export interface TfjsKernelParams {
  inputs: Record<string, TfjsTensorInfo | undefined>;
  backend: {};
  attrs?: Record<string, unknown>;
}

/** A registered kernel (tfjs-core `KernelConfig`). */
export interface TfjsKernelConfig {
  kernelName: string;
  backendName: string;
  kernelFunc(params: TfjsKernelParams): TfjsTensorInfo | TfjsTensorInfo[];
  setupFunc?(backend: {}): void;
  disposeFunc?(backend: {}): void;
}

/** The parts of the TF.js namespace (`@tensorflow/tfjs` or `@tensorflow/tfjs-core`, 4.x) that are used. */
export interface TfjsLike {
  getKernel(kernelName: string, backendName: string): TfjsKernelConfig | undefined;
  registerKernel(config: TfjsKernelConfig): void;
  unregisterKernel(kernelName: string, backendName: string): void;
  env(): { get(flag: string): unknown };
}

/** Options of {@link registerWithTfjs}. */
export interface TfjsOptions {
  /** Which of our paths the layers use (default `auto`). */
  path?: PathOption;
  /** `auto` only: time close paths once per device and problem (default true). */
  tune?: boolean;
  /** Prepared layers kept at most (default 64); the least recently used is dropped first. */
  maxLayers?: number;
  /** The TF.js backend whose kernel is replaced (default `webgpu`; a WebGPU backend registered under another name). */
  backendName?: string;
}

/** Counts of what the registered kernel did. */
export interface TfjsStats {
  /** Calls our layers ran. */
  ours: number;
  /** Calls TF.js's original kernels ran, by reason (`preparing` for first calls; `unsupported: ...`, ...). */
  fallback: number;
  reasons: Record<string, number>;
  /** Layers prepared so far (including dropped ones). */
  prepared: number;
  /** Layers held now. */
  layers: number;
  /** The paths our layers run, by how many layers run each (auto's choices). */
  paths: Record<string, number>;
  /** Filters packed into a layer on the GPU (once per filter tensor a layer had not packed last). */
  weightPacks: number;
  /** Calls our layers ran, by TF.js kernel. */
  kernels: Record<string, number>;
}

/** The registration: its counters, a way to wait for layers being prepared, and undoing it. */
export interface TfjsRegistration {
  readonly stats: TfjsStats;
  /** Resolves when every layer being prepared is ready (or has failed, which `stats.reasons` then shows). */
  ready(): Promise<void>;
  /** Puts TF.js's original kernels back and frees every prepared layer. Idempotent. */
  unregister(): void;
}

/** The TF.js kernels replaced: each maps its call onto a layer (or says why not). */
const KERNELS = ['Conv2DBackpropInput', 'Conv3DBackpropInputV2', 'DepthwiseConv2dNativeBackpropInput'] as const;
type KernelName = (typeof KERNELS)[number];
const MARK = Symbol.for('webgpu-convtranspose/tfjs');

/** The parts of TF.js's WebGPUBackend (tfjs-backend-webgpu 4.x) used here; checked at run time. */
interface WebGpuBackendLike {
  device: GPUDevice;
  tensorMap: { get(dataId: object): TensorData | undefined; has(dataId: object): boolean };
  commandEncoder: GPUCommandEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
  dispatchCountInPass: number;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: TfjsDataType): TfjsTensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

interface TensorData {
  values?: ArrayLike<number> | null;
  resource?: unknown;
  dtype: TfjsDataType;
}

function isWebGpuBackend(b: unknown): b is WebGpuBackendLike {
  const x = b as Partial<WebGpuBackendLike> | null;
  return !!x && typeof x.device?.createBuffer === 'function' && typeof x.tensorMap?.get === 'function' &&
    typeof x.tensorMap?.has === 'function' && typeof x.uploadToGPU === 'function' && typeof x.makeTensorInfo === 'function' &&
    typeof x.ensureCommandEncoderReady === 'function' && typeof x.endComputePassEncoder === 'function' &&
    typeof x.submitQueue === 'function' && x.commandQueueOwnedIds instanceof WeakSet;
}

/** A GPUBuffer (duck-typed: no reliance on the global class). */
function isBuffer(r: unknown): r is GPUBuffer {
  const b = r as Partial<GPUBuffer> | null;
  return !!b && typeof b.size === 'number' && typeof b.usage === 'number' && typeof b.mapAsync === 'function';
}

/** One call as a layer: the core's options (ONNX spelling, layouts), the filter shape the layer takes, dx's shape. */
interface Spec {
  key: string;
  mapping: CoreMapping;
  /** The filter as the layer takes it (hwoi): TF.js's, or a depthwise filter seen as [kH, kW, 1, inC·multiplier]. */
  filterShape: number[];
  group: number;
}

/** The call's layer, or why it is left to TF.js: the TF.js spelling refuses it (it checks everything). */
function specOf(kernel: KernelName, dy: TfjsTensorInfo, filter: TfjsTensorInfo, attrs: Record<string, unknown>): Spec | string {
  const { inputShape, strides = 1, pad, dataFormat, dimRoundingMode, dilations } = attrs as {
    inputShape?: number[]; strides?: number | number[]; pad?: unknown; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil'; dilations?: number | number[];
  };
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return `dtype ${dy.dtype}/${filter.dtype}`;
  if (!Array.isArray(inputShape) || [...dy.shape, ...filter.shape, ...inputShape].some((v) => v === 0)) return 'empty';
  const key = JSON.stringify([kernel, dy.shape, filter.shape, inputShape, strides, pad, dataFormat ?? null, dimRoundingMode ?? null, dilations ?? null]);
  try {
    if (kernel === 'Conv3DBackpropInputV2') {
      // Its data format is NDHWC (the only one TF.js's conv3dTranspose makes); dilations are 1.
      const mapping = mapTfjsConv3dTranspose(dy.shape, filter.shape, inputShape, strides as number, pad as TfjsPad3d);
      return { key, mapping, filterShape: filter.shape, group: 1 };
    }
    const attributes = { dimRoundingMode, ...(dilations !== undefined ? { dilations: dilations as number } : {}) };
    if (kernel === 'Conv2DBackpropInput') {
      const mapping = mapTfjsConv2dTranspose(dy.shape, filter.shape, inputShape, strides as number, pad as TfjsPad2d, { ...attributes, dataFormat: (dataFormat ?? 'NHWC') as 'NHWC' | 'NCHW' });
      return { key, mapping, filterShape: filter.shape, group: 1 };
    }
    // Depthwise: dx [.., inC], dy [.., inC·m], filter [kH, kW, inC, m]. As a transposed convolution with inC
    // groups of m input channels and 1 output channel each, its hwoi filter is [kH, kW, 1, inC·m] (the same
    // memory). The pads come from the mapping of a dense filter of that size, which has the same geometry.
    const [kh, kw, inC, m] = filter.shape;
    const mapping = mapTfjsConv2dTranspose(dy.shape, [kh, kw, inC, inC * m], inputShape, strides as number, pad as TfjsPad2d, attributes);
    return { key, mapping, filterShape: [kh, kw, 1, inC * m], group: inC };
  } catch (e) {
    return (e as Error).message;
  }
}

/** A prepared (or preparing, or failed) layer for one kernel, shapes and attributes. */
interface Entry {
  backend: WebGpuBackendLike;
  layer: ConvTransposeLayer | null;
  error: string | null;
  pending: Promise<void> | null;
  dropped: boolean;
  /** The filter tensor whose values the layer holds (packed last). */
  packed: object | null;
}

/**
 * Replaces the TF.js WebGPU backend's transposed-convolution kernels (`Conv2DBackpropInput`,
 * `Conv3DBackpropInputV2`, `DepthwiseConv2dNativeBackpropInput`: tf.conv2dTranspose, tf.conv3dTranspose and
 * the input gradients of conv2d, conv3d and depthwiseConv2d) with this library's layers. Throws when TF.js's
 * WebGPU backend is not loaded, or when a registration is already active.
 */
export function registerWithTfjs(tf: TfjsLike, options: TfjsOptions = {}): TfjsRegistration {
  const { path = 'auto', tune = true, maxLayers = 64, backendName = 'webgpu' } = options;
  if (!tf || typeof tf.getKernel !== 'function' || typeof tf.registerKernel !== 'function' || typeof tf.unregisterKernel !== 'function') {
    throw new TypeError('registerWithTfjs: expected the TF.js namespace (import * as tf from \'@tensorflow/tfjs\')');
  }
  if (!Number.isInteger(maxLayers) || maxLayers < 1) throw new RangeError(`maxLayers: expected a positive integer, got ${maxLayers}`);
  const originals = new Map<KernelName, TfjsKernelConfig>();
  for (const name of KERNELS) {
    const original = tf.getKernel(name, backendName);
    if (!original) continue;
    if ((original as unknown as Record<symbol, unknown>)[MARK]) throw new Error('registerWithTfjs: already registered; call unregister() on the earlier registration first');
    originals.set(name, original);
  }
  if (!originals.has('Conv2DBackpropInput')) throw new Error(`registerWithTfjs: TF.js has no 'Conv2DBackpropInput' kernel for backend '${backendName}'; import '@tensorflow/tfjs-backend-webgpu' first`);

  const stats: TfjsStats = { ours: 0, fallback: 0, reasons: {}, prepared: 0, layers: 0, paths: {}, weightPacks: 0, kernels: {} };
  /** Entries by backend, kernel and spec, in least-recently-used order (Map order; a hit moves to the end). */
  const cache = new Map<string, Entry>();
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  const idOf = (o: object) => {
    let id = ids.get(o);
    if (id === undefined) ids.set(o, (id = nextId++));
    return id;
  };
  let active = true;

  /** Frees an entry's layer once nothing still to be submitted refers to it. */
  const drop = (key: string, e: Entry) => {
    cache.delete(key);
    e.dropped = true;
    if (!e.layer) return; // a pending preparation destroys its layer when it lands
    // The layer may be encoded in TF.js's open command encoder: submit that first (destroying buffers used by
    // submitted work is fine; using destroyed buffers in a later submit is not).
    if (e.backend.commandEncoder) {
      e.backend.endComputePassEncoder();
      e.backend.submitQueue();
    }
    e.layer.destroy();
    e.layer = null;
    stats.layers--;
  };

  /** Prepares the entry's layer: weights are zeros until a call packs its filter (finite kernels not assumed). */
  const prepare = (backend: WebGpuBackendLike, kernel: KernelName, dy: TfjsTensorInfo, spec: Spec, entry: Entry) => {
    entry.pending = (async () => {
      try {
        const { mapping: m } = spec;
        const layer = await createConvTranspose(backend.device, {
          ...m.attributes, group: spec.group, inputShape: dy.shape, inputLayout: m.inputLayout, filterLayout: m.filterLayout,
          weight: { data: new Float32Array(spec.filterShape.reduce((a, b) => a * b, 1)), shape: spec.filterShape },
          finiteWeights: false, path, tune, label: `tfjs ${kernel} ${spec.key}`,
        });
        stats.prepared++;
        stats.paths[layer.path] = (stats.paths[layer.path] ?? 0) + 1;
        if (entry.dropped || !active) {
          layer.destroy();
        } else {
          entry.layer = layer;
          stats.layers++;
        }
      } catch (e) {
        entry.error = `unsupported: ${(e as Error).message}`;
      } finally {
        entry.pending = null;
      }
    })();
  };

  /** Encodes our layer into TF.js's command encoder (the filter packed first when new): dy in, dx out, both in TF.js's layout. */
  const run = (backend: WebGpuBackendLike, entry: Entry, spec: Spec, dy: TfjsTensorInfo, filter: TfjsTensorInfo, filterBuffer: GPUBuffer): TfjsTensorInfo => {
    const layer = entry.layer!;
    const y = backend.makeTensorInfo([...spec.mapping.outputShape], 'float32');
    backend.uploadToGPU(dy.dataId);
    backend.uploadToGPU(y.dataId);
    const input = backend.tensorMap.get(dy.dataId)!.resource as GPUBuffer;
    const output = backend.tensorMap.get(y.dataId)!.resource as GPUBuffer;
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    const encoder = backend.commandEncoder!;
    let dispatches = layer.dispatches.length;
    if (entry.packed !== filter.dataId) {
      layer.encodeWeights(encoder, filterBuffer);
      entry.packed = filter.dataId;
      stats.weightPacks++;
      dispatches++;
    }
    layer.encode(encoder, input, output);
    // Until TF.js submits its encoder, these must not be released for reuse.
    for (const id of [dy.dataId, filter.dataId, y.dataId]) backend.commandQueueOwnedIds.add(id);
    backend.dispatchCountInPass += dispatches;
    // TF.js submits every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE dispatches; count ours the same way.
    const batch = Number(tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE'));
    if (backend.commandEncoder && Number.isFinite(batch) && backend.dispatchCountInPass >= batch) {
      backend.endComputePassEncoder();
      backend.submitQueue();
    }
    return y;
  };

  const kernelFuncOf = (kernel: KernelName, original: TfjsKernelConfig) => (params: TfjsKernelParams): TfjsTensorInfo | TfjsTensorInfo[] => {
    const fallback = (reason: string) => {
      stats.fallback++;
      stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1;
      return original.kernelFunc(params);
    };
    const { inputs, backend, attrs = {} } = params;
    const dy = inputs.dy, filter = inputs.filter;
    if (!active || !dy || !filter) return fallback('inactive');
    if (!isWebGpuBackend(backend)) return fallback('not a WebGPU backend');
    const spec = specOf(kernel, dy, filter, attrs);
    if (typeof spec === 'string') return fallback(`unsupported: ${spec}`);
    for (const t of [dy, filter]) {
      const data = backend.tensorMap.get(t.dataId);
      if (!data || (data.resource != null && !isBuffer(data.resource))) return fallback(`${t === dy ? 'input' : 'filter'} not in a GPU buffer`);
    }
    const key = `${idOf(backend)}|${spec.key}`;
    let entry = cache.get(key);
    if (entry) {
      cache.delete(key); // most recently used: to the end
      cache.set(key, entry);
    } else {
      entry = { backend, layer: null, error: null, pending: null, dropped: false, packed: null };
      cache.set(key, entry);
      for (const [k, e] of cache) {
        if (cache.size <= maxLayers) break;
        drop(k, e);
      }
      prepare(backend, kernel, dy, spec, entry);
      return fallback('preparing');
    }
    if (!entry.layer) return fallback(entry.error ?? 'preparing');
    backend.uploadToGPU(filter.dataId);
    const filterBuffer = backend.tensorMap.get(filter.dataId)!.resource;
    if (!isBuffer(filterBuffer)) return fallback('filter not in a GPU buffer');
    stats.ours++;
    stats.kernels[kernel] = (stats.kernels[kernel] ?? 0) + 1;
    return run(backend, entry, spec, dy, filter, filterBuffer);
  };

  const configs = new Map<KernelName, TfjsKernelConfig>();
  for (const [name, original] of originals) {
    const config: TfjsKernelConfig = { ...original, kernelFunc: kernelFuncOf(name, original) };
    Object.defineProperty(config, MARK, { value: true });
    tf.unregisterKernel(name, backendName);
    tf.registerKernel(config);
    configs.set(name, config);
  }

  return {
    stats,
    async ready() {
      for (;;) {
        const pending = [...cache.values()].map((e) => e.pending).filter((p): p is Promise<void> => p !== null);
        if (pending.length === 0) return;
        await Promise.all(pending);
      }
    },
    unregister() {
      if (!active) return;
      active = false;
      for (const [name, config] of configs) {
        if (tf.getKernel(name, backendName) === config) {
          tf.unregisterKernel(name, backendName);
          tf.registerKernel(originals.get(name)!);
        }
      }
      for (const [key, e] of cache) drop(key, e);
    },
  };
}
