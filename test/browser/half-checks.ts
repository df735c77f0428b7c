/**
 * In-page checks of float16 storage (`dataType: 'float16'`) beyond the numeric sweeps: what the layer
 * dispatches, byte sizes and buffer checks, the forms float16 data takes in and out, the GPU's rounding to
 * float16 against the host's, output windows with an odd first element (work split into chunks), and the
 * rejections. Each check returns ok + detail; test/float16.test.ts asserts them.
 */
import { familyOf } from '../../src/gpu/kernels/registry';
import { convTranspose, createConvTranspose, getDevice, GPU_PATHS, PATH_OPTIONS, resolveConvTranspose, scatterReference, sizeOf, type ConvTransposeAttributes, type PathOption } from '../../src/index';
import { fromHalfBits, halfArrayFromBits, isFloat16Array, roundToHalf, toHalfBits } from '../../src/half';
import { compare, compareHalf } from '../support/compare';
import { randomData } from '../support/random';
import { shapeLast, toChannelsFirst, toChannelsLast } from '../support/layout';
import { BufferUsage } from '../../src/gpu/constants';
import { expectThrow, readBytes, type CheckResult } from './api-checks';
import { limitedDevice } from './chunk-checks';
import { errorText } from '../support/error-text';

const { STORAGE, COPY_SRC, COPY_DST } = BufferUsage;

