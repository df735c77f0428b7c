/**
 * In-page checks of weights that change (issue 20): a layer's weights given as GPU buffers at creation, set
 * again from GPU buffers (encodeWeights into the caller's encoder, between two uses in one encoder) and from
 * CPU data (setWeights), in every filter layout, float32 and float16 storage, chunked layers, on every path and
 * `auto`, each result against the float64 reference of the weights it must have used. Plus the refusals.
 */
import {
  createConvTranspose, filterToIohw, getDevice, GPU_PATHS, PATH_OPTIONS, resolveConvTranspose, scatterReference, sizeOf,
  toHalfBits, fromHalfBits, type ConvTransposeAttributes, type ConvTransposeLayer, type FilterLayout, type PathOption,
} from '../../src/index';
import { compare, compareHalf } from '../support/compare';
import { randomData } from '../support/random';
import { limitedDevice } from './chunk-checks';
import { checkInto, type CheckResult } from './api-checks';

const STORAGE = 0x80, COPY_SRC = 0x4, COPY_DST = 0x8, MAP_READ = 0x1;

interface WeightCase {
  name: string;
  /** Channels-first input shape. */
  inputShape: number[];
  /** iohw weight shape. */
  weightShape: number[];
  attrs: ConvTransposeAttributes;
  layout: FilterLayout;
  half?: boolean;
  /** Lowered maxStorageBufferBindingSize: the layer runs in chunks, each with its own weight selection. */
  limit?: number;
  paths?: readonly PathOption[];
}

const CASES: WeightCase[] = [
  { name: '2-D, groups, bias, iohw', inputShape: [2, 4, 5, 6], weightShape: [4, 3, 3, 3], attrs: { stride: 2, padding: 1, groups: 2 }, layout: 'iohw' },
  { name: '1-D, dilation, output padding, hwoi (TF.js)', inputShape: [1, 5, 9], weightShape: [5, 6, 3], attrs: { stride: 3, dilation: 2, outputPadding: 1 }, layout: 'hwoi' },
  { name: '3-D, ohwi', inputShape: [1, 3, 3, 4, 3], weightShape: [3, 5, 2, 3, 2], attrs: { stride: [2, 1, 2] }, layout: 'ohwi' },
  { name: '2-D, oihw, float16 storage', inputShape: [1, 6, 4, 5], weightShape: [6, 7, 4, 4], attrs: { stride: 2, padding: 1 }, layout: 'oihw', half: true },
  {
    name: 'chunked by output channels (binding limit 256 KiB)', inputShape: [1, 4, 64, 64], weightShape: [4, 8, 2, 2],
    attrs: { stride: 2, groups: 2 }, layout: 'iohw', limit: 256 * 1024, paths: ['gather', 'phase', 'auto'],
  },
];

/** The iohw weight's data permuted into `layout` (the inverse of filterToIohw), with the shape in that layout. */
function inLayout(w: Float32Array, shape: number[], layout: FilterLayout): { data: Float32Array; shape: number[] } {
  if (layout === 'iohw') return { data: w, shape };
  const [ci, co, ...k] = shape;
  const target = layout === 'oihw' ? [co, ci, ...k] : layout === 'hwoi' ? [...k, co, ci] : [co, ...k, ci];
  // filterToIohw of the indices in the target layout tells where each iohw element sits there.
  const n = w.length;
  const idx = filterToIohw({ data: Float32Array.from({ length: n }, (_, i) => i), shape: target }, layout).data as Float32Array;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[idx[i]] = w[i];
  return { data: out, shape: target };
}

/** Values as the layer's storage holds them: float32, or float16 bit patterns (and the float16-rounded values). */
function stored(values: Float32Array, half: boolean): { bytes: Float32Array | Uint16Array; used: Float32Array } {
  if (!half) return { bytes: values, used: values };
  const bits = Uint16Array.from(values, (v) => toHalfBits(v));
  return { bytes: bits, used: Float32Array.from(bits, fromHalfBits) };
}

function gpuBuffer(device: GPUDevice, data: Float32Array | Uint16Array, usage = STORAGE | COPY_DST): GPUBuffer {
  const bytes = Math.ceil(data.byteLength / 4) * 4;
  const b = device.createBuffer({ size: Math.max(16, bytes), usage });
  const padded = new Uint8Array(bytes);
  padded.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  device.queue.writeBuffer(b, 0, padded);
  return b;
}

