/** Element-wise comparison with a tolerance, reporting the first mismatch. */

/** Result of comparing `got` with `expected`. */
export interface Comparison {
  ok: boolean;
  /** Largest |got - expected| over the elements where both are finite (Infinity when any element mismatches in kind). */
  maxAbsErr: number;
  /** First index outside the tolerance, with both values. */
  firstBad: { index: number; got: number; expected: number } | null;
}

/**
 * Whether one element matches: finite values within |got - expected| <= abs + rel·|expected|; non-finite
 * values only exactly (NaN with NaN, +Inf with +Inf, -Inf with -Inf), as IEEE semantics require.
 */
export function matches(got: number, expected: number, abs = 1e-4, rel = 1e-4): boolean {
  if (Number.isFinite(expected) && Number.isFinite(got)) return Math.abs(got - expected) <= abs + rel * Math.abs(expected);
  return Object.is(got, expected) || (Number.isNaN(got) && Number.isNaN(expected));
}

/** Passes when every element matches (see {@link matches}) and the lengths match. */
export function compare(got: ArrayLike<number>, expected: ArrayLike<number>, abs = 1e-4, rel = 1e-4): Comparison {
  let maxAbsErr = 0;
  let firstBad: Comparison['firstBad'] = null;
  if (got.length !== expected.length) {
    return { ok: false, maxAbsErr: Infinity, firstBad: { index: Math.min(got.length, expected.length), got: got.length, expected: expected.length } };
  }
  for (let i = 0; i < got.length; i++) {
    const g = got[i], x = expected[i];
    if (!matches(g, x, abs, rel)) firstBad ??= { index: i, got: g, expected: x };
    if (Number.isFinite(g) && Number.isFinite(x)) {
      const e = Math.abs(g - x);
      if (e > maxAbsErr) maxAbsErr = e;
    } else if (!matches(g, x)) {
      maxAbsErr = Infinity;
    }
  }
  return { ok: firstBad === null, maxAbsErr, firstBad };
}

/** A number as it crosses JSON (puppeteer's evaluate): NaN, ±Infinity and -0 as strings, others as they are. */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** Encodes a number for JSON, keeping NaN, ±Infinity and -0. */
export function toWire(v: number): WireNumber {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return v;
}

/** Decodes {@link toWire}'s form (plain numbers pass through). */
export function fromWire(v: WireNumber | number): number {
  return typeof v === 'string' ? Number(v) : v;
}

/** A comparison in JSON-safe form: firstBad's values and maxAbsErr keep NaN/±Infinity across puppeteer. */
export interface WireComparison {
  ok: boolean;
  maxAbsErr: WireNumber;
  firstBad: { index: number; got: WireNumber; expected: WireNumber } | null;
}

export function comparisonToWire(c: Comparison): WireComparison {
  return {
    ok: c.ok,
    maxAbsErr: toWire(c.maxAbsErr),
    firstBad: c.firstBad && { index: c.firstBad.index, got: toWire(c.firstBad.got), expected: toWire(c.firstBad.expected) },
  };
}

/** A failure line: case, path, first bad index, got and expected. */
export function describeMismatch(caseName: string, path: string, c: Comparison | WireComparison): string {
  const b = c.firstBad;
  return b
    ? `${caseName} [${path}]: first bad index ${b.index}: got ${b.got}, expected ${b.expected} (max abs err ${c.maxAbsErr})`
    : `${caseName} [${path}]: ok`;
}
