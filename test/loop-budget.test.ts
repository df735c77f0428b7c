// One invocation's loop budget (src/gpu/plan/loop-budget.ts): Mesa's llvmpipe stops an invocation's loops after
// 65535 iterations in all, silently. The tap counts the plans use bound what the shaders walk; every family's
// rule stays within the budget or is refused (gather and zero-insert, which cannot split K), and `auto` always
// has a choice. The GPU side (each path on such a layer, against the reference, in every runtime) is the family
// checks' case 'past the loop budget' (test/browser/family-checks.ts). No GPU here.
import { describe, expect, it } from 'vitest';
import { problem3d, resolveConvTranspose, type Problem3d } from '../src/index';
import { makeContext, type DeviceLimits } from '../src/gpu/plan/context';
import { chunkedPlan, fitsDevice } from '../src/gpu/plan/chunked';
import { rankCandidates } from '../src/gpu/plan/rank';
import { familyOf, GPU_PATHS } from '../src/gpu/kernels/registry';
import { MAX_LOOP_ITERATIONS, tapsPerInvocation } from '../src/gpu/plan/loop-budget';
import { rng } from './support/random';

const LIMITS: DeviceLimits = {
  maxWorkgroupsPerDimension: 65535, maxBindingBytes: 2 ** 30, maxBufferBytes: 2 ** 30, storageOffsetAlignment: 256,
  maxWorkgroupStorageBytes: 16384, maxInvocationsPerWorkgroup: 256, maxWorkgroupSizeX: 256,
};

/**
 * Brute force: along axis a, the most taps any block of `lanes` consecutive outputs of one stride phase visits,
 * a tap counting when it brings an input to some output of the block (what wgsl/taps.wgsl's tapRange walks).
 */
function bruteTaps(p: Problem3d, a: number, lanes: number): number {
  let most = 0;
  for (let r = 0; r < Math.min(p.s[a], p.outS[a]); r++) {
    for (let o0 = r; o0 < p.outS[a]; o0 += p.s[a]) {
      let taps = 0;
      for (let k = 0; k < p.k[a]; k++) {
        const reaches = Array.from({ length: lanes }, (_, c) => o0 + c * p.s[a] + p.pb[a] - k * p.d[a])
          .some((t) => t % p.s[a] === 0 && t >= 0 && t / p.s[a] < p.inS[a]);
        if (reaches) taps++;
      }
      most = Math.max(most, taps);
    }
  }
  return most;
}

const ctxOf = (inputShape: number[], weightShape: number[], attrs: object, adapter: 'cpu' | 'gpu') =>
  makeContext(resolveConvTranspose(inputShape, weightShape, null, attrs), { limits: LIMITS, adapter });

describe('loop budget', () => {
  it('tapsPerInvocation bounds the taps the shaders walk, and is reached on 1-D problems with one lane', () => {
    const random = rng(11);
    const int = (n: number) => 1 + Math.floor(random() * n);
    for (let i = 0; i < 300; i++) {
      const k = int(9), s = int(5), d = int(3), inS = int(12);
      const padding = Math.floor(random() * d * k);
      const r = resolveConvTranspose([1, 1, inS], [1, 1, k], null, { stride: s, dilation: d, padding: Math.min(padding, Math.floor(((inS - 1) * s + d * (k - 1)) / 2)) });
      const p = problem3d(r);
      for (const lanes of [1, 4, 8]) {
        const brute = bruteTaps(p, 2, lanes);
        const bound = tapsPerInvocation(p, lanes)[2];
        expect(bound, `k ${k} s ${s} d ${d} in ${inS} lanes ${lanes}`).toBeGreaterThanOrEqual(brute);
        if (lanes === 1 && p.outS[2] >= s * k) expect(bound, `k ${k} s ${s} d ${d} in ${inS}`).toBe(brute);
      }
    }
  });

  // Deep layers (the first two as lavapipe got them wrong before the budget), and ordinary ones.
  const problems: [string, number[], number[], object][] = [
    ['16384 channels, 2x2 taps', [1, 16384, 2, 2], [16384, 4, 2, 2], { stride: 1 }],
    ['8192 channels, 3x3 at stride 1', [1, 8192, 4, 4], [8192, 4, 3, 3], { stride: 1, padding: 1 }],
    ['1-D, 40000 channels, k 4 s 2', [1, 40000, 8], [40000, 2, 4], { stride: 2, padding: 1 }],
    ['one output channel, 70000 channels', [1, 70000, 3, 3], [70000, 1, 1, 1], {}],
    ['dcgan-g2', [1, 512, 8, 8], [512, 256, 4, 4], { stride: 2, padding: 1 }],
    ['depthwise', [1, 32, 40, 40], [32, 1, 4, 4], { stride: 2, padding: 1, groups: 32 }],
  ];
  for (const [name, x, w, attrs] of problems) {
    for (const adapter of ['cpu', 'gpu'] as const) {
      it(`${name} (${adapter}): every rule within the budget or refused naming it; auto has a choice`, () => {
        const ctx = ctxOf(x, w, attrs, adapter);
        for (const path of GPU_PATHS) {
          let stages;
          try {
            stages = chunkedPlan(ctx, { path }).flatMap((c) => c.plan.stages);
          } catch (e) {
            expect(e, path).toBeInstanceOf(RangeError);
            expect((e as Error).message, path).toMatch(new RegExp(`^${path}: .*loop iterations.*${MAX_LOOP_ITERATIONS}`));
            expect(['gather', 'zero-insert'], `${path} refused: ${(e as Error).message}`).toContain(path);
            continue;
          }
          for (const s of stages) expect(s.loops, `${path} ${s.kernel.name}`).toBeLessThanOrEqual(MAX_LOOP_ITERATIONS);
        }
        const fitting = rankCandidates(ctx, true).filter((c) => fitsDevice(ctx, c));
        expect(fitting.length).toBeGreaterThan(0);
      });
    }
  }

  it('the phase rule splits the input channels of a deep layer on a CPU adapter too; gather refuses it', () => {
    const ctx = ctxOf([1, 16384, 2, 2], [16384, 4, 2, 2], { stride: 1 }, 'cpu');
    expect(familyOf('phase').configFor(ctx)).toMatchObject({ kernel: 'gemm', ksplit: 2 });
    expect(() => chunkedPlan(ctx, { path: 'gather' })).toThrow(/^gather: .*65639 loop iterations in one invocation.*65535/);
    // 16358 channels fit exactly: 4 taps · (16358 + 1) + the D and H tap loops (3) + the tap setup (96) is 65535.
    const fits = ctxOf([1, 16358, 2, 2], [16358, 4, 2, 2], { stride: 1 }, 'cpu');
    expect(fitsDevice(fits, { path: 'gather' })).toBe(true);
    const over = ctxOf([1, 16359, 2, 2], [16359, 4, 2, 2], { stride: 1 }, 'cpu');
    expect(fitsDevice(over, { path: 'gather' })).toBe(false);
    expect(fitsDevice(fits, { path: 'gather' })).toBe(true);
  });
});
