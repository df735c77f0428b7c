/**
 * In-page checks of prepared layers that must never fail silently (issue 9, item 2): what encode() and run()
 * refuse synchronously, what run() captures in an error scope and rejects with, what a caller-owned encoder
 * gets (a WebGPU validation error naming the layer through its labels), and a layer whose device is lost.
 * Registered in reliability-checks.ts; test/reliability.test.ts asserts them.
 */
import { createConvTranspose, getDevice, GPU_PATHS, resolveConvTranspose, scatterReference, sizeOf, type ConvTransposeLayer } from '../../src/index';
import { compare } from '../support/compare';
import { randomData } from '../support/random';
import type { CheckResult } from './api-checks';

const STORAGE = 0x80, COPY_SRC = 0x4, COPY_DST = 0x8, MAP_READ = 0x1;
const inputShape = [1, 2, 4, 5];
const weightShape = [2, 3, 3, 3];
const attrs = { stride: 2, padding: 1 };
const x = randomData(41, sizeOf(inputShape));
const w = randomData(42, sizeOf(weightShape));

/**
 * Firefox (wgpu): its validation messages name only the object at fault, where Dawn's (Chromium) name the labelled
 * objects around it too (the layer's pass), and word things their own way; and Firefox 153 reports no error at
 * all for a pass begun in an encoder that has one open, which the spec requires. The checks of what WebGPU says
 * hold each implementation to what it says.
 */
const WGPU = navigator.userAgent.includes('Firefox');

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `f` must throw synchronously (not reject) with a message matching `pattern`. */
function throwsSync(name: string, f: () => unknown, pattern: RegExp): CheckResult {
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    return { name, ok: e instanceof Error && pattern.test(e.message), detail: message(e) };
  }
  if (result instanceof Promise) result.catch(() => {});
  return { name, ok: false, detail: result instanceof Promise ? 'returned a promise instead of throwing' : 'did not throw' };
}

/** `f()` must return a promise that rejects with a message matching `pattern`, and leak no error to an outer scope. */
async function rejects(device: GPUDevice, name: string, f: () => Promise<unknown>, pattern: RegExp): Promise<CheckResult> {
  device.pushErrorScope('validation');
  let detail = 'resolved';
  let ok = false;
  try {
    await f();
  } catch (e) {
    detail = message(e);
    ok = e instanceof Error && pattern.test(e.message);
  }
  const leaked = await device.popErrorScope();
  if (leaked) return { name, ok: false, detail: `${detail}; and an error reached the caller's scope: ${leaked.message}` };
  return { name, ok, detail };
}

/**
 * Runs `f` in the caller's own validation scope; the captured error must match `pattern` (it names the layer).
 * A null pattern (an implementation that reports nothing there) asks only that `f` does not throw.
 */
async function callerScope(device: GPUDevice, name: string, f: () => void, pattern: RegExp | null): Promise<CheckResult> {
  device.pushErrorScope('validation');
  let thrown: unknown = null;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  const error = await device.popErrorScope();
  if (thrown) return { name, ok: false, detail: `threw ${message(thrown)}` };
  return { name, ok: pattern ? !!error && pattern.test(error.message) : true, detail: error?.message.split('\n').join(' ') ?? 'no validation error' };
}

async function readBack(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<Float32Array> {
  const read = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, read, 0, bytes);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(1);
  const out = new Float32Array(read.getMappedRange().slice(0));
  read.unmap();
  read.destroy();
  return out;
}

