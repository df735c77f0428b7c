/**
 * `webgpu-convtranspose/tfjs`: one line makes TF.js models use this library for `tf.conv2dTranspose` (and
 * layers' conv2dTranspose, and the input gradient of conv2d), unchanged:
 *
 *   import * as tf from '@tensorflow/tfjs';            // or tfjs-core + tfjs-backend-webgpu
 *   import { registerWithTfjs } from 'webgpu-convtranspose/tfjs';
 *   const ours = registerWithTfjs(tf);                 // ours.unregister() puts TF.js's kernel back
 *
 * It replaces the TF.js WebGPU backend's `Conv2DBackpropInput` kernel. TF.js is not imported here: the caller
 * passes its namespace, so TF.js stays the application's (peer) dependency and never the core's.
 *
 * How a call runs, on TF.js's own GPUDevice and GPU buffers, with no trip through the CPU:
 * - TF.js kernels are synchronous, and preparing a layer is not (pipelines compile asynchronously, the filter
 *   is read once to pack the weights). So the first call for a given (filter tensor, shapes, attributes) runs
 *   TF.js's own kernel while the layer is prepared in the background; later calls run ours. `ready()` waits for
 *   the layers being prepared (call the model once, await ready(), then run it for real).
 * - The filter is read once per filter tensor: from TF.js's CPU copy when it has one, else copied from its GPU
 *   buffer (TF.js's encoder, so pending writes come first) and mapped. Prepared layers are cached per backend,
 *   filter tensor (TF.js data ids are never reused for other contents) and shapes/attributes, at most
 *   `maxLayers` of them, least recently used dropped first; a layer whose filter tensor was disposed is dropped
 *   on the next call.
 * - The call maps through the library's TF.js spelling (frontends/tfjs.ts: the pads TF.js derives from
 *   inputShape, strides, pad and dimRoundingMode) onto a layer with `inputLayout` 'nhwc' (or 'nchw' for
 *   dataFormat NCHW) and `filterLayout` 'hwoi' (TF.js's [kH, kW, outC, inC], permuted once when the layer is
 *   prepared). The kernels read dy and write dx in TF.js's layout directly: no transpose pass.
 * - Our pass is encoded into TF.js's command encoder between its own passes, so queue order is TF.js's order;
 *   the temporaries are released through TF.js's deferred-disposal list, so no buffer is reused before the
 *   commands that read it are submitted.
 * - Anything else runs TF.js's original kernel: another backend's tensors, non-float32 data, a filter or input
 *   held in a texture, or a call the TF.js spelling or our layer rejects (e.g. a dy that is not the size TF.js
 *   derives from inputShape). `stats` counts both, with the reason.
 */
// The library through its main entry: in the build this stays an import of dist/webgpu-convtranspose.js, so the
// library is bundled once (vite.config.ts).
import { createTfjsConv2dTranspose, mapTfjsConv2dTranspose, type ConvTransposeLayer, type PathOption, type TfjsPad2d } from '../index';

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
  /** Calls TF.js's original kernel ran, by reason (`preparing` for first calls; `unsupported: ...`, ...). */
  fallback: number;
  reasons: Record<string, number>;
  /** Layers prepared so far (including dropped ones). */
  prepared: number;
  /** Layers held now. */
  layers: number;
  /** The paths our layers run, by how many layers run each (auto's choices). */
  paths: Record<string, number>;
}

/** The registration: its counters, a way to wait for layers being prepared, and undoing it. */
export interface TfjsRegistration {
  readonly stats: TfjsStats;
  /** Resolves when every layer being prepared is ready (or has failed, which `stats.reasons` then shows). */
  ready(): Promise<void>;
  /** Puts TF.js's original kernel back and frees every prepared layer. Idempotent. */
  unregister(): void;
}

const KERNEL = 'Conv2DBackpropInput';
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
  refCount?: number;
}

/** Whether a tensor's data is still referenced (a disposed one may linger until TF.js's next submit, with refCount 0). */
function alive(backend: WebGpuBackendLike, dataId: object): boolean {
  const data = backend.tensorMap.get(dataId);
  return !!data && (data.refCount ?? 1) > 0;
}

function isWebGpuBackend(b: unknown): b is WebGpuBackendLike {
  const x = b as Partial<WebGpuBackendLike> | null;
  return !!x && typeof x.device?.createBuffer === 'function' && typeof x.tensorMap?.get === 'function' &&
    typeof x.uploadToGPU === 'function' && typeof x.makeTensorInfo === 'function' && typeof x.disposeData === 'function' &&
    typeof x.ensureCommandEncoderReady === 'function' && typeof x.endComputePassEncoder === 'function' &&
    typeof x.submitQueue === 'function' && x.commandQueueOwnedIds instanceof WeakSet;
}