async function readBack(device: GPUDevice, src: GPUBuffer, bytes: number, half: boolean): Promise<Float32Array> {
  const read = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, read, 0, bytes);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(1);
  const raw = read.getMappedRange().slice(0);
  read.unmap();
  read.destroy();
  return half ? Float32Array.from(new Uint16Array(raw), fromHalfBits) : new Float32Array(raw);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function weightChecks(): Promise<CheckResult[]> {
  const base = await getDevice();
  const results: CheckResult[] = [];
  const check = checkInto(results);

  for (const [ci, c] of CASES.entries()) {
    const device = c.limit ? limitedDevice(base, c.limit) : base;
    const groups = (c.attrs.groups ?? 1) as number;
    const cout = c.weightShape[1] * groups;
    const r = resolveConvTranspose(c.inputShape, c.weightShape, [cout], c.attrs);
    const half = !!c.half;
    const x = stored(randomData(300 + ci, sizeOf(c.inputShape)), half);
    // Weight sets: w[0] at creation, then changed four times; bias sets likewise.
    const w = [0, 1, 2, 3, 4, 5].map((k) => stored(randomData(310 + 10 * ci + k, sizeOf(c.weightShape)), half));
    const b = [0, 1, 2, 3, 4, 5].map((k) => stored(randomData(370 + 10 * ci + k, cout), half));
    const given = w.map((s) => inLayout(s.bytes instanceof Uint16Array ? new Float32Array(s.bytes) : s.bytes, c.weightShape, c.layout));
    const givenBits = (k: number) => half ? Uint16Array.from(given[k].data) : given[k].data;
    const ref = (k: number, bias: number | null) => scatterReference(r, x.used, w[k].used, bias === null ? null : b[bias].used);
    const cmp = (got: Float32Array, expected: Float64Array) => half ? compareHalf(got, expected) : compare(got, expected);
    const verdict = (what: string, got: Float32Array, expected: Float64Array) => {
      const res = cmp(got, expected);
      return res.ok ? null : `${what}: first bad index ${res.firstBad?.index}, got ${res.firstBad?.got}, expected ${res.firstBad?.expected}`;
    };

    for (const path of c.paths ?? PATH_OPTIONS) {
      const name = `${c.name} [${path}]`;
      await check(`${name}: CPU weights, then from GPU buffers between two uses in one encoder, then setWeights`, async () => {
        const owned: GPUBuffer[] = [];
        let layer: ConvTransposeLayer | null = null;
        try {
          layer = await createConvTranspose(device, {
            ...c.attrs, inputShape: c.inputShape, weight: { data: givenBits(0), shape: given[0].shape }, bias: b[0].bytes,
            filterLayout: c.layout, path, finiteWeights: false, ...(half ? { dataType: 'float16' as const } : {}),
          });
          const input = gpuBuffer(device, x.bytes, STORAGE | COPY_DST);
          owned.push(input);
          const out = () => {
            const o = device.createBuffer({ size: layer!.outputBytes, usage: STORAGE | COPY_SRC });
            owned.push(o);
            return o;
          };
          const [y0, y1, y2, y3] = [out(), out(), out(), out()];
          const w1 = gpuBuffer(device, givenBits(1)), b1 = gpuBuffer(device, b[1].bytes), w2 = gpuBuffer(device, givenBits(2));
          owned.push(w1, b1, w2);
          const enc = device.createCommandEncoder();
          layer.encode(enc, input, y0);
          layer.encodeWeights(enc, w1, b1);
          layer.encode(enc, input, y1);
          layer.encodeWeights(enc, w2, null); // no bias from here on
          layer.encode(enc, input, y2);
          device.queue.submit([enc.finish()]);
          // CPU weights and bias, then a GPU weight with the bias left as it is.
          layer.setWeights({ data: givenBits(3), shape: given[3].shape }, b[3].bytes);
          await layer.run(input, y3);
          const got = await Promise.all([y0, y1, y2, y3].map((y) => readBack(device, y, layer!.outputBytes, half)));
          const w4 = gpuBuffer(device, givenBits(4));
          owned.push(w4);
          layer.setWeights(w4);
          const y4 = out();
          await layer.run(input, y4);
          const got4 = await readBack(device, y4, layer.outputBytes, half);
          const size = sizeOf(r.outputShape);
          const bad = [
            verdict('first weights', got[0].subarray(0, size), ref(0, 0)),
            verdict('after encodeWeights (GPU weight and bias)', got[1].subarray(0, size), ref(1, 1)),
            verdict('after encodeWeights (GPU weight, bias null)', got[2].subarray(0, size), ref(2, null)),
            verdict('after setWeights (CPU)', got[3].subarray(0, size), ref(3, 3)),
            verdict('after setWeights (GPU weight, bias kept)', got4.subarray(0, size), ref(4, 3)),
          ].filter(Boolean);
          return { ok: bad.length === 0, detail: bad.join('; ') || `${layer.path}, ${layer.chunks} chunk(s)` };
        } finally {
          layer?.destroy();
          for (const o of owned) o.destroy();
        }
      });
    }

    await check(`${c.name}: created from GPU buffers (weight and bias), every path`, async () => {
      const bad: string[] = [];
      const wb = gpuBuffer(device, givenBits(5)), bb = gpuBuffer(device, b[5].bytes), input = gpuBuffer(device, x.bytes);
      try {
        for (const path of c.paths ?? PATH_OPTIONS) {
          const layer = await createConvTranspose(device, {
            ...c.attrs, inputShape: c.inputShape, weight: { buffer: wb, shape: given[5].shape }, bias: bb, filterLayout: c.layout, path,
            ...(half ? { dataType: 'float16' as const } : {}),
          });
          const y = device.createBuffer({ size: layer.outputBytes, usage: STORAGE | COPY_SRC });
          await layer.run(input, y);
          const got = await readBack(device, y, layer.outputBytes, half);
          const v = verdict(path, got.subarray(0, sizeOf(r.outputShape)), ref(5, 5));
          if (v) bad.push(v);
          if (layer.finiteWeights) bad.push(`${path}: a layer made from GPU weights assumes them finite`);
          y.destroy();
          layer.destroy();
        }
      } finally {
        wb.destroy(); bb.destroy(); input.destroy();
      }
      return { ok: bad.length === 0, detail: bad.join('; ') || 'every path matches' };
    });
  }

  // Refusals, synchronous and naming what is wrong.
  const device = base;
  const shape = [2, 3, 3, 3];
  const wData = randomData(401, sizeOf(shape));
  const finite = await createConvTranspose(device, { inputShape: [1, 2, 4, 4], weight: { data: wData, shape }, stride: 2, path: GPU_PATHS[0] });
  const open = await createConvTranspose(device, { inputShape: [1, 2, 4, 4], weight: { data: wData, shape }, stride: 2, finiteWeights: false });
  const small = device.createBuffer({ size: 16, usage: STORAGE });
  const noStorage = device.createBuffer({ size: 4 * wData.length, usage: COPY_DST });
  const refusal = async (name: string, f: () => unknown, pattern: RegExp) => check(name, async () => {
    try {
      const v = f();
      if (v instanceof Promise) await v;
      return { ok: false, detail: 'did not throw' };
    } catch (e) {
      return { ok: pattern.test(message(e)), detail: message(e) };
    }
  });
  try {
    await refusal('encodeWeights on a layer that assumes finite weights', () => finite.encodeWeights(device.createCommandEncoder(), small), /finiteWeights: false/);
    await refusal('setWeights with NaN on a layer that assumes finite weights', () => finite.setWeights({ data: wData.map((v, i) => (i === 3 ? NaN : v)), shape }), /^weight: holds NaN/);
    await refusal('setWeights with another shape', () => open.setWeights({ data: wData.slice(0, 27), shape: [1, 3, 3, 3] }), /^weight: expected shape \[2, 3, 3, 3\]/);
    await refusal('setWeights with a bias of another length', () => open.setWeights({ data: wData, shape }, [1, 2]), /^bias: expected shape \[3\]/);
    await refusal('encodeWeights with a buffer too small', () => open.encodeWeights(device.createCommandEncoder(), small), /^weight: buffer has 16 bytes/);
    await refusal('encodeWeights with a buffer without STORAGE', () => open.encodeWeights(device.createCommandEncoder(), noStorage), /^weight: the buffer needs GPUBufferUsage.STORAGE/);
    await refusal('encodeWeights with no encoder', () => open.encodeWeights(null as unknown as GPUCommandEncoder, small), /^encoder: expected a GPUCommandEncoder/);
    await refusal('a GPU weight with finiteWeights: true', () => createConvTranspose(device, { inputShape: [1, 2, 4, 4], weight: { buffer: small, shape }, finiteWeights: true }), /^finiteWeights: true needs/);
    await refusal('a GPU bias with a CPU weight', () => createConvTranspose(device, { inputShape: [1, 2, 4, 4], weight: { data: wData, shape }, bias: small }), /^weight: with a bias in a GPUBuffer/);
    await refusal('a GPU weight in the one-shot form', async () => {
      const { convTranspose } = await import('../../src/index');
      await convTranspose({ data: new Float32Array(32), shape: [1, 2, 4, 4] }, { buffer: small, shape } as never);
    }, /^weight: this entry point takes CPU data/);
    finite.destroy();
    await refusal('setWeights after destroy()', () => finite.setWeights({ data: wData, shape }), /used after destroy/);
  } finally {
    finite.destroy();
    open.destroy();
    small.destroy();
    noStorage.destroy();
  }
  return results;
}
