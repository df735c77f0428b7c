/**
 * The one timing method every implementation goes through: inputs already on the GPU, warm-up runs, then
 * repeated runs, each waited for until the GPU is done, until both a minimum count and a minimum time are
 * reached (or a cap, so slow layers on a software adapter do not take minutes each).
 */

/** How long to measure. */
export interface TimingOptions {
  /** Untimed runs first: pipeline creation, first uploads, caches. Default 2. */
  warmupRuns?: number;
  /** Warm-up stops early once it took this long (after at least one run): a slow layer needs no second one. Default 500. */
  warmupMs?: number;
  /** Timed runs at least. Default 10. */
  minRuns?: number;
  /** Timed milliseconds at least. Default 1000. */
  minMs?: number;
  /** Stop after this many timed runs even if minMs is not reached. Default 200. */
  maxRuns?: number;
  /** Stop once this much time went by, provided `floorRuns` are done, even if minRuns is not reached. Default 4000. */
  maxMs?: number;
  /** Runs that are always timed, even past maxMs. Default 3. */
  floorRuns?: number;
}

export const DEFAULT_TIMING: Required<TimingOptions> = {
  warmupRuns: 2, warmupMs: 500, minRuns: 10, minMs: 1000, maxRuns: 200, maxMs: 4000, floorRuns: 3,
};

/** Wall-clock samples of the timed runs. */
export interface Timing {
  samplesMs: number[];
  medianMs: number;
  minMs: number;
}

/**
 * Times `run`. `run(slot)` must do one complete execution and resolve only when the GPU has finished it;
 * `slot` is the index of the timed run (null during warm-up) so callers can tag GPU timestamps.
 */
export async function timeRuns(run: (slot: number | null) => Promise<void>, options: TimingOptions = {}): Promise<Timing> {
  const o = { ...DEFAULT_TIMING, ...options };
  const warmStart = performance.now();
  for (let i = 0; i < o.warmupRuns; i++) {
    await run(null);
    if (performance.now() - warmStart >= o.warmupMs) break;
  }
  const samplesMs: number[] = [];
  const start = performance.now();
  for (;;) {
    const t0 = performance.now();
    await run(samplesMs.length);
    samplesMs.push(performance.now() - t0);
    const elapsed = performance.now() - start;
    const n = samplesMs.length;
    if (n >= o.maxRuns) break;
    if (n >= o.minRuns && elapsed >= o.minMs) break;
    if (n >= o.floorRuns && elapsed >= o.maxMs) break;
  }
  return { samplesMs, medianMs: median(samplesMs), minMs: Math.min(...samplesMs) };
}

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