/** A GPUBuffer (duck-typed: no reliance on the global class). */
function isBuffer(r: unknown): r is GPUBuffer {
  const b = r as Partial<GPUBuffer> | null;
  return !!b && typeof b.size === 'number' && typeof b.usage === 'number' && typeof b.mapAsync === 'function';
}

/** One call's Conv2DBackpropInput attributes, as the TF.js spelling takes them. */
interface Spec {
  /** dx's shape: Conv2DBackpropInput's inputShape (NHWC, or NCHW for dataFormat NCHW). */
  outputShape: number[];
  strides: number | [number, number];
  pad: TfjsPad2d;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined;
  key: string;
}

/** The call's attributes, or why it is left to TF.js: the TF.js spelling refuses it (it checks everything). */
function specOf(dy: TfjsTensorInfo, filter: TfjsTensorInfo, attrs: Record<string, unknown>): Spec | string {
  const { inputShape, strides = 1, pad, dataFormat = 'NHWC', dimRoundingMode } = attrs as {
    inputShape?: number[]; strides?: number | [number, number]; pad?: TfjsPad2d; dataFormat?: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return `dtype ${dy.dtype}/${filter.dtype}`;
  if (!Array.isArray(inputShape) || [...dy.shape, ...filter.shape, ...inputShape].some((v) => v === 0)) return 'empty';
  try {
    mapTfjsConv2dTranspose(dy.shape, filter.shape, inputShape, strides, pad as TfjsPad2d, { dataFormat, dimRoundingMode });
  } catch (e) {
    return (e as Error).message;
  }
  const key = JSON.stringify([dataFormat, dy.shape, filter.shape, inputShape, strides, pad, dimRoundingMode ?? null]);
  return { outputShape: [...inputShape], strides, pad: pad as TfjsPad2d, dataFormat, dimRoundingMode, key };
}

/** A prepared (or preparing, or failed) layer for one filter tensor and one Spec. */
interface Entry {
  backend: WebGpuBackendLike;
  filterId: object;
  layer: ConvTransposeLayer | null;
  error: string | null;
  pending: Promise<void> | null;
  dropped: boolean;
}

/** The filter's values: TF.js's CPU copy, or a copy of its GPU buffer made in TF.js's encoder, mapped. */
function filterValues(backend: WebGpuBackendLike, filter: TfjsTensorInfo): Promise<ArrayLike<number>> | string {
  const data = backend.tensorMap.get(filter.dataId);
  if (!data) return 'filter not in this backend';
  if (data.values) return Promise.resolve(data.values);
  if (!isBuffer(data.resource)) return 'filter not in a GPU buffer';
  const bytes = 4 * filter.shape.reduce((a, b) => a * b, 1);
  const device = backend.device;
  const staging = device.createBuffer({ label: 'webgpu-convtranspose/tfjs filter read', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.commandEncoder!.copyBufferToBuffer(data.resource, 0, staging, 0, bytes);
  backend.submitQueue();
  return staging.mapAsync(GPUMapMode.READ).then(() => {
    const values = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    return values;
  }, (e) => {
    staging.destroy();
    throw e;
  });
}

/**
 * Replaces the TF.js WebGPU backend's `Conv2DBackpropInput` kernel (what `tf.conv2dTranspose` runs) with this
 * library's layers. Throws when TF.js's WebGPU backend is not loaded, or when a registration is already active.
 */
export function registerWithTfjs(tf: TfjsLike, options: TfjsOptions = {}): TfjsRegistration {
  const { path = 'auto', tune = true, maxLayers = 64, backendName = 'webgpu' } = options;
  if (!tf || typeof tf.getKernel !== 'function' || typeof tf.registerKernel !== 'function' || typeof tf.unregisterKernel !== 'function') {
    throw new TypeError('registerWithTfjs: expected the TF.js namespace (import * as tf from \'@tensorflow/tfjs\')');
  }
  if (!Number.isInteger(maxLayers) || maxLayers < 1) throw new RangeError(`maxLayers: expected a positive integer, got ${maxLayers}`);
  const original = tf.getKernel(KERNEL, backendName);
  if (!original) throw new Error(`registerWithTfjs: TF.js has no '${KERNEL}' kernel for backend '${backendName}'; import '@tensorflow/tfjs-backend-webgpu' first`);
  if ((original as unknown as Record<symbol, unknown>)[MARK]) throw new Error('registerWithTfjs: already registered; call unregister() on the earlier registration first');

  const stats: TfjsStats = { ours: 0, fallback: 0, reasons: {}, prepared: 0, layers: 0, paths: {} };
  /** Entries by backend, filter and spec, in least-recently-used order (Map order; a hit moves to the end). */
  const cache = new Map<string, Entry>();
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  const idOf = (o: object) => {
    let id = ids.get(o);
    if (id === undefined) ids.set(o, (id = nextId++));
    return id;
  };
  let active = true;

  const fallback = (reason: string, params: TfjsKernelParams) => {
    stats.fallback++;
    stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1;
    return original.kernelFunc(params);
  };

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

  const prepare = (backend: WebGpuBackendLike, dy: TfjsTensorInfo, filter: TfjsTensorInfo, spec: Spec, entry: Entry) => {
    const values = filterValues(backend, filter);
    if (typeof values === 'string') {
      entry.error = values;
      return;
    }
    entry.pending = (async () => {
      try {
        const layer = await createTfjsConv2dTranspose(
          backend.device, dy.shape, { data: (await values) as Float32Array, shape: filter.shape }, spec.outputShape, spec.strides, spec.pad,
          { dataFormat: spec.dataFormat, dimRoundingMode: spec.dimRoundingMode, path, tune, label: `tfjs ${KERNEL} ${spec.key}` },
        );
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

  /** Encodes our layer into TF.js's command encoder: dy in, dx out, both in TF.js's layout, no transposes. */
  const run = (backend: WebGpuBackendLike, layer: ConvTransposeLayer, spec: Spec, dy: TfjsTensorInfo): TfjsTensorInfo => {
    const y = backend.makeTensorInfo(spec.outputShape, 'float32');
    backend.uploadToGPU(dy.dataId);
    backend.uploadToGPU(y.dataId);
    const input = backend.tensorMap.get(dy.dataId)!.resource as GPUBuffer;
    const output = backend.tensorMap.get(y.dataId)!.resource as GPUBuffer;
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    layer.encode(backend.commandEncoder!, input, output);
    // Until TF.js submits its encoder, these must not be released for reuse.
    backend.commandQueueOwnedIds.add(dy.dataId);
    backend.commandQueueOwnedIds.add(y.dataId);
    backend.dispatchCountInPass += layer.dispatches.length;
    // TF.js submits every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE dispatches; count ours the same way.
    const batch = Number(tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE'));
    if (backend.commandEncoder && Number.isFinite(batch) && backend.dispatchCountInPass >= batch) {
      backend.endComputePassEncoder();
      backend.submitQueue();
    }
    return y;
  };

  const kernelFunc = (params: TfjsKernelParams): TfjsTensorInfo | TfjsTensorInfo[] => {
    const { inputs, backend, attrs = {} } = params;
    const dy = inputs.dy, filter = inputs.filter;
    if (!active || !dy || !filter) return fallback('inactive', params);
    if (!isWebGpuBackend(backend)) return fallback('not a WebGPU backend', params);
    // Forget layers whose filter tensor is gone.
    for (const [key, e] of cache) if (!alive(e.backend, e.filterId)) drop(key, e);
    const spec = specOf(dy, filter, attrs);
    if (typeof spec === 'string') return fallback(`unsupported: ${spec}`, params);
    const dyData = backend.tensorMap.get(dy.dataId);
    if (!dyData || (dyData.resource != null && !isBuffer(dyData.resource))) return fallback('input not in a GPU buffer', params);
    const key = `${idOf(backend)}|${idOf(filter.dataId)}|${spec.key}`;
    let entry = cache.get(key);
    if (entry) {
      cache.delete(key); // most recently used: to the end
      cache.set(key, entry);
    } else {
      entry = { backend, filterId: filter.dataId, layer: null, error: null, pending: null, dropped: false };
      cache.set(key, entry);
      for (const [k, e] of cache) {
        if (cache.size <= maxLayers) break;
        drop(k, e);
      }
      prepare(backend, dy, filter, spec, entry);
      return fallback(entry.error ?? 'preparing', params);
    }
    if (!entry.layer) return fallback(entry.error ?? 'preparing', params);
    stats.ours++;
    return run(backend, entry.layer, spec, dy);
  };

  const config: TfjsKernelConfig = { ...original, kernelFunc };
  Object.defineProperty(config, MARK, { value: true });
  tf.unregisterKernel(KERNEL, backendName);
  tf.registerKernel(config);

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
      if (tf.getKernel(KERNEL, backendName) === config) {
        tf.unregisterKernel(KERNEL, backendName);
        tf.registerKernel(original);
      }
      for (const [key, e] of cache) drop(key, e);
    },
  };
}
