/**
 * GPU paths in headless Chromium (WebGPU on Dawn; SwiftShader where there is no GPU) and Firefox (wgpu; lavapipe),
 * one vitest project each, each compared with the float64 CPU reference on every case: worked examples, every
 * conformance fixture, and a seeded random sweep.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectChecksPass } from './support/checks';
import { PATH_OPTIONS } from '../src/gpu/kernels/registry';
import type { CaseSpec, PathResult } from './browser/harness';
import { describeMismatch } from './support/compare';
import { isErrorCase, onnxAttrs, skipReason, type CaseJson } from './support/conformance';
import { randomCases } from './support/random';
import { isHalfVariant, VARIANT_NAMES } from './support/variants';
import { CASE_VARIANTS, caseQueue, FIREFOX_CI, openHarness, type HarnessPage } from './support/session';

let h: HarnessPage;
/**
 * The conformance fixtures' numeric cases and the random sweep, in the order their tests run: they run in the
 * page a few at a time (support/session.ts: caseQueue), each test checking its own case's results.
 */
const queued = caseQueue(() => h);
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await queued.drain(); await h?.close(); });

/** A queue of the cases of one describe block, drained when the block ends. */
function blockQueue() {
  const q = caseQueue(() => h);
  afterAll(() => q.drain());
  return q;
}

/** Fails with case, path, first bad index, got and expected. */
function check(name: string, results: PathResult[], againstExpected = false, variants: readonly string[] = CASE_VARIANTS) {
  expect(results.map((r) => r.path)).toEqual([...variants]);
  for (const r of results) {
    if (r.error) expect.fail(`${name} [${r.path}]: threw ${r.error}`);
    if (!r.shapeOk) expect.fail(`${name} [${r.path}]: output shape [${r.shape}] is wrong`);
    if (!r.reference!.ok) expect.fail(`vs CPU reference: ${describeMismatch(name, r.path, r.reference!)}`);
    // float16 variants run on rounded data, so they are held to the reference of that data, not to expected values.
    if (againstExpected && !isHalfVariant(r.path) && !r.expected!.ok) expect.fail(`vs expected: ${describeMismatch(name, r.path, r.expected!)}`);
  }
}

describe('worked examples', () => {
  const q = blockQueue();
  const worked2: CaseSpec = {
    name: 'worked 2x2', inputShape: [1, 1, 2, 2], weightShape: [1, 1, 3, 3], attrs: { stride: 1, padding: 0 },
    input: [2, 3, 1, 3], weight: [0, 1, 1, 0, 1, 0, 1, 0, 1],
    expected: { shape: [1, 1, 4, 4], data: [0, 2, 5, 3, 0, 3, 7, 3, 2, 4, 5, 3, 1, 3, 1, 3] },
  };
  const worked2Results = q.add(worked2);
  const worked5: CaseSpec = {
    name: 'worked 5x5', inputShape: [1, 1, 5, 5], weightShape: [1, 1, 3, 3], attrs: { stride: 2, padding: 1 },
    input: Array.from({ length: 25 }, (_, i) => i + 1), weight: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  };
  const worked5Results = q.add(worked5);
  it('2x2 input, 3x3 kernel, stride 1', async () => {
    check(worked2.name, await worked2Results(), true);
  });
  it('5x5 input 1..25, 3x3 kernel, stride 2, padding 1', async () => {
    const results = await worked5Results();
    check(worked5.name, results);
    expect(results[0].shape).toEqual([1, 1, 9, 9]);
  });
});

describe('on a device with only the WebGPU spec\'s default limits (no requested limits or features)', () => {
  // Implementations offer different adapter limits (Dawn, wgpu); every path must plan within the defaults. The
  // float32 channels-first variants: the layouts and float16 change indexing and packing, not the plan's limits.
  const variants = CASE_VARIANTS.filter((v) => !v.includes('/'));
  const q = blockQueue();
  it.each(([
    ['worked 5x5, stride 2', [1, 1, 5, 5], [1, 1, 3, 3], { stride: 2, padding: 1 }],
    ['deep: split-K and groups', [1, 96, 3, 3], [96, 4, 3, 3], { stride: [2, 1], padding: 1, groups: 2, outputPadding: [1, 0] }],
    ['wide: many output channels', [1, 4, 4, 4], [4, 40, 4, 4], { stride: 2, padding: 1 }],
    ['3-D with dilation', [1, 2, 3, 4, 3], [2, 3, 3, 2, 3], { stride: [2, 1, 2], dilation: [1, 2, 1], padding: 1 }],
  ] as const).map(([name, inputShape, weightShape, attrs]) => [name, q.add({
    name, inputShape: [...inputShape], weightShape: [...weightShape], attrs, seed: 5, withBias: true, defaultLimits: true, variants,
  })] as const))('%s: every path', async (name, results) => {
    check(name, await results(), false, variants);
  }, 300_000);
});

