// The bookkeeping of the bench's layer timing (bench/rounds.ts) on fake implementations with a fake clock, the
// layers file and its refN tiling (bench/problem.ts, scripts/bench-args.mjs), and the copy ceiling's sizing.
// No GPU here and no speed asserted: only what is run, in which order, and what is recorded.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchSize, DEFAULT_ROUNDS, roundOrder, roundsDone, runRounds, type Contender } from '../bench/rounds';
import { halfReferenceOf, problemOf, referenceOf, type LayerSpec } from '../bench/problem';
import { sizeCopy } from '../bench/ceiling';
import { parseBenchArgs, parseRounds, readLayersFile, shownCommand } from '../scripts/bench-args.mjs';
import { resolveConvTranspose, roundToHalf, scatterReference } from '../src/index';

/** Fake implementations on a fake clock: each call costs `ms[i]`, a batch of n costs n·ms[i]·`batchFactor`. */
function fakes(ms: number[], batchFactor = 0.5) {
  let clock = 0;
  const log: string[] = [];
  const contenders: Contender[] = ms.map((cost, i) => ({
    async call() { clock += cost; log.push(`call ${i}`); },
    async batch(n, timed) { clock += n * cost * batchFactor; log.push(`${timed ? 'batch' : 'warm'} ${i} ×${n}`); },
  }));
  return { contenders, log, now: () => clock };
}

describe('rounds', () => {
  it('first calls, then at least warmMs of batches, then rounds: every implementation once per round, the start rotating', async () => {
    const f = fakes([1, 2, 3]);
    const r = await runRounds(f.contenders, { warmMs: 200, minRounds: 4, minMs: 0, maxRounds: 4, batch: 20, batchMaxMs: 1000 }, undefined, f.now);
    // Two untimed calls each (the second sizes the batch).
    expect(f.log.slice(0, 6)).toEqual(['call 0', 'call 1', 'call 2', 'call 0', 'call 1', 'call 2']);
    const warm = f.log.filter((l) => l.startsWith('warm'));
    expect(warm.slice(0, 3)).toEqual(['warm 0 ×20', 'warm 1 ×20', 'warm 2 ×20']);
    expect(r.warmMs).toBeGreaterThanOrEqual(200);
    // Nothing timed before the warm-up is over.
    const firstTimed = f.log.findIndex((l) => l.startsWith('batch'));
    expect(f.log.slice(firstTimed).some((l) => l.startsWith('warm'))).toBe(false);
    // Rounds: a call then a batch per implementation; round r starts at r mod 3.
    const timed = f.log.slice(firstTimed - 1);
    const starts = timed.filter((_, k) => k % 6 === 0);
    expect(starts).toEqual(['call 0', 'call 1', 'call 2', 'call 0']);
    expect(r.rounds).toBe(4);
    for (const [i, t] of r.timings.entries()) {
      expect(t.latencyMs).toEqual([i + 1, i + 1, i + 1, i + 1]);
      expect(t.throughputMs).toEqual([(i + 1) / 2, (i + 1) / 2, (i + 1) / 2, (i + 1) / 2]); // batch wall / K
      expect(t.batch).toBe(20);
      expect(t.firstMs).toBe(i + 1);
      expect(t.error).toBeNull();
    }
  });

  it('sizes each batch from the second call: K, fewer (down to 1) where K calls would take over batchMaxMs', () => {
    const o = { ...DEFAULT_ROUNDS, batch: 20, batchMaxMs: 500 };
    expect(batchSize(0.05, o)).toBe(20);
    expect(batchSize(25, o)).toBe(20);
    expect(batchSize(26, o)).toBe(19);
    expect(batchSize(100, o)).toBe(5);
    expect(batchSize(4000, o)).toBe(1);
    expect(batchSize(NaN, o)).toBe(20);
  });

  it('a slow implementation gets a smaller batch; its throughput is still per call', async () => {
    const f = fakes([1, 100], 1);
    const r = await runRounds(f.contenders, { warmMs: 0, minRounds: 2, minMs: 0, maxRounds: 2, batch: 20, batchMaxMs: 500 }, undefined, f.now);
    expect(r.timings.map((t) => t.batch)).toEqual([20, 5]);
    expect(r.timings[1].throughputMs).toEqual([100, 100]);
    expect(f.log).toContain('batch 1 ×5');
  });

  it('stops at minRounds once minMs is reached, at maxRounds, or past maxMs once floorRounds are done', () => {
    const o = { ...DEFAULT_ROUNDS, minRounds: 10, minMs: 1000, maxRounds: 50, maxMs: 6000, floorRounds: 3 };
    expect(roundsDone(9, 5000, o)).toBe(false);
    expect(roundsDone(10, 999, o)).toBe(false);
    expect(roundsDone(10, 1000, o)).toBe(true);
    expect(roundsDone(50, 0, o)).toBe(true);
    expect(roundsDone(2, 60_000, o)).toBe(false);
    expect(roundsDone(3, 6000, o)).toBe(true);
    expect(roundOrder(4, 5)).toEqual([1, 2, 3, 0]);
  });

  it('a failing implementation sits out the remaining rounds with its error; the others go on; the guard wraps every step', async () => {
    const f = fakes([1, 1, 1]);
    let calls = 0;
    f.contenders[1].call = async () => { if (++calls === 3) throw new Error('device said no'); };
    const guarded: number[] = [];
    const r = await runRounds(f.contenders, { warmMs: 0, minRounds: 3, minMs: 0, maxRounds: 3 }, (i, step) => { guarded.push(i); return step(); }, f.now);
    expect(r.timings[1].error?.message).toBe('device said no');
    expect(r.timings[1].latencyMs).toEqual([]);
    expect(r.timings[0].latencyMs).toHaveLength(3);
    expect(r.timings[2].latencyMs).toHaveLength(3);
    expect(guarded.filter((i) => i === 0)).toHaveLength(2 + 2 * 3);
    expect(guarded.filter((i) => i === 1)).toHaveLength(3);
  });
});

