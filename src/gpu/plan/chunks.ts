/**
 * Work past the binding limit. WebGPU binds at most `maxStorageBufferBindingSize` bytes of a buffer at once,
 * while a tensor may be larger (up to `maxBufferSize`). A layer whose input or output (or whose plan's scratch
 * or weights) does not fit in one binding runs as chunks. Each chunk is an ordinary, smaller transposed
 * convolution over a contiguous window of the caller's buffers, so every family runs it unchanged: the window
 * is bound with an aligned byte offset, and the chunk's views (uniforms.ts: TensorView) carry the rest of the
 * offset and the full tensor's strides. Splits are tried in this order, each only when the previous one
 * cannot fit:
 * 1. by batch: the largest run of batch items that fits;
 * 2. by groups (channels-first): the largest run of whole groups of one batch item;
 * 3. by output channels of one group (channels-first);
 * 4. by output rows along the outermost spatial axis with more than one cell, together with only the input
 *    rows that reach them: per output channel (channels-first) or all channels (channels-last, where rows
 *    are contiguous).
 * A crop along an axis is again a transposed convolution: outputs [o0, o0+m) read inputs [i0, i1] only, and
 * with o = o0 + o', i = i0 + i' the tap equation o = i*s - p + k*d becomes o' = i'*s - (p + o0 - i0*s) + k*d,
 * so the chunk has pad_begin p' = p + o0 - i0*s (>= 0 because i0*s <= o0 + p).
 * Chunks are pure data; the layer packs each chunk's weight selection once and runs the chunks in order.
 */
import { problem3d, type Problem3d, type ResolvedConvTranspose } from '../../shape';
import { denseView, type TensorView } from '../uniforms';

/** A byte range of a buffer to bind. */
export interface BufferWindow {
  readonly offset: number;
  readonly size: number;
}

/** Which weights a chunk uses: groups [g0, g0 + groups), and of each group output channels [oc0, oc0 + oc). */
export interface WeightSelection {
  readonly g0: number;
  readonly groups: number;
  readonly oc0: number;
  readonly oc: number;
}

/** One chunk: a sub-problem, where its tensors sit in the caller's buffers, and its weights. */
export interface Chunk {
  readonly r: ResolvedConvTranspose;
  readonly p: Problem3d;
  readonly views: { readonly x: TensorView; readonly y: TensorView };
  readonly windows: { readonly input: BufferWindow; readonly output: BufferWindow };
  readonly weights: WeightSelection;
}

/** What the chunks must respect. */
export interface ChunkLimits {
  /** Largest binding, bytes: min(maxStorageBufferBindingSize, maxBufferSize). */
  readonly maxBinding: number;
  /** minStorageBufferOffsetAlignment, bytes. */
  readonly alignment: number;
  /** Bytes per element of input and output. */
  readonly elementBytes: number;
}

/** Chunk-level crop: output cells [o0, o0 + m) along 3-D axis `axis`. */
interface Crop {
  readonly axis: number;
  readonly o0: number;
  readonly m: number;
}

/** The problem restricted to a chunk, as a resolved problem the paths can plan (channels-first shapes). */
function subResolved(r: ResolvedConvTranspose, p: Problem3d, c: { n: number; groups: number; coutG: number; inS: number[]; outS: number[]; pb: number[] }): ResolvedConvTranspose {
  const lead = 3 - r.dims; // 3-D axis a is spatial axis a - lead
  const spatial = (v: number[]) => v.slice(lead);
  const inSpatial = spatial(c.inS);
  const outSpatial = spatial(c.outS);
  const padsBegin = spatial(c.pb);
  const inChannels = c.groups * p.CinG;
  const outChannels = c.groups * c.coutG;
  // pad_end that makes the output-size formula hold with no output padding (it may be negative).
  const padsEnd = inSpatial.map((n, i) => (n - 1) * r.strides[i] - padsBegin[i] + r.dilations[i] * (r.kernel[i] - 1) + 1 - outSpatial[i]);
  return {
    ...r,
    batch: c.n, groups: c.groups, inChannels, outChannels, inChannelsPerGroup: p.CinG, outChannelsPerGroup: c.coutG,
    inputShape: [c.n, inChannels, ...inSpatial], weightShape: [inChannels, c.coutG, ...r.kernel], outputShape: [c.n, outChannels, ...outSpatial],
    inSpatial, outSpatial, padsBegin, padsEnd, outputPadding: inSpatial.map(() => 0), unbatched: false,
  };
}

