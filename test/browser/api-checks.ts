/**
 * In-page checks of the public API beyond numbers: the prepared form in a caller's encoder, buffer checks,
 * destroy(), leaks, and limits. Each check returns ok + detail; test/browser.test.ts asserts them.
 */
import { convTranspose, createConvTranspose, getDevice, GPU_PATHS, PATH_OPTIONS, resolveConvTranspose, scatterReference, sizeOf } from '../../src/index';
import { familyOf } from '../../src/gpu/kernels/registry';
import { compare } from '../support/compare';
import { randomData } from '../support/random';
import { epilogueChecks } from './epilogue-checks';

import { errorText } from '../support/error-text';

export interface CheckResult { name: string; ok: boolean; detail: string }

/** A check runner appending to `results`: a body that throws is a failed check with its stack, never a lost one. */
export function checkInto(results: CheckResult[]) {
  return async (name: string, body: () => Promise<{ ok: boolean; detail: string }>): Promise<void> => {
    try {
      results.push({ name, ...(await body()) });
    } catch (e) {
      results.push({ name, ok: false, detail: `threw ${errorText(e)}` });
    }
  };
}

/**
 * Runs independent checks `inFlight` at a time (each one's GPU waits overlap the others' work: in Firefox a
 * wait is a poll of about 100 ms); the results come in the list's order, whatever order the checks end in.
 */
export async function runChecks(checks: readonly { name: string; body: () => Promise<{ ok: boolean; detail: string }> }[], inFlight: number): Promise<CheckResult[]> {
  return (await pooled(checks, inFlight, async ({ name, body }) => {
    const one: CheckResult[] = [];
    await checkInto(one)(name, body);
    return one;
  })).flat();
}

/** `f` over `items`, `inFlight` at a time; the results in the items' order. */
export async function pooled<T, R>(items: readonly T[], inFlight: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, items.length)) }, worker));
  return out;
}

const STORAGE = 0x80, COPY_SRC = 0x4, COPY_DST = 0x8, MAP_READ = 0x1;

/**
 * Wraps a device to count every call on it (and every use of its queue) and to track the buffers created
 * through it and whether each was destroyed.
 */
export function trackingDevice(device: GPUDevice) {
  const live = new Set<GPUBuffer>();
  let calls = 0;
  const proxy = new Proxy(device, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (prop === 'createBuffer') {
        return (desc: GPUBufferDescriptor) => {
          calls++;
          const b = t.createBuffer(desc);
          live.add(b);
          const destroy = b.destroy.bind(b);
          b.destroy = () => { live.delete(b); destroy(); };
          return b;
        };
      }
      if (prop === 'queue') { calls++; return v; }
      if (typeof v === 'function') return (...a: unknown[]) => { calls++; return (v as (...x: unknown[]) => unknown).apply(t, a); };
      return v;
    },
  });
  return { device: proxy, live, calls: () => calls };
}

/** The first `bytes` of a GPU buffer, copied out through a mappable buffer. */
export async function readBytes(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const read = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, read, 0, bytes);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(1);
  const out = read.getMappedRange().slice(0);
  read.unmap();
  read.destroy();
  return out;
}

