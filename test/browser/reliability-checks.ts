/**
 * In-page reliability checks: plain-array data is checked before any GPU work, prepared layers say what is
 * wrong (layer-checks.ts), and device loss (of the shared device or of a caller's device) is reported as such,
 * with the shared device recreated for the next call.
 * Each check returns ok + detail; test/reliability.test.ts asserts them.
 */
import { convTranspose, getDevice, resolveConvTranspose, scatterReference, sizeOf } from '../../src/index';
import { compare } from '../support/compare';
import { randomData } from '../support/random';
import { trackingDevice, type CheckResult } from './api-checks';
import { layerChecks } from './layer-checks';

const inputShape = [1, 2, 5, 5];
const weightShape = [2, 3, 3, 3];
const attrs = { stride: 2, padding: 1 };
const x = randomData(31, sizeOf(inputShape));
const w = randomData(32, sizeOf(weightShape));
const bias = randomData(33, 3);
const reference = scatterReference(resolveConvTranspose(inputShape, weightShape, [3], attrs), x, w, bias);

const LOST = /^convTranspose: the GPU device was lost \([a-z]+: [^)]*\)$/;

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** A one-shot call on `device` (or the shared one) that must succeed and match the float64 reference. */
async function runsRight(name: string, device?: GPUDevice): Promise<CheckResult> {
  try {
    const y = await convTranspose({ data: x, shape: inputShape }, { data: w, shape: weightShape }, { ...attrs, bias, device });
    const c = compare(y.data, reference);
    return { name, ok: c.ok, detail: c.ok ? `max abs err ${c.maxAbsErr}` : JSON.stringify(c.firstBad) };
  } catch (e) {
    return { name, ok: false, detail: `threw ${message(e)}` };
  }
}

/** A one-shot call that must reject with the device-loss message. */
async function rejectsLost(name: string, call: Promise<unknown>): Promise<CheckResult> {
  try {
    await call;
    return { name, ok: false, detail: 'did not reject' };
  } catch (e) {
    return { name, ok: e instanceof Error && LOST.test(e.message), detail: message(e) };
  }
}

/** Makes the next queue.submit on `device` lose the device right after submitting (mid-call, before mapAsync). */
function loseOnNextSubmit(device: GPUDevice, lose: () => void): void {
  const queue = device.queue as GPUQueue & { submit: GPUQueue['submit'] };
  queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
    delete (queue as Partial<GPUQueue>).submit;
    queue.submit(buffers);
    lose();
  };
}

/** destroy() as the browser has it, bypassing any wrapper: to the library this looks like a loss it did not see. */
function rawDestroy(device: GPUDevice): void {
  GPUDevice.prototype.destroy.call(device);
}

async function dataChecks(): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const shared = await getDevice();
  const hole = [0.5, , 0.25] as unknown as number[];
  const cases: [string, () => Parameters<typeof convTranspose>, string][] = [
    ['null in input', () => [{ data: [1, null, 2, 3] as unknown as number[], shape: [1, 1, 4] }, { data: [1], shape: [1, 1, 1] }, {}], 'input.data[1]: expected a number, got null'],
    ['"3" in weight', () => [{ data: [1, 2], shape: [1, 1, 2] }, { data: [1, 2, '3'] as unknown as number[], shape: [1, 1, 3] }, {}], 'weight.data[2]: expected a number, got the string "3"'],
    ['hole in bias array', () => [{ data: [1, 2], shape: [1, 1, 2] }, { data: [1, 2, 3], shape: [1, 3, 1] }, { bias: hole }], 'bias[1]: expected a number, got an empty slot (a hole in a sparse array)'],
    ['{} in bias tensor', () => [{ data: [1, 2], shape: [1, 1, 2] }, { data: [1], shape: [1, 1, 1] }, { bias: { data: [{}] as unknown as number[], shape: [1] } }], 'bias.data[0]: expected a number, got an object ([object Object])'],
    ['true in input', () => [{ data: [1, 2, true] as unknown as number[], shape: [1, 1, 3] }, { data: [1], shape: [1, 1, 1] }, {}], 'input.data[2]: expected a number, got the boolean true'],
  ];
  for (const [name, args, expected] of cases) {
    const t = trackingDevice(shared);
    const [input, weight, options] = args();
    try {
      await convTranspose(input, weight, { ...options, device: t.device });
      results.push({ name: `data: ${name} is rejected`, ok: false, detail: 'accepted' });
    } catch (e) {
      const ok = e instanceof TypeError && e.message === expected && t.calls() === 0;
      results.push({ name: `data: ${name} is rejected before any GPU work`, ok, detail: `${message(e)}; ${t.calls()} GPU calls` });
    }
  }
  try {
    const y = await convTranspose({ data: [NaN, Infinity, -Infinity, 1], shape: [1, 1, 4] }, { data: [1], shape: [1, 1, 1] }, { device: shared });
    results.push({ name: 'data: NaN and ±Infinity in a plain array are accepted', ok: y.data.length === 4 && Number.isNaN(y.data[0]), detail: `[${[...y.data]}]` });
  } catch (e) {
    results.push({ name: 'data: NaN and ±Infinity in a plain array are accepted', ok: false, detail: `threw ${message(e)}` });
  }
  return results;
}