const strideOf = (v: TensorView, axis: number) => [v.d, v.h, v.w][axis];

/** The window and view of a box of a tensor: its first element, and its extent per axis. */
function windowOf(full: TensorView, first: number, extent: { n: number; c: number; s: number[] }, lim: ChunkLimits): { window: BufferWindow; view: TensorView } {
  let last = first + (extent.n - 1) * full.n + (extent.c - 1) * full.c;
  for (let a = 0; a < 3; a++) last += (extent.s[a] - 1) * strideOf(full, a);
  const offset = Math.floor((first * lim.elementBytes) / lim.alignment) * lim.alignment;
  const size = Math.ceil(((last + 1) * lim.elementBytes - offset) / 4) * 4;
  return { window: { offset, size }, view: { ...full, base: first - offset / lim.elementBytes } };
}

/** One chunk: batch items [n0, n0 + n), groups [g0, g0 + groups), output channels [oc0, oc0 + oc) of each, an optional crop. */
function makeChunk(r: ResolvedConvTranspose, p: Problem3d, full: { x: TensorView; y: TensorView }, lim: ChunkLimits,
  n0: number, n: number, g0: number, groups: number, oc0: number, oc: number, crop: Crop | null): Chunk {
  const inS = [...p.inS];
  const outS = [...p.outS];
  const pb = [...p.pb];
  const inFirst = [0, 0, 0];
  const outFirst = [0, 0, 0];
  if (crop) {
    const a = crop.axis;
    const reach = p.d[a] * (p.k[a] - 1);
    // Inputs that reach [o0, o0 + m): i*s - p + k*d in range for some tap k.
    let i0 = Math.max(0, Math.ceil((crop.o0 + p.pb[a] - reach) / p.s[a]));
    i0 = Math.min(i0, Math.floor((crop.o0 + p.pb[a]) / p.s[a]), p.inS[a] - 1); // keeps p' >= 0 and one row at least
    const i1 = Math.max(i0, Math.min(p.inS[a] - 1, Math.floor((crop.o0 + crop.m - 1 + p.pb[a]) / p.s[a])));
    inS[a] = i1 - i0 + 1;
    outS[a] = crop.m;
    pb[a] = p.pb[a] + crop.o0 - i0 * p.s[a];
    inFirst[a] = i0;
    outFirst[a] = crop.o0;
  }
  const spatialStart = (v: TensorView, at: number[]) => at[0] * v.d + at[1] * v.h + at[2] * v.w;
  const x = windowOf(full.x, n0 * full.x.n + g0 * p.CinG * full.x.c + spatialStart(full.x, inFirst), { n, c: groups * p.CinG, s: inS }, lim);
  const y = windowOf(full.y, n0 * full.y.n + (g0 * p.CoutG + oc0) * full.y.c + spatialStart(full.y, outFirst), { n, c: groups * oc, s: outS }, lim);
  const sub = subResolved(r, p, { n, groups, coutG: oc, inS, outS, pb });
  return { r: sub, p: problem3d(sub), views: { x: x.view, y: y.view }, windows: { input: x.window, output: y.window }, weights: { g0, groups, oc0, oc } };
}

/** Splits of [0, total) into runs of `size`. */
function runs(total: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < total; s += size) out.push([s, Math.min(size, total - s)]);
  return out;
}

