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
 * Time tuning may spend on one problem. The close candidates are built, run once each to warm up, then timed
 * in interleaved rounds (so a drift of the machine's speed hits them alike) and each keeps its best run. After
 * the first round, rounds stop once the budget is spent or TUNE_ROUNDS are done; a candidate over 3x the best
 * is dropped. So a layer whose runs take seconds costs little more than one run of each candidate.
 */
export const TUNE_BUDGET_MS = 1500;

/** Most timed rounds: the best of a few runs, because one run on a CPU adapter can be off by 30%. */
export const TUNE_ROUNDS = 3;

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

/** Wall time (ms) of one run of a layer, encoded, submitted and waited for. */
async function runOnce(device: GPUDevice, layer: Timed, input: GPUBuffer, output: GPUBuffer): Promise<number> {
  const t0 = performance.now();
  const encoder = device.createCommandEncoder({ label: 'convtranspose/tune' });
  layer.encode(encoder, input, output);
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  return performance.now() - t0;
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
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  // Build the candidates (the cost model's order decides among those left once half the budget is spent).
  const candidates: { layer: L; path: GpuPath; ms: number }[] = [];
  for (const path of close) {
    if (candidates.length > 0 && elapsed() > TUNE_BUDGET_MS / 2) break;
    try {
      candidates.push({ layer: await build(path), path, ms: Infinity });
    } catch {
      // a path that cannot be built here is not a candidate
    }
  }
  let best: { layer: L; ms: number; path: GpuPath } | null = null;
  if (candidates.length > 0) {
    const bytes = (f: (l: L) => number) => Math.max(16, ...candidates.map((c) => f(c.layer)));
    const input = device.createBuffer({ label: 'convtranspose/tune input', size: bytes((l) => l.inputBytes), usage: BufferUsage.STORAGE });
    const output = device.createBuffer({ label: 'convtranspose/tune output', size: bytes((l) => l.outputBytes), usage: BufferUsage.STORAGE });
    try {
      for (const c of candidates) await runOnce(device, c.layer, input, output); // warm-up
      for (let round = 0; round < TUNE_ROUNDS && (round === 0 || elapsed() < TUNE_BUDGET_MS); round++) {
        const fastest = Math.min(...candidates.map((c) => c.ms));
        for (const c of candidates) {
          if (c.ms > 3 * fastest) continue; // clearly slower: not worth more runs
          c.ms = Math.min(c.ms, await runOnce(device, c.layer, input, output));
        }
      }
    } finally {
      input.destroy();
      output.destroy();
    }
    for (const c of candidates) {
      if (!best || c.ms < best.ms) best = c;
    }
    for (const c of candidates) if (c !== best) c.layer.destroy();
  }
  if (!best) return build(close[0]); // every close path failed: building the first again reports why
  let perDevice = choices.get(device);
  if (!perDevice) choices.set(device, (perDevice = new Map()));
  perDevice.set(key, best.path);
  return best.layer;
}
