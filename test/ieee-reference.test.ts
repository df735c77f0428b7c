/**
 * IEEE semantics of the float64 CPU references (issue 9, item 1) and of the comparison the tests use: the
 * special-value cases give PyTorch's results on all three references, the matrix and zero-insert references
 * agree with the scatter definition on a special-value sweep, and compare() matches NaN with NaN and ±Inf with
 * the same infinity, nothing else.
 */
import { describe, expect, it } from 'vitest';
import { resolveConvTranspose } from '../src/shape';
import { cpuReference, matrixReference, scatterReference, zeroInsertReference, type ReferenceMethod } from '../src/reference';
import { compare, describeMismatch, fromWire, matches, toWire } from './support/compare';
import { IEEE_CASES, NEGATIVE_ZERO_BIAS_CASES } from './support/ieee-cases';
import { caseData, randomCases } from './support/random';

const METHODS: ReferenceMethod[] = ['scatter', 'matrix', 'zero-insert'];

describe('compare() with special values', () => {
  it('matches NaN with NaN and an infinity with the same infinity', () => {
    expect(compare([NaN, Infinity, -Infinity, 1], [NaN, Infinity, -Infinity, 1])).toEqual({ ok: true, maxAbsErr: 0, firstBad: null });
  });
  it.each([
    [[Infinity], [-Infinity]], [[NaN], [1]], [[1], [NaN]], [[Infinity], [NaN]], [[NaN], [Infinity]], [[Infinity], [1e30]], [[3e38], [Infinity]],
  ])('reports %j vs %j as a mismatch', (got, want) => {
    const c = compare(got, want);
    expect(c.ok).toBe(false);
    expect(c.firstBad).toEqual({ index: 0, got: got[0], expected: want[0] });
    expect(c.maxAbsErr).toBe(Infinity);
  });
  it('keeps the error of finite elements next to matched special values', () => {
    const c = compare([NaN, 1.5, Infinity], [NaN, 1.5 + 2e-5, Infinity]);
    expect(c.ok).toBe(true);
    expect(c.maxAbsErr).toBeCloseTo(2e-5, 9);
  });
  it('treats -0 and +0 as equal (the sign of zero is checked with Object.is where it matters)', () => {
    expect(matches(-0, 0)).toBe(true);
  });
  it('wire form keeps NaN, ±Infinity and -0', () => {
    for (const v of [NaN, Infinity, -Infinity, -0, 0, 1.25]) expect(Object.is(fromWire(toWire(v)), v)).toBe(true);
    expect(JSON.parse(JSON.stringify([NaN, -0].map(toWire))).map(fromWire)).toEqual([NaN, -0]);
  });
});

describe('CPU references on special values (PyTorch results)', () => {
  it.each(IEEE_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const r = resolveConvTranspose(c.inputShape, c.weightShape, c.bias ? [c.bias.length] : null, c.attrs);
    expect(r.outputShape).toEqual(c.expected!.shape);
    const x = c.input.map(fromWire), w = c.weight.map(fromWire), b = c.bias?.map(fromWire) ?? null;
    for (const m of METHODS) {
      const cmp = compare(cpuReference(m, r, x, w, b), c.expected!.data.map(fromWire), 0, 0);
      if (!cmp.ok) expect.fail(describeMismatch(name, m, cmp));
    }
  });

  it.each(NEGATIVE_ZERO_BIAS_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const r = resolveConvTranspose(c.inputShape, c.weightShape, [c.bias!.length], c.attrs);
    const x = c.input.map(fromWire), w = c.weight.map(fromWire), b = c.bias!.map(fromWire);
    for (const m of METHODS) {
      const y = cpuReference(m, r, x, w, b);
      expect(y.some((v) => Object.is(v, -0)), `${name} [${m}]: a -0 in the output`).toBe(false);
      expect(y.some((v) => Object.is(v, 0)), `${name} [${m}]: no unreached cell`).toBe(true);
      if (c.expected) expect(Array.from(y)).toEqual(c.expected.data.map(fromWire));
    }
  });
});

describe('CPU references agree with the scatter definition on special values', () => {
  const sweep = randomCases(300, 2024, { specialShare: 1 });
  it('the sweep plants NaN, ±Inf and zeros in every case, and the outputs hold non-finite values', () => {
    let nonFinite = 0;
    for (const c of sweep.slice(0, 50)) {
      const r = resolveConvTranspose(c.inputShape, c.weightShape, null, c.attrs);
      const { x, w, b } = caseData(c.inputShape, c.weightShape, r.outChannels, c.seed, c.bias, c.specials);
      if (scatterReference(r, x, w, b).some((v) => !Number.isFinite(v))) nonFinite++;
    }
    expect(sweep.every((c) => c.specials)).toBe(true);
    expect(nonFinite).toBeGreaterThan(20);
  });
  it.each(sweep.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const r = resolveConvTranspose(c.inputShape, c.weightShape, null, c.attrs);
    const { x, w, b } = caseData(c.inputShape, c.weightShape, r.outChannels, c.seed, c.bias, c.specials);
    const s = scatterReference(r, x, w, b);
    for (const [m, y] of [['matrix', matrixReference(r, x, w, b)], ['zero-insert', zeroInsertReference(r, x, w, b)]] as const) {
      const cmp = compare(y, s, 1e-9, 1e-9);
      if (!cmp.ok) expect.fail(describeMismatch(name, m, cmp));
    }
  });
});
