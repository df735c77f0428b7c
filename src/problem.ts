/**
 * A call's problem, resolved once: the shapes resolved (resolveConvTranspose), the weight checked and put in
 * iohw float32, the bias checked, with the options that shape the computation. Every entry point makes one
 * from its checked options (options.ts) and hands it to the one-shot runner (convTranspose.ts: runProblem) or
 * the layer builder (gpu/create.ts: createLayer), which check nothing again. Pure: no WebGPU.
 */
import type { ResolvedActivation } from './activation';
import type { DataType } from './half';
import { filterShapeToIohw, filterToIohw, shapeToChannelsFirst, type DataLayout, type FilterLayout } from './layout';
import { isGpuBuffer } from './gpu/buffer-checks';
import type { CheckedOptions } from './options';
import { resolveConvTranspose, type ConvTransposeAttributes, type ResolvedConvTranspose } from './shape';
import { biasParts, checkTensor, describeValue, halfTensorBits, isGpuTensor, tensorData, type BiasLike, type TensorLike } from './tensor';

/** A transposed convolution ready for the GPU: everything checked, nothing left to derive. */
export interface Problem {
  readonly r: ResolvedConvTranspose;
  /** `[C_in, C_out/groups, ...kernel]`, float32; null when the weight is in a GPU buffer (`gpuWeights`). */
  readonly weights: Float32Array | null;
  /** `[C_out]`, float32, or undefined. */
  readonly bias: Float32Array | undefined;
  /** A prepared form's weight (and bias) in the caller's GPU buffers, packed on the GPU when the layer is made. */
  readonly gpuWeights?: { readonly weight: GPUBuffer; readonly bias: GPUBuffer | null };
  /** The weight as the caller gives it: layout and shape (in that layout). */
  readonly weightSpec: { readonly layout: FilterLayout; readonly shape: readonly number[] };
  readonly activation: ResolvedActivation;
  /** Layout of input and output. */
  readonly inputLayout: DataLayout;
  readonly dataType: DataType;
}

/** What an entry point calls its tensors in error messages (`input`/`weight`, TF.js's `x`/`filter`, ...). */
export interface TensorNames {
  readonly input: string;
  readonly weight: string;
}

export const CORE_NAMES: TensorNames = { input: 'input', weight: 'weight' };

/** Whether every value is finite (no ±Inf, no NaN). */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * Resolves a problem: `inputShape` in `inputLayout`, `weight` in `filterLayout`, `attributes` in ONNX or
 * PyTorch spelling. Throws, naming the argument, for whatever is wrong. `gpu`: a prepared form, which also
 * takes the weight as a GpuTensor and the bias as a GPUBuffer.
 */
export function resolveProblem(
  names: TensorNames, inputShape: unknown, weight: unknown, attributes: ConvTransposeAttributes,
  o: Pick<CheckedOptions, 'bias' | 'activation' | 'dataType'> & { inputLayout: DataLayout; filterLayout: FilterLayout },
  gpu = false,
): Problem {
  const base = { activation: o.activation, inputLayout: o.inputLayout, dataType: o.dataType };
  const gpuBias = isGpuBuffer(o.bias);
  if (isGpuTensor(weight) || gpuBias) {
    const form = 'the prepared forms take a weight in a GPU buffer ({ buffer, shape }) and a bias in a GPUBuffer';
    if (!gpu) throw new TypeError(`${isGpuTensor(weight) ? names.weight : 'bias'}: this entry point takes CPU data; ${form}`);
    if (!isGpuTensor(weight)) throw new TypeError(`${names.weight}: with a bias in a GPUBuffer, give the weight in a GPU buffer too ({ buffer, shape }); ${form}`);
    const shape = weight.shape as readonly number[];
    const iohw = Array.isArray(shape) ? filterShapeToIohw(shape, o.filterLayout, names.weight) : shape;
    const r = resolveConvTranspose(shapeToChannelsFirst(inputShape as readonly number[], o.inputLayout, iohw?.length), iohw, null, attributes);
    const bias = gpuBias ? o.bias as unknown as GPUBuffer : o.bias === null ? null : undefined;
    if (bias === undefined) throw new TypeError('bias: with a weight in a GPU buffer, give the bias in a GPUBuffer too (or none)');
    return { ...base, r, weights: null, bias: undefined, gpuWeights: { weight: weight.buffer, bias }, weightSpec: { layout: o.filterLayout, shape: [...shape] } };
  }
  checkTensor(names.weight, weight);
  const w = filterToIohw(weight, o.filterLayout, o.dataType, names.weight);
  const b = biasParts(o.bias, o.dataType);
  const r = resolveConvTranspose(shapeToChannelsFirst(inputShape as readonly number[], o.inputLayout, w.shape?.length), w.shape, b?.shape, attributes);
  return { ...base, r, weights: tensorData(names.weight, w, o.dataType), bias: b?.data, weightSpec: { layout: o.filterLayout, shape: [...weight.shape] } };
}

/**
 * New CPU weights (and bias) for a prepared layer of `problem` (its setWeights): checked to have its shapes,
 * in iohw float32. `bias`: undefined leaves it (returned as undefined), null removes it.
 */
export function resolveNewWeights(names: TensorNames, problem: Pick<Problem, 'r' | 'weightSpec' | 'dataType'>, weight: unknown, bias: unknown): { w: Float32Array; bias: Float32Array | null | undefined } {
  const { r, weightSpec, dataType } = problem;
  checkTensor(names.weight, weight);
  const given = weight.shape;
  if (!Array.isArray(given) || given.length !== weightSpec.shape.length || given.some((d, i) => d !== weightSpec.shape[i])) {
    throw new RangeError(`${names.weight}: expected shape [${weightSpec.shape.join(', ')}] (the layer's, ${weightSpec.layout}), got ${Array.isArray(given) ? `[${given.join(', ')}]` : describeValue(given)}`);
  }
  const w = tensorData(names.weight, filterToIohw(weight, weightSpec.layout, dataType, names.weight), dataType);
  if (bias === undefined || bias === null) return { w, bias };
  const b = biasParts(bias as BiasLike, dataType)!;
  const cout = r.outputShape[r.unbatched ? 0 : 1];
  if (b.shape.length !== 1 || b.shape[0] !== cout) throw new RangeError(`bias: expected shape [${cout}] (the layer's C_out), got [${b.shape.join(', ')}]`);
  return { w, bias: b.data };
}

/** The shape of a prepared form's weight argument: a tensor, or a GpuTensor (checked to be one, naming it). */
export function weightShapeOf(name: string, t: unknown): unknown {
  return isGpuTensor(t) ? t.shape : tensorShapeOf(name, t);
}

/** The shape of a tensor argument (checked to be a tensor, naming it). */
export function tensorShapeOf(name: string, t: unknown): unknown {
  checkTensor(name, t);
  return t.shape;
}

/** A one-shot call's input data as uploaded: float32, or float16 bit patterns. */
export function inputData(name: string, t: TensorLike, dataType: DataType): Float32Array | Uint16Array {
  return dataType === 'float16' ? halfTensorBits(name, t) : tensorData(name, t);
}
