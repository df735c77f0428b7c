/**
 * In-page side of test/frontends-browser.test.ts: the TF.js and WebNN conformance fixtures through their own
 * entry points (tfjsConv2dTranspose / tfjsConv3dTranspose, webnnConvTranspose2d, and the prepared forms) with
 * the sources' original arguments and layouts, on every path; and tfjsConv2dTranspose/tfjsConv3dTranspose
 * against TF.js itself (tfjs-core + its WebGPU backend) on seeded random configurations.
 *
 * The fixtures store NCHW inputs, iohw weights and NCHW outputs; here they are put back into the source's
 * layout (NHWC or NCHW, hwoi / ohwi / iohw) before the call, and the result is compared in that layout.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { filterToIohw, getDevice, resolveConvTranspose, scatterReference } from '../../src/index';
import { fromHalfBits, halfArrayFromBits, isFloat16Array, roundToHalf, toHalfBits } from '../../src/half';
import {
  createTfjsConv2dTranspose, createTfjsConv3dTranspose, mapTfjsConv2dTranspose, mapTfjsConv3dTranspose,
  tfjsConv2dTranspose, tfjsConv3dTranspose, type TfjsPad2d,
} from '../../src/frontends/tfjs';
import { createWebnnConvTranspose2d, webnnConvTranspose2d, type WebnnConvTranspose2dOptions } from '../../src/frontends/webnn';
import type { ConvTransposeLayer } from '../../src/gpu/layer';
import { compare, compareHalf, comparisonToWire, type WireComparison } from '../support/compare';
import { VARIANTS } from '../support/variants';
import { randomWebnnConfigs, webnnReference } from '../support/webnn-reference';
import tfjsFixtures from '../fixtures/conformance/tfjs.json';
import webnnFixtures from '../fixtures/conformance/webnn-wpt.json';
import { rng } from '../support/random';
import { permute } from '../support/layout';
import { errorText } from '../support/error-text';

interface Fixture {
  name: string;
  dims: number;
  input: { shape: number[]; data: number[] };
  weight: { shape: number[]; data: number[] };
  bias: { shape: number[]; data: number[] } | null;
  expected: { shape: number[]; data: number[] };
  known_bad_expected?: boolean;
  known_bad_reason?: string;
  tfjs_original?: { pad: TfjsPad2d; strides: number | number[]; outputShape: number[] };
  webnn_original?: { options: Record<string, unknown>; input_shape: number[]; filter_shape: number[] };
}

/** One variant's outcome on one case. */
export interface FrontendResult {
  variant: string;
  error: string | null;
  shape: number[] | null;
  expectedShape: number[];
  comparison: WireComparison | null;
}

