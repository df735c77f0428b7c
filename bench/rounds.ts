/**
 * How the suite times a layer so that the numbers hold on a real GPU, whose clocks idle low and boost only under
 * sustained load: first at least `warmMs` of back-to-back GPU work from the implementations about to be timed,
 * then rounds in which every implementation runs once (the starting one rotating from round to round), each
 * taking two measurements: `latency`, one call submitted and waited for, and `throughput`, K calls submitted
 * together and waited for once, divided by K. Medians over the rounds.
 */

/** How long to warm up and how many rounds to time. */
export interface RoundsOptions {
  /** Sustained GPU work before the first timed round, ms (the implementations' batches, back to back). Default 200. */
  warmMs?: number;
  /** Rounds at least. Default 10. */
  minRounds?: number;
  /** Timed milliseconds (all implementations together) at least. Default 1000. */
  minMs?: number;
  /** Stop after this many rounds even if minMs is not reached. Default 50. */
  maxRounds?: number;
  /** Stop once this much time went by, provided `floorRounds` are done, even if minRounds is not reached. Default 6000. */
  maxMs?: number;
  /** Rounds that are always timed, even past maxMs. Default 3. */
  floorRounds?: number;
  /** K, the calls of one throughput measurement. Default 20. */
  batch?: number;
  /**
   * Fewer calls (down to 1) where K calls would take longer than this, judged by the first call: keeps a
   * software adapter's slow rows from taking minutes; on a GPU every call is far below it. Default 500.
   */
  batchMaxMs?: number;
}

export const DEFAULT_ROUNDS: Required<RoundsOptions> = {
  warmMs: 200, minRounds: 10, minMs: 1000, maxRounds: 50, maxMs: 6000, floorRounds: 3, batch: 20, batchMaxMs: 500,
};

/** One implementation as the rounds see it. */
export interface Contender {
  /** One call; resolves when the GPU has finished it. */
  call(): Promise<void>;
  /** `count` calls submitted together; resolves when the GPU has finished them. `timed`: false in the warm-up. */
  batch(count: number, timed: boolean): Promise<void>;
}

/** What the rounds measured for one contender. */
export interface ContenderTiming {
  /** Wall ms of each round's single call. */
  latencyMs: number[];
  /** Wall ms of each round's batch, divided by its calls. */
  throughputMs: number[];
  /** Calls per batch (K). */
  batch: number;
  /** The first call (pipelines compiled on first use, lazy uploads), ms; a second call sized the batch. */
  firstMs: number;
  /** Set when a call failed: the contender then sits out the remaining rounds. */
  error: Error | null;
}

/** The whole measurement of a layer. */
export interface RoundsResult {
  timings: ContenderTiming[];
  /** Wall ms of the warm-up (after the first calls). */
  warmMs: number;
  /** Timed rounds. */
  rounds: number;
}

/**
 * Runs each measured step inside the caller's guard (the suite catches WebGPU errors there); `step` returns the
 * wall time it measured, so the guard's own work is never timed.
 */
export type Guard = (index: number, step: () => Promise<number>) => Promise<number>;

/** The calls per batch for a call that took `firstMs`. */
export function batchSize(firstMs: number, o: Required<RoundsOptions>): number {
  if (!(firstMs > 0)) return o.batch;
  return Math.max(1, Math.min(o.batch, Math.floor(o.batchMaxMs / firstMs)));
}

/** The order of round `round`: every index once, starting at `round mod n`. */
export function roundOrder(n: number, round: number): number[] {
  return Array.from({ length: n }, (_, i) => (round + i) % n);
}

/** Whether timing stops after `rounds` rounds that took `elapsedMs`. */
export function roundsDone(rounds: number, elapsedMs: number, o: Required<RoundsOptions>): boolean {
  if (rounds >= o.maxRounds) return true;
  if (rounds >= o.minRounds && elapsedMs >= o.minMs) return true;
  return rounds >= o.floorRounds && elapsedMs >= o.maxMs;
}

/** Warms up and times `contenders` in interleaved rounds. */
export async function runRounds(contenders: readonly Contender[], options: RoundsOptions = {}, guard: Guard = (_, step) => step(),
  now: () => number = () => performance.now()): Promise<RoundsResult> {
  const o = { ...DEFAULT_ROUNDS, ...options };
  const timings: ContenderTiming[] = contenders.map(() => ({ latencyMs: [], throughputMs: [], batch: o.batch, firstMs: NaN, error: null }));
  const live = (i: number) => timings[i].error === null;
  const attempt = async (i: number, step: () => Promise<number>): Promise<number | null> => {
    try {
      return await guard(i, step);
    } catch (e) {
      timings[i].error = e instanceof Error ? e : new Error(String(e));
      return null;
    }
  };
  const timed = (run: () => Promise<void>) => async () => {
    const t0 = now();
    await run();
    return now() - t0;
  };

  // First calls (pipelines compiled on first use, caches, uploads), then a second call each: the latency
  // estimate that sizes the batches.
  for (const [i, c] of contenders.entries()) {
    const ms = await attempt(i, timed(() => c.call()));
    if (ms !== null) timings[i].firstMs = ms;
  }
  for (const [i, c] of contenders.entries()) {
    if (!live(i)) continue;
    const ms = await attempt(i, timed(() => c.call()));
    if (ms !== null) timings[i].batch = batchSize(ms, o);
  }

  // Sustained work, so the clocks are up before anything is timed.
  const warmStart = now();
  let warmMs = 0;
  for (let k = 0; warmMs < o.warmMs && contenders.some((_, i) => live(i)); k++) {
    const i = k % contenders.length;
    if (live(i)) await attempt(i, timed(() => contenders[i].batch(timings[i].batch, false)));
    warmMs = now() - warmStart;
  }

  const start = now();
  let rounds = 0;
  while (contenders.some((_, i) => live(i))) {
    for (const i of roundOrder(contenders.length, rounds)) {
      if (!live(i)) continue;
      const c = contenders[i], t = timings[i];
      const latency = await attempt(i, timed(() => c.call()));
      if (latency === null) continue;
      const batch = await attempt(i, timed(() => c.batch(t.batch, true)));
      if (batch === null) continue;
      t.latencyMs.push(latency);
      t.throughputMs.push(batch / t.batch);
    }
    rounds++;
    if (roundsDone(rounds, now() - start, o)) break;
  }
  return { timings, warmMs, rounds };
}
