/**
 * In-page side of test/tfjs.test.ts: TF.js (tfjs-core + the WebGPU backend, on TF.js's own device) running
 * conv2dTranspose with and without registerWithTfjs(tf), on the TF.js conformance fixtures and extra cases.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
// tf.grad needs the gradient functions (@tensorflow/tfjs registers them; tfjs-core alone does not).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerWithTfjs, type TfjsRegistration } from '../../src/integrations/tfjs-kernel';
import type { PathOption } from '../../src/index';
import fixtures from '../fixtures/conformance/tfjs.json';
import { errorText } from '../support/error-text';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

/** A conv2dTranspose case in our layout: NCHW input, weight [C_in, C_out, kH, kW]. */
export interface TfjsCase {
  name: string;
  x: { shape: number[]; data: number[] };
  w: { shape: number[]; data: number[] };
  bias?: number[] | null;
  strides: number | [number, number];
  pad: Pad;
  /** TF.js output shape, NHWC (NCHW when dataFormat is NCHW). */
  outputShape: [number, number, number, number];
  /** Expected output, NCHW (the fixture's). */
  expected?: number[];
  /** NCHW runs Conv2DBackpropInput directly (tf.engine().runKernel); default NHWC through tf.conv2dTranspose. */
  dataFormat?: 'NHWC' | 'NCHW';
  /** Make input and filter GPU tensors (outputs of a GPU op) instead of CPU-side uploads. */
  onGpu?: boolean;
}

export interface TfjsCaseResult {
  name: string;
  error: string | null;
  /** max |ours − plain TF.js|, and the scale it is judged against (max |plain|). */
  oursVsPlain: number;
  scale: number;
  /** max |plain − expected| and max |ours − expected| (NCHW expected converted), when the case has expected values. */
  plainVsExpected: number | null;
  oursVsExpected: number | null;
  /** Stats deltas: the first registered call fell back while preparing; the second ran ours. */
  firstFellBack: boolean;
  secondRanOurs: boolean;
  /** After our call: the output lives in a GPU buffer with no CPU copy, and a GPU input was not read back. */
  outputOnGpuOnly: boolean;
  inputNotRead: boolean;
  paths: Record<string, number>;
  reasons: Record<string, number>;
  /** TF.js's original kernel is registered again after unregister(). */
  restored: boolean;
}

interface BackendInternals {
  tensorMap: { get(id: object): { values: unknown; resource: unknown } | undefined };
}

const backend = () => tf.backend() as unknown as BackendInternals;
const storage = (t: tf.Tensor) => backend().tensorMap.get(t.dataId)!;

/** NCHW → NHWC. */
function nhwc(data: number[], [n, c, h, w]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) out[(b * h * w + i) * c + ch] = data[(b * c + ch) * h * w + i];
  return out;
}

/** [C_in, C_out, kH, kW] → TF.js filter [kH, kW, C_out, C_in]. */
function tfFilter(data: number[], [cin, cout, kh, kw]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[((y * kw + x) * cout + o) * cin + i] = data[((i * cout + o) * kh + y) * kw + x];
  }
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) || (a[i] === b[i] ? 0 : Infinity));
  return m;
};

/** The TF.js conformance fixtures that are 2-D transposed convolutions, as cases (3-D ones run Conv3DBackpropInputV2, not replaced). */
function fixtureCases(): TfjsCase[] {
  type Fixture = {
    name: string; dims: number; duplicate_of?: string;
    input: { shape: number[]; data: number[] }; weight: { shape: number[]; data: number[] }; bias: { data: number[] } | null;
    expected: { shape: number[]; data: number[] }; tfjs_original: { pad: Pad; strides: number | [number, number] };
  };
  return (fixtures as unknown as Fixture[]).filter((f) => f.dims === 2 && !f.duplicate_of).map((f) => {
    const [n, cout, oh, ow] = f.expected.shape;
    return {
      name: f.name, x: f.input, w: f.weight, bias: f.bias?.data ?? null, strides: f.tfjs_original.strides, pad: f.tfjs_original.pad,
      outputShape: [n, oh, ow, cout], expected: f.expected.data,
    };
  });
}

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

