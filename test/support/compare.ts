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
  return compareWith(got, expected, (g, x) => matches(g, x, abs, rel));
}

/** The spacing of float16 values at magnitude `a`: 2^(e-10) for a in [2^e, 2^(e+1)), 2^-24 below 2^-14 (subnormals). */
export function halfUlp(a: number): number {
  if (a < 2 ** -14) return 2 ** -24;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // log2 may be off by one next to powers of two
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (Math.min(e, 15) - 10);
}

/**
 * Whether one element of a float16 output matches the float64 reference computed on the float16-rounded
 * inputs and weights (what the GPU computes with: widening float16 to float32 is exact). The tolerance is
 * derived, not chosen:
 * - the float32 result `a` the kernels accumulate is held to the float32 variants' criterion,
 *   |a − ref| ≤ acc = abs + rel·|ref| (see {@link matches}, defaults 1e-4 and 1e-4);
 * - the stored value is a rounded to float16, to nearest: |got − a| ≤ ulp16(|a|)/2 ≤ ulp16(|ref| + acc)/2,
 *   ulp16 growing with the magnitude (halfUlp);
 * - so |got − ref| ≤ ulp16(|ref| + acc)/2 + acc.
 * Beyond the float16 range, a result may round to ±Infinity (with ref's sign) only when |ref| + acc ≥ 65520,
 * the threshold of that rounding. Non-finite references must match exactly, as in {@link matches}.
 */
export function matchesHalf(got: number, expected: number, abs = 1e-4, rel = 1e-4): boolean {
  if (!Number.isFinite(expected)) return Object.is(got, expected) || (Number.isNaN(got) && Number.isNaN(expected));
  const acc = abs + rel * Math.abs(expected);
  const reach = Math.abs(expected) + acc;
  if (got === Infinity || got === -Infinity) return reach >= 65520 && Math.sign(got) === Math.sign(expected);
  return Number.isFinite(got) && Math.abs(got - expected) <= halfUlp(reach) / 2 + acc;
}

/** {@link compare} for float16 outputs, element by element with {@link matchesHalf}. */
export function compareHalf(got: ArrayLike<number>, expected: ArrayLike<number>): Comparison {
  return compareWith(got, expected, (g, x) => matchesHalf(g, x));
}

/** Passes when `match` holds for every element and the lengths match. */
function compareWith(got: ArrayLike<number>, expected: ArrayLike<number>, match: (got: number, expected: number) => boolean): Comparison {
  let maxAbsErr = 0;
  let firstBad: Comparison['firstBad'] = null;
  if (got.length !== expected.length) {
    return { ok: false, maxAbsErr: Infinity, firstBad: { index: Math.min(got.length, expected.length), got: got.length, expected: expected.length } };
  }
  for (let i = 0; i < got.length; i++) {
    const g = got[i], x = expected[i];
    if (!match(g, x)) firstBad ??= { index: i, got: g, expected: x };
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
