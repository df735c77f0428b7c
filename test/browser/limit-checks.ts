/**
 * In-page checks of the device's buffer limit and of large strides (issue 16, item 8):
 * - the one-shot form runs a problem whose output is 4x the device's maxBufferSize in parts, through buffers
 *   within the limit, on every path and auto, channels-first and -last, float16 too, and matches the float64
 *   reference; every GPU buffer it makes is destroyed;
 * - the prepared form refuses it with a RangeError that says to use the one-shot form or split the batch;
 * - strides of 100000 (a first-tap product past 32 bits) on every path against the float64 reference.
 * The parts are ordinary layers, so in the `ci` tier one case runs on every path and the others on `auto`; 1-D
 * strides run on every path, 2-D and 3-D (the other axes of the same tap code) on `auto`. The `full` tier
 * (npm run test:full) runs every case on every path.
 *
 * maxBufferSize (and the binding size) are lowered to 4 MiB in the device the library sees (a proxy over the
 * real device, as chunk-checks.ts does), so the tensors stay small enough for SwiftShader.
 */
import { convTranspose, createConvTranspose, getDevice, PATH_OPTIONS, resolveConvTranspose, scatterReference, sizeOf, type ConvTransposeAttributes } from '../../src/index';
import { fromHalfBits, isFloat16Array, roundToHalf, toHalfBits } from '../../src/half';
import { compare, compareHalf } from '../support/compare';
import { randomData } from '../support/random';
import { shapeLast, toChannelsFirst, toChannelsLast } from '../support/layout';
import { TEST_TIER } from '../support/variants';
import { trackingDevice, type CheckResult } from './api-checks';
import { limitedDevice } from './chunk-checks';
import { errorText } from '../support/error-text';

const LIMIT = 4 * 1024 * 1024;

/** The device as one with maxBufferSize (and maxStorageBufferBindingSize) = `limit` would look to the library. */
function smallBufferDevice(device: GPUDevice, limit: number): GPUDevice {
  return limitedDevice(device, { maxBufferSize: limit, maxStorageBufferBindingSize: limit });
}

interface PartsCase {
  name: string;
  /** Channels-first shapes; `nhwc` runs the call channels-last (data transposed by the test). */
  inputShape: number[];
  weightShape: number[];
  attrs: ConvTransposeAttributes;
  nhwc?: boolean;
  half?: boolean;
  /** Run on every path in the ci tier too (else `auto` only there). */
  everyPath?: boolean;
}

const CASES: PartsCase[] = [
  { name: 'by batch, then rows (4 items of 4 MiB)', inputShape: [4, 2, 256, 256], weightShape: [2, 4, 2, 2], attrs: { stride: 2 }, everyPath: true },
  { name: 'by rows with overlapping inputs, groups (16 MiB)', inputShape: [1, 4, 256, 256], weightShape: [4, 8, 3, 3], attrs: { stride: 2, padding: 1, outputPadding: 1, groups: 2 } },
  { name: 'channels-last by rows (16 MiB)', inputShape: [1, 2, 512, 512], weightShape: [2, 4, 3, 3], attrs: { stride: 2, padding: 1, outputPadding: 1 }, nhwc: true },
  { name: 'one row of all channels over the limit: by output channels (32 MiB)', inputShape: [1, 2, 4, 16384], weightShape: [2, 64, 1, 2], attrs: { stride: [1, 2] } },
  { name: 'float16 by rows (16 MiB of float16)', inputShape: [1, 1, 1024, 1024], weightShape: [1, 2, 3, 3], attrs: { stride: 2, padding: 1, outputPadding: 1 }, half: true },
];

/** float16 data as a Float16Array where the page has one, else the bit patterns. */
function halfData(values: Float32Array): ArrayLike<number> {
  const bits = Uint16Array.from(values, toHalfBits);
  const F16 = (globalThis as { Float16Array?: new (b: ArrayBuffer) => ArrayLike<number> }).Float16Array;
  return F16 ? new F16(bits.buffer) : bits;
}

async function partsCheck(base: GPUDevice, c: PartsCase, path: string, x: Float32Array, w: Float32Array, bias: Float32Array, ref: Float64Array): Promise<CheckResult> {
  const name = `one-shot past maxBufferSize, ${c.name}: ${path}${c.nhwc ? '/nhwc' : ''}${c.half ? '/f16' : ''}`;
  const tracked = trackingDevice(smallBufferDevice(base, LIMIT));
  const sizes: number[] = [];
  const device = new Proxy(tracked.device, {
    get(t, prop) {
      if (prop === 'createBuffer') return (d: GPUBufferDescriptor) => { sizes.push(d.size); return t.createBuffer(d); };
      return Reflect.get(t, prop, t);
    },
  });
  const xl = c.nhwc ? toChannelsLast(x, c.inputShape, true) : x;
  const y = await convTranspose(
    { data: c.half ? halfData(xl) as Float32Array : xl, shape: c.nhwc ? shapeLast(c.inputShape, true) : c.inputShape },
    { data: w, shape: c.weightShape },
    { ...c.attrs, bias, path: path as never, device, tune: false, ...(c.nhwc ? { inputLayout: 'nhwc' as const } : {}), ...(c.half ? { dataType: 'float16' as const } : {}) },
  );
  const got = c.half ? Float32Array.from(y.data as ArrayLike<number>, (v) => (isFloat16Array(y.data) ? v : fromHalfBits(v))) : (y.data as unknown as Float32Array);
  const yc = c.nhwc ? toChannelsFirst(got, y.shape, true) : got;
  const cmp = c.half ? compareHalf(yc, ref) : compare(yc, ref);
  const outBytes = yc.length * (c.half ? 2 : 4);
  const largest = Math.max(...sizes);
  const ok = cmp.ok && outBytes >= 4 * LIMIT && largest <= LIMIT && tracked.live.size === 0;
  const detail = `output ${(outBytes / LIMIT).toFixed(1)}x the limit; ${sizes.length} buffers made, the largest ${largest} bytes (limit ${LIMIT}); ${tracked.live.size} left live; max abs err ${cmp.maxAbsErr.toExponential(2)}` +
    (cmp.firstBad ? `; first mismatch at ${cmp.firstBad.index}: got ${cmp.firstBad.got}, expected ${cmp.firstBad.expected}` : '');
  return { name, ok, detail };
}