describe('public API', () => {
  // The cases after the API and family checks, which count the device's buffers: the queue starts after them.
  const q = blockQueue();
  it('prepared form, buffer checks, destroy, leaks, limits, empty batch', async () => {
    const results = await h.apiChecks();
    expectChecksPass(results, 21);
  });

  it('every family: its rules, its GPU candidates and its examples at the kernels\' edges, and each example channels-last, in float16, with an activation and with an infinite weight', async () => {
    expectChecksPass(await h.familyChecks(), 100);
  }, 600_000);

  const wide = q.add({ name: 'wide', inputShape: [2, 6, 3, 5], weightShape: [6, 13, 3, 3], attrs: { stride: [2, 1], padding: 1, groups: 2 }, seed: 3, withBias: true });
  it('splits many output channels across invocations (13 per group: 8 + a partial block of 5)', async () => {
    check('wide', await wide());
  });

  it.each(([
    // [name, inputShape, weightShape, attrs]: deep layers whose GPU plan splits the input channels (split-K).
    ['split-K, channels divide evenly', [1, 128, 4, 4], [128, 16, 4, 4], { stride: 2, padding: 1 }],
    ['split-K, a short last chunk and groups', [2, 200, 3, 5], [200, 6, 3, 3], { stride: [2, 1], padding: 1, groups: 2, outputPadding: [1, 0] }],
    ['split-K, 1-D with dilation', [1, 96, 7], [96, 5, 3], { stride: 3, dilation: 2 }],
  ] as const).map(([name, inputShape, weightShape, attrs]) => {
    const spec: CaseSpec = { name, inputShape: [...inputShape], weightShape: [...weightShape], attrs, seed: 17, withBias: true };
    return [name, spec, q.add(spec)] as const;
  }))('%s', async (name, spec, results) => {
    check(name, await results());
    expect(await h.planOf(spec, 'phase', 'gpu')).toMatch(/"shader":"reduce"/);
  });

  it.each(([
    ['unbatched 1-D (C, L)', [3, 9], [3, 2, 4], { stride: 2, padding: 1 }],
    ['unbatched 2-D (C, H, W)', [4, 5, 6], [4, 3, 3, 3], { stride: [2, 3], padding: 1, outputPadding: [1, 0] }],
    ['unbatched 3-D (C, D, H, W)', [2, 3, 4, 3], [2, 2, 2, 3, 2], { stride: 2 }],
  ] as const).map(([name, inputShape, weightShape, attrs]) => [name, inputShape.length, q.add({
    name, inputShape: [...inputShape], weightShape: [...weightShape], attrs, seed: 29, withBias: true,
  })] as const))('%s: every path, output unbatched too', async (name, rank, results) => {
    const r = await results();
    check(name, r);
    expect(r[0].shape!.length).toBe(rank);
  });

  const largeGrid = (() => {
    // 600000 x 8 outputs: the gather path dispatches one invocation per output here (stride 8 = kernel 8 along W).
    // Every path's rule (its grid is what spills) and one float16 variant: the float16 kernels are the float32 ones
    // (test/float16.test.ts has large float16 outputs); the example configurations add nothing here but minutes.
    // Firefox's ci tier runs gather alone (one invocation per output, so its grid spills furthest): `auto`'s tuning
    // times each candidate on this output (minutes there).
    const variants = FIREFOX_CI
      ? ['gather']
      : VARIANT_NAMES.filter((v) => (PATH_OPTIONS as readonly string[]).includes(v) || v === VARIANT_NAMES.find(isHalfVariant));
    return { variants, results: q.add({ name: 'large grid', inputShape: [1, 1, 600000, 1], weightShape: [1, 1, 1, 8], attrs: { stride: [1, 8] }, seed: 7, withBias: true, variants }) };
  })();
  it('runs outputs that need more than 65535 workgroups along x', async () => {
    expect(600000 * 8).toBeGreaterThan(65535 * 64);
    check('large grid', await largeGrid.results(), false, largeGrid.variants);
  }, 600_000); // every path and one float16 variant of a 4.8M-cell output on a CPU rasteriser, auto's timing included

  it('splits a phase row too long for one invocation\'s loops on llvmpipe (65535 iterations; Firefox on lavapipe)', async () => {
    // 1-D depthwise-like: the narrow phase kernel, which walks a phase row per invocation; this row has 2^18 pixels.
    const spec: CaseSpec = { name: 'long phase row', inputShape: [1, 1, 2 ** 18], weightShape: [1, 1, 3], attrs: { stride: 2 }, seed: 11, withBias: true, variants: ['phase'] };
    expect(await h.planOf(spec, 'phase', 'gpu')).toMatch(/"shader":"phase-narrow"/);
    check(spec.name, await h.runCase(spec), false, ['phase']);
  });
});

const dir = join(import.meta.dirname, 'fixtures/conformance');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const cases = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CaseJson[];
  describe(`conformance ${file}`, () => {
    for (const c of cases) {
      if (skipReason(c)) continue; // known-bad source data: see the fixtures README
      if (isErrorCase(c)) {
        it.each(PATH_OPTIONS)(`${c.name} is rejected before any GPU work [%s]`, async (path) => {
          const r = await h.rejectCase({ name: c.name, inputShape: c.input_shape, weightShape: c.weight_shape, biasShape: c.bias_shape, attrs: onnxAttrs(c.attrs_specified), path });
          expect(r.rejected, `${c.name}: accepted`).toBe(true);
          expect(r.isError, r.message).toBe(true);
          expect(r.gpuCalls, `${c.name}: ${r.gpuCalls} GPU calls before rejecting`).toBe(0);
        });
      } else {
        const results = queued.add({
          name: c.name, inputShape: c.input.shape, weightShape: c.weight.shape, attrs: onnxAttrs(c.attrs_specified ?? c.attrs),
          input: c.input.data, weight: c.weight.data, bias: c.bias?.data ?? null, expected: c.expected,
        });
        it(c.name, async () => { check(`${file}: ${c.name}`, await results(), true); });
      }
    }
  });
}

describe('random sweep', () => {
  // Firefox's ci tier runs the sweep's first 8 cases (its GPU round trips are slow: see CASE_VARIANTS).
  const sweep = randomCases(320, 4242).slice(0, FIREFOX_CI ? 8 : undefined);
  it.each(sweep.map((c) => [c.name, queued.add({ name: c.name, inputShape: c.inputShape, weightShape: c.weightShape, attrs: c.attrs, seed: c.seed, withBias: c.bias })] as const))(
    '%s', async (name, results) => { check(name, await results()); });
});