const spec = (over: Partial<LayerSpec> = {}): LayerSpec => ({
  name: 'refn-test', N: 6, Cin: 3, Cout: 4, H: 5, W: 4, k: [3, 2], s: [2, 1], p: [1, 0], op: [1, 0], d: [1, 1], g: 1, ...over,
});

describe('refN tiling', () => {
  it('the input is random for refN items and repeated up to N; the reference of refN items, repeated, is the reference of the whole batch', () => {
    const p = problemOf(spec({ refN: 2 }));
    const item = 3 * 5 * 4;
    expect(p.refN).toBe(2);
    expect(p.x.length).toBe(6 * item);
    expect(p.x.subarray(2 * item, 4 * item)).toEqual(p.x.subarray(0, 2 * item));
    expect(p.x.subarray(0, item)).not.toEqual(p.x.subarray(item, 2 * item));
    const full = scatterReference(resolveConvTranspose(p.inputShape, p.weightShape, null, { stride: [2, 1], padding: [1, 0], outputPadding: [1, 0], dilation: [1, 1], groups: 1 }), p.x, p.w, null);
    expect(referenceOf(p)).toEqual(full);
    const half = scatterReference(p.resolved, Float64Array.from(p.x, roundToHalf), p.w, null);
    expect(halfReferenceOf(p)).toEqual(half);
  });

  it('without refN (or refN = N) the data is what it always was: the same seeded draw over the whole batch', () => {
    const a = problemOf(spec()), b = problemOf(spec({ refN: 6 }));
    expect(a.refN).toBe(6);
    expect(b.x).toEqual(a.x);
    // refN items are the first items of the untiled draw.
    expect(problemOf(spec({ refN: 3 })).x.subarray(0, 3 * 60)).toEqual(a.x.subarray(0, 3 * 60));
  });

  it('refN must divide N', () => {
    expect(() => problemOf(spec({ refN: 4 }))).toThrow(/refn-test: refN: expected a positive integer that divides N = 6, got 4/);
    expect(() => problemOf(spec({ refN: 0 }))).toThrow(/refN/);
  });
});

