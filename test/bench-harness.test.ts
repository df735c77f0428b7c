// Pure parts of the benchmark harness: the timing loop's stop rules, the error measure and the per-layer
// comparison. (Speeds are never asserted; these only check the bookkeeping.)
import { describe, expect, it } from 'vitest';
import { timeRuns, median } from '../bench/timing';
import { compareToReference } from '../bench/problem';
import { HALF_TOLERANCE, summarize, toleranceOf, TOLERANCE, type BenchResult } from '../bench/report';
import { randomFloats, seedOf } from '../bench/random';

describe('timeRuns', () => {
  it('does the warm-up untimed, then at least minRuns and minMs', async () => {
    const slots: (number | null)[] = [];
    const t = await timeRuns(async (slot) => { slots.push(slot); }, { warmupRuns: 2, minRuns: 5, minMs: 20, maxRuns: 10_000, maxMs: 1000 });
    expect(slots.slice(0, 2)).toEqual([null, null]);
    expect(slots.slice(2)).toEqual(t.samplesMs.map((_, i) => i));
    expect(t.samplesMs.length).toBeGreaterThanOrEqual(5);
    expect(t.samplesMs.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
  it('stops at maxMs once floorRuns are done, even below minRuns', async () => {
    const t = await timeRuns(() => new Promise((r) => setTimeout(r, 30)), { warmupRuns: 0, minRuns: 100, minMs: 0, maxRuns: 1000, maxMs: 50, floorRuns: 3 });
    expect(t.samplesMs.length).toBe(3);
    expect(t.minMs).toBeLessThanOrEqual(t.medianMs);
  });
  it('cuts the warm-up short once it took warmupMs', async () => {
    const slots: (number | null)[] = [];
    await timeRuns(async (slot) => { slots.push(slot); await new Promise((r) => setTimeout(r, 30)); },
      { warmupRuns: 5, warmupMs: 20, minRuns: 3, minMs: 0, maxRuns: 100, maxMs: 10_000 });
    expect(slots).toEqual([null, 0, 1, 2]);
  });
  it('stops at maxRuns', async () => {
    const t = await timeRuns(async () => {}, { warmupRuns: 0, minRuns: 1, minMs: 60_000, maxRuns: 7, maxMs: 60_000 });
    expect(t.samplesMs.length).toBe(7);
  });
  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('compareToReference', () => {
  it('reports the largest absolute error and divides by max |ref|', () => {
    const ref = Float64Array.from([1, -4, 2]);
    expect(compareToReference([1, -4.5, 2.1], ref)).toEqual({ maxAbsErr: 0.5, relErr: 0.125 });
  });
  it('does not let NaN pass as zero error', () => {
    expect(compareToReference([NaN, 0], Float64Array.from([0, 0])).maxAbsErr).toBe(Infinity);
  });
  it('rejects a wrong length', () => {
    expect(() => compareToReference([1], Float64Array.from([1, 2]))).toThrow(RangeError);
  });
});

describe('summarize', () => {
  const row = (impl: BenchResult['impl'], ms: number | null, relErr: number | null): BenchResult => ({
    layer: 'L', impl, latencyMs: ms, latencyMinMs: ms, throughputMs: ms === null ? null : ms / 2, batch: 20, gpuMs: null, gflops: null, maxAbsErr: relErr, relErr, pctFma: null,
    gbps: null, pctCopy: null, runs: 10, note: '', setupMs: null,
  });
  it('compares our best path with the best peer', () => {
    const s = summarize('L', [row('gather', 4, 1e-7), row('zero-insert', 2, 1e-7), row('tfjs-webgpu', 8, 1e-7), row('ort-webgpu', null, null)]);
    expect(s.bestOurs).toEqual({ impl: 'zero-insert', ms: 2 });
    expect(s.bestPeer).toEqual({ impl: 'tfjs-webgpu', ms: 8 });
    expect(s.speedup).toBe(4);
  });
  it('compares what auto picks (the default) with the best peer when there is an auto row', () => {
    const autoRow = { ...row('auto', 3, 1e-7), note: 'auto → gather' };
    const s = summarize('L', [row('gather', 3, 1e-7), row('zero-insert', 2, 1e-7), autoRow, row('tfjs-webgpu', 9, 1e-7)]);
    expect(s.auto).toEqual({ ms: 3, chose: 'gather' });
    expect(s.bestOurs).toEqual({ impl: 'zero-insert', ms: 2 });
    expect(s.speedup).toBe(3);
  });
  it('float16 rows: their own tolerance, the speed-up over auto, never "best of ours"', () => {
    const autoRow = { ...row('auto', 4, 1e-7), note: 'auto → phase' };
    const s = summarize('L', [autoRow, row('auto/f16', 2, 5e-4), row('gather', 6, 1e-7), row('tfjs-webgpu', 8, 1e-7)]);
    expect(toleranceOf('auto/f16')).toBe(HALF_TOLERANCE);
    expect(toleranceOf('auto')).toBe(TOLERANCE);
    expect(HALF_TOLERANCE).toBe(1e-4 + 2 ** -11 * (1 + 1e-4));
    expect(s.halfSpeedup).toBe(2);
    expect(s.bestOurs).toEqual({ impl: 'auto', ms: 4 });
    expect(s.bestPeer?.impl).toBe('tfjs-webgpu');
    expect(summarize('L', [autoRow, row('auto/f16', 2, HALF_TOLERANCE * 2)]).halfSpeedup).toBeNull(); // a wrong answer has no speed-up
  });
  it('does not let a wrong answer win', () => {
    const s = summarize('L', [row('gather', 4, 1e-7), row('zero-insert', 1, TOLERANCE * 10), row('ort-webgpu', 2, 1e-7)]);
    expect(s.bestOurs?.impl).toBe('gather');
    expect(s.speedup).toBe(0.5);
  });
});

describe('random', () => {
  it('is deterministic per seed and within [-scale, scale)', () => {
    const a = randomFloats(1000, seedOf('dcgan-g2'), 0.5);
    expect(a).toEqual(randomFloats(1000, seedOf('dcgan-g2'), 0.5));
    expect(a).not.toEqual(randomFloats(1000, seedOf('unet-up'), 0.5));
    expect(Math.max(...a)).toBeLessThan(0.5);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-0.5);
  });
});
