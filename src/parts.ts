/**
 * A one-shot problem larger than the device's buffers, as parts. No GPU buffer may exceed `maxBufferSize`,
 * while a typed array may hold more; the one-shot form then runs the problem as sub-problems whose input and
 * output each fit one buffer, copying each part's input densely out of the caller's typed array and its output
 * into the result's.
 *
 * The split is the binding chunker's (gpu/plan/chunks.ts: planChunks, with the buffer limit as its limit):
 * batch first, then output rows along the outermost axis with more than one cell together with only the
 * input rows that reach them (a crop is again a transposed convolution, with pad p + o0 - i0*s). Planned as
 * channels-last, a row crop keeps every channel and stays one contiguous box, so a problem usually needs only
 * a few distinct sub-problems (the first rows, the middle ones, the last) whatever its layout; when even one
 * output row of one batch item is too big, the channels-first split (groups, output channels, then rows of
 * one channel) takes over. Since parts are copied densely, either split serves either layout.
 */
import { elementBytes, storageBytes, type DataType } from './half';
import { problem3d, sizeOf, type Problem3d, type ResolvedConvTranspose } from './shape';
import { ChunkError, planChunks, type Chunk } from './gpu/plan/chunks';
import { denseView, type TensorView } from './gpu/uniforms';

/** One part: its sub-problem, where its boxes sit in the whole tensors, and which weights it uses. */
export interface Part {
  readonly chunk: Chunk;
  /** First (n, c, d, h, w) of the part's input box in the whole input, channels-first coordinates. */
  readonly inputOrigin: readonly number[];
  /** First (n, c, d, h, w) of its output box in the whole output. */
  readonly outputOrigin: readonly number[];
}

/** (n, c, d, h, w) of a flat index of a dense view, decoded in the view's memory order. */
function coordinates(view: TensorView, index: number, channelsLast: boolean): number[] {
  // Memory order, outermost first; each stride is the product of the extents inside it, so dividing in this
  // order is exact even where an axis of size 1 shares its stride with the next one out.
  const order = channelsLast ? [0, 2, 3, 4, 1] : [0, 1, 2, 3, 4];
  const strides = [view.n, view.c, view.d, view.h, view.w];
  const at = [0, 0, 0, 0, 0];
  let rest = index;
  for (const a of order) {
    at[a] = Math.floor(rest / strides[a]);
    rest -= at[a] * strides[a];
  }
  return at;
}

/** Where a chunk's first element sits in the whole tensor, from its window (bytes) and view (elements). */
function originOf(window: { offset: number }, view: TensorView, whole: TensorView, bytes: number, channelsLast: boolean): number[] {
  return coordinates(whole, window.offset / bytes + view.base, channelsLast);
}

/**
 * The parts of a problem whose every input and output fits `maxBytes`, or a RangeError saying why no split
 * can. One part (the whole problem) when it already fits.
 */
export function planParts(r: ResolvedConvTranspose, dataType: DataType, maxBytes: number): Part[] {
  const bytes = elementBytes(dataType);
  const p = problem3d(r);
  // Each part runs on dense buffers of its own: those must fit, whatever the window in the whole tensor spans.
  const fits = (c: Chunk): string | null => {
    for (const [name, shape] of [['input', c.r.inputShape], ['output', c.r.outputShape]] as const) {
      const need = storageBytes(sizeOf(shape), dataType);
      if (need > maxBytes) return `${name}: ${need} bytes`;
    }
    return null;
  };
  // Alignment of an element: parts are copied, never bound at an offset, so windows need no GPU alignment.
  const lim = { maxBinding: maxBytes, alignment: 4, elementBytes: bytes };
  let chunks: Chunk[];
  let channelsLast = true;
  try {
    chunks = planChunks(r, true, lim, fits);
  } catch (e) {
    if (!(e instanceof ChunkError)) throw e;
    channelsLast = false;
    try {
      chunks = planChunks(r, false, lim, fits);
    } catch (e2) {
      if (!(e2 instanceof ChunkError)) throw e2;
      // planChunks ends its message with what the smallest chunk still needs: `input: ...` or `output: ...`.
      const need = /still needs ((\w+): .*)$/.exec(e2.message);
      throw new RangeError(`${need?.[2] ?? 'output'}: no split of the work fits this device's maxBufferSize (${maxBytes} bytes): the smallest part (one batch item, one output channel, one output row, with the input rows it reads) still needs ${need?.[1] ?? e2.message}`);
    }
  }
  const whole = { x: denseView(p.Cin, p.inS, channelsLast), y: denseView(p.Cout, p.outS, channelsLast) };
  return chunks.map((chunk) => ({
    chunk,
    inputOrigin: originOf(chunk.windows.input, chunk.views.x, whole.x, bytes, channelsLast),
    outputOrigin: originOf(chunk.windows.output, chunk.views.y, whole.y, bytes, channelsLast),
  }));
}

/** Typed arrays the parts copy between: float32 data, or float16 bit patterns. */
export type PartData = Float32Array | Uint16Array;

/**
 * Copies a box of `extent` (n, c, d, h, w) from `src` at `from` to `dst` at `to`, both dense tensors of the
 * given per-axis sizes in one layout. Runs that are contiguous in both are copied with one `set`.
 */
export function copyBox(
  src: PartData, srcSize: readonly number[], from: readonly number[],
  dst: PartData, dstSize: readonly number[], to: readonly number[],
  extent: readonly number[], channelsLast: boolean,
): void {
  const view = (s: readonly number[]) => denseView(s[1], [s[2], s[3], s[4]], channelsLast);
  const sv = view(srcSize), dv = view(dstSize);
  const order = channelsLast ? [0, 2, 3, 4, 1] : [0, 1, 2, 3, 4];
  const stride = (v: TensorView, a: number) => [v.n, v.c, v.d, v.h, v.w][a];
  let srcAt = 0, dstAt = 0;
  for (let a = 0; a < 5; a++) { srcAt += from[a] * stride(sv, a); dstAt += to[a] * stride(dv, a); }
  // Axes in memory order, innermost first; an axis merges into the run inside it when the run spans it whole in both.
  const axes = order.slice().reverse().map((a) => ({ n: extent[a], s: stride(sv, a), d: stride(dv, a) })).filter((x) => x.n > 1);
  let run = 1;
  while (axes.length > 0 && axes[0].s === run && axes[0].d === run) run *= axes.shift()!.n;
  if (extent.some((e) => e === 0)) return;
  const outer = axes.reverse(); // outermost first
  const idx = new Array(outer.length).fill(0);
  for (;;) {
    let s = srcAt, d = dstAt;
    for (let i = 0; i < outer.length; i++) { s += idx[i] * outer[i].s; d += idx[i] * outer[i].d; }
    if (run === 1) dst[d] = src[s];
    else dst.set(src.subarray(s, s + run), d);
    let i = outer.length - 1;
    for (; i >= 0; i--) {
      if (++idx[i] < outer[i].n) break;
      idx[i] = 0;
    }
    if (i < 0) return;
  }
}

/** The (n, c, d, h, w) sizes of a problem's input and output. */
export function sizes(p: Problem3d): { input: number[]; output: number[] } {
  return { input: [p.N, p.Cin, ...p.inS], output: [p.N, p.Cout, ...p.outS] };
}
