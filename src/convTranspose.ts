/**
 * The one-shot form: typed arrays in, typed array out. Convenient; for a hot loop use createConvTranspose.
 * A problem whose input or output exceeds the device's maxBufferSize runs in parts (parts.ts).
 */
import { problem3d, sizeOf, type ConvTransposeAttributes } from './shape';
import type { BiasLike, HalfTensor, Tensor, TensorLike } from './tensor';
import { halfArrayFromBits, storageBytes, type DataType } from './half';
import { BufferUsage, MapMode } from './gpu/constants';
import { deviceLostError, deviceLostInfo, getDevice, LOSS_WAIT_MS } from './gpu/device';
import { createLayer, type LayerChoice } from './gpu/create';
import type { ConvTransposeLayer } from './gpu/layer';
import type { PathOption } from './gpu/kernels/registry';
import { deviceLimits } from './gpu/plan/context';
import { selectWeights } from './gpu/plan/chunked';
import type { Activation } from './activation';
import { shapeFromChannelsFirst, type DataLayout, type FilterLayout } from './layout';
import { checkOptions, type CheckedOptions } from './options';
import { CORE_NAMES, inputData, resolveProblem, tensorShapeOf, type Problem } from './problem';
import { copyBox, planParts, sizes, type PartData } from './parts';

/** Options of {@link convTranspose}: attributes (PyTorch or ONNX spelling) plus bias, path and device. */
export interface ConvTransposeOptions extends ConvTransposeAttributes {
  /** `[C_out]` values, optional. */
  bias?: BiasLike | null;
  /** A path by name, or `auto` (default): the path the cost model expects to be fastest here. */
  path?: PathOption;
  /** With a path by name: its family's configuration (see ConvTransposeLayerOptions.config). */
  config?: object;
  /** Default: the package's shared device ({@link getDevice}). */
  device?: GPUDevice;
  /** Plan as for this kind of adapter (see ConvTransposeLayerOptions.adapterClass). */
  adapterClass?: 'cpu' | 'gpu';
  /** `auto` only: time close paths once per device and problem (default true; see ConvTransposeLayerOptions.tune). */
  tune?: boolean;
  /** Fused activation after the bias, with the core's names and defaults (see ConvTransposeLayerOptions.activation). */
  activation?: Activation | null;
  /** Order of `weight`'s axes (default `iohw`; see ConvTransposeLayerOptions.filterLayout, which says what each means). */
  filterLayout?: FilterLayout;
  /** Layout of input and output: `nchw` (default) or `nhwc` (see ConvTransposeLayerOptions.inputLayout). */
  inputLayout?: DataLayout;
  /**
   * Storage type of input and output (see ConvTransposeLayerOptions.dataType). With `float16` the input data
   * must be a Float16Array, a Uint16Array of float16 bit patterns, or an array of numbers (rounded to float16,
   * to nearest, ties to even), and the result's data is a Float16Array where the runtime has the global
   * (ES2025: Chrome 135+, Firefox 129+, Safari 18.2+), else a Uint16Array of the bit patterns.
   */
  dataType?: DataType;
}

/**
 * Transposed convolution of `input` `[N, C_in, ...spatial]` with `weight` `[C_in, C_out/groups, ...kernel]`.
 * Every argument is validated before any GPU work; all GPU buffers it makes are destroyed before it returns.
 * With `dataType: 'float16'` the result holds float16 data (a Float16Array, or a Uint16Array of bit patterns
 * where the runtime has no Float16Array). An input or output larger than the device's maxBufferSize runs in
 * parts, each within the limit (the result must still fit one typed array).
 */
export function convTranspose<D extends DataType = 'float32'>(
  input: TensorLike, weight: TensorLike, options?: ConvTransposeOptions & { dataType?: D },
): Promise<D extends 'float16' ? HalfTensor : Tensor> {
  // One signature (no overloads), so a misspelt option is reported as plainly as before float16 existed.
  return run(input, weight, options) as Promise<D extends 'float16' ? HalfTensor : Tensor>;
}

async function run(input: TensorLike, weight: TensorLike, options: ConvTransposeOptions | undefined): Promise<Tensor | HalfTensor> {
  const o = checkOptions('convTranspose', options);
  const problem = resolveProblem(CORE_NAMES, tensorShapeOf('input', input), weight, o.attributes, o);
  return runProblem('convTranspose', problem, inputData('input', input, o.dataType), o);
}

/** How a one-shot call runs: checked options (options.ts). */
export type RunChoice = Pick<CheckedOptions, 'path' | 'config' | 'device' | 'adapterClass' | 'tune'>;

/** The result's typed array, or a RangeError before any GPU work when the engine cannot hold it. */
function allocateOutput(count: number, half: boolean): Float32Array<ArrayBuffer> | Uint16Array<ArrayBuffer> {
  try {
    return half ? new Uint16Array(count) : new Float32Array(count);
  } catch (e) {
    throw new RangeError(`output: ${count} elements, more than this JavaScript engine holds in one ${half ? 'Uint16Array' : 'Float32Array'}: split the batch (or the output) into smaller calls`, { cause: e });
  }
}

/**
 * Runs a resolved problem (problem.ts) once, on `x` (float32, or float16 bit patterns), and returns the
 * output in the problem's layout: what every one-shot entry point calls once its arguments are checked. `who`
 * names the entry point in errors and labels.
 */
