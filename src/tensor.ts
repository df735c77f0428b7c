/** Tensors as the public API takes and returns them, and the checks on their data. */
import { checkDataLength } from './shape';

/** A dense row-major float32 tensor. */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Typed arrays taken as tensor data: a Float32Array is used as is, the others are converted once. */
export type NumericTypedArray =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

/**
 * What the API accepts as a tensor: float32 data (or other typed arrays or plain numbers, converted once) with
 * its shape. A plain array must hold numbers only (NaN and ±Infinity included).
 */
export interface TensorLike {
  readonly data: NumericTypedArray | readonly number[];
  readonly shape: readonly number[];
}

/** Bias: a 1-D array of C_out values, or a tensor with its shape. */
export type BiasLike = NumericTypedArray | readonly number[] | TensorLike;

/** Checks a tensor argument and returns its data as float32 (the same array when it already is). */
export function tensorData(name: string, t: TensorLike | undefined | null): Float32Array {
  if (!t || typeof t !== 'object' || !('data' in t) || !('shape' in t)) {
    throw new TypeError(`${name}: expected a tensor { data, shape }, got ${t === null ? 'null' : typeof t}`);
  }
  const data = toFloat32(name, `${name}.data`, t.data);
  checkDataLength(name, data.length, t.shape);
  return data;
}

/**
 * Tensor data as float32: a Float32Array unchanged (zero-copy), another typed array converted, a plain array
 * converted after checking, in the same single loop, that each element is a number. `what` names the array in
 * the message for the first bad element, e.g. `input.data[1]: expected a number, got null`.
 */
function toFloat32(name: string, what: string, data: unknown): Float32Array {
  if (data instanceof Float32Array) return data;
  if (Array.isArray(data)) {
    const n = data.length;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v: unknown = data[i];
      if (typeof v !== 'number') throw new TypeError(`${what}[${i}]: expected a number, got ${describeElement(data, i, v)}`);
      out[i] = v;
    }
    return out;
  }
  if (ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array)) {
    return new Float32Array(data as unknown as ArrayLike<number>);
  }
  throw new TypeError(`${name}: data must be a Float32Array, another numeric typed array or an array of numbers, got ${Object.prototype.toString.call(data)}`);
}

/** How a non-number array element reads in an error message (only called on the error path). */
function describeElement(array: readonly unknown[], i: number, v: unknown): string {
  if (v === undefined) return i in array ? 'undefined' : 'an empty slot (a hole in a sparse array)';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
    case 'boolean': return `the boolean ${v}`;
    case 'bigint': return `the bigint ${v}n`;
    case 'symbol': return 'a symbol';
    case 'function': return 'a function';
    default: return Array.isArray(v) ? 'an array' : `an object (${Object.prototype.toString.call(v)})`;
  }
}

/** Splits a bias argument into its data and shape (a bare array is taken as shape [length]). */
export function biasParts(bias: BiasLike | null | undefined): { data: Float32Array; shape: readonly number[] } | null {
  if (bias === null || bias === undefined) return null;
  if (ArrayBuffer.isView(bias) || Array.isArray(bias)) {
    const data = toFloat32('bias', 'bias', bias);
    return { data, shape: [data.length] };
  }
  return { data: tensorData('bias', bias as TensorLike), shape: (bias as TensorLike).shape };
}