async function bufferChecks(): Promise<CheckResult[]> {
  const device = await getDevice();
  const results: CheckResult[] = [];
  const label = 'checked-layer';
  const layer = await createConvTranspose(device, { ...attrs, inputShape, weight: { data: w, shape: weightShape }, path: 'gather', label });
  results.push({ name: 'layer: carries its label', ok: layer.label === label, detail: layer.label });
  const make = (size: number, usage: number, extra: Partial<GPUBufferDescriptor> = {}) => device.createBuffer({ label: 'caller buffer', size, usage, ...extra });
  const input = make(layer.inputBytes, STORAGE | COPY_DST);
  const output = make(layer.outputBytes, STORAGE | COPY_SRC);
  const owned: GPUBuffer[] = [input, output];

  // run() that works: resolves, and the output is right.
  device.queue.writeBuffer(input, 0, x);
  try {
    const ran = layer.run(input, output);
    const isPromise = ran instanceof Promise;
    await ran;
    const c = compare(await readBack(device, output, layer.outputBytes), scatterReference(resolveConvTranspose(inputShape, weightShape, null, attrs), x, w));
    results.push({ name: 'layer: run() resolves and the output matches the reference', ok: isPromise && c.ok, detail: `promise: ${isPromise}; max abs err ${c.maxAbsErr}` });
  } catch (e) {
    results.push({ name: 'layer: run() resolves and the output matches the reference', ok: false, detail: `threw ${message(e)}` });
  }

  // Refused synchronously, by encode() and by run().
  const mapped = make(layer.inputBytes, STORAGE, { mappedAtCreation: true });
  owned.push(mapped);
  const encoder = device.createCommandEncoder();
  results.push(throwsSync('layer: encode() refuses an input still mapped from mappedAtCreation', () => layer.encode(encoder, mapped, output), /^input: the buffer is mapped \(mapState 'mapped'\); call unmap\(\)/));
  results.push(throwsSync('layer: run() refuses it too, synchronously', () => layer.run(mapped, output), /^input: the buffer is mapped/));
  const pendingOut = make(layer.outputBytes, MAP_READ | COPY_DST);
  owned.push(pendingOut);
  const mapping = pendingOut.mapAsync(1).catch(() => {});
  results.push(throwsSync('layer: encode() refuses an output with mapAsync() pending', () => layer.encode(encoder, input, pendingOut), /^output: the buffer has a mapAsync\(\) pending \(mapState 'pending'\)/));
  await mapping;
  results.push(throwsSync('layer: ... and once mapped, refuses it as mapped', () => layer.encode(encoder, input, pendingOut), /^output: the buffer is mapped/));
  pendingOut.unmap();
  const noStorage = make(layer.outputBytes, COPY_SRC);
  owned.push(noStorage);
  results.push(throwsSync('layer: encode() refuses an output without STORAGE usage', () => layer.encode(encoder, input, noStorage), /^output: the buffer needs GPUBufferUsage.STORAGE/));
  results.push(throwsSync('layer: encode() refuses a too small input', () => layer.encode(encoder, make(16, STORAGE), output), /^input: buffer has 16 bytes/));
  results.push(throwsSync('layer: encode() refuses something that is not an encoder', () => layer.encode({} as GPUCommandEncoder, input, output), /^encoder: expected a GPUCommandEncoder/));
  encoder.finish();

  // What only the GPU can tell: run() captures it and rejects with the layer's name (nothing leaks).
  const dead = make(layer.inputBytes, STORAGE | COPY_DST);
  dead.destroy();
  results.push(await rejects(device, 'layer: run() with a destroyed input rejects, naming the layer and the buffer',
    () => layer.run(dead, output), /^ConvTransposeLayer "checked-layer": run\(\): the GPU rejected the work: .*caller buffer.*destroyed/s));
  const other = await (await navigator.gpu.requestAdapter())!.requestDevice();
  const foreign = other.createBuffer({ label: 'foreign buffer', size: layer.inputBytes, usage: STORAGE });
  results.push(await rejects(device, "layer: run() with another device's buffer rejects, naming the layer",
    () => layer.run(foreign, output), WGPU ? /^ConvTransposeLayer "checked-layer": run\(\): the GPU rejected the work: .*foreign buffer/s : /^ConvTransposeLayer "checked-layer": run\(\): the GPU rejected the work: .*foreign buffer.*checked-layer\/gather/s));
  results.push(await rejects(device, '... and the next run() with those buffers still names the cause (its invalid bind groups are not kept)',
    () => layer.run(foreign, output), /^ConvTransposeLayer "checked-layer": run\(\): .*foreign buffer/s));

  // A caller-owned encoder: the caller's duty; Dawn's error names the layer through its labels (see WGPU).
  results.push(await callerScope(device, "layer: caller's encoder, another device's buffer: the validation error names the layer (Dawn) or the buffer (wgpu)",
    () => { const e = device.createCommandEncoder(); layer.encode(e, foreign, output); device.queue.submit([e.finish()]); }, WGPU ? /foreign buffer/ : /checked-layer\/gather/));
  results.push(await callerScope(device, "layer: caller's encoder already finished: a validation error, naming the layer (Dawn)",
    () => { const e = device.createCommandEncoder(); const done = e.finish(); layer.encode(e, input, output); device.queue.submit([done]); }, WGPU ? /must not have ended/ : /already finished[^]*checked-layer\/gather/));
  results.push(await callerScope(device, "layer: caller's encoder with a pass open: a validation error, naming the layer (Dawn; Firefox reports none)",
    () => { const e = device.createCommandEncoder(); const p = e.beginComputePass(); layer.encode(e, input, output); p.end(); device.queue.submit([e.finish()]); }, WGPU ? null : /locked[^]*checked-layer\/gather/));
  results.push(await callerScope(device, "layer: caller's encoder, a destroyed buffer: reported at submit with the buffer's own label",
    () => { const e = device.createCommandEncoder(); layer.encode(e, dead, output); device.queue.submit([e.finish()]); }, /caller buffer.*destroyed/));
  other.destroy();

  layer.destroy();
  results.push(throwsSync('layer: encode() after destroy() names the layer', () => layer.encode(device.createCommandEncoder(), input, output), /^ConvTransposeLayer "checked-layer": used after destroy\(\)/));
  results.push(throwsSync('layer: run() after destroy() throws too', () => layer.run(input, output), /^ConvTransposeLayer "checked-layer": used after destroy\(\)/));
  for (const b of owned) b.destroy();
  return results;
}