describe('--layers-file and --rounds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-layers-'));
  const file = (name: string, json: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
    return path;
  };
  const layer = { name: 'a', N: 4, Cin: 2, Cout: 2, H: 3, W: 3, k: [2, 2], s: [2, 2], p: [0, 0], op: [0, 0], d: [1, 1], g: 1, refN: 1 };

  it('reads the layers, refN included', () => {
    expect(readLayersFile(file('ok.json', { layers: [layer] }))).toEqual([layer]);
  });
  it('names the file, the layer and the field that is wrong', () => {
    expect(() => readLayersFile(file('bad.json', '{'))).toThrow(/--layers-file .*bad\.json: /);
    expect(() => readLayersFile(file('empty.json', { layers: [] }))).toThrow(/at least one layer/);
    expect(() => readLayersFile(file('k.json', { layers: [{ ...layer, k: [2] }] }))).toThrow(/layers\[0\] \(a\): k: expected two integers/);
    expect(() => readLayersFile(file('n.json', { layers: [{ ...layer, Cin: 0 }] }))).toThrow(/layers\[0\] \(a\): Cin: expected a positive integer, got 0/);
    expect(() => readLayersFile(file('r.json', { layers: [{ ...layer, refN: 3 }] }))).toThrow(/refN: expected a positive integer that divides N = 4, got 3/);
    expect(() => readLayersFile(file('d.json', { layers: [layer, layer] }))).toThrow(/name: a appears twice/);
  });
  it('--rounds takes known keys with numbers', () => {
    expect(parseRounds('minRounds=3, batch=20,warmMs=250')).toEqual({ minRounds: 3, batch: 20, warmMs: 250 });
    expect(parseRounds(undefined)).toEqual({});
    expect(() => parseRounds('rounds=3')).toThrow(/unknown key rounds/);
    expect(() => parseRounds('batch=0')).toThrow(/batch: expected a positive integer/);
    expect(() => parseRounds('minMs=x')).toThrow(/minMs: expected a number/);
  });
  it('--browser takes chromium or firefox, and not with --node', () => {
    expect(parseBenchArgs(['--browser', 'firefox']).browser).toBe('firefox');
    expect(() => parseBenchArgs(['--browser', 'safari'])).toThrow('--browser: chromium or firefox, got safari');
    expect(() => parseBenchArgs(['--browser', 'firefox', '--node'])).toThrow(/--browser cannot go with --node/);
  });

  it('the command a report names leaves out --json and its file, in both spellings', () => {
    expect(shownCommand('npm run bench --', ['--json', '/tmp/x.json', '--markdown', 'bench/RESULTS.md', '--layers', 'a']))
      .toBe('npm run bench -- --markdown bench/RESULTS.md --layers a');
    expect(shownCommand('npm run bench -- --node', ['--json=/tmp/x.json', '--impls', 'auto'])).toBe('npm run bench -- --node --impls auto');
  });
});

describe('copy ceiling sizing', () => {
  it('doubles the buffer until one copy takes targetMs', async () => {
    const tried: number[] = [];
    const bytes = await sizeCopy(32, 1 << 20, 50, async (b) => { tried.push(b); return b / 16; });
    expect(tried).toEqual([32, 64, 128, 256, 512, 1024]);
    expect(bytes).toBe(1024);
  });
  it('stops at the binding limit, the last step clamped to it', async () => {
    const tried: number[] = [];
    expect(await sizeCopy(32, 100, 1e9, async (b) => { tried.push(b); return 0; })).toBe(100);
    expect(tried).toEqual([32, 64]);
    expect(await sizeCopy(256, 100, 1, async () => 0)).toBe(100);
  });
});
