/** Test-side layout transposes (the library itself never transposes data: its kernels index either layout). */

/** Data of a channels-first tensor `[N?, C, ...spatial]` in channels-last order `[N?, ...spatial, C]`. */
export function toChannelsLast(data: Float32Array, shape: readonly number[], batched: boolean): Float32Array {
  const at = batched ? 1 : 0;
  const outer = shape.slice(0, at).reduce((a, b) => a * b, 1);
  const C = shape[at];
  const S = shape.slice(at + 1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(data.length);
  for (let n = 0; n < outer; n++) for (let c = 0; c < C; c++) for (let s = 0; s < S; s++) out[(n * S + s) * C + c] = data[(n * C + c) * S + s];
  return out;
}

/** Data of a channels-last tensor `[N?, ...spatial, C]` in channels-first order. */
export function toChannelsFirst(data: Float32Array, shapeLast: readonly number[], batched: boolean): Float32Array {
  const at = batched ? 1 : 0;
  const outer = shapeLast.slice(0, at).reduce((a, b) => a * b, 1);
  const C = shapeLast[shapeLast.length - 1];
  const S = shapeLast.slice(at, -1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(data.length);
  for (let n = 0; n < outer; n++) for (let s = 0; s < S; s++) for (let c = 0; c < C; c++) out[(n * C + c) * S + s] = data[(n * S + s) * C + c];
  return out;
}

/** A channels-first shape in channels-last order. */
export function shapeLast(shape: readonly number[], batched: boolean): number[] {
  const at = batched ? 1 : 0;
  return [...shape.slice(0, at), ...shape.slice(at + 1), shape[at]];
}

/** `data` of `shape` with its axes reordered: output axis i is input axis order[i]. */
export function permute(data: ArrayLike<number>, shape: readonly number[], order: readonly number[]): { data: Float32Array; shape: number[] } {
  const outShape = order.map((a) => shape[a]);
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, q) => p * q, 1));
  const out = new Float32Array(data.length);
  const idx = new Array(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < order.length; a++) src += idx[a] * strides[order[a]];
    out[o] = data[src];
    for (let a = order.length - 1; a >= 0; a--) { if (++idx[a] < outShape[a]) break; idx[a] = 0; }
  }
  return { data: out, shape: outShape };
}