function extraCase(name: string, xShape: number[], wShape: number[], strides: number | [number, number], pad: Pad, outHW: [number, number], more: Partial<TfjsCase> = {}): TfjsCase {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const nchw = more.dataFormat === 'NCHW';
  return {
    name, x: { shape: xShape, data: values(size(xShape), xShape.length * 7 + size(xShape)) },
    w: { shape: wShape, data: values(size(wShape), size(wShape) + 3) }, strides, pad,
    outputShape: nchw ? [xShape[0], wShape[1], ...outHW] : [xShape[0], ...outHW, wShape[1]], ...more,
  };
}

/** Cases beyond the fixtures: DCGAN-like, output padding, numeric pads, one channel, 1x1 input, NCHW, GPU-resident tensors. */
function extraCases(): TfjsCase[] {
  return [
    extraCase('dcgan-like k4 s2 same, batch 2', [2, 8, 5, 5], [8, 5, 4, 4], 2, 'same', [10, 10]),
    extraCase('valid, output larger than the natural size (output padding 1)', [1, 3, 3, 3], [3, 4, 3, 3], 2, 'valid', [8, 8]),
    extraCase('numeric pad 1, k3 s2, out 7', [1, 2, 4, 4], [2, 3, 3, 3], 2, 1, [7, 7]),
    extraCase('numeric pad 1, k3 s2, out 8 (output padding)', [1, 2, 4, 4], [2, 3, 3, 3], 2, 1, [8, 8]),
    extraCase('explicit pads, asymmetric strides and kernel', [1, 3, 3, 4], [3, 2, 2, 5], [1, 3], [[0, 0], [1, 0], [2, 1], [0, 0]], [3, 12]),
    extraCase('one channel in and out', [1, 1, 6, 5], [1, 1, 3, 3], 2, 'same', [12, 10]),
    extraCase('1x1 input', [3, 6, 1, 1], [6, 4, 4, 4], 1, 'valid', [4, 4]),
    extraCase('GPU-resident input and filter', [2, 4, 6, 6], [4, 6, 3, 3], 2, 'same', [12, 12], { onGpu: true }),
    extraCase('dataFormat NCHW (Conv2DBackpropInput directly)', [2, 3, 4, 5], [3, 4, 3, 3], 2, 'same', [8, 10], { dataFormat: 'NCHW', onGpu: true }),
  ];
}