export async function runProblem(who: string, problem: Problem, x: PartData, o: RunChoice): Promise<Tensor | HalfTensor> {
  const { r, inputLayout, dataType } = problem;
  const half = dataType === 'float16';
  const shape = shapeFromChannelsFirst(r.outputShape, inputLayout, r.unbatched);
  const count = sizeOf(r.outputShape);
  if (count === 0) return half ? { data: halfArrayFromBits(new Uint16Array(0)), shape } : { data: new Float32Array(0), shape };

  const device = o.device ?? (await getDevice());
  const lostBefore = await deviceLostInfo(device, 0);
  if (lostBefore) throw deviceLostError(who, lostBefore);
  const parts = planParts(r, dataType, deviceLimits(device).maxBufferBytes);
  const whole = parts.length === 1;
  const out = whole ? null : allocateOutput(count, half);
  const p = problem3d(r);
  const full = sizes(p);
  const channelsLast = inputLayout === 'nhwc';
  const choice: LayerChoice = { path: o.path, config: o.config, adapterClass: o.adapterClass, tune: o.tune, label: who };

  const layers = new Map<string, ConvTransposeLayer>();
  const buffers: GPUBuffer[] = [];
  try {
    // One layer per distinct part (its sub-problem and weight selection): the middle rows share one.
    const layerOf = async (chunk: (typeof parts)[number]['chunk']): Promise<ConvTransposeLayer> => {
      const key = whole ? '' : JSON.stringify([chunk.r.inputShape, chunk.r.outputShape, chunk.r.padsBegin, chunk.weights]);
      let layer = layers.get(key);
      if (!layer) {
        const weights = problem.weights!; // the one-shot forms take CPU weights only (problem.ts)
        const sel = whole ? { w: weights, bias: problem.bias } : selectWeights(p, weights, problem.bias, chunk.weights);
        const part = { ...problem, r: chunk.r, weights: sel.w, bias: sel.bias, weightSpec: { layout: 'iohw' as const, shape: chunk.r.weightShape } };
        layer = await createLayer(device, whole ? problem : part, choice);
        layers.set(key, layer);
      }
      return layer;
    };
    const inElements = Math.max(...parts.map(({ chunk }) => sizeOf(chunk.r.inputShape)));
    const outElements = Math.max(...parts.map(({ chunk }) => sizeOf(chunk.r.outputShape)));
    const make = (size: number, usage: number) => {
      const buffer = device.createBuffer({ label: `${who}/io`, size, usage });
      buffers.push(buffer);
      return buffer;
    };
    // writeBuffer takes whole 4-byte words: float16 data is staged with room for one more element.
    const stage: PartData | null = whole && x.byteLength % 4 === 0 ? null : half ? new Uint16Array(inElements + 1) : new Float32Array(inElements);
    let inBuf: GPUBuffer | null = null, outBuf: GPUBuffer | null = null, readBuf: GPUBuffer | null = null;
    let result: Tensor | HalfTensor | null = null;
    for (const part of parts) {
      const layer = await layerOf(part.chunk);
      inBuf ??= make(storageBytes(inElements, dataType), BufferUsage.STORAGE | BufferUsage.COPY_DST);
      outBuf ??= make(storageBytes(outElements, dataType), BufferUsage.STORAGE | BufferUsage.COPY_SRC);
      readBuf ??= make(storageBytes(outElements, dataType), BufferUsage.MAP_READ | BufferUsage.COPY_DST);
      const sub = sizes(part.chunk.p);
      let upload: PartData = x;
      if (stage) {
        if (whole) stage.set(x);
        else copyBox(x, full.input, part.inputOrigin, stage, sub.input, [0, 0, 0, 0, 0], sub.input, channelsLast);
        upload = stage;
      }
      device.pushErrorScope('validation');
      device.queue.writeBuffer(inBuf, 0, upload.buffer, upload.byteOffset, layer.inputBytes);
      const encoder = device.createCommandEncoder({ label: who });
      layer.encode(encoder, inBuf, outBuf);
      encoder.copyBufferToBuffer(outBuf, 0, readBuf, 0, layer.outputBytes);
      device.queue.submit([encoder.finish()]);
      const error = await device.popErrorScope();
      if (error) {
        // Firefox reports a lost device's work as invalid before `device.lost` resolves: see LOSS_WAIT_MS.
        const loss = await deviceLostInfo(device, LOSS_WAIT_MS);
        throw loss ? deviceLostError(who, loss, error) : new Error(`${who}: the GPU rejected the work: ${error.message}`);
      }
      await readBuf.mapAsync(MapMode.READ, 0, layer.outputBytes);
      if (whole) {
        const bytes = readBuf.getMappedRange(0, layer.outputBytes).slice(0);
        readBuf.unmap();
        result = half ? { data: halfArrayFromBits(new Uint16Array(bytes, 0, count)), shape } : { data: new Float32Array(bytes), shape };
      } else {
        const mapped = readBuf.getMappedRange(0, layer.outputBytes);
        const n = sizeOf(part.chunk.r.outputShape);
        const got = half ? new Uint16Array(mapped, 0, n) : new Float32Array(mapped, 0, n);
        copyBox(got, sub.output, [0, 0, 0, 0, 0], out!, full.output, part.outputOrigin, sub.output, channelsLast);
        readBuf.unmap();
      }
    }
    if (result) return result;
    return half ? { data: halfArrayFromBits(out as Uint16Array<ArrayBuffer>), shape } : { data: out as Float32Array<ArrayBuffer>, shape };
  } catch (e) {
    // A lost device makes mapAsync reject with a bare AbortError, and `device.lost` may resolve just after it:
    // wait a little for it then; any other failure only checks whether the loss is already known.
    const name = (e as { name?: unknown } | null)?.name;
    const lost = await deviceLostInfo(device, name === 'AbortError' || name === 'OperationError' ? LOSS_WAIT_MS : 0);
    throw lost ? deviceLostError(who, lost, e) : e;
  } finally {
    for (const buffer of buffers) buffer.destroy();
    for (const layer of layers.values()) layer.destroy();
  }
}