async function deviceLossChecks(): Promise<CheckResult[]> {
  const results: CheckResult[] = [];

  // The shared device, destroyed mid-call (after submit, before the read-back).
  const first = await getDevice();
  results.push(await runsRight('shared: a call before the loss'));
  loseOnNextSubmit(first, () => first.destroy());
  results.push(await rejectsLost('shared: destroyed mid-call, the call rejects with the loss and its reason', convTranspose({ data: x, shape: inputShape }, { data: w, shape: weightShape }, { ...attrs, bias })));
  results.push(await runsRight('shared: the very next call succeeds and matches the reference'));
  const second = await getDevice();
  results.push({ name: 'shared: getDevice() gives a new device after the loss', ok: second !== first, detail: second === first ? 'same device' : 'new device' });

  // Lost mid-call without the library seeing destroy() (as a driver reset would): found through device.lost.
  loseOnNextSubmit(second, () => rawDestroy(second));
  results.push(await rejectsLost('shared: lost mid-call unseen, the call rejects with the loss', convTranspose({ data: x, shape: inputShape }, { data: w, shape: weightShape }, { ...attrs, bias })));
  results.push(await runsRight('shared: ... and the very next call succeeds'));
  const third = await getDevice();
  results.push({ name: 'shared: ... on a new device', ok: third !== second, detail: third === second ? 'same device' : 'new device' });

  // Destroyed between calls: the next call does not get the dead device.
  third.destroy();
  results.push(await runsRight('shared: destroyed between calls, the next call succeeds'));
  const fourth = await getDevice();
  results.push({ name: 'shared: ... and getDevice() never hands out the destroyed device', ok: fourth !== third, detail: fourth === third ? 'same device' : 'new device' });

  // Lost between calls, unseen: at most that one call fails, with the loss message; the one after succeeds.
  rawDestroy(fourth);
  try {
    await convTranspose({ data: x, shape: inputShape }, { data: w, shape: weightShape }, { ...attrs, bias });
    results.push({ name: 'shared: lost between calls unseen, the next call succeeds or reports the loss', ok: true, detail: 'succeeded' });
  } catch (e) {
    results.push({ name: 'shared: lost between calls unseen, the next call succeeds or reports the loss', ok: e instanceof Error && LOST.test(e.message), detail: message(e) });
  }
  results.push(await runsRight('shared: ... and the call after it succeeds'));

  // A caller's device: reported, never replaced.
  const adapter = await navigator.gpu.requestAdapter();
  const own = await adapter!.requestDevice();
  const sharedBefore = await getDevice();
  results.push(await runsRight('caller device: a call before the loss', own));
  own.destroy();
  results.push(await rejectsLost('caller device: destroyed, a call rejects with the loss and its reason', convTranspose({ data: x, shape: inputShape }, { data: w, shape: weightShape }, { ...attrs, bias, device: own })));
  results.push(await rejectsLost('caller device: ... and so does the next (it is not replaced)', convTranspose({ data: x, shape: inputShape }, { data: w, shape: weightShape }, { ...attrs, bias, device: own })));
  const sharedAfter = await getDevice();
  results.push({ name: 'caller device: its loss leaves the shared device alone', ok: sharedAfter === sharedBefore, detail: sharedAfter === sharedBefore ? 'same shared device' : 'shared device replaced' });
  results.push(await runsRight('caller device: ... which still works'));

  const own2 = await (await navigator.gpu.requestAdapter())!.requestDevice();
  loseOnNextSubmit(own2, () => own2.destroy());
  results.push(await rejectsLost('caller device: destroyed mid-call, the call rejects with the loss', convTranspose({ data: x, shape: inputShape }, { data: w, shape: weightShape }, { ...attrs, bias, device: own2 })));
  return results;
}

export async function reliabilityChecks(): Promise<CheckResult[]> {
  return [...(await dataChecks()), ...(await layerChecks()), ...(await deviceLossChecks())];
}
