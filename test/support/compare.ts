/** Element-wise comparison with a tolerance, reporting the first mismatch. */

/** Result of comparing `got` with `expected`. */
export interface Comparison {
  ok: boolean;
  maxAbsErr: number;
  /** First index outside the tolerance, with both values. */
  firstBad: { index: number; got: number; expected: number } | null;
}

/** Passes when every element has |got - expected| <= abs + rel·|expected| (and the lengths match). */
export function compare(got: ArrayLike<number>, expected: ArrayLike<number>, abs = 1e-4, rel = 1e-4): Comparison {
  let maxAbsErr = 0;
  let firstBad: Comparison['firstBad'] = null;
  if (got.length !== expected.length) {
    return { ok: false, maxAbsErr: Infinity, firstBad: { index: Math.min(got.length, expected.length), got: got.length, expected: expected.length } };
  }
  for (let i = 0; i < got.length; i++) {
    const e = Math.abs(got[i] - expected[i]);
    if (!(e <= abs + rel * Math.abs(expected[i]))) {
      firstBad ??= { index: i, got: got[i], expected: expected[i] };
    }
    if (e > maxAbsErr || Number.isNaN(e)) maxAbsErr = Number.isNaN(e) ? Infinity : e;
  }
  return { ok: firstBad === null, maxAbsErr, firstBad };
}

/** A failure line: case, path, first bad index, got and expected. */
export function describeMismatch(caseName: string, path: string, c: Comparison): string {
  const b = c.firstBad;
  return b
    ? `${caseName} [${path}]: first bad index ${b.index}: got ${b.got}, expected ${b.expected} (max abs err ${c.maxAbsErr})`
    : `${caseName} [${path}]: ok`;
}
