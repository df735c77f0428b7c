/**
 * IEEE semantics on every path variant (issue 9, item 1): NaN and ±Inf appear exactly where the scatter
 * definition (PyTorch) gives them, masked lanes and inserted zeros add nothing, and a -0 bias leaves +0 in
 * cells no input reaches. Each case is checked against PyTorch's result and the float64 reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PathResult } from './browser/harness';
import { describeMismatch, fromWire } from './support/compare';
import { IEEE_CASES, NEGATIVE_ZERO_BIAS_CASES } from './support/ieee-cases';
import { randomCases } from './support/random';
import { isHalfVariant, VARIANT_NAMES } from './support/variants';
import { caseQueue, openHarness, type HarnessPage } from './support/session';

let h: HarnessPage;
/** Every case below, run in the page a few at a time (support/session.ts: caseQueue), each test checking its own. */
const queued = caseQueue(() => h);
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await queued.drain(); await h?.close(); });

function check(name: string, results: PathResult[], againstExpected: boolean) {
  expect(results.map((r) => r.path)).toEqual([...VARIANT_NAMES]);
  for (const r of results) {
    if (r.error) expect.fail(`${name} [${r.path}]: threw ${r.error}`);
    if (!r.shapeOk) expect.fail(`${name} [${r.path}]: output shape [${r.shape}] is wrong`);
    // float16 variants run on rounded data, so they are held to the reference of that data, not to PyTorch's values.
    if (againstExpected && !isHalfVariant(r.path) && !r.expected!.ok) expect.fail(`vs PyTorch: ${describeMismatch(name, r.path, r.expected!)}`);
    if (!r.reference!.ok) expect.fail(`vs CPU reference: ${describeMismatch(name, r.path, r.reference!)}`);
  }
}

describe('special values, with PyTorch results', () => {
  it.each(IEEE_CASES.map((c) => [c.name, queued.add({ ...c, bias: c.bias ?? null })] as const))('%s', async (name, results) => {
    check(name, await results(), true);
  });
});

describe('-0 bias', () => {
  it.each(NEGATIVE_ZERO_BIAS_CASES.map((c) => [c.name, c, queued.add({ ...c, returnOutput: true })] as const))('%s', async (name, c, queuedResults) => {
    const results = await queuedResults();
    check(name, results, !!c.expected);
    for (const r of results) {
      const negZero = r.output!.findIndex((v) => Object.is(fromWire(v), -0));
      expect(negZero, `${name} [${r.path}]: -0 at index ${negZero}, expected +0`).toBe(-1);
      expect(r.output!.some((v) => Object.is(fromWire(v), 0)), `${name} [${r.path}]: no unreached cell`).toBe(true);
    }
  });
});

describe('random sweep with special values', () => {
  const sweep = randomCases(60, 909, { specialShare: 1 });
  it.each(sweep.map((c) => [c.name, queued.add({ name: c.name, inputShape: c.inputShape, weightShape: c.weightShape, attrs: c.attrs, seed: c.seed, withBias: c.bias, specials: c.specials })] as const))(
    '%s', async (name, results) => { check(name, await results(), false); });
});
