// What auto times on a CPU adapter after the pixels kernel (phase_pixels.wgsl): layers with fewer than 4 output
// channels per group get phase's pixels kernel as the rule with the channel-blocked GEMM beside it (the cost
// model's guess is checked by timing), depthwise-like ones the pixels kernel alone where its window applies;
// every other layer is offered exactly the paths' rules, as before.
// Shapes are the public suite's and random ones; no GPU here.
import { describe, expect, it } from 'vitest';
import { resolveConvTranspose } from '../src/index';
import { makeContext, type DeviceLimits } from '../src/gpu/plan/context';
import { rankCandidates } from '../src/gpu/plan/rank';
import { familyOf, GPU_PATHS } from '../src/gpu/kernels/registry';
import layersJson from '../bench/layers.json';

const LIMITS: DeviceLimits = {
  maxWorkgroupsPerDimension: 65535, maxBindingBytes: 2 ** 30, maxBufferBytes: 2 ** 30, storageOffsetAlignment: 256,
  maxWorkgroupStorageBytes: 16384, maxInvocationsPerWorkgroup: 256, maxWorkgroupSizeX: 256,
};

type L = (typeof layersJson.layers)[number];
const ctxOf = (l: Pick<L, 'N' | 'Cin' | 'Cout' | 'H' | 'W' | 'k' | 's' | 'p' | 'op' | 'd' | 'g'>, adapter: 'cpu' | 'gpu' = 'cpu') => makeContext(
  resolveConvTranspose([l.N, l.Cin, l.H, l.W], [l.Cin, l.Cout / l.g, ...l.k], null, { stride: l.s, padding: l.p, outputPadding: l.op, dilation: l.d, groups: l.g }),
  { limits: LIMITS, adapter },
);

describe('the pixels kernel in auto on a CPU adapter', () => {
  it('one output channel (fsrcnn-x3): the pixels rule, the GEMM beside it, the pixels kernel ranked first', () => {
    const ctx = ctxOf(layersJson.layers.find((l) => l.name === 'fsrcnn-x3')!);
    expect(familyOf('phase').configFor(ctx)).toEqual({ kernel: 'pixels', pv: 4 });
    const ranked = rankCandidates(ctx, true).filter((c) => c.path === 'phase');
    expect(ranked.map((c) => c.config ?? 'rule')).toEqual(['rule', expect.objectContaining({ kernel: 'gemm' })]);
  });
  it('a GPU plan keeps the channel-blocked GEMM', () => {
    const ctx = ctxOf(layersJson.layers.find((l) => l.name === 'fsrcnn-x3')!, 'gpu');
    expect(familyOf('phase').configFor(ctx)).toMatchObject({ kernel: 'gemm' });
  });
  it('depthwise (depthwise-up): the pixels rule alone on a CPU where its window applies, else the narrow kernel; the narrow kernel on a GPU', () => {
    const l = layersJson.layers.find((l) => l.name === 'depthwise-up')!;
    const ctx = ctxOf(l);
    expect(familyOf('phase').configFor(ctx)).toEqual({ kernel: 'pixels', pv: 4 });
    expect(familyOf('phase').candidates(ctx)).toEqual([{ kernel: 'pixels', pv: 4 }]);
    expect(familyOf('phase').configFor({ ...ctx, finiteWeights: false })).toEqual({ kernel: 'narrow' });
    // The window needs W taps one input column apart: d/gcd(s, d) = 1 (s 4, d 2), not d 3 at s 2.
    expect(familyOf('phase').configFor(ctxOf({ ...l, s: [2, 4], d: [1, 2] }))).toMatchObject({ kernel: 'pixels' });
    expect(familyOf('phase').configFor(ctxOf({ ...l, d: [1, 3] }))).toEqual({ kernel: 'narrow' });
    expect(familyOf('phase').configFor(ctxOf(l, 'gpu'))).toEqual({ kernel: 'narrow' });
  });
  it('4 or more output channels per group (not depthwise): only the rules, as before', () => {
    let seed = 7;
    const rnd = (n: number) => 1 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const random = Array.from({ length: 40 }, () => {
      const k = rnd(6), s = rnd(4);
      return { N: 1, Cin: rnd(64), Cout: 4 + rnd(60), H: rnd(12), W: rnd(40), k: [1, k], s: [1, s], p: [0, Math.floor((k - 1) / 2)], op: [0, 0], d: [1, 1], g: 1 };
    });
    for (const l of [...layersJson.layers.filter((l) => l.Cout / l.g >= 4 && l.Cin / l.g > 4), ...random]) {
      const ctx = ctxOf(l);
      const all = rankCandidates(ctx, true), rules = rankCandidates(ctx, false);
      expect(all, JSON.stringify(l)).toEqual(rules);
      expect(all.map((c) => c.path).sort()).toEqual(GPU_PATHS.filter((p) => !familyOf(p).unsupported?.(ctx)).sort());
    }
  });
});
