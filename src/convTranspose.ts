/** The one-shot form: typed arrays in, typed array out. Convenient; for a hot loop use createConvTranspose. */
import { resolveConvTranspose, sizeOf, type ConvTransposeAttributes } from './shape';
import { biasParts, halfTensorBits, tensorData, type BiasLike, type HalfTensor, type Tensor, type TensorLike } from './tensor';
import { checkDataType, halfArrayFromBits, type DataType } from './half';
import { BufferUsage, MapMode } from './gpu/constants';
import { deviceLostError, deviceLostInfo, getDevice } from './gpu/device';
import { checkAdapterClass, createConvTranspose } from './gpu/create';
import type { ConvTransposeLayer } from './gpu/layer';
import { checkPathOption, type PathOption } from './gpu/kernels/registry';
import { resolveActivation, type Activation } from './activation';
import { checkDataLayout, checkFilterLayout, filterToIohw, shapeFromChannelsFirst, shapeToChannelsFirst, type DataLayout, type FilterLayout } from './layout';

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
  /** Fused activation after the bias (see ConvTransposeLayerOptions.activation). */
  activation?: Activation | null;
  /** Order of `weight`'s axes (default `iohw`; see ConvTransposeLayerOptions.filterLayout). */
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

/** How long a call whose read-back failed waits for `device.lost` before reporting the failure as it is. */
const LOSS_WAIT_MS = 1000;

/**
 * Transposed convolution of `input` `[N, C_in, ...spatial]` with `weight` `[C_in, C_out/groups, ...kernel]`.
 * Every argument is validated before any GPU work; all GPU buffers it makes are destroyed before it returns.
 * With `dataType: 'float16'` the result holds float16 data (a Float16Array, or a Uint16Array of bit patterns
 * where the runtime has no Float16Array).
 */
export function convTranspose<D extends DataType = 'float32'>(
  input: TensorLike, weight: TensorLike, options?: ConvTransposeOptions & { dataType?: D },
): Promise<D extends 'float16' ? HalfTensor : Tensor> {
  // One signature (no overloads), so a misspelt option is reported as plainly as before float16 existed.
  return run(input, weight, options) as Promise<D extends 'float16' ? HalfTensor : Tensor>;
}

async function run(input: TensorLike, givenWeight: TensorLike, options: ConvTransposeOptions = {}): Promise<Tensor | HalfTensor> {
  if (!options || typeof options !== 'object') throw new TypeError('options: expected an object');
  const { bias, path = 'auto', config, device: given, adapterClass, tune, activation, filterLayout, inputLayout, dataType = 'float32', ...attrs } = options;
  checkFilterLayout(filterLayout);
  checkDataLayout(inputLayout);
  checkDataType(dataType);
  const half = dataType === 'float16';
  const weight = filterToIohw(givenWeight, filterLayout, dataType);
  resolveActivation(activation); // checked before any GPU work
  checkPathOption(path);
  checkAdapterClass(adapterClass);
  if (!input || typeof input !== 'object') throw new TypeError('input: expected a tensor { data, shape }');
  if (!weight || typeof weight !== 'object') throw new TypeError('weight: expected a tensor { data, shape }');
  const b = biasParts(bias, dataType);
  const r = resolveConvTranspose(shapeToChannelsFirst(input.shape, inputLayout, weight.shape?.length), weight.shape, b?.shape, attrs);
  const x = half ? halfTensorBits('input', input) : tensorData('input', input);
  const w = tensorData('weight', weight, dataType);
  if (sizeOf(r.outputShape) === 0) {
    const shape = shapeFromChannelsFirst(r.outputShape, inputLayout, r.unbatched);
    return half ? { data: halfArrayFromBits(new Uint16Array(0)), shape } : { data: new Float32Array(0), shape };
  }

  const device = given ?? (await getDevice());
  const lostBefore = await deviceLostInfo(device, 0);
  if (lostBefore) throw deviceLostError('convTranspose', lostBefore);
  let layer: ConvTransposeLayer;
  try {
    layer = await createConvTranspose(device, { ...attrs, inputShape: input.shape, weight: { data: w, shape: weight.shape }, bias: b, path, config, adapterClass, tune, activation, inputLayout, dataType, label: 'convTranspose' });
  } catch (e) {
    // Lost while the layer was being made: report the loss as this call's, like a loss during the run.
    const lost = await deviceLostInfo(device, 0);
    throw lost ? deviceLostError('convTranspose', lost, e) : e;
  }
  const buffers: GPUBuffer[] = [];
  try {
    device.pushErrorScope('validation');
    const make = (size: number, usage: number) => {
      const buffer = device.createBuffer({ label: 'convTranspose/io', size, usage });
      buffers.push(buffer);
      return buffer;
    };
    const inBuf = make(layer.inputBytes, BufferUsage.STORAGE | BufferUsage.COPY_DST);
    const outBuf = make(layer.outputBytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
    const readBuf = make(layer.outputBytes, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
    // writeBuffer takes whole 4-byte words: an odd number of float16 values is padded with one more.
    const upload = x.byteLength % 4 === 0 ? x : Uint16Array.from({ length: x.length + 1 }, (_, i) => (i < x.length ? x[i] : 0));
    device.queue.writeBuffer(inBuf, 0, upload.buffer, upload.byteOffset, upload.byteLength);
    const encoder = device.createCommandEncoder({ label: 'convTranspose' });
    layer.encode(encoder, inBuf, outBuf);
    encoder.copyBufferToBuffer(outBuf, 0, readBuf, 0, layer.outputBytes);
    device.queue.submit([encoder.finish()]);
    const error = await device.popErrorScope();
    if (error) throw new Error(`convTranspose: the GPU rejected the work: ${error.message}`);
    await readBuf.mapAsync(MapMode.READ);
    const bytes = readBuf.getMappedRange().slice(0);
    readBuf.unmap();
    if (half) return { data: halfArrayFromBits(new Uint16Array(bytes, 0, sizeOf(r.outputShape))), shape: layer.outputShape };
    return { data: new Float32Array(bytes), shape: layer.outputShape };
  } catch (e) {
    // A lost device makes mapAsync reject with a bare AbortError, and `device.lost` may resolve just after it:
    // wait a little for it then; any other failure only checks whether the loss is already known.
    const name = (e as { name?: unknown } | null)?.name;
    const lost = await deviceLostInfo(device, name === 'AbortError' || name === 'OperationError' ? LOSS_WAIT_MS : 0);
    throw lost ? deviceLostError('convTranspose', lost, e) : e;
  } finally {
    for (const buffer of buffers) buffer.destroy();
    layer.destroy();
  }
}
