/**
 * The measured half of `auto`. The cost model (rank.ts) ranks the candidates (a family and a configuration);
 * those within the adapter class's band of the cheapest cannot be told apart by the model, so each is built
 * and timed on this device for this problem, and the fastest is kept. The choice is cached per device under
 * the whole planning context (contextKey: shapes, attributes, layout, storage type, finite weights, adapter
 * class, limits), so later layers and one-shot calls on the same problem build only the winner.
 *
 * `cpu` adapters (SwiftShader: runs take milliseconds to seconds, one run can be off by 30%): the paths' rules
 * only, a few interleaved rounds of one waited run each, best run kept, within TUNE.cpu.budgetMs.
 * `gpu` adapters (runs take microseconds, clocks idle low): also each family's configurations (tile shapes,
 * split factors); the GPU is first kept busy for TUNE.gpu.warmupMs so its clocks rise, then each timing is
 * many runs in one submission (at least TUNE.gpu.sampleMs of work) over their count, in interleaved rounds.
 * The budget (warm-up and timing; pipeline compiles are not counted) bounds the rounds after the first.
 */
import { BufferUsage } from '../constants';
import { contextKey, type PlanContext } from './context';
import type { Candidate } from './chunked';
import type { Ranked } from './rank';

export const TUNE = {
  cpu: { band: 2.5, maxCandidates: 3, budgetMs: 1500, rounds: 3, warmupMs: 0, sampleMs: 0 },
  gpu: { band: 4, maxCandidates: 6, budgetMs: 100, rounds: 5, warmupMs: 25, sampleMs: 2 },
} as const;

/** What tuning needs of a built layer. */
export interface Timed {
  readonly inputBytes: number;
  readonly outputBytes: number;
  encode(encoder: GPUCommandEncoder, input: GPUBuffer, output: GPUBuffer): void;
  destroy(): void;
}

const choices = new WeakMap<GPUDevice, Map<string, Candidate>>();

/** The candidate tuning chose for this context on this device earlier, if any. */
export function knownChoice(device: GPUDevice, ctx: PlanContext): Candidate | undefined {
  return choices.get(device)?.get(contextKey(ctx));
}

/** Wall time (ms) per run of `reps` runs of a layer encoded into one submission and waited for. */
async function timeRuns(device: GPUDevice, layer: Timed, input: GPUBuffer, output: GPUBuffer, reps: number): Promise<number> {
  const t0 = performance.now();
  const encoder = device.createCommandEncoder({ label: 'convtranspose/tune' });
  for (let i = 0; i < reps; i++) layer.encode(encoder, input, output);
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  return (performance.now() - t0) / reps;
}

/**
 * The layer of the fastest close candidate. `ranked` is cheapest first by the model; `build` makes a layer of
 * a candidate. Layers that lose are destroyed; a candidate that fails to build or run is skipped.
 */
export async function tunedChoice<L extends Timed>(
  device: GPUDevice, ctx: PlanContext, ranked: readonly Ranked[], build: (c: Candidate) => Promise<L>,
): Promise<L> {
  const known = knownChoice(device, ctx);
  if (known) return build(known);
  const t = TUNE[ctx.adapter];
  const close = ranked.filter((c) => c.cost <= ranked[0].cost * t.band).slice(0, t.maxCandidates);
  if (close.length === 1) return build(close[0]);
  // Built together, so pipeline compiles overlap; the build time is not part of the timing budget.
  const built = await Promise.all(close.map((c) => build(c).then((layer) => ({ layer, c, ms: Infinity }), () => null)));
  const candidates = built.filter((b) => b !== null);
  let best: (typeof candidates)[number] | null = null;
  if (candidates.length > 0) {
    const bytes = (f: (l: L) => number) => Math.max(16, ...candidates.map((c) => f(c.layer)));
    const input = device.createBuffer({ label: 'convtranspose/tune input', size: bytes((l) => l.inputBytes), usage: BufferUsage.STORAGE });
    const output = device.createBuffer({ label: 'convtranspose/tune output', size: bytes((l) => l.outputBytes), usage: BufferUsage.STORAGE });
    try {
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      // Warm-up: every candidate once (first-dispatch costs), then on a GPU until the clocks have risen.
      const single = new Map<(typeof candidates)[number], number>();
      do {
        for (const c of candidates) single.set(c, Math.min(single.get(c) ?? Infinity, await timeRuns(device, c.layer, input, output, 1)));
      } while (elapsed() < t.warmupMs);
      for (let round = 0; round < t.rounds && (round === 0 || elapsed() < t.budgetMs); round++) {
        const fastest = Math.min(...candidates.map((c) => c.ms));
        for (const c of candidates) {
          if (c.ms > 3 * fastest) continue; // clearly slower: not worth more runs
          const reps = t.sampleMs > 0 ? Math.min(64, Math.max(1, Math.ceil(t.sampleMs / Math.max(1e-3, single.get(c)!)))) : 1;
          c.ms = Math.min(c.ms, await timeRuns(device, c.layer, input, output, reps));
        }
      }
    } catch {
      // a run that fails leaves its candidate at its best time so far (Infinity when none)
    } finally {
      input.destroy();
      output.destroy();
    }
    for (const c of candidates) if (!best || c.ms < best.ms) best = c;
    for (const c of candidates) if (c !== best) c.layer.destroy();
  }
  if (!best) return build(close[0]); // every close candidate failed: building the first again reports why
  let perDevice = choices.get(device);
  if (!perDevice) choices.set(device, (perDevice = new Map()));
  perDevice.set(contextKey(ctx), best.c.config ? { path: best.c.path, config: best.c.config } : { path: best.c.path });
  return best.layer;
}
