/**
 * A call's problem, resolved once: the shapes resolved (resolveConvTranspose), the weight checked and put in
 * iohw float32, the bias checked, with the options that shape the computation. Every entry point makes one
 * from its checked options (options.ts) and hands it to the one-shot runner (convTranspose.ts: runProblem) or
 * the layer builder (gpu/create.ts: createLayer), which check nothing again. Pure: no WebGPU.
 */
import type { ResolvedActivation } from './activation';
import type { DataType } from './half';
import { filterToIohw, shapeToChannelsFirst, type DataLayout, type FilterLayout } from './layout';
import type { CheckedOptions } from './options';
import { resolveConvTranspose, type ConvTransposeAttributes, type ResolvedConvTranspose } from './shape';
import { biasParts, checkTensor, halfTensorBits, tensorData, type TensorLike } from './tensor';

/** A transposed convolution ready for the GPU: everything checked, nothing left to derive. */
export interface Problem {
  readonly r: ResolvedConvTranspose;
  /** `[C_in, C_out/groups, ...kernel]`, float32. */
  readonly weights: Float32Array;
  /** `[C_out]`, float32, or undefined. */
  readonly bias: Float32Array | undefined;
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

/**
 * Resolves a problem: `inputShape` in `inputLayout`, `weight` in `filterLayout`, `attributes` in ONNX or
 * PyTorch spelling. Throws, naming the argument, for whatever is wrong.
 */
export function resolveProblem(
  names: TensorNames, inputShape: unknown, weight: unknown, attributes: ConvTransposeAttributes,
  o: Pick<CheckedOptions, 'bias' | 'activation' | 'dataType'> & { inputLayout: DataLayout; filterLayout: FilterLayout },
): Problem {
  checkTensor(names.weight, weight);
  const w = filterToIohw(weight, o.filterLayout, o.dataType, names.weight);
  const b = biasParts(o.bias, o.dataType);
  const r = resolveConvTranspose(shapeToChannelsFirst(inputShape as readonly number[], o.inputLayout, w.shape?.length), w.shape, b?.shape, attributes);
  return { r, weights: tensorData(names.weight, w, o.dataType), bias: b?.data, activation: o.activation, inputLayout: o.inputLayout, dataType: o.dataType };
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
