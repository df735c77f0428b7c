/**
 * CPU references, accumulating in float64. Three independent formulations of the same operator, used to
 * validate each other and every GPU path:
 *   scatter     the definition: every input element adds x·w into a window of the output
 *   matrix      build the forward convolution's matrix C explicitly and multiply by Cᵀ (small sizes only)
 *   zeroInsert  insert s-1 zeros, pad by d(k-1)-p (crop where negative), flip and channel-swap the kernel,
 *               then an ordinary stride-1 convolution
 * All take the resolved problem from shape.ts, so they share its validation.
 *
 * IEEE semantics are the scatter definition's: only the products x·w of an input cell and a kernel tap that
 * reach an output cell are summed, starting from +0, and the bias is added last. A cell no input reaches is
 * exactly 0 + bias (+0 for a -0 bias), and NaN or ±Inf appear exactly where such a sum gives them. The matrix
 * and zero-insert references keep to that: structural zeros of Cᵀ and inserted zeros or padding of the
 * zero-inserted input add nothing (they are skipped, not multiplied, so 0·Inf never becomes NaN).
 */
import { problem3d, sizeOf, type ResolvedConvTranspose } from './shape';

/** Any array of numbers: Float32Array, Float64Array or a plain array. */
export type NumericArray = ArrayLike<number>;

/** Names of the CPU references. */
export type ReferenceMethod = 'scatter' | 'matrix' | 'zero-insert';

/** The most entries the matrix reference builds (Cᵀ is dense: 2^22 doubles = 32 MiB). */
export const MATRIX_REFERENCE_LIMIT = 2 ** 22;

const idx3 = (a: number, b: number, c: number, [, B, C]: readonly number[]) => (a * B + b) * C + c;

function addBias(r: ResolvedConvTranspose, out: Float64Array, bias: NumericArray | null | undefined): void {
  if (!bias) return;
  const plane = sizeOf(r.outSpatial);
  for (let n = 0; n < r.batch; n++) {
    for (let c = 0; c < r.outChannels; c++) {
      const base = (n * r.outChannels + c) * plane;
      for (let i = 0; i < plane; i++) out[base + i] += bias[c];
    }
  }
}

/** The definition: each input element scatters x·w[k] to output position i·s − pad_begin + k·d. */
export function scatterReference(r: ResolvedConvTranspose, x: NumericArray, w: NumericArray, bias?: NumericArray | null): Float64Array {
  const p = problem3d(r);
  const out = new Float64Array(sizeOf(r.outputShape));
  const inPlane = sizeOf(p.inS), outPlane = sizeOf(p.outS), kPlane = sizeOf(p.k);
  for (let n = 0; n < p.N; n++) for (let g = 0; g < p.G; g++) for (let ic = 0; ic < p.CinG; ic++) {
    const cin = g * p.CinG + ic;
    const xBase = (n * p.Cin + cin) * inPlane;
    for (let id = 0; id < p.inS[0]; id++) for (let ih = 0; ih < p.inS[1]; ih++) for (let iw = 0; iw < p.inS[2]; iw++) {
      const xv = x[xBase + idx3(id, ih, iw, p.inS)];
      for (let oc = 0; oc < p.CoutG; oc++) {
        const wBase = (cin * p.CoutG + oc) * kPlane;
        const yBase = (n * p.Cout + g * p.CoutG + oc) * outPlane;
        for (let kd = 0; kd < p.k[0]; kd++) {
          const od = id * p.s[0] - p.pb[0] + kd * p.d[0];
          if (od < 0 || od >= p.outS[0]) continue;
          for (let kh = 0; kh < p.k[1]; kh++) {
            const oh = ih * p.s[1] - p.pb[1] + kh * p.d[1];
            if (oh < 0 || oh >= p.outS[1]) continue;
            for (let kw = 0; kw < p.k[2]; kw++) {
              const ow = iw * p.s[2] - p.pb[2] + kw * p.d[2];
              if (ow < 0 || ow >= p.outS[2]) continue;
              out[yBase + idx3(od, oh, ow, p.outS)] += xv * w[wBase + idx3(kd, kh, kw, p.k)];
            }
          }
        }
      }
    }
  }
  addBias(r, out, bias);
  return out;
}

