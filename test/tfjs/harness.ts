/**
 * In-page side of test/tfjs.test.ts: TF.js (tfjs-core + the WebGPU backend, on TF.js's own device) running
 * conv2dTranspose with and without registerWithTfjs(tf), on the TF.js conformance fixtures and extra cases.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
// tf.grad needs the gradient functions (@tensorflow/tfjs registers them; tfjs-core alone does not).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerWithTfjs, type TfjsRegistration } from '../../src/integrations/tfjs-kernel';
import { resolveConvTranspose, scatterReference, type PathOption } from '../../src/index';
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

  // LRU: with one layer allowed, two shapes alternate; the results stay right.
  {
    const x = tf.tensor4d(values(1 * 4 * 4 * 3, 9), [1, 4, 4, 3]);
    const fa = tf.tensor4d(values(3 * 3 * 2 * 3, 10), [3, 3, 2, 3]);
    const fb = tf.tensor4d(values(2 * 2 * 2 * 3, 11), [2, 2, 2, 3]);
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
    check('maxLayers 1: alternating shapes stay right, one layer held', ok && reg.stats.layers <= 1, JSON.stringify(reg.stats));
    reg.unregister();
    for (const t of [x, fa, fb]) t.dispose();
  }

  // Double registration and unregister.
  {
    const reg = registerWithTfjs(tf);
    let threw = '';
    try {
      registerWithTfjs(tf);
    } catch (e) {
      threw = (e as Error).message;
    }
    check('a second registration is refused', /already registered/.test(threw), threw);
    reg.unregister();
    reg.unregister();
    const marked = (k: string) => !!(tf.getKernel(k, 'webgpu') as unknown as Record<symbol, unknown>)[Symbol.for('webgpu-convtranspose/tfjs')];
    check('unregister is idempotent and restores the kernels',
      !marked('Conv2DBackpropInput') && !marked('Conv3DBackpropInputV2') && !marked('DepthwiseConv2dNativeBackpropInput'));
  }
  return checks;
}

/** Dispose-and-swap and model-swap through the registration on one path (the crash of issue 20). */
async function swapChecks(path: PathOption, check: (name: string, ok: boolean, detail?: string) => void): Promise<void> {
  // Dispose and swap: three filters of one shape, each used through our layer and then disposed, with calls in
  // between (the crash of issue 20: a disposed filter's data id must never reach tfjs-core's data mover).
  {
    const x = tf.tensor4d(values(1 * 5 * 5 * 4, 20), [1, 5, 5, 4]);
    const shape: [number, number, number, number] = [4, 4, 3, 4];
    const run = (f: tf.Tensor4D) => tf.conv2dTranspose(x, f, [1, 10, 10, 3], 2, 'same');
    const reg = registerWithTfjs(tf, { path });
    const details: string[] = [];
    let ok = true;
    try {
      const warm = tf.tensor4d(values(48 * 4, 21), shape);
      run(warm).dispose();
      await reg.ready();
      warm.dispose();
      for (let k = 0; k < 3; k++) {
        const f = tf.tensor4d(values(48 * 4, 30 + k), shape);
        const ours = run(f);
        const again = run(f);
        const oursData = await ours.data(), againData = await again.data();
        ours.dispose(); again.dispose();
        // The stock result of the same filter, with our kernels out of the way for one call.
        const stock = await stockOf(() => run(f));
        f.dispose();
        const d = Math.max(maxAbsDiff(oursData, stock), maxAbsDiff(againData, stock));
        details.push(`filter ${k}: diff ${d}`);
        ok &&= d <= 1e-5 * Math.max(1, ...Array.from(stock, Math.abs));
      }
    } catch (e) {
      ok = false;
      details.push(`threw ${(e as Error).message}`);
    }
    check('dispose and swap: three filters used and disposed, calls in between, no crash, results right',
      ok && reg.stats.ours === 6 && reg.stats.weightPacks === 3 && reg.stats.layers === 1, `${details.join('; ')}; ${JSON.stringify(reg.stats)}`);
    reg.unregister();
    x.dispose();
  }

  // model.dispose() of a TF.js layers model, then a new model of the same shapes loaded and called.
  {
    const z = tf.tensor2d(values(2 * 16, 40), [2, 16]);
    const reg = registerWithTfjs(tf, { path });
    const details: string[] = [];
    let ok = true;
    try {
      for (let k = 0; k < 3; k++) {
        const model = smallGenerator(50 + k);
        const stock = await stockOf(() => model.predict(z) as tf.Tensor);
        (model.predict(z) as tf.Tensor).dispose();
        await reg.ready();
        const y = model.predict(z) as tf.Tensor;
        const d = maxAbsDiff(await y.data(), stock);
        y.dispose();
        model.dispose();
        details.push(`model ${k}: diff ${d}`);
        ok &&= d <= 1e-5 * Math.max(1, ...Array.from(stock, Math.abs));
      }
    } catch (e) {
      ok = false;
      details.push(`threw ${(e as Error).message}`);
    }
    check('model.dispose() and a new model loaded, three times: no crash, ours runs, results right',
      ok && reg.stats.ours >= 3 * 2, `${details.join('; ')}; ${JSON.stringify(reg.stats)}`);
    reg.unregister();
    z.dispose();
  }

}

