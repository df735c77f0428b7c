// Filter layouts: filterToIohw against an independent index-by-index permutation, for 1-D, 2-D and 3-D kernels.
import { describe, expect, it } from 'vitest';
import { filterToIohw, type FilterLayout } from '../src/layout';

/** Reads iohw weight [I][O][...k] at (i, o, kernel index s) and writes it where `layout` puts it. */
function fromIohw(w: Float32Array, I: number, O: number, k: number[], layout: FilterLayout): { data: Float32Array; shape: number[] } {
  const S = k.reduce((a, b) => a * b, 1);
  const shape = { iohw: [I, O, ...k], oihw: [O, I, ...k], hwoi: [...k, O, I], ohwi: [O, ...k, I] }[layout];
  const out = new Float32Array(w.length);
  for (let i = 0; i < I; i++) for (let o = 0; o < O; o++) for (let s = 0; s < S; s++) {
    const v = w[(i * O + o) * S + s];
    const at = { iohw: (i * O + o) * S + s, oihw: (o * I + i) * S + s, hwoi: (s * O + o) * I + i, ohwi: (o * S + s) * I + i }[layout];
    out[at] = v;
  }
  return { data: out, shape };
}

describe('filterToIohw', () => {
  const layouts: FilterLayout[] = ['iohw', 'oihw', 'hwoi', 'ohwi'];
  for (const k of [[3], [2, 3], [2, 1, 3]]) {
    for (const layout of layouts) {
      it(`${layout}, kernel ${k.join('x')}`, () => {
        const I = 5, O = 3;
        const w = Float32Array.from({ length: I * O * k.reduce((a, b) => a * b, 1) }, (_, n) => n + 0.5);
        const got = filterToIohw(fromIohw(w, I, O, k, layout), layout);
        expect(got.shape).toEqual([I, O, ...k]);
        expect(Array.from(got.data)).toEqual(Array.from(w));
      });
    }
  }
  it('leaves an iohw tensor as it is (no copy)', () => {
    const t = { data: new Float32Array(6), shape: [1, 2, 3] };
    expect(filterToIohw(t)).toBe(t);
  });
  it('rejects an unknown layout and a bad rank, naming the argument', () => {
    expect(() => filterToIohw({ data: new Float32Array(6), shape: [1, 2, 3] }, 'hwio' as FilterLayout)).toThrow(/^filterLayout: expected one of iohw, oihw, hwoi, ohwi, got "hwio"/);
    expect(() => filterToIohw({ data: new Float32Array(2), shape: [1, 2] }, 'hwoi')).toThrow(/^weight: a hwoi filter has rank 3 to 5/);
  });
});