/** One run of the case through TF.js as it is registered now. */
function runOnce(c: TfjsCase, x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  if (c.dataFormat === 'NCHW') {
    return tf.engine().runKernel('Conv2DBackpropInput', { dy: x, filter }, {
      strides: c.strides, pad: c.pad, dataFormat: 'NCHW', inputShape: c.outputShape, dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }
  return tf.conv2dTranspose(x, filter, c.outputShape, c.strides, c.pad);
}

/** Output as NCHW numbers, plus bias. */
async function nchwOut(c: TfjsCase, y: tf.Tensor4D): Promise<number[]> {
  const data = Array.from(await y.data());
  const [n, a, b, d] = y.shape;
  const [C, H, W] = c.dataFormat === 'NCHW' ? [a, b, d] : [d, a, b];
  const out = new Array<number>(data.length);
  for (let bi = 0; bi < n; bi++) for (let ch = 0; ch < C; ch++) for (let i = 0; i < H * W; i++) {
    const v = c.dataFormat === 'NCHW' ? data[(bi * C + ch) * H * W + i] : data[(bi * H * W + i) * C + ch];
    out[(bi * C + ch) * H * W + i] = v + (c.bias?.[ch] ?? 0);
  }
  return out;
}

async function runCase(c: TfjsCase, path: PathOption): Promise<TfjsCaseResult> {
  const result: TfjsCaseResult = {
    name: c.name, error: null, oursVsPlain: Infinity, scale: 0, plainVsExpected: null, oursVsExpected: null, firstFellBack: false,
    secondRanOurs: false, outputOnGpuOnly: false, inputNotRead: false, paths: {}, reasons: {}, restored: false,
  };
  const original = tf.getKernel('Conv2DBackpropInput', 'webgpu');
  let reg: TfjsRegistration | null = null;
  const keep: tf.Tensor[] = [];
  try {
    const [n, cin, h, w] = c.x.shape;
    const [, cout, kh, kw] = c.w.shape;
    let x: tf.Tensor4D = c.dataFormat === 'NCHW' ? tf.tensor4d(c.x.data, [n, cin, h, w]) : tf.tensor4d(nhwc(c.x.data, c.x.shape), [n, h, w, cin]);
    let filter = tf.tensor4d(tfFilter(c.w.data, c.w.shape), [kh, kw, cout, cin]);
    keep.push(x, filter);
    if (c.onGpu) {
      // Outputs of a GPU op: their data exist only in GPU buffers (CPU forwarding is off on this page).
      x = tf.mul(x, 1) as tf.Tensor4D;
      filter = tf.mul(filter, 1) as tf.Tensor4D;
      keep.push(x, filter);
    }
    const plainY = runOnce(c, x, filter);
    keep.push(plainY);
    const plain = await nchwOut(c, plainY);

    reg = registerWithTfjs(tf, { path });
    const first = runOnce(c, x, filter);
    keep.push(first);
    result.firstFellBack = reg.stats.fallback === 1 && reg.stats.ours === 0 && reg.stats.reasons.preparing === 1;
    await reg.ready();
    const ours = runOnce(c, x, filter);
    keep.push(ours);
    result.secondRanOurs = reg.stats.ours === 1;
    const st = storage(ours);
    result.outputOnGpuOnly = st.values == null && st.resource instanceof GPUBuffer;
    result.inputNotRead = !c.onGpu || storage(x).values == null;
    const oursData = await nchwOut(c, ours);
    const firstData = await nchwOut(c, first);
    result.oursVsPlain = Math.max(maxAbsDiff(oursData, plain), maxAbsDiff(firstData, plain));
    result.scale = Math.max(...plain.map(Math.abs));
    if (c.expected) {
      result.plainVsExpected = maxAbsDiff(plain, c.expected);
      result.oursVsExpected = maxAbsDiff(oursData, c.expected);
    }
    result.paths = { ...reg.stats.paths };
    result.reasons = { ...reg.stats.reasons };
  } catch (e) {
    result.error = errorText(e);
  } finally {
    reg?.unregister();
    result.restored = tf.getKernel('Conv2DBackpropInput', 'webgpu') === original;
    for (const t of keep) t.dispose();
  }
  return result;
}

/** Other behaviour: conv2d's input gradient, the layer cache (LRU, disposed filters), double registration. */
async function behaviourChecks(): Promise<{ name: string; ok: boolean; detail: string }[]> {
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail = '') => checks.push({ name, ok, detail });

  // The input gradient of conv2d is Conv2DBackpropInput too.
  {
    const x = tf.tensor4d(values(2 * 7 * 7 * 3, 5), [2, 7, 7, 3]);
    const f = tf.tensor4d(values(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.conv2d(t as tf.Tensor4D, f, 2, 'same'))));
    const plain = await grad(x).data();
    const reg = registerWithTfjs(tf);
    grad(x).dispose();
    await reg.ready();
    const g = grad(x);
    const ours = await g.data();
    check('conv2d input gradient runs ours and matches', reg.stats.ours === 1 && maxAbsDiff(ours, plain) <= 1e-4 * Math.max(...Array.from(plain, Math.abs)),
      `ours ${reg.stats.ours}, diff ${maxAbsDiff(ours, plain)}`);
    reg.unregister();
    for (const t of [x, f, g]) t.dispose();
  }

  // No layout pass: our kernel reads dy and writes dx in NHWC, so TF.js's Transpose kernel never runs for it.
  {
    const x = tf.tensor4d(values(2 * 5 * 5 * 8, 12), [2, 5, 5, 8]);
    const f = tf.tensor4d(values(4 * 4 * 6 * 8, 13), [4, 4, 6, 8]);
    const run = () => tf.conv2dTranspose(x, f, [2, 10, 10, 6], 2, 'same');
    const plain = await run().data();
    const transpose = tf.getKernel('Transpose', 'webgpu')!;
    let transposes = 0;
    tf.unregisterKernel('Transpose', 'webgpu');
    tf.registerKernel({ ...transpose, kernelFunc: (p) => { transposes++; return transpose.kernelFunc(p); } });
    const reg = registerWithTfjs(tf);
    try {
      run().dispose();
      await reg.ready();
      transposes = 0;
      const y = run();
      const ours = await y.data();
      y.dispose();
      check('NHWC in and out with no Transpose pass', reg.stats.ours === 1 && transposes === 0 && maxAbsDiff(ours, plain) <= 1e-4 * Math.max(...Array.from(plain, Math.abs)),
        `ours ${reg.stats.ours}, Transpose kernels ${transposes}, diff ${maxAbsDiff(ours, plain)}`);
    } finally {
      reg.unregister();
      tf.unregisterKernel('Transpose', 'webgpu');
      tf.registerKernel(transpose);
      for (const t of [x, f]) t.dispose();
    }
  }

  // LRU: with one layer allowed, two filters alternate; the results stay right.
  {
    const x = tf.tensor4d(values(1 * 4 * 4 * 3, 9), [1, 4, 4, 3]);
    const fa = tf.tensor4d(values(3 * 3 * 2 * 3, 10), [3, 3, 2, 3]);
    const fb = tf.tensor4d(values(3 * 3 * 2 * 3, 11), [3, 3, 2, 3]);
    const run = (f: tf.Tensor4D) => tf.conv2dTranspose(x, f, [1, 8, 8, 2], 2, 'same');
    const [pa, pb] = [await run(fa).data(), await run(fb).data()];
    const reg = registerWithTfjs(tf, { maxLayers: 1 });
    let ok = true;
    for (let i = 0; i < 4; i++) {
      const f = i % 2 ? fb : fa;
      const y = run(f);
      await reg.ready();
      ok &&= maxAbsDiff(await y.data(), i % 2 ? pb : pa) <= 1e-5;
      y.dispose();
    }
    check('maxLayers 1: alternating filters stay right, one layer held', ok && reg.stats.layers <= 1, JSON.stringify(reg.stats));
    reg.unregister();

    // A disposed filter's layer is dropped on the next call.
    const reg2 = registerWithTfjs(tf);
    for (const f of [fa, fb]) {
      run(f).dispose();
      await reg2.ready();
    }
    const held = reg2.stats.layers;
    fb.dispose();
    const y = run(fa);
    check('a disposed filter\'s layer is dropped on the next call', held === 2 && reg2.stats.layers === 1 && reg2.stats.ours === 1 &&
      maxAbsDiff(await y.data(), pa) <= 1e-5, `held ${held}, then ${JSON.stringify(reg2.stats)}`);
    y.dispose();
    let threw = '';
    try {
      registerWithTfjs(tf);
    } catch (e) {
      threw = (e as Error).message;
    }
    check('a second registration is refused', /already registered/.test(threw), threw);
    reg2.unregister();
    reg2.unregister();
    check('unregister is idempotent and restores the kernel', !(tf.getKernel('Conv2DBackpropInput', 'webgpu') as unknown as Record<symbol, unknown>)[Symbol.for('webgpu-convtranspose/tfjs')]);
    for (const t of [x, fa]) t.dispose();
  }
  return checks;
}

