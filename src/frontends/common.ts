/**
 * What the TF.js and WebNN entry points share: the options every entry point takes besides its source's own
 * (how and where it runs; their keys come from the one table, options.ts), the check that an options object
 * holds only keys of the entry point's own spelling (a foreign key is an error that says which entry point or
 * spelling it belongs to), and small value checks whose errors name the argument. Pure: no WebGPU.
 */
import type { PathOption } from '../gpu/kernels/registry';
import type { ConvTransposeAttributes } from '../shape';
import type { FilterLayout } from '../layout';
import type { DataType } from '../half';
import { checkTensor } from '../tensor';

/** Options of the one-shot entry points beside the source's own: how and where the convolution runs. */
export interface FrontendRunOptions {
  /** A path by name, or `auto` (default); see ConvTransposeOptions.path. */
  path?: PathOption;
  /** With a path by name: the configuration of its family to run (see ConvTransposeLayerOptions.config). */
  config?: object;
  /** Default: the package's shared device (getDevice()). */
  device?: GPUDevice;
  /** Plan as for this kind of adapter (see ConvTransposeLayerOptions.adapterClass). */
  adapterClass?: 'cpu' | 'gpu';
  /** `auto` only: time close paths once per device and problem (default true). */
  tune?: boolean;
  /**
   * Storage type of the input and output (the core's and WebNN's name): `float32` (default) or `float16`
   * (a Float16Array, a Uint16Array of float16 bit patterns or an array of numbers in; float16 data out; see
   * ConvTransposeLayerOptions.dataType). The filter and bias may be float16 too, widened once.
   */
  dataType?: DataType;
}

/** Options of the prepared entry points beside the source's own (the device is their first argument). */
export interface FrontendLayerOptions extends Omit<FrontendRunOptions, 'device'> {
  /** Label prefix of the layer's GPU objects (see ConvTransposeLayerOptions.label). */
  label?: string;
}

/** The run options' keys, one-shot and prepared: from the table (options.ts), as are each entry point's keys. */
export { RUN_KEYS, LAYER_KEYS, checkKeys, optionsObject } from '../options';

/**
 * What an entry point hands to the core: attributes in ONNX spelling (every one resolved, nothing left for the
 * core to derive), the data layout of input and output, and the filter layout. Input and output stay in the
 * caller's layout (the kernels read and write it); the filter is permuted once when the layer is made.
 */
export interface CoreMapping {
  /** `strides`, `pads` ([begin..., end...]), `dilations`, `output_padding`, `group`: ONNX spelling. */
  readonly attributes: Required<Pick<ConvTransposeAttributes, 'strides' | 'pads' | 'dilations' | 'output_padding' | 'group'>>;
  /** Layout of input and output for the core's `inputLayout` option. */
  readonly inputLayout: 'nchw' | 'nhwc';
  /** The filter's layout for the core's `filterLayout` option. */
  readonly filterLayout: FilterLayout;
  /** The output shape, in the caller's layout (what the entry point returns). */
  readonly outputShape: readonly number[];
}

/** A value as error messages show it. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length})`;
  if (v !== null && typeof v === 'object') return Object.prototype.toString.call(v);
  return String(v);
}

/** One of the strings `allowed` (`fallback` when undefined), or a TypeError naming `name`, with `hint(v)` after it. */
export function stringChoice(name: string, v: unknown, allowed: readonly string[], fallback: string, hint: (v: unknown) => string): string {
  if (v === undefined) return fallback;
  if (typeof v === 'string' && allowed.includes(v)) return v;
  throw new TypeError(`${name}: expected ${allowed.map((a) => show(a)).join(', ')}, got ${show(v)}${hint(v)}`);
}

/** An integer in [min, 2^31 - 1], or a TypeError/RangeError naming `name`. */
export function intAtLeast(name: string, v: unknown, min: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${name}: expected ${what}, got ${show(v)}`);
  if (v < min || v > 2 ** 31 - 1) throw new RangeError(`${name}: expected ${what}, got ${show(v)}`);
  return v;
}

/** An array (or typed array) of exactly `length` integers, each at least `min`; errors name `name` and, for an element, its index. */
export function intSequence(name: string, given: unknown, length: number, min: number, what: string, layout: string): number[] {
  // A typed array is a sequence too (WebIDL takes any iterable for sequence<unsigned long>).
  const v = ArrayBuffer.isView(given) && !(given instanceof DataView) ? Array.from(given as unknown as ArrayLike<number>) : given;
  if (!Array.isArray(v)) throw new TypeError(`${name}: expected a sequence of ${length} ${layout}, got ${show(v)}`);
  if (v.length !== length) throw new RangeError(`${name}: expected ${length} values ${layout}, got ${v.length}: ${show(v)}`);
  return v.map((x, i) => intAtLeast(`${name}[${i}]`, x, min, what));
}

/** A shape: an array of non-negative integers of one of the given ranks. */
export function shapeOf(name: string, v: unknown, ranks: readonly number[], layout: string): number[] {
  if (!Array.isArray(v)) throw new TypeError(`${name}: expected a shape (an array of dimensions), got ${show(v)}`);
  if (!ranks.includes(v.length)) {
    throw new RangeError(`${name}: expected rank ${ranks.join(' or ')} (${layout}), got rank ${v.length}: ${show(v)}`);
  }
  return v.map((d, i) => intAtLeast(`${name}[${i}]`, d, 0, 'a non-negative integer dimension'));
}

/** The `shape` of a tensor argument, or a TypeError naming it (tensor.ts: checkTensor, as every entry point). */
export function tensorShape(name: string, t: unknown): unknown {
  checkTensor(name, t);
  return t.shape;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
