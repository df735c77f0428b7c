/**
 * In-page checks of work past the binding limit (issue 9, item 5): layers whose tensors are 4x the device's
 * maxStorageBufferBindingSize run as chunks (src/gpu/plan/chunks.ts) on every path and match the float64 reference.
 *
 * The limit is lowered to 4 MiB in the device the library sees (a proxy over the real device), so the
 * tensors stay small enough for SwiftShader: WebGPU raises a requested limit below the default (128 MiB) to
 * the default, so requestDevice cannot lower it. The real device still validates every binding against its
 * own limit; the proxy only makes the library split as a small-limit device would need.
 */
import { createConvTranspose, getDevice, resolveConvTranspose, scatterReference, sizeOf, PATH_OPTIONS, type ConvTransposeAttributes, type PathOption } from '../../src/index';
import { compare } from '../support/compare';
import { randomData } from '../support/random';
import { shapeLast, toChannelsFirst, toChannelsLast } from '../support/layout';
import type { CheckResult } from './api-checks';
import { errorText } from '../support/error-text';

const LIMIT = 4 * 1024 * 1024;
const STORAGE = 0x80, COPY_SRC = 0x4, COPY_DST = 0x8, MAP_READ = 0x1;

/**
 * The device as one with lower limits would look to the library: maxStorageBufferBindingSize = `limit`, or each
 * limit `limit` names.
 */
export function limitedDevice(device: GPUDevice, limit: number | Readonly<Record<string, number>>): GPUDevice {
  const lowered: Readonly<Record<string, number>> = typeof limit === 'number' ? { maxStorageBufferBindingSize: limit } : limit;
  const limits = new Proxy(device.limits, {
    get: (t, prop) => (typeof prop === 'string' && prop in lowered ? lowered[prop] : Reflect.get(t, prop, t)),
  });
  return new Proxy(device, {
    get(t, prop) {
      if (prop === 'limits') return limits;
      const v = Reflect.get(t, prop, t);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

interface ChunkCase {
  name: string;
  /** Channels-first shapes; `nhwc` runs the layer channels-last (data transposed by the test). */
  inputShape: number[];
  weightShape: number[];
  attrs: ConvTransposeAttributes;
  nhwc?: boolean;
}

const CASES: ChunkCase[] = [
  { name: 'by batch (4 items of 4 MiB)', inputShape: [4, 2, 256, 256], weightShape: [2, 4, 2, 2], attrs: { stride: 2 } },
  { name: 'by output channels of a group (2 groups of 8 channels, 1 MiB each)', inputShape: [1, 4, 256, 256], weightShape: [4, 8, 2, 2], attrs: { stride: 2, groups: 2 } },
  { name: 'by output rows with overlapping inputs (one 16 MiB channel)', inputShape: [1, 1, 1024, 1024], weightShape: [1, 1, 3, 3], attrs: { stride: 2, padding: 1, outputPadding: 1 } },
  { name: '1-D by output columns, input 2x the limit too', inputShape: [1, 1, 2 ** 21], weightShape: [1, 1, 3], attrs: { stride: 2, padding: 1, outputPadding: 1, dilation: 1 } },
  { name: 'channels-last by output rows (one 16 MiB batch item)', inputShape: [1, 2, 512, 512], weightShape: [2, 4, 3, 3], attrs: { stride: 2, padding: 1, outputPadding: 1 }, nhwc: true },
];

const PATHS: readonly PathOption[] = PATH_OPTIONS;

async function run(device: GPUDevice, c: ChunkCase, path: PathOption, x: Float32Array, w: Float32Array, bias: Float32Array, ref: Float64Array): Promise<CheckResult> {
  const name = `${c.name}: ${path}${c.nhwc ? '/nhwc' : ''}`;
  const batched = true;
  const xIn = c.nhwc ? toChannelsLast(x, c.inputShape, batched) : x;
  const inputShape = c.nhwc ? shapeLast(c.inputShape, batched) : c.inputShape;
  const layer = await createConvTranspose(limitedDevice(device, LIMIT), {
    ...c.attrs, inputShape, weight: { data: w, shape: c.weightShape }, bias: { data: bias, shape: [bias.length] }, path, tune: false,
    ...(c.nhwc ? { inputLayout: 'nhwc' as const } : {}),
  });
  const input = device.createBuffer({ size: layer.inputBytes, usage: STORAGE | COPY_DST });
  const output = device.createBuffer({ size: layer.outputBytes, usage: STORAGE | COPY_SRC });
  const read = device.createBuffer({ size: layer.outputBytes, usage: MAP_READ | COPY_DST });
  try {
    device.queue.writeBuffer(input, 0, xIn);
    const encoder = device.createCommandEncoder();
    layer.encode(encoder, input, output);
    encoder.copyBufferToBuffer(output, 0, read, 0, layer.outputBytes);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(MAP_READ);
    const got = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    const y = c.nhwc ? toChannelsFirst(got, layer.outputShape, batched) : got;
    const cmp = compare(y, ref);
    const windows = Math.max(layer.inputBytes, layer.outputBytes) / LIMIT;
    const detail = `${layer.chunks} chunks (${layer.path}), output ${layer.outputBytes} bytes = ${windows.toFixed(1)}x the limit; max abs err ${cmp.maxAbsErr.toExponential(2)}` +
      (cmp.firstBad ? `; first mismatch at ${cmp.firstBad.index}: got ${cmp.firstBad.got}, expected ${cmp.firstBad.expected}` : '');
    return { name, ok: cmp.ok && layer.chunks > 1 && layer.outputBytes >= 4 * LIMIT, detail };
  } finally {
    layer.destroy();
    input.destroy();
    output.destroy();
    read.destroy();
  }
}

export async function chunkChecks(): Promise<CheckResult[]> {
  const device = await getDevice();
  const results: CheckResult[] = [];
  for (const [i, c] of CASES.entries()) {
    const r = resolveConvTranspose(c.inputShape, c.weightShape, [c.weightShape[1] * (c.attrs.groups ?? 1)], c.attrs);
    const x = randomData(100 + i, sizeOf(c.inputShape));
    const w = randomData(200 + i, sizeOf(c.weightShape));
    const bias = randomData(300 + i, r.outChannels);
    const ref = scatterReference(r, x, w, bias);
    for (const path of PATHS) {
      try {
        results.push(await run(device, c, path, x, w, bias, ref));
      } catch (e) {
        results.push({ name: `${c.name}: ${path}`, ok: false, detail: errorText(e) });
      }
    }
  }
  // Where no split can work: one output cell's inputs alone exceed the limit (a 1x1 kernel over 2M input channels).
  try {
    await createConvTranspose(limitedDevice(device, LIMIT), { inputShape: [1, 2 ** 21, 1, 1], weight: { data: new Float32Array(2 ** 21), shape: [2 ** 21, 1, 1, 1] }, path: 'gather' });
    results.push({ name: 'no split can work: refused', ok: false, detail: 'accepted' });
  } catch (e) {
    const m = (e as Error).message;
    results.push({ name: 'no split can work: refused with the reason', ok: /no split of the work fits this device's maxStorageBufferBindingSize \(4194304 bytes\)/.test(m) && /input/.test(m), detail: m });
  }
  return results;
}
