/**
 * Filter layouts. The library packs weights from `iohw` ([C_in, C_out/groups, ...kernel], PyTorch and ONNX);
 * TF.js and WebNN hand over other orders. A layout names where the input channels (i), the output channels
 * per group (o) and the kernel's spatial axes (hw: all of them, 1 to 3, in their order) sit; the weights
 * are permuted to iohw once, when a layer is made, never on the hot path.
 */
import type { TensorLike } from './tensor';
import { tensorData } from './tensor';
import type { DataType } from './half';

/**
 * Orders of a transposed convolution's weight, with `i` = C_in (all input channels), `o` = C_out/groups (one
 * group's output channels), `hw` = the kernel axes:
 * - `iohw` `[C_in, C_out/groups, ...kernel]` (default; PyTorch ConvTranspose, ONNX ConvTranspose);
 * - `oihw` `[C_out/groups, C_in, ...kernel]`: iohw with the first two axes swapped, so a forward Conv's
 *   `[C_out, C_in, ...kernel]` weight when groups = 1; with groups > 1 it is NOT PyTorch Conv's
 *   `[C_out, C_in/groups, ...kernel]` (given as oihw, that shape is refused: its second axis is not C_in);
 * - `hwoi` `[...kernel, C_out/groups, C_in]` (TF.js's `[kH, kW, outDepth, inDepth]`, WebNN's hwoi);
 * - `ohwi` `[C_out/groups, ...kernel, C_in]` (WebNN's ohwi).
 */
export type FilterLayout = 'iohw' | 'oihw' | 'hwoi' | 'ohwi';

const ORDER: Record<FilterLayout, readonly ('i' | 'o' | 's')[]> = {
  iohw: ['i', 'o', 's'], oihw: ['o', 'i', 's'], hwoi: ['s', 'o', 'i'], ohwi: ['o', 's', 'i'],
};

/** Throws a TypeError naming `filterLayout` unless it is absent or a known layout. */
export function checkFilterLayout(value: unknown): asserts value is FilterLayout | undefined {
  if (value !== undefined && !(typeof value === 'string' && value in ORDER)) {
    throw new TypeError(`filterLayout: expected one of ${Object.keys(ORDER).join(', ')}, got ${JSON.stringify(value)}`);
  }
}

/**
 * The weight in iohw: the same tensor for `iohw`, else its data permuted once (float32) with the iohw shape.
 * `dataType` 'float16' reads a Uint16Array as float16 bit patterns (tensor.ts: tensorData). `name` is what
 * errors call the weight (`filter` in the TF.js and WebNN spellings).
 */
export function filterToIohw(weight: TensorLike, layout: FilterLayout = 'iohw', dataType?: DataType, name = 'weight'): TensorLike {
  checkFilterLayout(layout);
  if (layout === 'iohw' || !weight || typeof weight !== 'object' || !Array.isArray(weight.shape)) return weight;
  const { shape, size, stride } = filterGeometry(weight.shape, layout, name);
  const data = tensorData(name, weight, dataType);
  const out = new Float32Array(data.length);
  let o = 0;
  for (let i = 0; i < size.i; i++) for (let oc = 0; oc < size.o; oc++) for (let s = 0; s < size.s; s++, o++) {
    out[o] = data[i * stride.i + oc * stride.o + s * stride.s];
  }
  return { data: out, shape };
}

/** The iohw shape of a filter of `shape` in `layout` (a weight given without data: in a GPU buffer). */
export function filterShapeToIohw(shape: readonly number[], layout: FilterLayout = 'iohw', name = 'weight'): readonly number[] {
  checkFilterLayout(layout);
  return layout === 'iohw' ? shape : filterGeometry(shape, layout, name).shape;
}

/** A filter's blocks (i, o, spatial) in `layout`: their sizes and row-major strides, and its iohw shape. */
function filterGeometry(shape: readonly number[], layout: FilterLayout, name: string) {
  const dims = shape.length - 2;
  if (dims < 1 || dims > 3) {
    throw new RangeError(`${name}: a ${layout} filter has rank 3 to 5 (1 to 3 kernel axes), got shape [${shape.join(', ')}]`);
  }
  // Sizes and row-major strides of the three blocks in the given order (the spatial block is contiguous).
  const order = ORDER[layout];
  const at: Record<'i' | 'o' | 's', number> = { i: 0, o: 0, s: 0 };
  let axis = 0;
  for (const t of order) { at[t] = axis; axis += t === 's' ? dims : 1; }
  const kernel = shape.slice(at.s, at.s + dims);
  const size = { i: shape[at.i], o: shape[at.o], s: kernel.reduce((a, b) => a * b, 1) };
  const stride = { i: 1, o: 1, s: 1 };
  let inner = 1;
  for (const t of [...order].reverse()) { stride[t] = inner; inner *= size[t]; }
  return { shape: [size.i, size.o, ...kernel], size, stride };
}

/**
 * Data layouts of input and output (WebNN's `inputLayout` names; the output follows the input). `nchw`:
 * channels first, `[N, C, ...spatial]` (PyTorch, ONNX; default); `nhwc`: channels last, `[N, ...spatial, C]`
 * (TF.js, WebNN's other layout). The spatial letters stand for every spatial axis, so `nhwc` is also
 * `[N, L, C]` in 1-D and `[N, D, H, W, C]` in 3-D; an unbatched input drops the N. The kernels read and write
 * either layout directly (strides in their uniforms): no transpose pass runs.
 */
export type DataLayout = 'nchw' | 'nhwc';

export const DATA_LAYOUTS: readonly DataLayout[] = ['nchw', 'nhwc'];

/** Throws a TypeError naming `inputLayout` unless it is absent or a known layout. */
export function checkDataLayout(value: unknown): asserts value is DataLayout | undefined {
  if (value !== undefined && !(typeof value === 'string' && (DATA_LAYOUTS as readonly string[]).includes(value))) {
    throw new TypeError(`inputLayout: expected one of ${DATA_LAYOUTS.join(', ')}, got ${JSON.stringify(value)}`);
  }
}

/**
 * A shape given in `layout`, in channels-first order. Whether it has a batch axis follows from the weight's
 * rank as in PyTorch (input rank = weight rank: batched; one less: unbatched); other ranks are left alone
 * for the shape checks to reject with their own message.
 */
export function shapeToChannelsFirst(shape: readonly number[], layout: DataLayout | undefined, weightRank: number): readonly number[] {
  if (layout !== 'nhwc' || !Array.isArray(shape) || shape.length < 2) return shape;
  const at = shape.length === weightRank ? 1 : shape.length === weightRank - 1 ? 0 : -1;
  if (at < 0) return shape;
  return [...shape.slice(0, at), shape[shape.length - 1], ...shape.slice(at, shape.length - 1)];
}

/** A channels-first shape (batched or not) in `layout`. */
export function shapeFromChannelsFirst(shape: readonly number[], layout: DataLayout | undefined, unbatched: boolean): readonly number[] {
  if (layout !== 'nhwc') return shape;
  const at = unbatched ? 0 : 1;
  return [...shape.slice(0, at), ...shape.slice(at + 1), shape[at]];
}
