/** Tensors as the public API takes and returns them, and the checks on their data. */
import { checkDataLength } from './shape';
import { isGpuBuffer } from './gpu/buffer-checks';
import { fromHalfBits, isFloat16Array, toHalfBits, type DataType, type Float16ArrayLike } from './half';

/**
 * A dense row-major float32 tensor, as results come back: the data always owns a fresh ArrayBuffer (never a
 * SharedArrayBuffer), so it goes into `device.queue.writeBuffer` as it is.
 */
export interface Tensor {
  readonly data: Float32Array<ArrayBuffer>;
  readonly shape: readonly number[];
}

/**
 * Typed arrays taken as tensor data: a Float32Array is used as is, the others are converted once. With
 * `dataType: 'float16'` a Uint16Array holds raw float16 bit patterns (see {@link tensorData}).
 */
export type NumericTypedArray =
  | Float32Array | Float64Array | Float16ArrayLike | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

/**
 * A float16 tensor as the one-shot call returns it with `dataType: 'float16'`: a Float16Array where the
 * runtime has one, else a Uint16Array of the raw float16 bit patterns (`fromHalfBits` reads them).
 */
export interface HalfTensor {
  readonly data: Float16ArrayLike<ArrayBuffer> | Uint16Array<ArrayBuffer>;
  readonly shape: readonly number[];
}

/**
 * What the API accepts as a tensor: float32 data (or other typed arrays or plain numbers, converted once) with
 * its shape. A plain array must hold numbers only (NaN and ±Infinity included).
 */
export interface TensorLike {
  readonly data: NumericTypedArray | readonly number[];
  readonly shape: readonly number[];
}

/**
 * A tensor whose values are in a GPU buffer, as the prepared forms take a weight: the buffer (STORAGE usage;
 * float32, or packed float16 words for a float16 layer, row-major in the filter layout) and the shape.
 */
export interface GpuTensor {
  readonly buffer: GPUBuffer;
  readonly shape: readonly number[];
}

/** Whether `t` is a {@link GpuTensor} (duck-typed). */
export function isGpuTensor(t: unknown): t is GpuTensor {
  return !!t && typeof t === 'object' && 'buffer' in t && 'shape' in t && isGpuBuffer((t as GpuTensor).buffer);
}

/** Bias: a 1-D array of C_out values, or a tensor with its shape. */
export type BiasLike = NumericTypedArray | readonly number[] | TensorLike;

/**
 * Checks a tensor argument and returns its data as float32 (the same array when it already is). With
 * `dataType` 'float16' a Uint16Array is read as float16 bit patterns (widened exactly); otherwise, and for
 * every other array, values convert as numbers (a Float16Array's exactly).
 */
export function tensorData(name: string, t: TensorLike | undefined | null, dataType?: DataType): Float32Array {
  checkTensor(name, t);
  const data = floatData(name, `${name}.data`, t.data, dataType);
  checkDataLength(name, data.length, t.shape);
  return data;
}

/** A value as a "got ..." in an error message: short, whatever its size (`Float32Array(18)`, `Array(3)`). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return `${Object.prototype.toString.call(v).slice(8, -1)}(${(v as unknown as { length?: number }).length ?? v.byteLength})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  switch (typeof v) {
    case 'string': return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
    case 'object': {
      const keys = Object.keys(v as object);
      return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
    }
    case 'undefined': return 'undefined';
    case 'function': return 'a function';
    default: return `the ${typeof v} ${String(v)}`;
  }
}

/**
 * Throws unless `t` is an object with `data` and `shape` (their contents are checked by the caller), naming the
 * argument as the entry point spells it (`input`, `weight`, `x`, `filter`, ...). A bare typed array or array is
 * the most likely slip, so the message says how to wrap it.
 */
export function checkTensor(name: string, t: unknown): asserts t is TensorLike {
  if (!t || typeof t !== 'object' || ArrayBuffer.isView(t) || Array.isArray(t) || !('data' in t) || !('shape' in t)) {
    const bare = ArrayBuffer.isView(t) || Array.isArray(t) ? ': give the values as { data, shape }' : '';
    throw new TypeError(`${name}: expected a tensor { data, shape }, got ${describeValue(t)}${bare}`);
  }
}

/** Data as float32: with `dataType` 'float16' a Uint16Array holds bit patterns (widened exactly), else toFloat32. */
function floatData(name: string, what: string, data: TensorLike['data'], dataType: DataType | undefined): Float32Array {
  if (dataType !== 'float16' || !(data instanceof Uint16Array)) return toFloat32(name, what, data);
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = fromHalfBits(data[i]);
  return out;
}

/**
 * A float16 tensor argument's data as bit patterns, for upload as it is: a Float16Array's memory (no copy), a
 * Uint16Array taken as the bits, or an array of numbers rounded to float16 (to nearest, ties to even). Any
 * other typed array is rejected, naming the argument: its values would need a rounding the caller should see.
 */
export function halfTensorBits(name: string, t: TensorLike | undefined | null): Uint16Array {
  checkTensor(name, t);
  const data: unknown = t.data;
  let bits: Uint16Array;
  if (isFloat16Array(data)) bits = new Uint16Array(data.buffer, data.byteOffset, data.length);
  else if (data instanceof Uint16Array) bits = data;
  else if (Array.isArray(data)) {
    bits = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v: unknown = data[i];
      if (typeof v !== 'number') throw new TypeError(`${name}.data[${i}]: expected a number, got ${describeElement(data, i, v)}`);
      bits[i] = toHalfBits(v);
    }
  } else {
    throw new TypeError(`${name}: with dataType 'float16' the data must be a Float16Array, a Uint16Array of float16 bit patterns or an array of numbers, got ${Object.prototype.toString.call(data).slice(8, -1)}`);
  }
  checkDataLength(name, bits.length, t.shape);
  return bits;
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

/**
 * Splits a bias argument into its data and shape (a bare array is taken as shape [length]); with `dataType`
 * 'float16' a Uint16Array holds float16 bit patterns, as in {@link tensorData}.
 */
export function biasParts(bias: BiasLike | null | undefined, dataType?: DataType): { data: Float32Array; shape: readonly number[] } | null {
  if (bias === null || bias === undefined) return null;
  if (ArrayBuffer.isView(bias) || Array.isArray(bias)) {
    const data = floatData('bias', 'bias', bias, dataType);
    return { data, shape: [data.length] };
  }
  return { data: tensorData('bias', bias as TensorLike, dataType), shape: (bias as TensorLike).shape };
}
