/**
 * float16 storage (`dataType: 'float16'`): the option, the host-side conversions between numbers and IEEE
 * binary16 bit patterns, and the checks on float16 tensor data.
 *
 * On the GPU, float16 tensors are stored packed two to a u32 (little-endian: element 2k in the low half),
 * which is what a Float16Array or a Uint16Array of the bits holds in memory, so they are uploaded as they are.
 * The shaders widen them with unpack2x16float (shaders/input.wgsl) and narrow the result in a packing pass
 * (shaders/pack_f16.wgsl); neither needs the `shader-f16` feature. Arithmetic stays float32.
 *
 * `Float16Array` is ES2025 (Chrome 135+, Firefox 129+, Safari 18.2+; not in Node 20). It is typed structurally
 * here so the package type-checks against ES2022 libraries, and looked up at run time; where it is missing,
 * float16 data travels as a Uint16Array of raw bits.
 */

/** Storage type of input and output (WebNN's `dataType` names): `float32` (default) or `float16`. */
export type DataType = 'float32' | 'float16';

export const DATA_TYPES: readonly DataType[] = ['float32', 'float16'];

/** Throws a TypeError naming `dataType` unless it is absent, `float32` or `float16`. */
export function checkDataType(value: unknown): asserts value is DataType | undefined {
  if (value !== undefined && !(DATA_TYPES as readonly unknown[]).includes(value)) {
    throw new TypeError(`dataType: expected 'float32' or 'float16', got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
}

/**
 * A Float16Array, described structurally (see the top of this file). Like the built-in typed arrays it is
 * generic in its buffer: `Float16ArrayLike<ArrayBuffer>` is one a WebGPU upload takes as it is.
 */
export interface Float16ArrayLike<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends ArrayBufferView<TArrayBuffer>, Iterable<number> {
  readonly [Symbol.toStringTag]: 'Float16Array';
  readonly length: number;
  readonly BYTES_PER_ELEMENT: number;
  [index: number]: number;
  some(predicate: (value: number, index: number, array: this) => unknown): boolean;
  every(predicate: (value: number, index: number, array: this) => unknown): boolean;
  forEach(callback: (value: number, index: number, array: this) => void): void;
  indexOf(value: number, fromIndex?: number): number;
  includes(value: number, fromIndex?: number): boolean;
  slice(start?: number, end?: number): Float16ArrayLike<ArrayBuffer>;
  subarray(begin?: number, end?: number): Float16ArrayLike<TArrayBuffer>;
}

type Float16ArrayConstructorLike = new <TArrayBuffer extends ArrayBufferLike>(buffer: TArrayBuffer, byteOffset?: number, length?: number) => Float16ArrayLike<TArrayBuffer>;

/** The global Float16Array constructor, or null where the runtime has none. */
export function float16ArrayConstructor(): Float16ArrayConstructorLike | null {
  const ctor = (globalThis as { Float16Array?: unknown }).Float16Array;
  return typeof ctor === 'function' ? (ctor as Float16ArrayConstructorLike) : null;
}

/** Whether `data` is a Float16Array (of any realm). */
export function isFloat16Array(data: unknown): data is Float16ArrayLike {
  return ArrayBuffer.isView(data) && Object.prototype.toString.call(data) === '[object Float16Array]';
}

/** Bytes of one element: 4, or 2 for float16. */
export function elementBytes(dataType: DataType | undefined): number {
  return dataType === 'float16' ? 2 : 4;
}

/** Bytes a tensor of `elements` takes in a buffer: its elements' bytes rounded up to whole 4-byte words. */
export function storageBytes(elements: number, dataType: DataType | undefined): number {
  return Math.ceil((elements * elementBytes(dataType)) / 4) * 4;
}

/** x rounded to an integer, ties to even (x >= 0). */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

/**
 * The binary16 bit pattern nearest to `v` (round to nearest, ties to even, directly from the float64 value, as
 * Float16Array and Math.f16round do): beyond the largest half (65504) by half an ulp or more gives ±Infinity,
 * NaN gives the quiet NaN 0x7e00, and -0 keeps its sign.
 */
export function toHalfBits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a >= 65520) return sign | 0x7c00; // 65520 = 65504 + half its ulp: the tie rounds to even, i.e. to Infinity
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24); // subnormal (1024 is the smallest normal: same bits)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // log2 may be off by one next to powers of two
  else if (2 ** (e + 1) <= a) e++;
  const m = roundHalfEven(a * 2 ** (10 - e)); // 1024..2048 (exact scaling); 2048 carries into the exponent
  return sign | (((e + 15) << 10) + (m - 1024));
}

/** The value of a binary16 bit pattern (every one is exact in float64). */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

/** `v` rounded to the nearest float16 value (Math.f16round where the runtime has it). */
export function roundToHalf(v: number): number {
  return fromHalfBits(toHalfBits(v));
}

/** Bit patterns as float16 data: a Float16Array over the same memory where the runtime has one, else the bits. */
export function halfArrayFromBits<TArrayBuffer extends ArrayBufferLike>(bits: Uint16Array<TArrayBuffer>): Float16ArrayLike<TArrayBuffer> | Uint16Array<TArrayBuffer> {
  const F16 = float16ArrayConstructor();
  return F16 ? new F16(bits.buffer, bits.byteOffset, bits.length) : bits;
}
