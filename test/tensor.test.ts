/** Tensor data checks (src/tensor.ts): plain arrays must hold numbers only; typed arrays are taken as they are. */
import { describe, expect, it } from 'vitest';
import { biasParts, tensorData } from '../src/tensor';

// Each bad kind at index 1 of a 4-element array (a hole is made with `[1, , 2, 3]`).
const hole = [1, , 2, 3] as unknown as number[];
const bad: [string, unknown[], RegExp][] = [
  ['a hole', hole, /got an empty slot \(a hole in a sparse array\)$/],
  ['null', [1, null, 2, 3], /got null$/],
  ['undefined', [1, undefined, 2, 3], /got undefined$/],
  ['the string "3"', [1, '3', 2, 3], /got the string "3"$/],
  ['true', [1, true, 2, 3], /got the boolean true$/],
  ['{}', [1, {}, 2, 3], /got an object \(\[object Object\]\)$/],
  ['"x"', [1, 'x', 2, 3], /got the string "x"$/],
  ['a Number object', [1, new Number(3), 2, 3], /got an object \(\[object Number\]\)$/],
  ['a bigint', [1, 3n, 2, 3], /got the bigint 3n$/],
  ['an array', [1, [3], 2, 3], /got an array$/],
];

describe('tensorData: plain arrays hold numbers only', () => {
  it.each(bad)('rejects %s with the argument and index', (_, data, got) => {
    for (const name of ['input', 'weight', 'bias']) {
      const f = () => tensorData(name, { data: data as number[], shape: [4] });
      expect(f).toThrow(TypeError);
      expect(f).toThrow(new RegExp(`^${name}\\.data\\[1\\]: expected a number, ${got.source}`));
    }
  });

  it('gives the exact message of the issue for null', () => {
    expect(() => tensorData('input', { data: [1, null, undefined, '3'] as unknown as number[], shape: [4] }))
      .toThrow(new TypeError('input.data[1]: expected a number, got null'));
  });

  it('names the first bad element, wherever it is', () => {
    const data = new Array<unknown>(1000).fill(0.5);
    data[737] = '1';
    data[900] = null;
    expect(() => tensorData('weight', { data: data as number[], shape: [10, 100] })).toThrow(/^weight\.data\[737\]: expected a number, got the string "1"$/);
    expect(() => tensorData('input', { data: [undefined] as unknown as number[], shape: [1] })).toThrow(/^input\.data\[0\]: expected a number, got undefined$/);
    expect(() => tensorData('input', { data: new Array(3) as number[], shape: [3] })).toThrow(/^input\.data\[0\]: expected a number, got an empty slot/);
  });

  it('accepts NaN and ±Infinity and keeps them', () => {
    const got = tensorData('input', { data: [NaN, Infinity, -Infinity, -0, 1.5], shape: [5] });
    expect(got).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(got[0])).toBe(true);
    expect(got[1]).toBe(Infinity);
    expect(got[2]).toBe(-Infinity);
    expect(Object.is(got[3], -0)).toBe(true);
    expect(got[4]).toBe(1.5);
  });

  it('still checks the length against the shape', () => {
    expect(() => tensorData('input', { data: [1, 2, 3], shape: [2, 2] })).toThrow(/^input: data has 3 elements but shape \[2, 2\] needs 4/);
  });

  it('rejects data that is no array', () => {
    for (const data of ['1234', { length: 4 }, new DataView(new ArrayBuffer(16)), new BigInt64Array(4), null]) {
      expect(() => tensorData('input', { data: data as unknown as number[], shape: [4] })).toThrow(/^input: data must be a Float32Array/);
    }
  });
});

describe('tensorData: typed arrays', () => {
  it('passes a Float32Array through unchanged (zero-copy), subarray views included', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    expect(tensorData('input', { data, shape: [4] })).toBe(data);
    const view = new Float32Array(16).subarray(4, 8);
    expect(tensorData('input', { data: view, shape: [2, 2] })).toBe(view);
  });

  it('converts other typed arrays, NaN and ±Infinity included', () => {
    const f64 = tensorData('input', { data: new Float64Array([1, NaN, Infinity, -Infinity]), shape: [4] });
    expect(f64).toBeInstanceOf(Float32Array);
    expect([...f64]).toEqual([1, NaN, Infinity, -Infinity]);
    expect([...tensorData('input', { data: new Int32Array([-2, 0, 7]), shape: [3] })]).toEqual([-2, 0, 7]);
    expect([...tensorData('input', { data: new Uint8Array([255, 1]), shape: [2] })]).toEqual([255, 1]);
  });
});

describe('biasParts', () => {
  it('names a bare array as bias[i] and a tensor as bias.data[i]', () => {
    expect(() => biasParts([1, 2, null] as unknown as number[])).toThrow(new TypeError('bias[2]: expected a number, got null'));
    expect(() => biasParts({ data: [true] as unknown as number[], shape: [1] })).toThrow(new TypeError('bias.data[0]: expected a number, got the boolean true'));
    expect(() => biasParts(hole)).toThrow(/^bias\[1\]: expected a number, got an empty slot/);
  });

  it('accepts NaN and ±Infinity, and keeps a Float32Array as is', () => {
    const b = biasParts([NaN, Infinity, -Infinity])!;
    expect(b.shape).toEqual([3]);
    expect([...b.data]).toEqual([NaN, Infinity, -Infinity]);
    const f32 = new Float32Array([1, 2]);
    expect(biasParts(f32)!.data).toBe(f32);
    expect(biasParts(null)).toBeNull();
  });
});