/**
 * The matrix method. The forward convolution (stride s, padding p, dilation d) maps a tensor shaped like our
 * output to one shaped like our input: y = C·x'. C has one row per input cell and one column per output cell
 * (per batch item; groups make it block-diagonal). The transposed convolution is x' = Cᵀ·y.
 */
export function matrixReference(r: ResolvedConvTranspose, x: NumericArray, w: NumericArray, bias?: NumericArray | null): Float64Array {
  const p = problem3d(r);
  const rows = p.Cin * sizeOf(p.inS);
  const cols = p.Cout * sizeOf(p.outS);
  if (rows * cols > MATRIX_REFERENCE_LIMIT) {
    throw new RangeError(`matrix reference: Cᵀ would have ${rows}×${cols} = ${rows * cols} entries, more than ${MATRIX_REFERENCE_LIMIT}; use the scatter reference for this size`);
  }
  const C = new Float64Array(rows * cols);
  const present = new Uint8Array(rows * cols); // entries some tap reaches: the others are structural zeros
  const kPlane = sizeOf(p.k);
  // Row (cin, i) of the forward convolution reads output cell o = i·s − p + k·d of every channel in its group.
  for (let g = 0; g < p.G; g++) for (let ic = 0; ic < p.CinG; ic++) {
    const cin = g * p.CinG + ic;
    for (let id = 0; id < p.inS[0]; id++) for (let ih = 0; ih < p.inS[1]; ih++) for (let iw = 0; iw < p.inS[2]; iw++) {
      const row = cin * sizeOf(p.inS) + idx3(id, ih, iw, p.inS);
      for (let oc = 0; oc < p.CoutG; oc++) {
        const col0 = (g * p.CoutG + oc) * sizeOf(p.outS);
        for (let kd = 0; kd < p.k[0]; kd++) for (let kh = 0; kh < p.k[1]; kh++) for (let kw = 0; kw < p.k[2]; kw++) {
          const o = [id * p.s[0] - p.pb[0] + kd * p.d[0], ih * p.s[1] - p.pb[1] + kh * p.d[1], iw * p.s[2] - p.pb[2] + kw * p.d[2]];
          if (o.some((v, a) => v < 0 || v >= p.outS[a])) continue;
          const at = row * cols + col0 + idx3(o[0], o[1], o[2], p.outS);
          C[at] += w[(cin * p.CoutG + oc) * kPlane + idx3(kd, kh, kw, p.k)];
          present[at] = 1;
        }
      }
    }
  }
  const out = new Float64Array(p.N * cols);
  for (let n = 0; n < p.N; n++) {
    for (let row = 0; row < rows; row++) {
      const yv = x[n * rows + row];
      const cRow = row * cols;
      for (let col = 0; col < cols; col++) if (present[cRow + col]) out[n * cols + col] += C[cRow + col] * yv;
    }
  }
  addBias(r, out, bias);
  return out;
}

/** Geometry of the zero-inserted, border-padded input of the zero-insert method, per axis [D, H, W]. */
export interface ZeroInsertGeometry {
  /** Zeros added before the first input cell: d(k−1) − pad_begin; negative means that many cells are cropped. */
  readonly padBefore: [number, number, number];
  /** Size of the zero-inserted, padded (or cropped) input per axis: out + d(k−1). */
  readonly size: [number, number, number];
}

/** Where each input cell lands in the zero-inserted tensor, and how big that tensor is. */
export function zeroInsertGeometry(r: ResolvedConvTranspose): ZeroInsertGeometry {
  const p = problem3d(r);
  const ax = [0, 1, 2] as const;
  return {
    padBefore: ax.map((a) => p.d[a] * (p.k[a] - 1) - p.pb[a]) as [number, number, number],
    size: ax.map((a) => p.outS[a] + p.d[a] * (p.k[a] - 1)) as [number, number, number],
  };
}

/**
 * The conv kernel of the zero-insert method, `[C_out][C_in/g][kD][kH][kW]`: flipped 180° on every spatial
 * axis, in/out channel axes swapped per group.
 */
