/**
 * The bench's models (bench/models.ts) recomputed in float64 from their seeded weights and inputs, written from
 * the architectures' definitions (no TF.js): what a TF.js layers model must output, up to float32 rounding.
 * NHWC tensors; filters in TF.js layouts; 'same' padding as TensorFlow pads (the smaller half first).
 */
import { BN_EPSILON, modelWeights, type LayerWeights, type ModelSpec } from '../../bench/models';

/** An NHWC tensor in float64. */
interface T {
  n: number; h: number; w: number; c: number;
  data: Float64Array;
}

const tensor = (n: number, h: number, w: number, c: number): T => ({ n, h, w, c, data: new Float64Array(n * h * w * c) });

/** Transposed convolution, stride s, 'same' (output s·H × s·W): input (y, x) adds its taps at (y·s − top + ky, x·s − left + kx). */
function convTransposeSame(x: T, kernel: Float32Array, [kh, kw, cout, cin]: number[], s: number): T {
  if (cin !== x.c) throw new Error(`convTranspose: kernel takes ${cin} channels, input has ${x.c}`);
  const out = tensor(x.n, x.h * s, x.w * s, cout);
  const top = Math.floor(Math.max(kh - s, 0) / 2), left = Math.floor(Math.max(kw - s, 0) / 2);
  for (let b = 0; b < x.n; b++) for (let y = 0; y < x.h; y++) for (let xx = 0; xx < x.w; xx++) {
    const src = ((b * x.h + y) * x.w + xx) * cin;
    for (let ky = 0; ky < kh; ky++) {
      const oy = y * s - top + ky;
      if (oy < 0 || oy >= out.h) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ox = xx * s - left + kx;
        if (ox < 0 || ox >= out.w) continue;
        const dst = ((b * out.h + oy) * out.w + ox) * cout;
        for (let co = 0; co < cout; co++) {
          const k = ((ky * kw + kx) * cout + co) * cin;
          let acc = 0;
          for (let ci = 0; ci < cin; ci++) acc += x.data[src + ci] * kernel[k + ci];
          out.data[dst + co] += acc;
        }
      }
    }
  }
  return out;
}

/** Convolution, stride 1, 'same' (odd kernel, centred), kernel [kH, kW, in, out]. */
function convSame(x: T, kernel: Float32Array, [kh, kw, cin, cout]: number[]): T {
  if (cin !== x.c) throw new Error(`conv: kernel takes ${cin} channels, input has ${x.c}`);
  const out = tensor(x.n, x.h, x.w, cout);
  const ph = (kh - 1) / 2, pw = (kw - 1) / 2;
  for (let b = 0; b < x.n; b++) for (let y = 0; y < x.h; y++) for (let xx = 0; xx < x.w; xx++) {
    const dst = ((b * x.h + y) * x.w + xx) * cout;
    for (let ky = 0; ky < kh; ky++) {
      const iy = y + ky - ph;
      if (iy < 0 || iy >= x.h) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ix = xx + kx - pw;
        if (ix < 0 || ix >= x.w) continue;
        const src = ((b * x.h + iy) * x.w + ix) * cin;
        for (let ci = 0; ci < cin; ci++) {
          const v = x.data[src + ci];
          const k = ((ky * kw + kx) * cin + ci) * cout;
          for (let co = 0; co < cout; co++) out.data[dst + co] += v * kernel[k + co];
        }
      }
    }
  }
  return out;
}

function addBias(x: T, bias: Float32Array): T {
  for (let i = 0; i < x.data.length; i++) x.data[i] += bias[i % x.c];
  return x;
}

function batchNorm(x: T, [gamma, beta, mean, variance]: Float32Array[]): T {
  for (let i = 0; i < x.data.length; i++) {
    const c = i % x.c;
    x.data[i] = ((x.data[i] - mean[c]) / Math.sqrt(variance[c] + BN_EPSILON)) * gamma[c] + beta[c];
  }
  return x;
}

function map(x: T, f: (v: number) => number): T {
  for (let i = 0; i < x.data.length; i++) x.data[i] = f(x.data[i]);
  return x;
}

const relu = (x: T) => map(x, (v) => Math.max(0, v));

/** The model's output in float64, NHWC, flattened. */
export function modelReference(spec: ModelSpec, inputs: { shape: number[]; values: Float32Array }[]): Float64Array {
  const weights = new Map<string, LayerWeights>(modelWeights(spec).map((l) => [l.name, l]));
  const w = (name: string, i = 0) => weights.get(name)!.tensors[i];
  const values = (name: string) => weights.get(name)!.tensors.map((t) => t.values);
  if (spec.kind === 'dcgan') {
    const [{ shape: [n, zs], values: z }] = inputs;
    const width = spec.width;
    // Dense (no bias), then reshape [16·width] → [4, 4, width] (row-major, channels last).
    let h = tensor(n, 4, 4, width);
    const k = w('project');
    const units = k.shape[1];
    for (let b = 0; b < n; b++) for (let i = 0; i < zs; i++) {
      const v = z[b * zs + i];
      for (let j = 0; j < units; j++) h.data[b * units + j] += v * k.values[i * units + j];
    }
    h = relu(batchNorm(h, values('bn0')));
    for (const i of [1, 2, 3]) h = relu(batchNorm(convTransposeSame(h, w(`up${i}`).values, w(`up${i}`).shape, 2), values(`bn${i}`)));
    return map(addBias(convTransposeSame(h, w('up4').values, w('up4').shape, 2), w('up4', 1).values), Math.tanh).data;
  }
  const [deep, skip] = inputs.map(({ shape: [n, hh, ww, c], values: v }) => ({ n, h: hh, w: ww, c, data: Float64Array.from(v) }));
  const up = addBias(convTransposeSame(deep, w('up').values, w('up').shape, 2), w('up', 1).values);
  // Concatenate along channels: up's first, then the skip tensor's.
  const cat = tensor(up.n, up.h, up.w, up.c + skip.c);
  for (let p = 0; p < up.n * up.h * up.w; p++) {
    cat.data.set(up.data.subarray(p * up.c, (p + 1) * up.c), p * cat.c);
    cat.data.set(skip.data.subarray(p * skip.c, (p + 1) * skip.c), p * cat.c + up.c);
  }
  const c1 = relu(addBias(convSame(cat, w('conv1').values, w('conv1').shape), w('conv1', 1).values));
  return relu(addBias(convSame(c1, w('conv2').values, w('conv2').shape), w('conv2', 1).values)).data;
}
