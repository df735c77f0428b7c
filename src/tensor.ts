/** Tensors as the public API takes and returns them, and the checks on their data. */
import { checkDataLength } from './shape';

/** A dense row-major float32 tensor. */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** What the API accepts as a tensor: float32 data (or plain numbers, converted once) with its shape. */
export interface TensorLike {
  readonly data: Float32Array | Float64Array | readonly number[];
  readonly shape: readonly number[];
}

/** Bias: a 1-D array of C_out values, or a tensor with its shape. */
export type BiasLike = Float32Array | Float64Array | readonly number[] | TensorLike;

/** Checks a tensor argument and returns its data as float32 (the same array when it already is). */
export function tensorData(name: string, t: TensorLike | undefined | null): Float32Array {
  if (!t || typeof t !== 'object' || !('data' in t) || !('shape' in t)) {
    throw new TypeError(`${name}: expected a tensor { data, shape }, got ${t === null ? 'null' : typeof t}`);
  }
  const data = toFloat32(name, t.data);
  checkDataLength(name, data.length, t.shape);
  return data;
}

function toFloat32(name: string, data: unknown): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof Float64Array || Array.isArray(data)) {
    return Float32Array.from(data as ArrayLike<number>);
  }
  throw new TypeError(`${name}: data must be a Float32Array, Float64Array or array of numbers, got ${Object.prototype.toString.call(data)}`);
}

/** Splits a bias argument into its data and shape (a bare array is taken as shape [length]). */
export function biasParts(bias: BiasLike | null | undefined): { data: Float32Array; shape: readonly number[] } | null {
  if (bias === null || bias === undefined) return null;
  if (ArrayBuffer.isView(bias) || Array.isArray(bias)) {
    const data = toFloat32('bias', bias);
    return { data, shape: [data.length] };
  }
  return { data: tensorData('bias', bias as TensorLike), shape: (bias as TensorLike).shape };
}