export function flipSwapKernel(r: ResolvedConvTranspose, w: NumericArray): Float64Array {
  const p = problem3d(r);
  const kPlane = sizeOf(p.k);
  const out = new Float64Array(p.Cout * p.CinG * kPlane);
  for (let g = 0; g < p.G; g++) for (let ic = 0; ic < p.CinG; ic++) for (let oc = 0; oc < p.CoutG; oc++) {
    const src = ((g * p.CinG + ic) * p.CoutG + oc) * kPlane;
    const dst = ((g * p.CoutG + oc) * p.CinG + ic) * kPlane;
    for (let t = 0; t < kPlane; t++) out[dst + kPlane - 1 - t] = w[src + t];
  }
  return out;
}

/** The zero-insert method: zero-insert and pad (or crop) the input, then a stride-1 convolution with the flipped kernel. */
export function zeroInsertReference(r: ResolvedConvTranspose, x: NumericArray, w: NumericArray, bias?: NumericArray | null): Float64Array {
  const p = problem3d(r);
  const { padBefore, size: zS } = zeroInsertGeometry(r);
  const zPlane = sizeOf(zS), inPlane = sizeOf(p.inS);
  const z = new Float64Array(p.N * p.Cin * zPlane);
  const landed = new Uint8Array(zPlane); // cells that hold an input value; the rest are inserted zeros or padding
  for (let nc = 0; nc < p.N * p.Cin; nc++) {
    for (let id = 0; id < p.inS[0]; id++) for (let ih = 0; ih < p.inS[1]; ih++) for (let iw = 0; iw < p.inS[2]; iw++) {
      const zd = id * p.s[0] + padBefore[0], zh = ih * p.s[1] + padBefore[1], zw = iw * p.s[2] + padBefore[2];
      if (zd < 0 || zh < 0 || zw < 0 || zd >= zS[0] || zh >= zS[1] || zw >= zS[2]) continue; // cropped
      z[nc * zPlane + idx3(zd, zh, zw, zS)] = x[nc * inPlane + idx3(id, ih, iw, p.inS)];
      landed[idx3(zd, zh, zw, zS)] = 1;
    }
  }
  const wc = flipSwapKernel(r, w);
  const kPlane = sizeOf(p.k), outPlane = sizeOf(p.outS);
  const out = new Float64Array(sizeOf(r.outputShape));
  for (let n = 0; n < p.N; n++) for (let oc = 0; oc < p.Cout; oc++) {
    const g = Math.floor(oc / p.CoutG);
    const yBase = (n * p.Cout + oc) * outPlane;
    for (let od = 0; od < p.outS[0]; od++) for (let oh = 0; oh < p.outS[1]; oh++) for (let ow = 0; ow < p.outS[2]; ow++) {
      let acc = 0;
      for (let ic = 0; ic < p.CinG; ic++) {
        const zBase = (n * p.Cin + g * p.CinG + ic) * zPlane;
        const wBase = (oc * p.CinG + ic) * kPlane;
        for (let kd = 0; kd < p.k[0]; kd++) for (let kh = 0; kh < p.k[1]; kh++) for (let kw = 0; kw < p.k[2]; kw++) {
          const at = idx3(od + kd * p.d[0], oh + kh * p.d[1], ow + kw * p.d[2], zS);
          if (landed[at]) acc += z[zBase + at] * wc[wBase + idx3(kd, kh, kw, p.k)]; // inserted zeros add nothing
        }
      }
      out[yBase + idx3(od, oh, ow, p.outS)] = acc;
    }
  }
  addBias(r, out, bias);
  return out;
}

/** Runs one CPU reference by name. */
export function cpuReference(method: ReferenceMethod, r: ResolvedConvTranspose, x: NumericArray, w: NumericArray, bias?: NumericArray | null): Float64Array {
  switch (method) {
    case 'scatter': return scatterReference(r, x, w, bias);
    case 'matrix': return matrixReference(r, x, w, bias);
    case 'zero-insert': return zeroInsertReference(r, x, w, bias);
  }
}