export interface TfjsHarness {
  init(): Promise<{ ok: boolean; info: string }>;
  fixtureNames(): string[];
  extraNames(): string[];
  runFixture(name: string, path: PathOption): Promise<TfjsCaseResult>;
  runExtra(name: string, path: PathOption): Promise<TfjsCaseResult>;
  behaviour(): Promise<{ name: string; ok: boolean; detail: string }[]>;
}

declare global {
  interface Window {
    tfjsHarness?: TfjsHarness;
  }
}

const harness: TfjsHarness = {
  async init() {
    try {
      if (!(await tf.setBackend('webgpu'))) return { ok: false, info: 'tf.setBackend("webgpu") failed' };
      await tf.ready();
      // Small tensors would otherwise be computed on the CPU; the checks want GPU tensors.
      tf.env().set('WEBGPU_CPU_FORWARD', false);
      const device = (tf.backend() as unknown as { device: GPUDevice }).device;
      const info = device.adapterInfo;
      return { ok: true, info: `${info?.vendor} / ${info?.architecture} / ${info?.description}; tfjs-core ${tf.version_core}` };
    } catch (e) {
      return { ok: false, info: (e as Error).message };
    }
  },
  fixtureNames: () => fixtureCases().map((c) => c.name),
  extraNames: () => extraCases().map((c) => c.name),
  runFixture: (name, path) => runCase(fixtureCases().find((c) => c.name === name)!, path),
  runExtra: (name, path) => runCase(extraCases().find((c) => c.name === name)!, path),
  behaviour: behaviourChecks,
};
window.tfjsHarness = harness;
document.getElementById('status')!.textContent = 'ready';