/** TF.js's own kernels, taken when the page starts (before any registration). */
const KERNEL_NAMES = ['Conv2DBackpropInput', 'Conv3DBackpropInputV2', 'DepthwiseConv2dNativeBackpropInput'] as const;
let stockKernels: tf.KernelConfig[] = [];

/** `f()`'s values with TF.js's own kernels. */
async function stockOf(f: () => tf.Tensor): Promise<Float32Array> {
  return (await stockGrads(() => [f()]))[0];
}

/** A small DCGAN-style generator (dense, reshape, two conv2dTranspose k4 s2 'same', relu/tanh), seeded. */
function smallGenerator(seed: number): tfl.Sequential {
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed * 10 + s });
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [16], units: 4 * 4 * 8, kernelInitializer: init(1) }),
      tfl.layers.reshape({ targetShape: [4, 4, 8] }),
      tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tfl.layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init(3) }),
    ],
  });
}

/** Generator and discriminator in one model (so training flows through conv2d's input gradient too). */
function ganPair(seed: number): tfl.Sequential {
  const g = smallGenerator(seed);
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed * 10 + s });
  g.add(tfl.layers.conv2d({ filters: 6, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(4) }));
  g.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  g.add(tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(5) }));
  g.add(tfl.layers.flatten());
  g.add(tfl.layers.dense({ units: 1, kernelInitializer: init(6) }));
  return g;
}

/** `steps` SGD steps of the pair on a fixed batch; the weights after them, and counts over steps 2..steps. */
async function train(steps: number, reg: TfjsRegistration | null, onStep?: (step: number) => void): Promise<Float32Array[]> {
  const model = ganPair(7);
  const z = tf.tensor2d(values(4 * 16, 70), [4, 16]);
  const target = tf.tensor2d(values(4, 71), [4, 1]);
  const opt = tf.train.sgd(0.05);
  try {
    for (let step = 0; step < steps; step++) {
      onStep?.(step);
      opt.minimize(() => tf.losses.meanSquaredError(target, model.predict(z) as tf.Tensor) as tf.Scalar);
      if (step === 0) await reg?.ready();
    }
    return await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  } finally {
    model.dispose();
    opt.dispose();
    for (const t of [z, target]) t.dispose();
  }
}

let stockTraining: { weights: Float32Array[]; reads: number } | undefined;

