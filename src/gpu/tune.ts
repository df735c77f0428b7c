/**
 * The measured half of `auto`. The cost model (paths/cost.ts) ranks the paths; when the runner-up is
 * within TUNE_BAND of the cheapest (about the model's worst error on the benchmark suite), the estimates
 * cannot tell them apart, so each close path is built and timed once on this device for this problem, and
 * the fastest is kept. The choice is cached per device and problem (shapes, attributes and adapter class),
 * so later layers and one-shot calls on the same problem build only the winner.
 */
import { BufferUsage } from './constants';
import type { GpuPath } from './paths';
import type { PlanContext } from './paths/types';

/** Paths whose estimate is within this factor of the cheapest are timed. */
export const TUNE_BAND = 2.5;

/**
 * Time tuning may spend on one problem. Each candidate runs twice (a warm-up, then a timed run); once the
 * budget is spent the fastest so far is kept, so a layer whose runs take seconds costs little more than one
 * run of each of the first candidates, and the cost model's order decides among the rest.
 */
export const TUNE_BUDGET_MS = 1500;

/** What tuning needs of a built layer. */
interface Timed {
  readonly inputBytes: number;
  readonly outputBytes: number;
  encode(encoder: GPUCommandEncoder, input: GPUBuffer, output: GPUBuffer): void;
  destroy(): void;
}

const choices = new WeakMap<GPUDevice, Map<string, GpuPath>>();

function problemKey(ctx: PlanContext): string {
  const { r } = ctx;
  return JSON.stringify([ctx.adapter, ctx.activation.code, ctx.dataType ?? 'float32', r.inputShape, r.weightShape, r.strides, r.dilations, r.padsBegin, r.padsEnd, r.outputPadding, r.groups]);
}

/** Best of `runs` wall times (ms) of a layer after one warm-up run; Infinity once a run exceeds `limitMs`. */
async function timeLayer(device: GPUDevice, layer: Timed, runs: number, limitMs: number): Promise<number> {
  const input = device.createBuffer({ label: 'convtranspose/tune input', size: Math.max(16, layer.inputBytes), usage: BufferUsage.STORAGE });
  const output = device.createBuffer({ label: 'convtranspose/tune output', size: Math.max(16, layer.outputBytes), usage: BufferUsage.STORAGE });
  try {
    let best = Infinity;
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const encoder = device.createCommandEncoder({ label: 'convtranspose/tune' });
      layer.encode(encoder, input, output);
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      const ms = performance.now() - t0;
      if (ms > limitMs) return Infinity; // clearly slower than one already timed: no need to finish
      if (i > 0) best = Math.min(best, ms);
    }
    return best;
  } finally {
    input.destroy();
    output.destroy();
  }
}

/**
 * The layer of the fastest close path. `ranked` is cheapest first by the model; `build` makes a layer on a
 * path. Layers that lose are destroyed; a path that fails to build or run is skipped.
 */
export async function tunedChoice<L extends Timed>(
  device: GPUDevice, ctx: PlanContext, ranked: readonly { path: GpuPath; cost: number }[], build: (path: GpuPath) => Promise<L>,
): Promise<L> {
  const close = ranked.filter((c) => c.cost <= ranked[0].cost * TUNE_BAND).map((c) => c.path);
  const key = problemKey(ctx);
  const known = choices.get(device)?.get(key);
  if (close.length === 1 || known) return build(known ?? close[0]);
  let best: { layer: L; ms: number; path: GpuPath } | null = null;
  const started = performance.now();
  for (const path of close) {
    if (best && performance.now() - started > TUNE_BUDGET_MS) break;
    let layer: L;
    try {
      layer = await build(path);
    } catch {
      continue;
    }
    const left = TUNE_BUDGET_MS - (performance.now() - started);
    const ms = await timeLayer(device, layer, 1, best ? Math.min(3 * best.ms, left) : Infinity);
    if (!best || ms < best.ms) {
      best?.layer.destroy();
      best = { layer, ms, path };
    } else {
      layer.destroy();
    }
  }
  if (!best) return build(close[0]); // every close path failed: building the first again reports why
  let perDevice = choices.get(device);
  if (!perDevice) choices.set(device, (perDevice = new Map()));
  perDevice.set(key, best.path);
  return best.layer;
}