/** Strides past 65535 on every path: the first-tap product (taps.wgsl) needs more than 32 bits there. */
const STRIDES: { name: string; inputShape: number[]; weightShape: number[]; attrs: ConvTransposeAttributes; everyPath?: boolean }[] = [
  { name: '1-D, stride 100000, dilation 60013', inputShape: [1, 2, 3], weightShape: [2, 3, 2], attrs: { stride: 100000, dilation: 60013, padding: 5 }, everyPath: true },
  { name: '2-D, strides [100000, 2], dilations [60013, 1]', inputShape: [1, 2, 2, 2], weightShape: [2, 2, 2, 3], attrs: { stride: [100000, 2], dilation: [60013, 1] } },
  { name: '3-D, strides [100000, 1, 1], dilations [60013, 1, 1]', inputShape: [1, 1, 2, 1, 2], weightShape: [1, 2, 2, 1, 2], attrs: { stride: [100000, 1, 1], dilation: [60013, 1, 1] } },
];

const pathsFor = (c: { everyPath?: boolean }): readonly string[] => (c.everyPath || TEST_TIER === 'full' ? PATH_OPTIONS : ['auto']);

export async function limitChecks(): Promise<CheckResult[]> {
  const base = await getDevice();
  const results: CheckResult[] = [];
  for (const [i, c] of CASES.entries()) {
    const groups = c.attrs.groups ?? 1;
    const r = resolveConvTranspose(c.inputShape, c.weightShape, [c.weightShape[1] * groups], c.attrs);
    const round = (a: Float32Array) => (c.half ? a.map(roundToHalf) : a);
    const x = round(randomData(500 + i, sizeOf(c.inputShape)));
    const w = round(randomData(600 + i, sizeOf(c.weightShape)));
    const bias = round(randomData(700 + i, r.outChannels));
    const ref = scatterReference(r, x, w, bias);
    for (const path of pathsFor(c)) {
      try {
        const t0 = performance.now();
        const res = await partsCheck(base, c, path, x, w, bias, ref);
        results.push({ ...res, detail: `${res.detail} (${Math.round(performance.now() - t0)} ms)` });
      } catch (e) {
        results.push({ name: `one-shot past maxBufferSize, ${c.name}: ${path}`, ok: false, detail: errorText(e) });
      }
    }
  }
  // The prepared form keeps its RangeError, saying what to do instead; nothing is made on the GPU.
  {
    const t = trackingDevice(smallBufferDevice(base, LIMIT));
    const c = CASES[0];
    try {
      await createConvTranspose(t.device, { ...c.attrs, inputShape: c.inputShape, weight: { data: new Float32Array(sizeOf(c.weightShape)), shape: c.weightShape } });
      results.push({ name: 'prepared form past maxBufferSize: refused', ok: false, detail: 'accepted' });
    } catch (e) {
      const m = (e as Error).message;
      results.push({
        name: 'prepared form past maxBufferSize: a RangeError that says to use the one-shot form or split the batch, before any GPU call',
        ok: e instanceof RangeError && /^output: needs 16777216 bytes, more than this device's maxBufferSize \(4194304\).*one-shot form \(convTranspose\).*split the batch/.test(m) && t.calls() === 0,
        detail: `${m} (${t.calls()} GPU calls)`,
      });
    }
  }
  for (const [i, c] of STRIDES.entries()) {
    const r = resolveConvTranspose(c.inputShape, c.weightShape, [c.weightShape[1]], c.attrs);
    const x = randomData(800 + i, sizeOf(c.inputShape));
    const w = randomData(900 + i, sizeOf(c.weightShape));
    const bias = randomData(1000 + i, r.outChannels);
    const ref = scatterReference(r, x, w, bias);
    for (const path of pathsFor(c)) {
      const name = `${c.name}: ${path}`;
      try {
        const t0 = performance.now();
        const y = await convTranspose({ data: x, shape: c.inputShape }, { data: w, shape: c.weightShape }, { ...c.attrs, bias, path: path as never, device: base, tune: false });
        const cmp = compare(y.data, ref);
        results.push({ name, ok: cmp.ok, detail: `${Math.round(performance.now() - t0)} ms; output ${JSON.stringify(y.shape)}; max abs err ${cmp.maxAbsErr.toExponential(2)}${cmp.firstBad ? `; first mismatch at ${cmp.firstBad.index}: got ${cmp.firstBad.got}, expected ${cmp.firstBad.expected}` : ''}` });
      } catch (e) {
        results.push({ name, ok: false, detail: errorText(e) });
      }
    }
  }
  return results;
}