async function readBack(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<Float32Array> {
  return new Float32Array(await readBytes(device, src, bytes));
}

/** A check that `f` throws (or rejects) an Error whose message matches `pattern`. */
export async function expectThrow(name: string, f: () => unknown, pattern: RegExp): Promise<CheckResult> {
  try {
    await f();
    return { name, ok: false, detail: 'did not throw' };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { name, ok: e instanceof Error && pattern.test(msg), detail: msg };
  }
}

/**
 * The checks of the public API. The paths' checks are independent (each path's layers and buffers, and counting
 * proxies of its own), so `inFlight` paths run at once; the results come in the paths' order.
 */
export async function apiChecks(inFlight = 1): Promise<CheckResult[]> {
  const base = await getDevice();
  const results: CheckResult[] = [];
  const shape = [2, 6, 5, 7];
  const weightShape = [6, 4, 3, 4];
  const attrs = { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], dilation: [1, 2], groups: 2 };
  const weight = { data: randomData(11, sizeOf(weightShape)), shape: weightShape };
  const bias = randomData(12, 8);
  const r = resolveConvTranspose(shape, weightShape, [8], attrs);

  base.pushErrorScope('validation');
  results.push(...(await pooled(PATH_OPTIONS, inFlight, async (path) => {
    const results: CheckResult[] = [];
    const t = trackingDevice(base);
    const layer = await createConvTranspose(t.device, { ...attrs, inputShape: shape, weight, bias, path });
    const input = base.createBuffer({ size: layer.inputBytes, usage: STORAGE | COPY_DST });
    const output = base.createBuffer({ size: layer.outputBytes, usage: STORAGE | COPY_SRC });
    // Two runs with different data through the same buffers (cached bind groups), encoded into our encoder.
    for (const seed of [21, 22]) {
      const x = randomData(seed, sizeOf(shape));
      base.queue.writeBuffer(input, 0, x);
      const enc = base.createCommandEncoder();
      layer.encode(enc, input, output);
      base.queue.submit([enc.finish()]);
      const got = await readBack(base, output, layer.outputBytes);
      const c = compare(got, scatterReference(r, x, weight.data, bias));
      results.push({ name: `${path}: prepared layer in a caller's encoder (seed ${seed})`, ok: c.ok && layer.outputShape.join() === r.outputShape.join(), detail: JSON.stringify(c.firstBad) + ` max ${c.maxAbsErr}` });
    }
    const small = base.createBuffer({ size: 16, usage: STORAGE });
    const noStorage = base.createBuffer({ size: layer.inputBytes, usage: COPY_DST });
    const enc = base.createCommandEncoder();
    results.push(await expectThrow(`${path}: output buffer too small`, () => layer.encode(enc, input, small), /^output: buffer has 16 bytes/));
    results.push(await expectThrow(`${path}: input without STORAGE usage`, () => layer.encode(enc, noStorage, output), /^input: the buffer needs GPUBufferUsage.STORAGE/));
    results.push(await expectThrow(`${path}: input and output the same buffer`, () => layer.encode(enc, output, output), /^input: buffer has|^output: must be a different buffer/));
    enc.finish();
    layer.destroy();
    layer.destroy();
    results.push({ name: `${path}: destroy() frees every buffer the layer made and is idempotent`, ok: t.live.size === 0, detail: `${t.live.size} live` });
    results.push(await expectThrow(`${path}: encode after destroy`, () => layer.encode(base.createCommandEncoder(), input, output), /used after destroy/));
    for (const b of [input, output, small, noStorage]) b.destroy();

    const t2 = trackingDevice(base);
    const y = await convTranspose({ data: randomData(5, sizeOf(shape)), shape }, weight, { ...attrs, bias, path, device: t2.device });
    results.push({ name: `${path}: one-shot call leaves no live buffers`, ok: t2.live.size === 0 && y.data.length === sizeOf(r.outputShape), detail: `${t2.live.size} live` });

    const t3 = trackingDevice(base);
    // 14.4e9 outputs: past maxBufferSize the one-shot form would run in parts (limit-checks.ts), but no typed array holds the result.
    results.push(await expectThrow(`${path}: an output no typed array can hold is refused`, () => convTranspose(
      { data: new Float32Array(9), shape: [1, 1, 3, 3] }, { data: new Float32Array(1), shape: [1, 1, 1, 1] }, { stride: 60000, path, device: t3.device }),
    /^output: 14400240001 elements, more than this JavaScript engine holds in one Float32Array: split the batch/));
    // The prepared form refuses it at the buffer limit, before any GPU call too.
    results.push(await expectThrow(`${path}: a prepared layer beyond the device's buffer limit is refused`, () => createConvTranspose(t3.device,
      { inputShape: [1, 1, 3, 3], weight: { data: new Float32Array(1), shape: [1, 1, 1, 1] }, stride: 60000, path }),
    /^output: needs \d+ bytes, more than this device's maxBufferSize \(\d+\): no buffer can hold it; the one-shot form \(convTranspose\) runs such a problem in parts, or split the batch/));
    results.push({ name: `${path}: ... before any GPU call`, ok: t3.calls() === 0, detail: `${t3.calls()} calls` });

    const t4 = trackingDevice(base);
    const empty = await convTranspose({ data: new Float32Array(0), shape: [0, 6, 5, 7] }, weight, { ...attrs, bias, path, device: t4.device });
    results.push({ name: `${path}: empty batch gives an empty output without GPU work`, ok: empty.shape.join() === [0, ...r.outputShape.slice(1)].join() && t4.calls() === 0, detail: `shape ${empty.shape}, ${t4.calls()} calls` });

    results.push(await expectThrow(`${path}: wrong data length`, () => convTranspose({ data: new Float32Array(3), shape }, weight, { ...attrs, path }), /^input: data has 3 elements but shape \[2, 6, 5, 7\] needs 420/));
    return results;
  })).flat());
  // FINITE_W (common.wgsl): set from the weights at upload on the kernels whose descriptor reads it, only when
  // every weight is finite; a NaN or ±Inf weight keeps the default, so masked lanes are skipped, not 0*w.
  // 8 output channels, so phase runs its channel-blocked GEMM (not the narrow kernel, which has no such loop).
  const fShape = [1, 8, 5, 7], fWeightShape = [8, 8, 3, 3];
  const fWeight = randomData(13, sizeOf(fWeightShape));
  results.push(...(await pooled(GPU_PATHS, inFlight, async (path) => {
    const results: CheckResult[] = [];
    const finite = await createConvTranspose(base, { stride: 2, inputShape: fShape, weight: { data: fWeight, shape: fWeightShape }, path, tune: false });
    const withInf = Float32Array.from(fWeight);
    withInf[5] = Infinity;
    const nonFinite = await createConvTranspose(base, { stride: 2, inputShape: fShape, weight: { data: withInf, shape: fWeightShape }, path, tune: false });
    const readers = familyOf(path).kernels.filter((k) => k.finiteWeights).map((k) => k.name);
    const set = (l: typeof finite) => l.dispatches.filter((d) => readers.includes(d.shader)).map((d) => d.constants.FINITE_W);
    const [f, n] = [set(finite), set(nonFinite)];
    // Both kernels against the float64 reference: the non-finite one's row-edge lanes must add nothing (not 0*Inf).
    const fr = resolveConvTranspose(fShape, fWeightShape, null, { stride: 2 });
    const x = randomData(14, sizeOf(fShape));
    for (const [layer, w] of [[finite, fWeight], [nonFinite, withInf]] as const) {
      const input = base.createBuffer({ size: layer.inputBytes, usage: STORAGE | COPY_DST });
      const output = base.createBuffer({ size: layer.outputBytes, usage: STORAGE | COPY_SRC });
      base.queue.writeBuffer(input, 0, x);
      await layer.run(input, output);
      const c = compare(await readBack(base, output, layer.outputBytes), scatterReference(fr, x, w, null));
      const inf = w === withInf;
      results.push({ name: `${path}: ${inf ? 'a weight of Infinity' : 'finite weights'} matches the float64 reference`, ok: c.ok, detail: JSON.stringify(c.firstBad) + ` max ${c.maxAbsErr}` });
      input.destroy();
      output.destroy();
    }
    results.push({
      name: `${path}: FINITE_W is set for finite weights and not for a weight of Infinity`,
      ok: f.length === 1 && f[0] === 1 && n.length === 1 && n[0] === undefined,
      detail: JSON.stringify({ finite: finite.dispatches, nonFinite: nonFinite.dispatches }),
    });
    finite.destroy();
    nonFinite.destroy();
    return results;
  })).flat());
  results.push(await expectThrow('unknown path', () => convTranspose({ data: new Float32Array(4), shape: [1, 1, 4] }, { data: new Float32Array(1), shape: [1, 1, 1] }, { path: 'fft' as never }), new RegExp(`^path: expected one of ${PATH_OPTIONS.join(', ')}, got "fft"`)));
  results.push(...(await epilogueChecks(base, inFlight)));
  const leaked = await base.popErrorScope();
  results.push({ name: 'no WebGPU validation error was raised by any check', ok: leaked === null, detail: leaked?.message ?? 'none' });
  return results;
}
