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
import { getDevice } from '../../src/index';
import {
  createTfjsConv2dTranspose, createTfjsConv3dTranspose, mapTfjsConv2dTranspose, mapTfjsConv3dTranspose,
  tfjsConv2dTranspose, tfjsConv3dTranspose, type TfjsPad2d,
} from '../../src/frontends/tfjs';
import { createWebnnConvTranspose2d, webnnConvTranspose2d, type WebnnConvTranspose2dOptions } from '../../src/frontends/webnn';
import type { ConvTransposeLayer } from '../../src/gpu/layer';
import { compare, comparisonToWire, type WireComparison } from '../support/compare';
import { VARIANTS } from '../support/variants';
import { randomWebnnConfigs, webnnReference } from '../support/webnn-reference';
import tfjsFixtures from '../fixtures/conformance/tfjs.json';
import webnnFixtures from '../fixtures/conformance/webnn-wpt.json';
import { rng } from '../support/random';
import { permute } from '../support/layout';

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

/** Every path variant (channels-first and -last come from the source's own arguments here). */
const variants = VARIANTS.filter((v) => !v.channelsLast && !v.dataType);

async function runFixture(file: 'tfjs' | 'webnn', name: string): Promise<{ call: FrontendCall; results: FrontendResult[] }> {
  const c = sourceCase(file, name);
  const results: FrontendResult[] = [];
  for (const v of variants) {
    try {
      const y = await c.run(v.path, v.adapterClass);
      results.push({ variant: v.name, error: null, shape: [...y.shape], expectedShape: c.expected.shape, comparison: comparisonToWire(compare(y.data, c.expected.data)) });
    } catch (e) {
      results.push({ variant: v.name, error: String((e as Error)?.stack ?? e), shape: null, expectedShape: c.expected.shape, comparison: null });
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
    return { variant: `${path} (prepared)`, error: null, shape: [...layer.outputShape], expectedShape: c.expected.shape, comparison: comparisonToWire(compare(data, c.expected.data)) };
  } catch (e) {
    return { variant: `${path} (prepared)`, error: String((e as Error)?.stack ?? e), shape: null, expectedShape: c.expected.shape, comparison: null };
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
      results.push({ config, skipped: null, refused: null, error: String((e as Error)?.stack ?? e), comparison: null, outputPadding });
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
      results.push({ config: c.name, error: String((e as Error)?.stack ?? e), comparison: null });
    }
  }
  return results;
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
  variantNames: () => variants.map((v) => v.name),
};
export type FrontendHarness = typeof harness;
(window as unknown as { frontendHarness: FrontendHarness }).frontendHarness = harness;
document.getElementById('status')!.textContent = 'ready';