async function lossChecks(): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const LOST = /the GPU device was lost \(destroyed: [^)]*\); a layer cannot outlive its device: create a new one with createConvTranspose/;
  const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
  const make = (size: number) => device.createBuffer({ size, usage: STORAGE | COPY_SRC | COPY_DST });
  let layer: ConvTransposeLayer | null = null;
  for (const path of GPU_PATHS) {
    const l = await createConvTranspose(device, { ...attrs, inputShape, weight: { data: w, shape: weightShape }, path, label: `doomed-${path}` });
    if (path === 'gather') layer = l;
  }
  const input = make(layer!.inputBytes), output = make(layer!.outputBytes);
  await layer!.run(input, output);
  device.destroy();
  await device.lost;
  results.push(throwsSync('layer: encode() on a lost device says so and to recreate the layer', () => layer!.encode(device.createCommandEncoder(), input, output), new RegExp(`^ConvTransposeLayer "doomed-gather": ${LOST.source}`)));
  results.push(throwsSync('layer: run() on a lost device throws the same', () => layer!.run(input, output), new RegExp(`^ConvTransposeLayer "doomed-gather": ${LOST.source}`)));
  try {
    await createConvTranspose(device, { ...attrs, inputShape, weight: { data: w, shape: weightShape }, path: 'gather' });
    results.push({ name: 'layer: createConvTranspose on a lost device rejects', ok: false, detail: 'resolved: a layer that would compute nothing' });
  } catch (e) {
    results.push({ name: 'layer: createConvTranspose on a lost device rejects', ok: new RegExp(`^createConvTranspose: ${LOST.source}`).test(message(e)), detail: message(e) });
  }
  layer!.destroy();
  return results;
}

export async function layerChecks(): Promise<CheckResult[]> {
  return [...(await bufferChecks()), ...(await lossChecks())];
}