/** The largest size in [1, max] for which `ok(size)` holds (assumed monotone), or 0. */
function largest(max: number, ok: (size: number) => boolean): number {
  if (ok(max)) return max;
  let lo = 0;
  let hi = max; // ok(lo) (or lo = 0), !ok(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Why no split works, for the error message: the smallest chunk tried and what did not fit. */
export class ChunkError extends RangeError {}

/**
 * The chunks a problem runs as: one when everything fits, else the coarsest split whose every chunk passes
 * `fits` (which checks the windows against the limit and, through the family's plan of the chunk, its scratch
 * and weights). Throws a ChunkError with the reason when no split can work.
 */
export function planChunks(r: ResolvedConvTranspose, channelsLast: boolean, lim: ChunkLimits, fits: (chunk: Chunk) => string | null): Chunk[] {
  const p = problem3d(r);
  const full = { x: denseView(p.Cin, p.inS, channelsLast), y: denseView(p.Cout, p.outS, channelsLast) };
  const chunk = (n0: number, n: number, g0: number, groups: number, oc0: number, oc: number, crop: Crop | null = null) =>
    makeChunk(r, p, full, lim, n0, n, g0, groups, oc0, oc, crop);
  let why = '';
  const check = (list: Chunk[]): Chunk[] | null => {
    for (const c of list) {
      const bad = (['input', 'output'] as const).find((b) => c.windows[b].size > lim.maxBinding);
      const reason = bad ? `${bad}: a window of ${c.windows[bad].size} bytes` : fits(c);
      if (reason) { why = reason; return null; }
    }
    return list;
  };
  const whole = check([chunk(0, p.N, 0, p.G, 0, p.CoutG)]);
  if (whole) return whole;

  // 1. Batch.
  const byBatch = (nb: number) => runs(p.N, nb).map(([n0, n]) => chunk(n0, n, 0, p.G, 0, p.CoutG));
  const nb = largest(p.N, (size) => check(byBatch(size).slice(0, 1)) !== null);
  if (nb > 0) { const list = check(byBatch(nb)); if (list) return list; }

  const perItem = (f: (n0: number) => Chunk[]) => Array.from({ length: p.N }, (_, n0) => f(n0)).flat();
  if (!channelsLast) {
    // 2. Groups of one batch item.
    if (p.G > 1) {
      const byGroups = (gc: number) => perItem((n0) => runs(p.G, gc).map(([g0, g]) => chunk(n0, 1, g0, g, 0, p.CoutG)));
      const gc = largest(p.G, (size) => check([chunk(0, 1, 0, size, 0, p.CoutG)]) !== null);
      if (gc > 0) { const list = check(byGroups(gc)); if (list) return list; }
    }
    // 3. Output channels of one group.
    const byChannels = (cc: number) => perItem((n0) => Array.from({ length: p.G }, (_, g0) => runs(p.CoutG, cc).map(([oc0, oc]) => chunk(n0, 1, g0, 1, oc0, oc))).flat());
    const cc = largest(p.CoutG, (size) => check([chunk(0, 1, 0, 1, 0, size)]) !== null);
    if (cc > 0) { const list = check(byChannels(cc)); if (list) return list; }
  }

  // 4. Output rows along the outermost axis with more than one cell (per output channel when channels-first).
  const axis = [0, 1, 2].find((a) => p.outS[a] > 1);
  if (axis !== undefined) {
    const selections: [number, number, number, number][] = channelsLast
      ? [[0, p.G, 0, p.CoutG]]
      : Array.from({ length: p.G }, (_, g0) => Array.from({ length: p.CoutG }, (__, oc0) => [g0, 1, oc0, 1] as [number, number, number, number])).flat();
    const byRows = (m: number) => perItem((n0) => selections.map(([g0, g, oc0, oc]) => runs(p.outS[axis], m).map(([o0, rows]) => chunk(n0, 1, g0, g, oc0, oc, { axis, o0, m: rows }))).flat());
    // The middle rows need the most input, so the size is checked on a chunk in the middle.
    const mid = (m: number) => Math.max(0, Math.min(p.outS[axis] - m, Math.floor((p.outS[axis] - m) / 2)));
    const m = largest(p.outS[axis], (size) => check([chunk(0, 1, selections[0][0], selections[0][1], selections[0][2], selections[0][3], { axis, o0: mid(size), m: size })]) !== null);
    if (m > 0) {
      for (let size = m; size >= 1; size = Math.floor(size / 2)) { const list = check(byRows(size)); if (list) return list; }
    }
  }
  throw new ChunkError(`no split of the work fits this device's maxStorageBufferBindingSize (${lim.maxBinding} bytes): the smallest chunk tried (${
    channelsLast ? 'one batch item, all channels' : 'one batch item, one output channel'}${axis !== undefined ? ', one output row' : ''}) still needs ${why}`);
}
