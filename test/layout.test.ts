// Filter layouts: filterToIohw against an independent index-by-index permutation, for 1-D, 2-D and 3-D kernels.
import { describe, expect, it } from 'vitest';
import { filterToIohw, type FilterLayout } from '../src/layout';
import { resolveConvTranspose, scatterReference } from '../src/index';
import { compare } from './support/compare';
import { randomData } from './support/random';

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

describe("'oihw' with groups: [C_out/groups, C_in, ...kernel]", () => {
  // C_in 6, C_out 4, groups 2: a weight of [2, 6, 3] (one group's output channels, then every input channel).
  const [N, Cin, L, Cout, G, K, S] = [2, 6, 5, 4, 2, 3, 2];
  const x = randomData(51, N * Cin * L);
  const oihw = randomData(52, (Cout / G) * Cin * K);
  /** Output channel g*C_out/G + o sums input channels of group g, with oihw[o][ic][k], written from the layout's own definition. */
  function oihwReference(): Float64Array {
    const outL = (L - 1) * S + K;
    const y = new Float64Array(N * Cout * outL);
    const cinG = Cin / G, coutG = Cout / G;
    for (let n = 0; n < N; n++) for (let g = 0; g < G; g++) for (let o = 0; o < coutG; o++) for (let ic = g * cinG; ic < (g + 1) * cinG; ic++) {
      for (let i = 0; i < L; i++) for (let k = 0; k < K; k++) {
        y[(n * Cout + g * coutG + o) * outL + i * S + k] += x[(n * Cin + ic) * L + i] * oihw[(o * Cin + ic) * K + k];
      }
    }
    return y;
  }
  it('resolves to the float64 reference of the definition', () => {
    const w = filterToIohw({ data: oihw, shape: [Cout / G, Cin, K] }, 'oihw');
    expect(w.shape).toEqual([Cin, Cout / G, K]);
    const r = resolveConvTranspose([N, Cin, L], w.shape, null, { stride: S, groups: G });
    const c = compare(scatterReference(r, x, w.data as Float32Array, null), oihwReference());
    expect(c.ok, JSON.stringify(c.firstBad)).toBe(true);
  });
  it("refuses PyTorch Conv's [C_out, C_in/groups, ...kernel], naming the weight", () => {
    const w = filterToIohw({ data: new Float32Array(Cout * (Cin / G) * K), shape: [Cout, Cin / G, K] }, 'oihw');
    expect(() => resolveConvTranspose([N, Cin, L], w.shape, null, { stride: S, groups: G })).toThrow(/^weight: first dimension must equal the input channels 6/);
  });
});