/** Training and gradients through the registration on one path: against TF.js's own kernels. */
async function trainingChecks(path: PathOption): Promise<{ name: string; ok: boolean; detail: string }[]> {
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail = '') => checks.push({ name: `${name} [${path}]`, ok, detail });
  const close = (a: ArrayLike<number>, b: ArrayLike<number>, rel: number) => maxAbsDiff(a, b) <= rel * Math.max(1, ...Array.from(b, Math.abs));

  await swapChecks(path, check);

  // 20 SGD steps, stock and through the registration: the same weights after them; after the first step every
  // call runs ours, and the registration adds no read-back to a step (TF.js's own are counted in both runs).
  {
    const steps = 20;
    const proto = GPUBuffer.prototype as unknown as { mapAsync: (...a: unknown[]) => Promise<void> };
    const mapAsync = proto.mapAsync;
    // Read-backs only: TF.js maps its upload buffers for writing (MAP_WRITE) to recycle them.
    let reads = 0, counting = false;
    proto.mapAsync = function (this: GPUBuffer, ...a: unknown[]) { if (counting && ((a[0] as number) & GPUMapMode.READ)) reads++; return mapAsync.apply(this, a); };
    const countFrom = (step: number) => { if (step === 1) { counting = true; reads = 0; } };
    let reg: TfjsRegistration | null = null;
    try {
      // TF.js's own run is the same on every path: made once.
      stockTraining ??= { weights: await train(steps, null, countFrom), reads };
      counting = false;
      const { weights: stock, reads: stockReads } = stockTraining;
      reg = registerWithTfjs(tf, { path });
      const r = reg;
      let before = { ours: 0, fallback: 0 };
      const ours = await train(steps, reg, (step) => {
        countFrom(step);
        if (step === 1) before = { ours: r.stats.ours, fallback: r.stats.fallback };
      });
      counting = false;
      const calls = reg.stats.ours - before.ours + reg.stats.fallback - before.fallback;
      const share = (reg.stats.ours - before.ours) / calls;
      const diffs = ours.map((w, i) => maxAbsDiff(w, stock[i]));
      check(`${steps} SGD steps of a generator and discriminator: weights equal TF.js's own`, ours.every((w, i) => close(w, stock[i], 1e-4)),
        `max diffs ${diffs.map((d) => d.toExponential(2)).join(', ')}`);
      check('after the first step ours runs >= 90% of the calls, and adds no read-back', calls > 0 && share >= 0.9 && reads === stockReads,
        `steps 2-${steps}: ${calls} calls, ours ${(100 * share).toFixed(1)}%, read-backs ${reads} (stock TF.js: ${stockReads}); ${JSON.stringify(reg.stats)}`);
    } finally {
      proto.mapAsync = mapAsync;
      reg?.unregister();
    }
  }

  // Gradients: each through the registration (after a first call that prepares) against TF.js's own.
  const gradients: [string, string, () => tf.Tensor[]][] = [];
  {
    const x = tf.tensor4d(values(2 * 7 * 7 * 3, 5), [2, 7, 7, 3]);
    const f = tf.tensor4d(values(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
    gradients.push(['conv2d: input gradient', 'Conv2DBackpropInput', () => [tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.conv2d(t as tf.Tensor4D, f, 2, 'same'))))(x)]]);
    const xt = tf.tensor4d(values(1 * 4 * 4 * 5, 7), [1, 4, 4, 5]);
    const ft = tf.tensor4d(values(4 * 4 * 3 * 5, 8), [4, 4, 3, 5]);
    gradients.push(['conv2dTranspose: input and filter gradients', 'Conv2DBackpropInput', () => tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [1, 8, 8, 3], 2, 'same'))))([xt, ft])]);
    const x3 = tf.tensor5d(values(1 * 3 * 4 * 4 * 2, 9), [1, 3, 4, 4, 2]);
    const f3 = tf.tensor5d(values(2 * 3 * 3 * 2 * 3, 10), [2, 3, 3, 2, 3]);
    gradients.push(['conv3d: input gradient', 'Conv3DBackpropInputV2', () => [tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.conv3d(t as tf.Tensor5D, f3, 2, 'same'))))(x3)]]);
    const y3 = tf.tensor5d(values(1 * 2 * 3 * 3 * 3, 11), [1, 2, 3, 3, 3]);
    gradients.push(['conv3dTranspose', 'Conv3DBackpropInputV2', () => [tf.conv3dTranspose(y3, f3, [1, 4, 6, 6, 2], [2, 2, 2], 'same')]]);
    const xd = tf.tensor4d(values(2 * 6 * 6 * 3, 12), [2, 6, 6, 3]);
    const fd = tf.tensor4d(values(3 * 3 * 3 * 2, 13), [3, 3, 3, 2]);
    gradients.push(['depthwiseConv2d: input gradient (multiplier 2)', 'DepthwiseConv2dNativeBackpropInput', () => [tf.grad((t: tf.Tensor) =>
      tf.sum(tf.square(tf.depthwiseConv2d(t as tf.Tensor4D, fd, 2, 'same'))))(xd)]]);
    // TF.js's depthwise gradient refuses dilations, so the kernel is called directly for a dilated case; TF.js's
    // own WebGPU kernel ignores dilations (its program has no dilation uniform), so this one is held to the
    // float64 reference instead (depthwiseDilatedReference).
    const dyd = tf.tensor4d(values(2 * 2 * 2 * 6, 14), [2, 2, 2, 6]);
    const dilated = () => [tf.engine().runKernel(
      'DepthwiseConv2dNativeBackpropInput', { dy: dyd, filter: fd }, { strides: 1, dilations: 2, pad: 'valid', inputShape: [2, 6, 6, 3] }) as tf.Tensor];
    for (const [name, kernel, grad] of gradients) {
      const stock = await stockGrads(grad);
      const reg = registerWithTfjs(tf, { path });
      try {
        tf.dispose(grad());
        await reg.ready();
        const before = reg.stats.kernels[kernel] ?? 0;
        const ts = grad();
        const ours = await Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
        tf.dispose(ts);
        const ran = (reg.stats.kernels[kernel] ?? 0) - before;
        const diffs = ours.map((o, i) => maxAbsDiff(o, stock[i]));
        check(`${name}: ours (${kernel}) equals TF.js's own`, ran >= 1 && ours.every((o, i) => close(o, stock[i], 1e-5)),
          `ours ran ${ran}, diffs ${diffs.map((d) => d.toExponential(2)).join(', ')}; ${JSON.stringify(reg.stats.reasons)}`);
      } finally {
        reg.unregister();
      }
    }
    {
      const reg = registerWithTfjs(tf, { path });
      try {
        tf.dispose(dilated());
        await reg.ready();
        const before = reg.stats.kernels.DepthwiseConv2dNativeBackpropInput ?? 0;
        const [t] = dilated();
        const ours = (await t.data()) as Float32Array;
        t.dispose();
        const ref = depthwiseDilatedReference(Array.from(await dyd.data()), Array.from(await fd.data()));
        const stock = await stockOf(() => dilated()[0]);
        const ran = (reg.stats.kernels.DepthwiseConv2dNativeBackpropInput ?? 0) - before;
        check('DepthwiseConv2dNativeBackpropInput, dilation 2, valid: ours equals the float64 reference', ran >= 1 && close(ours, ref, 1e-5),
          `ours ran ${ran}, diff ${maxAbsDiff(ours, ref).toExponential(2)}; TF.js's own kernel differs from the reference by ${maxAbsDiff(stock, ref).toExponential(2)}`);
      } finally {
        reg.unregister();
      }
    }
    for (const t of [x, f, xt, ft, x3, f3, y3, xd, fd, dyd]) t.dispose();
  }
  return checks;
}