async function readBits(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<Uint16Array> {
  return new Uint16Array(await readBytes(device, src, bytes));
}

/** Float16 bit patterns of `a` (round to nearest even). */
const bitsOf = (a: ArrayLike<number>) => Uint16Array.from(a, toHalfBits);
const roundAll = (a: Float32Array) => Float32Array.from(a, roundToHalf);

/** Bits that no check writes: every word of an output buffer outside the output starts (and must stay) this. */
const SENTINEL = 0xbeef;

interface WindowCase {
  name: string;
  inputShape: number[];
  weightShape: number[];
  attrs: ConvTransposeAttributes;
  /** The binding limit the layer is made to see, so that it splits its work into chunks. */
  limit: number;
  nhwc?: boolean;
}

// Chunks whose output windows start at odd elements and share their end words with the next chunk.
const WINDOW_CASES: WindowCase[] = [
  // 3 batch items of 91*91 = 8281 outputs (odd): 33124 staging bytes each, so one item per chunk.
  { name: 'by batch, odd items', inputShape: [3, 2, 45, 45], weightShape: [2, 1, 3, 3], attrs: { stride: 2 }, limit: 40000 },
  // One channel of 101 x 203 outputs in runs of 35 rows (the most whose staging fits): windows start at odd elements.
  { name: 'by output rows, odd rows', inputShape: [1, 1, 50, 101], weightShape: [1, 1, 3, 3], attrs: { stride: 2 }, limit: 35 * 203 * 4 + 100 },
  // Channels-last, 79 x 81 x 3 outputs in runs of 29 rows of 243 elements.
  { name: 'channels-last by output rows', inputShape: [1, 2, 40, 41], weightShape: [2, 3, 3, 3], attrs: { stride: 2, padding: 1 }, limit: 29 * 243 * 4 + 12, nhwc: true },
  // Groups of 5 output channels of 13 x 13 cells (845 per group, odd), split by groups.
  { name: 'by groups', inputShape: [1, 6, 7, 7], weightShape: [6, 5, 1, 1], attrs: { stride: 2, groups: 3, outputPadding: [0, 0] }, limit: 4000 },
];

export async function halfChecks(): Promise<CheckResult[]> {
  const device = await getDevice();
  const results: CheckResult[] = [];
  device.pushErrorScope('validation');

  // What a float16 layer dispatches: the kernels that read x composed with the packed reader (wgsl/compose.ts,
  // named '<kernel>/x-f16'), then the packing stage; the rest as for float32, with the same constants.
  {
    const shape = [1, 4, 5, 6];
    const weight = { data: randomData(3, 4 * 8 * 9), shape: [4, 8, 3, 3] };
    for (const path of PATH_OPTIONS) {
      const f32 = await createConvTranspose(device, { inputShape: shape, weight, stride: 2, path, tune: false });
      const f16 = await createConvTranspose(device, { inputShape: shape, weight, stride: 2, path, tune: false, dataType: 'float16' });
      const last = f16.dispatches.at(-1)!;
      const readers = GPU_PATHS.flatMap((p) => familyOf(p).kernels).filter((k) => k.bindings.some((b) => b.type === 'input')).map((k) => k.name);
      const asF16 = (d: { shader: string }) => (readers.includes(d.shader) ? `${d.shader}/x-f16` : d.shader);
      const same = f32.dispatches.every((d, i) => f16.dispatches[i].shader === asF16(d) && JSON.stringify(f16.dispatches[i].constants) === JSON.stringify(d.constants));
      results.push({
        name: `${path}: float16 dispatches the float32 kernels with the packed x reader, then pack-f16; float32 reads x as float32`,
        ok: last.shader === 'pack-f16' && f16.dispatches.length === f32.dispatches.length + 1 && same
          && f16.dispatches.some((d) => d.shader.endsWith('/x-f16')) && f32.dispatches.every((d) => !d.shader.includes('f16'))
          && f16.dataType === 'float16' && f32.dataType === 'float32',
        detail: JSON.stringify(f16.dispatches.map((d) => [d.shader, d.constants])),
      });
      f32.destroy();
      f16.destroy();
    }
  }

  // Byte sizes: 2 per element, rounded up to whole 4-byte words; the buffer checks follow them.
  {
    const layer = await createConvTranspose(device, { inputShape: [1, 1, 1, 3], weight: { data: [1, 2, 3], shape: [1, 1, 1, 3] }, stride: [1, 1], path: 'gather', dataType: 'float16' });
    results.push({ name: 'float16 inputBytes/outputBytes: 3 inputs -> 8 bytes, 5 outputs -> 12 bytes', ok: layer.inputBytes === 8 && layer.outputBytes === 12, detail: `${layer.inputBytes}, ${layer.outputBytes}` });
    const input = device.createBuffer({ size: 8, usage: STORAGE | COPY_DST });
    const short = device.createBuffer({ size: 8, usage: STORAGE });
    const enc = device.createCommandEncoder();
    results.push(await expectThrow('float16 output buffer one word short is refused', () => layer.encode(enc, input, short), /^output: buffer has 8 bytes, shape \[1, 1, 1, 5\] needs 12/));
    enc.finish();
    // The prepared form on raw bits: 1, 2, 0.5 with weights 1, 2, 3 give 1, 4, 7.5, 7, 1.5 (all exact in float16).
    const output = device.createBuffer({ size: 12, usage: STORAGE | COPY_SRC });
    device.queue.writeBuffer(input, 0, Uint16Array.of(toHalfBits(1), toHalfBits(2), toHalfBits(0.5), 0));
    await layer.run(input, output);
    const got = Array.from((await readBits(device, output, 12)).subarray(0, 5), fromHalfBits);
    results.push({ name: 'prepared float16 layer on raw bits', ok: got.join() === '1,4,7.5,7,1.5', detail: got.join() });
    for (const b of [input, short, output]) b.destroy();
    layer.destroy();
  }

  // The one-shot call: float16 data in as a Float16Array, raw bits or numbers, a Float16Array out.
  {
    const shape = [2, 3, 4, 5];
    const weightShape = [3, 2, 3, 3];
    const attrs = { stride: 2, padding: 1, outputPadding: 1 };
    const x = roundAll(randomData(31, sizeOf(shape)));
    const w = roundAll(randomData(32, sizeOf(weightShape)));
    const b = roundAll(randomData(33, 2));
    const r = resolveConvTranspose(shape, weightShape, [2], attrs);
    const ref = scatterReference(r, x, w, b);
    const viaArray = await convTranspose({ data: halfArrayFromBits(bitsOf(x)), shape }, { data: halfArrayFromBits(bitsOf(w)), shape: weightShape }, { ...attrs, bias: halfArrayFromBits(bitsOf(b)), dataType: 'float16' });
    const viaBits = await convTranspose({ data: bitsOf(x), shape }, { data: bitsOf(w), shape: weightShape }, { ...attrs, bias: bitsOf(b), dataType: 'float16' });
    const viaNumbers = await convTranspose({ data: Array.from(x), shape }, { data: w, shape: weightShape }, { ...attrs, bias: b, dataType: 'float16' });
    const asBits = (a: ArrayLike<number>) => (isFloat16Array(a) ? new Uint16Array(a.buffer, a.byteOffset, a.length) : (a as Uint16Array));
    const same = (a: ArrayLike<number>, c: ArrayLike<number>) => asBits(a).join() === asBits(c).join();
    const c = compareHalf(Float32Array.from(viaArray.data as Iterable<number>), ref);
    results.push({ name: 'one-shot float16 returns a Float16Array where the global exists', ok: isFloat16Array(viaArray.data) === ('Float16Array' in globalThis), detail: Object.prototype.toString.call(viaArray.data) });
    results.push({ name: 'one-shot float16 matches the reference of the rounded data', ok: c.ok && viaArray.shape.join() === r.outputShape.join(), detail: JSON.stringify(c) });
    results.push({ name: 'Float16Array, Uint16Array bits and numbers give the same bits', ok: same(viaArray.data, viaBits.data) && same(viaArray.data, viaNumbers.data), detail: '' });
    // Weights as bits in another filter layout: permuted after widening.
    const hwoi = new Float32Array(w.length);
    for (let i = 0; i < 3; i++) for (let o = 0; o < 2; o++) for (let t = 0; t < 9; t++) hwoi[(t * 2 + o) * 3 + i] = w[(i * 2 + o) * 9 + t];
    const viaHwoi = await convTranspose({ data: bitsOf(x), shape }, { data: bitsOf(hwoi), shape: [3, 3, 2, 3] }, { ...attrs, bias: bitsOf(b), filterLayout: 'hwoi', dataType: 'float16' });
    results.push({ name: 'float16 weight bits in the hwoi layout', ok: same(viaArray.data, viaHwoi.data), detail: '' });
    // float32 storage takes float16 weights too (a Float16Array's values).
    const f32 = await convTranspose({ data: x, shape }, { data: halfArrayFromBits(bitsOf(w)), shape: weightShape }, { ...attrs, bias: b });
    const c32 = compare(f32.data, ref);
    results.push({ name: 'float32 storage with Float16Array weights', ok: f32.data instanceof Float32Array && c32.ok, detail: JSON.stringify(c32) });
    const odd = await convTranspose({ data: [0.1, 0.2, 0.3], shape: [1, 1, 3] }, { data: [1], shape: [1, 1, 1] }, { dataType: 'float16' });
    results.push({ name: 'one-shot float16 with an odd number of inputs', ok: Array.from(odd.data as ArrayLike<number>).join() === [0.1, 0.2, 0.3].map(roundToHalf).join(), detail: Array.from(odd.data as ArrayLike<number>).join() });
    const empty = await convTranspose({ data: new Uint16Array(0), shape: [0, 3, 4, 5] }, { data: w, shape: weightShape }, { ...attrs, dataType: 'float16' });
    results.push({ name: 'one-shot float16 with an empty batch', ok: empty.data.length === 0 && isFloat16Array(empty.data) === ('Float16Array' in globalThis), detail: Object.prototype.toString.call(empty.data) });
  }

  // The GPU's rounding to float16 against the host's, on values chosen at the edges: input 1, so each output
  // is one float32 weight exactly (1 * w + 0), rounded once by the packing stage.
  {
    const f = (v: number) => Math.fround(v);
    const values = [
      1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -11 + 2 ** -20, 1 + 2 ** -12, -(1 + 2 ** -11), 2049, 2051, 4097, 0.1, -0.3, 1 / 3,
      65504, 65519, 65519.99, 65520, 65536, 1e6, -1e6, Infinity, -Infinity, NaN,
      2 ** -24, 2 ** -25, 1.5 * 2 ** -25, 2 ** -26, 1.5 * 2 ** -24, 2.5 * 2 ** -24, 3.5 * 2 ** -24, 2 ** -14 - 2 ** -25, 2 ** -14 - 2 ** -26,
      2 ** -14, -(2 ** -14 + 2 ** -25), 1e-30, -1e-30, 2 ** -149, 6e-5, -6.1e-5, 3.4e38, 0,
    ].map(f);
    const C = values.length;
    for (const path of PATH_OPTIONS) {
      const y = await convTranspose({ data: [1], shape: [1, 1, 1, 1] }, { data: Float32Array.from(values), shape: [1, C, 1, 1] }, { path, dataType: 'float16', tune: false });
      const got = isFloat16Array(y.data) ? new Uint16Array(y.data.buffer, y.data.byteOffset, C) : (y.data as Uint16Array);
      const want = bitsOf(values);
      const bad = values.map((v, i) => [v, got[i], want[i]] as const).filter(([, g, x]) => g !== x && !(Number.isNaN(fromHalfBits(g)) && Number.isNaN(fromHalfBits(x))));
      results.push({ name: `${path}: the packing stage rounds to nearest even, overflows to ±Inf, keeps NaN and subnormals`, ok: bad.length === 0, detail: JSON.stringify(bad.map(([v, g, x]) => `${v}: got 0x${g.toString(16)}, want 0x${x.toString(16)}`)) });
    }
  }

  // Work split into chunks: output windows that start at odd elements and share their end words. The output
  // buffer is one word larger than needed and filled with SENTINEL first: every output element must hold its
  // value, and the word past the output (and the high half of the last word, when the count is odd) SENTINEL.
  for (const c of WINDOW_CASES) {
    const x = roundAll(randomData(41, sizeOf(c.inputShape)));
    const w = roundAll(randomData(42, sizeOf(c.weightShape)));
    const r = resolveConvTranspose(c.inputShape, c.weightShape, null, c.attrs);
    const ref = scatterReference(r, x, w, null);
    const count = sizeOf(r.outputShape);
    for (const path of PATH_OPTIONS) {
      const name = `float16 chunks ${c.name}: ${path}`;
      try {
        const layer = await createConvTranspose(limitedDevice(device, c.limit), {
          ...c.attrs, inputShape: c.nhwc ? shapeLast(c.inputShape, true) : c.inputShape, weight: { data: bitsOf(w), shape: c.weightShape },
          path, tune: false, dataType: 'float16', ...(c.nhwc ? { inputLayout: 'nhwc' as const } : {}),
        });
        const chunks = (layer as { chunks?: number }).chunks ?? 1;
        const input = device.createBuffer({ size: layer.inputBytes, usage: STORAGE | COPY_DST });
        const output = device.createBuffer({ size: layer.outputBytes + 4, usage: STORAGE | COPY_SRC | COPY_DST });
        const xs = bitsOf(c.nhwc ? toChannelsLast(x, c.inputShape, true) : x);
        device.queue.writeBuffer(input, 0, xs.length % 2 ? Uint16Array.from({ length: xs.length + 1 }, (_, i) => xs[i] ?? 0) : xs);
        device.queue.writeBuffer(output, 0, new Uint16Array((layer.outputBytes + 4) / 2).fill(SENTINEL));
        await layer.run(input, output);
        const bits = await readBits(device, output, layer.outputBytes + 4);
        const values = Float32Array.from(bits.subarray(0, count), fromHalfBits);
        const y = c.nhwc ? toChannelsFirst(values, shapeLast(r.outputShape, true), true) : values;
        const cmp = compareHalf(y, ref);
        const tail = Array.from(bits.subarray(count));
        results.push({
          name, ok: cmp.ok && chunks > 1 && tail.every((t) => t === SENTINEL),
          detail: `${chunks} chunks, ${count} outputs, first bad ${JSON.stringify(cmp.firstBad)}, tail ${tail.map((t) => t.toString(16))}`,
        });
        input.destroy();
        output.destroy();
        layer.destroy();
      } catch (e) {
        results.push({ name, ok: false, detail: errorText(e) });
      }
    }
  }

  // Rejections, before any GPU work, naming the argument.
  const one = { data: [1], shape: [1, 1, 1, 1] };
  results.push(await expectThrow('convTranspose: unknown dataType', () => convTranspose(one, one, { dataType: 'float64' as never }), /^dataType: expected 'float32' or 'float16', got "float64"/));
  results.push(await expectThrow('convTranspose: dataType of the wrong type', () => convTranspose(one, one, { dataType: 16 as never }), /^dataType: expected 'float32' or 'float16', got 16/));
  results.push(await expectThrow('createConvTranspose: unknown dataType', () => createConvTranspose(device, { inputShape: [1, 1, 1, 1], weight: one, dataType: 'half' as never }), /^dataType: expected 'float32' or 'float16', got "half"/));
  results.push(await expectThrow('float16 input given as a Float32Array', () => convTranspose({ data: new Float32Array(1), shape: [1, 1, 1, 1] }, one, { dataType: 'float16' }),
    /^input: with dataType 'float16' the data must be a Float16Array, a Uint16Array of float16 bit patterns or an array of numbers, got Float32Array/));
  results.push(await expectThrow('float16 input given as an Int16Array', () => convTranspose({ data: new Int16Array(1), shape: [1, 1, 1, 1] }, one, { dataType: 'float16' }), /^input: with dataType 'float16' .* got Int16Array/));
  results.push(await expectThrow('float16 input bits of the wrong length', () => convTranspose({ data: new Uint16Array(3), shape: [1, 1, 2, 2] }, one, { dataType: 'float16' }), /^input: data has 3 elements but shape \[1, 1, 2, 2\] needs 4/));
  results.push(await expectThrow('float16 input with a non-number', () => convTranspose({ data: [1, 'a' as never], shape: [1, 1, 1, 2] }, one, { dataType: 'float16' }), /^input\.data\[1\]: expected a number, got the string "a"/));
  results.push(await expectThrow('float16 weight bits of the wrong length', () => convTranspose(one, { data: new Uint16Array(2), shape: [1, 1, 1, 1] }, { dataType: 'float16' }), /^weight: data has 2 elements/));

  const leaked = await device.popErrorScope();
  results.push({ name: 'no WebGPU validation error was raised by any float16 check', ok: leaked === null, detail: leaked?.message ?? 'none' });
  return results;
}