/** What a case was called with, for the failure messages and the node side's checks. */
export interface FrontendCall {
  entry: string;
  /** Shapes passed, in the source's layout. */
  xShape: number[];
  filterShape: number[];
  args: unknown;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** NCHW (NCDHW) -> NHWC (NDHWC), and iohw -> hwoi / ohwi for d spatial axes. */
const channelsLastOrder = (rank: number) => [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
const hwoiOrder = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1, 0];
const ohwiOrder = (rank: number) => [1, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 0];

const fixtureList = (file: 'tfjs' | 'webnn'): Fixture[] => (file === 'tfjs' ? tfjsFixtures : webnnFixtures) as unknown as Fixture[];

/** The case as its source calls it: tensors in the source's layouts, its own arguments. */
interface SourceCase {
  call: FrontendCall;
  x: { data: Float32Array; shape: number[] };
  filter: { data: Float32Array; shape: number[] };
  expected: { data: Float32Array; shape: number[] };
  run(path: string, adapterClass: 'cpu' | 'gpu' | undefined): Promise<{ data: Float32Array; shape: readonly number[] }>;
  layer(device: GPUDevice, path: string): Promise<ConvTransposeLayer>;
}

function tfjsCase(f: Fixture): SourceCase {
  const o = f.tfjs_original!;
  const dims = f.dims as 2 | 3;
  // The tf.layers channelsFirst cases: TF.js's layer runs the op on NCHW (NCDHW) data; their outputShape is channels-first.
  const channelsFirst = /dataFormat=channelsFirst/.test(f.name);
  const rank = dims + 2;
  const x = channelsFirst ? { data: Float32Array.from(f.input.data), shape: f.input.shape } : permute(f.input.data, f.input.shape, channelsLastOrder(rank));
  const filter = permute(f.weight.data, f.weight.shape, hwoiOrder(rank));
  const expected = channelsFirst ? { data: Float32Array.from(f.expected.data), shape: f.expected.shape } : permute(f.expected.data, f.expected.shape, channelsLastOrder(rank));
  const dataFormat = channelsFirst ? (dims === 2 ? 'NCHW' : 'NCDHW') : undefined;
  const bias = f.bias?.data ?? null;
  const opts = { ...(dataFormat ? { dataFormat } : {}), ...(bias ? { bias } : {}) };
  const entry = dims === 2 ? 'tfjsConv2dTranspose' : 'tfjsConv3dTranspose';
  return {
    call: { entry, xShape: x.shape, filterShape: filter.shape, args: { outputShape: o.outputShape, strides: o.strides, pad: o.pad, opts } },
    x, filter, expected,
    run: (path, adapterClass) => (dims === 2
      ? tfjsConv2dTranspose(x, filter, o.outputShape, o.strides as [number, number], o.pad, { ...opts, dataFormat: dataFormat as 'NCHW' | undefined, path: path as never, adapterClass })
      : tfjsConv3dTranspose(x, filter, o.outputShape, o.strides as [number, number, number], o.pad as 'same' | 'valid', { ...opts, dataFormat: dataFormat as 'NCDHW' | undefined, path: path as never, adapterClass })),
    layer: (device, path) => (dims === 2
      ? createTfjsConv2dTranspose(device, x.shape, filter, o.outputShape, o.strides as [number, number], o.pad, { ...opts, dataFormat: dataFormat as 'NCHW' | undefined, path: path as never, label: f.name })
      : createTfjsConv3dTranspose(device, x.shape, filter, o.outputShape, o.strides as [number, number, number], o.pad as 'same' | 'valid', { ...opts, dataFormat: dataFormat as 'NCDHW' | undefined, path: path as never, label: f.name })),
  };
}

function webnnCase(f: Fixture): SourceCase {
  const o = f.webnn_original!;
  const options = { ...o.options } as WebnnConvTranspose2dOptions & Record<string, unknown>;
  if (options.bias) options.bias = f.bias!.data; // the original names an operand { shape }; its data is the fixture's
  const nhwc = options.inputLayout === 'nhwc';
  const x = nhwc ? permute(f.input.data, f.input.shape, channelsLastOrder(4)) : { data: Float32Array.from(f.input.data), shape: f.input.shape };
  const filterLayout = options.filterLayout ?? 'iohw';
  const filter = filterLayout === 'hwoi' ? permute(f.weight.data, f.weight.shape, hwoiOrder(4))
    : filterLayout === 'ohwi' ? permute(f.weight.data, f.weight.shape, ohwiOrder(4))
    : { data: Float32Array.from(f.weight.data), shape: f.weight.shape };
  const expected = nhwc ? permute(f.expected.data, f.expected.shape, channelsLastOrder(4)) : { data: Float32Array.from(f.expected.data), shape: f.expected.shape };
  if (JSON.stringify(x.shape) !== JSON.stringify(o.input_shape) || JSON.stringify(filter.shape) !== JSON.stringify(o.filter_shape)) {
    throw new Error(`${f.name}: the transposed fixture tensors ${JSON.stringify([x.shape, filter.shape])} are not the WebNN shapes ${JSON.stringify([o.input_shape, o.filter_shape])}`);
  }
  return {
    call: { entry: 'webnnConvTranspose2d', xShape: x.shape, filterShape: filter.shape, args: o.options },
    x, filter, expected,
    run: (path, adapterClass) => webnnConvTranspose2d(x, filter, { ...options, path: path as never, adapterClass }) as Promise<{ data: Float32Array; shape: readonly number[] }>, // float32 fixtures
    layer: (device, path) => createWebnnConvTranspose2d(device, x.shape, filter, { ...options, path: path as never, label: f.name }),
  };
}

const sourceCase = (file: 'tfjs' | 'webnn', name: string): SourceCase => {
  const f = fixtureList(file).find((c) => c.name === name);
  if (!f) throw new Error(`no ${file} fixture named ${JSON.stringify(name)}`);
  return file === 'tfjs' ? tfjsCase(f) : webnnCase(f);
};

/** Every path variant with its rule (channels-first and -last come from the source's own arguments here). */
const variants = VARIANTS.filter((v) => !v.channelsLast && !v.dataType && !v.config);

async function runFixture(file: 'tfjs' | 'webnn', name: string): Promise<{ call: FrontendCall; results: FrontendResult[] }> {
  const c = sourceCase(file, name);
  const results: FrontendResult[] = [];
  for (const v of variants) {
    try {
      const y = await c.run(v.path, v.adapterClass);
      // A copy per result: puppeteer over WebDriver BiDi (Firefox) returns a second reference to one array as undefined.
      results.push({ variant: v.name, error: null, shape: [...y.shape], expectedShape: [...c.expected.shape], comparison: comparisonToWire(compare(y.data, c.expected.data)) });
    } catch (e) {
      results.push({ variant: v.name, error: errorText(e), shape: null, expectedShape: [...c.expected.shape], comparison: null });
    }
  }
  return { call: c.call, results };
}

/** The prepared form: buffers in and out in the source's layout, encoded into our own encoder. */
async function runFixtureLayer(file: 'tfjs' | 'webnn', name: string, path: string): Promise<FrontendResult> {
  const c = sourceCase(file, name);
  const device = await getDevice();
  let layer: ConvTransposeLayer | null = null;
  const buffers: GPUBuffer[] = [];
  try {
    layer = await c.layer(device, path);
    const make = (bytes: number, usage: number) => { const b = device.createBuffer({ size: bytes, usage }); buffers.push(b); return b; };
    const input = make(layer.inputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const output = make(layer.outputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const read = make(layer.outputBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(input, 0, c.x.data);
    const encoder = device.createCommandEncoder();
    layer.encode(encoder, input, output);
    encoder.copyBufferToBuffer(output, 0, read, 0, layer.outputBytes);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const data = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    return { variant: `${path} (prepared)`, error: null, shape: [...layer.outputShape], expectedShape: [...c.expected.shape], comparison: comparisonToWire(compare(data, c.expected.data)) };
  } catch (e) {
    return { variant: `${path} (prepared)`, error: errorText(e), shape: null, expectedShape: [...c.expected.shape], comparison: null };
  } finally {
    for (const b of buffers) b.destroy();
    layer?.destroy();
  }
}


/** One random TF.js configuration against TF.js itself. */
export interface CrossResult {
  config: string;
  /** TF.js's own refusal (or a size it cannot map): the configuration was skipped. */
  skipped: string | null;
  /** Our entry point refused it (only the known, documented cases are expected). */
  refused: string | null;
  error: string | null;
  comparison: WireComparison | null;
  outputPadding: boolean;
}

/**
 * `count` seeded configurations: TF.js's tf.conv2dTranspose (or Conv2DBackpropInput with dataFormat NCHW, or
 * tf.conv3dTranspose) on its WebGPU backend, and ours with the same arguments; x is sized by TF.js's own
 * computeConv2DInfo/computeConv3DInfo.
 */
async function crossCheck(seed: number, count: number, path: string): Promise<CrossResult[]> {
  if (tf.getBackend() !== 'webgpu') {
    if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed');
    await tf.ready();
    tf.env().set('WEBGPU_CPU_FORWARD', false);
  }
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const results: CrossResult[] = [];
  for (let n = 0; n < count; n++) {
    const three = r() < 0.2;
    const dims = three ? 3 : 2;
    const nchw = !three && r() < 0.3;
    const spatial = Array.from({ length: dims }, () => int(1, three ? 5 : 9));
    const kernel = Array.from({ length: dims }, () => int(1, 4));
    const strides = Array.from({ length: dims }, () => int(1, 3));
    const cOut = int(1, 4), cIn = int(1, 4), batch = int(1, 2);
    const kinds = three ? ['same', 'valid'] : ['same', 'valid', 'number', 'explicit'];
    const kind = kinds[Math.floor(r() * kinds.length)];
    const pad: TfjsPad2d = kind === 'number' ? int(0, 2)
      : kind === 'explicit' ? (nchw ? [[0, 0], [0, 0], [int(0, 2), int(0, 2)], [int(0, 2), int(0, 2)]] : [[0, 0], [int(0, 2), int(0, 2)], [int(0, 2), int(0, 2)], [0, 0]])
      : kind as 'same' | 'valid';
    const rounding = (kind === 'number' || kind === 'explicit') && r() < 0.5 ? (['floor', 'round', 'ceil'] as const)[int(0, 2)] : undefined;
    const outputShape = nchw ? [batch, cOut, ...spatial] : [batch, ...spatial, cOut];
    const filterShape = [...kernel, cOut, cIn];
    const config = JSON.stringify({ dims, dataFormat: nchw ? 'NCHW' : three ? 'NDHWC' : 'NHWC', outputShape, filterShape, strides, pad, rounding });
    let xSpatial: number[];
    try {
      if (three) {
        const info = tf.backend_util.computeConv3DInfo(outputShape as never, filterShape as never, strides as never, 1, pad as never);
        xSpatial = [info.outDepth, info.outHeight, info.outWidth];
      } else {
        const info = tf.backend_util.computeConv2DInfo(outputShape as never, filterShape as never, strides as never, 1, pad as never, rounding, false, nchw ? 'channelsFirst' : 'channelsLast');
        xSpatial = [info.outHeight, info.outWidth];
      }
    } catch (e) {
      results.push({ config, skipped: String(e), refused: null, error: null, comparison: null, outputPadding: false });
      continue;
    }
    if (xSpatial.some((v) => v < 1)) {
      results.push({ config, skipped: `TF.js's forward size ${JSON.stringify(xSpatial)} is empty`, refused: null, error: null, comparison: null, outputPadding: false });
      continue;
    }
    const xShape = nchw ? [batch, cIn, ...xSpatial] : [batch, ...xSpatial, cIn];
    let outputPadding = false;
    try {
      const m = three
        ? mapTfjsConv3dTranspose(xShape, filterShape, outputShape, strides as never, pad as 'same' | 'valid')
        : mapTfjsConv2dTranspose(xShape, filterShape, outputShape, strides as never, pad, { dataFormat: nchw ? 'NCHW' : 'NHWC', dimRoundingMode: rounding });
      outputPadding = m.attributes.output_padding.some((v) => v > 0);
    } catch (e) {
      results.push({ config, skipped: null, refused: String((e as Error).message), error: null, comparison: null, outputPadding: false });
      continue;
    }
    const x = Float32Array.from({ length: size(xShape) }, () => r() * 2 - 1);
    const f = Float32Array.from({ length: size(filterShape) }, () => r() * 2 - 1);
    try {
      const xt = tf.tensor(x, xShape), ft = tf.tensor(f, filterShape);
      let yt: tf.Tensor;
      if (three) yt = tf.conv3dTranspose(xt as tf.Tensor5D, ft as tf.Tensor5D, outputShape as never, strides as never, pad as 'same' | 'valid');
      else if (nchw) {
        yt = tf.engine().runKernel('Conv2DBackpropInput', { dy: xt, filter: ft }, {
          strides, pad, dataFormat: 'NCHW', inputShape: outputShape, dimRoundingMode: rounding,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
      } else yt = tf.conv2dTranspose(xt as tf.Tensor4D, ft as tf.Tensor4D, outputShape as never, strides as never, pad as never, rounding);
      const want = (await yt.data()) as Float32Array;
      tf.dispose([xt, ft, yt]);
      const xIn = { data: x, shape: xShape }, fIn = { data: f, shape: filterShape };
      const ours = three
        ? await tfjsConv3dTranspose(xIn, fIn, outputShape, strides as never, pad as 'same' | 'valid', { path: path as never })
        : await tfjsConv2dTranspose(xIn, fIn, outputShape, strides as never, pad, { dataFormat: nchw ? 'NCHW' : 'NHWC', dimRoundingMode: rounding, path: path as never });
      if (JSON.stringify(ours.shape) !== JSON.stringify(outputShape)) throw new Error(`shape ${JSON.stringify(ours.shape)}, TF.js ${JSON.stringify(outputShape)}`);
      results.push({ config, skipped: null, refused: null, error: null, comparison: comparisonToWire(compare(ours.data, want, 1e-4, 1e-4)), outputPadding });
    } catch (e) {
      results.push({ config, skipped: null, refused: null, error: errorText(e), comparison: null, outputPadding });
    }
  }
  return results;
}

/** Seeded WebNN configurations (layouts, groups, asymmetric padding, outputSizes, bias) through webnnConvTranspose2d on `path`, against an independent WebNN-layout float64 reference. */
async function webnnRandom(seed: number, count: number, path: string): Promise<{ config: string; error: string | null; comparison: WireComparison | null }[]> {
  const r = rng(seed + 1);
  const results = [];
  for (const c of randomWebnnConfigs(seed, count)) {
    const x = Float32Array.from({ length: size(c.inputShape) }, () => r() * 2 - 1);
    const f = Float32Array.from({ length: size(c.filterShape) }, () => r() * 2 - 1);
    const want = webnnReference(x, c.inputShape, f, c.filterShape, c.options);
    try {
      const y = await webnnConvTranspose2d({ data: x, shape: c.inputShape }, { data: f, shape: c.filterShape }, { ...c.options, path: path as never });
      if (JSON.stringify(y.shape) !== JSON.stringify(want.shape)) throw new Error(`shape ${JSON.stringify(y.shape)}, expected ${JSON.stringify(want.shape)}`);
      results.push({ config: c.name, error: null, comparison: comparisonToWire(compare(y.data, want.data)) });
    } catch (e) {
      results.push({ config: c.name, error: errorText(e), comparison: null });
    }
  }
  return results;
}

/** One in-page check: a name, whether it passed, and what was seen. */
export interface SpellingCheck { name: string; ok: boolean; detail: string }

/**
 * Each spelling's own options on one path: TF.js's fused activations with their defaults (leakyrelu 0.2,
 * leakyreluAlpha, relu6, elu), WebNN's (leakyRelu 0.01, clamp's minValue/maxValue), and `dataType: 'float16'` on
 * both, one-shot and prepared, each against a float64 reference (float16: of the data rounded to float16).
 */
async function spellingChecks(path: string): Promise<SpellingCheck[]> {
  const checks: SpellingCheck[] = [];
  const seeded = (n: number, seed: number) => { const r = rng(seed); return Float32Array.from({ length: n }, () => r() * 4 - 2); };
  const round = (a: Float32Array) => a.map(roundToHalf);
  const halfIn = (a: Float32Array) => halfArrayFromBits(Uint16Array.from(a, toHalfBits));
  const numbers = (d: ArrayLike<number>) => Float32Array.from(d, (v) => (isFloat16Array(d) || d instanceof Float32Array ? v : fromHalfBits(v)));
  const record = async (name: string, run: () => Promise<ArrayLike<number>>, want: Float64Array, half = false) => {
    try {
      const got = numbers(await run());
      const c = half ? compareHalf(got, want) : compare(got, want);
      checks.push({ name: `${name} [${path}]`, ok: c.ok, detail: `max abs err ${c.maxAbsErr.toExponential(2)}${c.firstBad ? `; first mismatch at ${c.firstBad.index}: got ${c.firstBad.got}, expected ${c.firstBad.expected}` : ''}` });
    } catch (e) {
      checks.push({ name: `${name} [${path}]`, ok: false, detail: errorText(e) });
    }
  };
  const act = (f: (v: number) => number) => (a: Float64Array) => a.map(f);
  const leaky = (alpha: number) => act((v) => (v < 0 ? alpha * v : v));

  // TF.js: x NHWC [2, 4, 5, 3], filter [kH, kW, outDepth, inDepth] = [3, 3, 2, 3], 'same', stride 2.
  {
    const xShape = [2, 4, 5, 3], fShape = [3, 3, 2, 3], out = [2, 8, 10, 2];
    const x = seeded(size(xShape), 71), f = seeded(size(fShape), 72), bias = seeded(2, 73);
    const reference = (xv: Float32Array, fv: Float32Array, bv: Float32Array) => {
      const m = mapTfjsConv2dTranspose(xShape, fShape, out, 2, 'same');
      const xc = permute(xv, xShape, [0, 3, 1, 2]);
      const w = filterToIohw({ data: fv, shape: fShape }, 'hwoi');
      const r = resolveConvTranspose(xc.shape, w.shape, [2], m.attributes);
      return Float64Array.from(permute(scatterReference(r, xc.data, w.data as Float32Array, bv), r.outputShape, [0, 2, 3, 1]).data);
    };
    const plain = reference(x, f, bias);
    const tf2 = (opts: object, xd: ArrayLike<number> = x, fd: ArrayLike<number> = f, bd: ArrayLike<number> = bias) =>
      tfjsConv2dTranspose({ data: xd as Float32Array, shape: xShape }, { data: fd as Float32Array, shape: fShape }, out, 2, 'same', { bias: bd as Float32Array, path: path as never, ...opts }).then((y) => y.data);
    await record("TF.js activation 'leakyrelu': TF.js's alpha 0.2", () => tf2({ activation: 'leakyrelu' }), leaky(0.2)(plain));
    await record("TF.js activation 'leakyrelu' with leakyreluAlpha 0.05", () => tf2({ activation: 'leakyrelu', leakyreluAlpha: 0.05 }), leaky(0.05)(plain));
    await record("TF.js activation 'relu6'", () => tf2({ activation: 'relu6' }), act((v) => Math.min(Math.max(v, 0), 6))(plain));
    await record("TF.js activation 'linear'", () => tf2({ activation: 'linear' }), plain);
    const [hx, hf, hb] = [round(x), round(f), round(bias)];
    const halfRef = reference(hx, hf, hb);
    await record("TF.js dataType 'float16' with 'elu'", () => tf2({ dataType: 'float16', activation: 'elu' }, halfIn(hx), halfIn(hf), halfIn(hb)), act((v) => (v < 0 ? Math.exp(v) - 1 : v))(halfRef), true);
    await record("TF.js prepared form, dataType 'float16'", () => runLayer(
      (device) => createTfjsConv2dTranspose(device, xShape, { data: halfIn(hf), shape: fShape }, out, 2, 'same', { bias: halfIn(hb), path: path as never, dataType: 'float16' }),
      Uint16Array.from(hx, toHalfBits)), halfRef, true);
  }
  // WebNN: input nhwc [1, 5, 5, 4], filter hwoi [3, 3, 3, 4] (outputChannels/groups 3), groups 2, strides [2, 2].
  {
    const xShape = [1, 5, 5, 4], fShape = [3, 3, 3, 4];
    const options = { inputLayout: 'nhwc' as const, filterLayout: 'hwoi' as const, groups: 2, strides: [2, 2], padding: [1, 0, 0, 1] };
    const x = seeded(size(xShape), 81), f = seeded(size(fShape), 82), bias = seeded(6, 83);
    const reference = (xv: Float32Array, fv: Float32Array, bv: Float32Array) => webnnReference(xv, xShape, fv, fShape, { ...options, bias: bv }).data;
    const plain = reference(x, f, bias);
    const nn = (opts: object, xd: ArrayLike<number> = x, fd: ArrayLike<number> = f, bd: ArrayLike<number> = bias) =>
      webnnConvTranspose2d({ data: xd as Float32Array, shape: xShape }, { data: fd as Float32Array, shape: fShape }, { ...options, bias: bd as Float32Array, path: path as never, ...opts }).then((y) => y.data);
    await record("WebNN activation 'leakyRelu': WebNN's alpha 0.01", () => nn({ activation: 'leakyRelu' }), leaky(0.01)(plain));
    await record("WebNN activation { name: 'clamp', minValue: -0.5, maxValue: 1 }", () => nn({ activation: { name: 'clamp', minValue: -0.5, maxValue: 1 } }), act((v) => Math.min(Math.max(v, -0.5), 1))(plain));
    await record("WebNN activation { name: 'hardSigmoid' }: WebNN's 0.2, 0.5", () => nn({ activation: { name: 'hardSigmoid' } }), act((v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1))(plain));
    const [hx, hf, hb] = [round(x), round(f), round(bias)];
    const halfRef = reference(hx, hf, hb);
    await record("WebNN dataType 'float16'", () => nn({ dataType: 'float16' }, halfIn(hx), halfIn(hf), halfIn(hb)), halfRef, true);
    await record("WebNN prepared form, dataType 'float16'", () => runLayer(
      (device) => createWebnnConvTranspose2d(device, xShape, { data: halfIn(hf), shape: fShape }, { ...options, bias: halfIn(hb), path: path as never, dataType: 'float16' }),
      Uint16Array.from(hx, toHalfBits)), halfRef, true);
  }
  return checks;
}

/** Runs a float16 layer made on the shared device on bit patterns; returns the output's bits. */
async function runLayer(make: (device: GPUDevice) => Promise<ConvTransposeLayer>, bits: Uint16Array): Promise<Uint16Array> {
  const device = await getDevice();
  const layer = await make(device);
  const buffers: GPUBuffer[] = [];
  try {
    if (layer.dataType !== 'float16') throw new Error(`layer.dataType is ${layer.dataType}`);
    const buffer = (bytes: number, usage: number) => { const b = device.createBuffer({ size: bytes, usage }); buffers.push(b); return b; };
    const input = buffer(layer.inputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const output = buffer(layer.outputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const read = buffer(layer.outputBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const padded = new Uint16Array(layer.inputBytes / 2);
    padded.set(bits);
    device.queue.writeBuffer(input, 0, padded);
    const encoder = device.createCommandEncoder();
    layer.encode(encoder, input, output);
    encoder.copyBufferToBuffer(output, 0, read, 0, layer.outputBytes);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const out = new Uint16Array(read.getMappedRange().slice(0), 0, size(layer.outputShape));
    read.unmap();
    return out;
  } finally {
    for (const b of buffers) b.destroy();
    layer.destroy();
  }
}

async function adapterInfo(): Promise<{ ok: boolean; info: string }> {
  try {
    const info = (await getDevice()).adapterInfo;
    return { ok: true, info: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' / ') || 'unknown adapter' };
  } catch (e) {
    return { ok: false, info: String(e) };
  }
}

const harness = {
  adapterInfo,
  fixtureNames: (file: 'tfjs' | 'webnn') => fixtureList(file).map((c) => ({ name: c.name, skip: c.known_bad_expected ? (c.known_bad_reason ?? 'known-bad expected values in the source') : null })),
  runFixture,
  runFixtureLayer,
  crossCheck,
  webnnRandom,
  spellingChecks,
  variantNames: () => variants.map((v) => v.name),
};
export type FrontendHarness = typeof harness;
(window as unknown as { frontendHarness: FrontendHarness }).frontendHarness = harness;
document.getElementById('status')!.textContent = 'ready';