/**
 * dx of a depthwise conv2d (dy [2, 2, 2, 6] NHWC, filter [3, 3, 3, 2], stride 1, dilation 2, 'valid', dx
 * [2, 6, 6, 3]) in float64, NHWC: the grouped transposed convolution (3 groups of 2 input channels, one output
 * channel each) by the library's scatter reference, on data moved to NCHW and iohw here.
 */
function depthwiseDilatedReference(dy: number[], filter: number[]): Float64Array {
  const [N, H, W, C, G, M, K, OH] = [2, 2, 2, 6, 3, 2, 3, 6];
  const x = new Float64Array(N * C * H * W);
  for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) x[((n * C + c) * H + h) * W + w] = dy[((n * H + h) * W + w) * C + c];
  const wt = new Float64Array(C * K * K);
  for (let kh = 0; kh < K; kh++) for (let kw = 0; kw < K; kw++) for (let g = 0; g < G; g++) for (let m = 0; m < M; m++) wt[((g * M + m) * K + kh) * K + kw] = filter[((kh * K + kw) * G + g) * M + m];
  const r = resolveConvTranspose([N, C, H, W], [C, 1, K, K], null, { strides: [1, 1], dilations: [2, 2], group: G });
  const y = scatterReference(r, x, wt);
  const out = new Float64Array(y.length);
  for (let n = 0; n < N; n++) for (let g = 0; g < G; g++) for (let h = 0; h < OH; h++) for (let w = 0; w < OH; w++) out[((n * OH + h) * OH + w) * G + g] = y[((n * G + g) * OH + h) * OH + w];
  return out;
}

/** Every tensor `f()` returns, computed with TF.js's own kernels. */
async function stockGrads(f: () => tf.Tensor[]): Promise<Float32Array[]> {
  const current = KERNEL_NAMES.map((k) => tf.getKernel(k, 'webgpu')!);
  const swap = (configs: tf.KernelConfig[]) => configs.forEach((c) => { tf.unregisterKernel(c.kernelName, 'webgpu'); tf.registerKernel(c); });
  swap(stockKernels);
  try {
    const ts = f();
    const out = await Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(ts);
    return out;
  } finally {
    swap(current);
  }
}

export interface TfjsHarness {
  init(): Promise<{ ok: boolean; info: string }>;
  fixtureNames(): string[];
  extraNames(): string[];
  runFixture(name: string, path: PathOption): Promise<TfjsCaseResult>;
  runExtra(name: string, path: PathOption): Promise<TfjsCaseResult>;
  behaviour(): Promise<{ name: string; ok: boolean; detail: string }[]>;
  training(path: PathOption): Promise<{ name: string; ok: boolean; detail: string }[]>;
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
      stockKernels = KERNEL_NAMES.map((k) => tf.getKernel(k, 'webgpu')!);
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
  training: trainingChecks,
};
window.tfjsHarness = harness;
document.getElementById('status')!.textContent = 'ready';
