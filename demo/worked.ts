/**
 * The worked example, step by step: input [[2,3],[1,3]], kernel [[0,1,1],[0,1,0],[1,0,1]],
 * stride 1, no padding → [[0,2,5,3],[0,3,7,3],[2,4,5,3],[1,3,1,3]]. Two views of the same sum:
 * - scatter: each input cell adds its value times the kernel at (i·s, j·s) of the output;
 * - zero-insert: put s−1 zeros between input cells, pad by k−1 zeros, and slide the kernel flipped 180° over it
 *   as an ordinary stride-1 convolution.
 * Geometry and the flipped kernel come from the library (resolveConvTranspose, zeroInsertGeometry,
 * flipSwapKernel); the GPU results come from convTranspose on every path.
 */
import {
  convTranspose, flipSwapKernel, PATH_OPTIONS, resolveConvTranspose, scatterReference, zeroInsertGeometry,
  type PathOption,
} from '../src/index';

export const WORKED_INPUT = [[2, 3], [1, 3]];
export const WORKED_KERNEL = [[0, 1, 1], [0, 1, 0], [1, 0, 1]];
/** The answer for stride 1, worked by hand. */
export const WORKED_EXPECTED = [[0, 2, 5, 3], [0, 3, 7, 3], [2, 4, 5, 3], [1, 3, 1, 3]];

export type Grid = number[][];

const toGrid = (data: ArrayLike<number>, rows: number, cols: number): Grid =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => data[r * cols + c]));

/** Everything the two views show for one stride. */
export interface WorkedExample {
  stride: number;
  input: Grid;
  kernel: Grid;
  /** Output side. */
  out: number;
  /** Scatter view: step t (0..4) has the sum after t input cells; `cell` is the cell added at step t (t ≥ 1). */
  scatter: { cell: [number, number] | null; origin: [number, number] | null; sum: Grid }[];
  /** Zero-insert view: the zero-inserted, padded input, the flipped kernel, and where input cells landed. */
  zeroInserted: Grid;
  /** Cells of `zeroInserted` that hold an input value (the rest are inserted or padding zeros). */
  landed: [number, number][];
  flipped: Grid;
  /** The stride-1 convolution of zeroInserted with flipped, which must equal the scatter sum. */
  convolved: Grid;
  /** The CPU scatter reference (float64). */
  reference: Grid;
}

/** Builds both views for `stride` (1 is the example worked by hand; 2 shows the inserted zeros). */
export function workedExample(stride: number): WorkedExample {
  const x = WORKED_INPUT.flat(), w = WORKED_KERNEL.flat();
  const r = resolveConvTranspose([1, 1, 2, 2], [1, 1, 3, 3], null, { stride });
  const out = r.outSpatial[0];
  // Scatter: one step per input cell, in reading order.
  const scatter: WorkedExample['scatter'] = [{ cell: null, origin: null, sum: toGrid(new Array(out * out).fill(0), out, out) }];
  const acc = new Array<number>(out * out).fill(0);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) acc[(i * stride + a) * out + j * stride + b] += WORKED_INPUT[i][j] * WORKED_KERNEL[a][b];
    scatter.push({ cell: [i, j], origin: [i * stride, j * stride], sum: toGrid(acc, out, out) });
  }
  // Zero-insert: the library's geometry (last two axes of its [D, H, W] arrays) and flipped kernel.
  const g = zeroInsertGeometry(r);
  const zs = g.size[2], before = g.padBefore[2];
  const z = new Array<number>(zs * zs).fill(0);
  const landed: [number, number][] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    const zi = i * stride + before, zj = j * stride + before;
    z[zi * zs + zj] = WORKED_INPUT[i][j];
    landed.push([zi, zj]);
  }
  const f = Array.from(flipSwapKernel(r, w));
  const conv = new Array<number>(out * out).fill(0);
  for (let oy = 0; oy < out; oy++) for (let ox = 0; ox < out; ox++) {
    let s = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) s += z[(oy + a) * zs + ox + b] * f[a * 3 + b];
    conv[oy * out + ox] = s;
  }
  return {
    stride, input: WORKED_INPUT, kernel: WORKED_KERNEL, out, scatter,
    zeroInserted: toGrid(z, zs, zs), landed, flipped: toGrid(f, 3, 3), convolved: toGrid(conv, out, out),
    reference: toGrid(scatterReference(r, x, w), out, out),
  };
}

/** The example on the GPU, one-shot convTranspose, on every path (and `auto`). */
export async function workedOnGpu(device: GPUDevice, stride: number): Promise<{ path: PathOption; output: Grid | null; error: string | null }[]> {
  const results = [];
  for (const path of PATH_OPTIONS) {
    try {
      const y = await convTranspose({ data: WORKED_INPUT.flat(), shape: [1, 1, 2, 2] }, { data: WORKED_KERNEL.flat(), shape: [1, 1, 3, 3] }, { stride, path, device });
      results.push({ path, output: toGrid(y.data, y.shape[2], y.shape[3]), error: null });
    } catch (e) {
      results.push({ path, output: null, error: (e as Error).message });
    }
  }
  return results;
}
