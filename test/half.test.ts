/**
 * float16 on the host (src/half.ts, src/tensor.ts): the conversions between numbers and binary16 bit patterns
 * (every pattern, every tie between neighbours), the float16 tolerance of the browser tests, and the checks
 * on float16 tensor data. Node 20 has no Float16Array, so this runs the package's own conversions; the
 * browser tests compare them with Chromium's Float16Array and with the GPU.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { convTranspose, DataType, HalfTensor, Tensor } from '../src/index';
import { checkDataType, fromHalfBits, roundToHalf, storageBytes, toHalfBits } from '../src/half';
import { biasParts, halfTensorBits, tensorData } from '../src/tensor';
import { halfUlp, matchesHalf } from './support/compare';

const isNaNBits = (b: number) => (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0;

describe('binary16 conversions', () => {
  it('every bit pattern round-trips (NaNs to the quiet NaN)', () => {
    for (let b = 0; b < 0x10000; b++) {
      const v = fromHalfBits(b);
      if (isNaNBits(b)) {
        expect(Number.isNaN(v)).toBe(true);
        expect(toHalfBits(v)).toBe(0x7e00);
      } else if (toHalfBits(v) !== b) {
        expect.fail(`0x${b.toString(16)} -> ${v} -> 0x${toHalfBits(v).toString(16)}`);
      }
    }
  });

  it('rounds to nearest, ties to even, between every pair of neighbours', () => {
    for (let b = 0; b < 0x7bff; b++) {
      const [lo, hi] = [fromHalfBits(b), fromHalfBits(b + 1)];
      const mid = (lo + hi) / 2; // exact in float64
      const even = b % 2 === 0 ? b : b + 1;
      if (toHalfBits(mid) !== even || toHalfBits(-mid) !== (even | 0x8000)) expect.fail(`tie between 0x${b.toString(16)} and its successor`);
      const below = mid - (hi - lo) / 1024, above = mid + (hi - lo) / 1024;
      if (toHalfBits(below) !== b || toHalfBits(above) !== b + 1) expect.fail(`near the tie after 0x${b.toString(16)}`);
    }
  });

  it('overflows to Infinity from 65520 (the tie above 65504), keeps signs, Infinity and NaN', () => {
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(65519.999)).toBe(0x7bff);
    expect(toHalfBits(65520)).toBe(0x7c00);
    expect(toHalfBits(-65520)).toBe(0xfc00);
    expect(toHalfBits(1e300)).toBe(0x7c00);
    expect(toHalfBits(Infinity)).toBe(0x7c00);
    expect(toHalfBits(-Infinity)).toBe(0xfc00);
    expect(toHalfBits(NaN)).toBe(0x7e00);
    expect(toHalfBits(-0)).toBe(0x8000);
    expect(toHalfBits(0)).toBe(0);
    expect(toHalfBits(2 ** -25)).toBe(0); // the tie between 0 and the smallest subnormal: even
    expect(toHalfBits(2 ** -25 * 1.0000001)).toBe(1);
    expect(toHalfBits(-1e-300)).toBe(0x8000);
    expect(Object.is(fromHalfBits(0x8000), -0)).toBe(true);
    expect(fromHalfBits(0x3c00)).toBe(1);
    expect(fromHalfBits(0x0001)).toBe(2 ** -24);
    expect(roundToHalf(0.1)).toBe(0.0999755859375);
  });

  it('rounds directly from float64 (no double rounding through float32)', () => {
    // 1 + 2^-11 + 2^-40 rounds up; through float32 it would first become 1 + 2^-11, a tie that rounds down to 1.
    expect(toHalfBits(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01);
    expect(toHalfBits(Math.fround(1 + 2 ** -11 + 2 ** -40))).toBe(0x3c00);
  });
});

describe('float16 tolerance (test/support/compare.ts)', () => {
  it('halfUlp is the spacing of float16 values', () => {
    expect(halfUlp(1)).toBe(2 ** -10);
    expect(halfUlp(1.9)).toBe(2 ** -10);
    expect(halfUlp(2)).toBe(2 ** -9);
    expect(halfUlp(2 ** -14)).toBe(2 ** -24);
    expect(halfUlp(1e-6)).toBe(2 ** -24);
    expect(halfUlp(60000)).toBe(32);
  });
  it('accepts rounding plus the float32 bound, and no more', () => {
    // ref 1000: acc = 1e-4 + 0.1, ulp16(1000.1) = 0.5, so the bound is 0.25 + 0.1001.
    expect(matchesHalf(1000.35, 1000)).toBe(true);
    expect(matchesHalf(1000.36, 1000)).toBe(false);
    expect(matchesHalf(roundToHalf(0.1), 0.1)).toBe(true);
    expect(matchesHalf(Infinity, 65515)).toBe(true);   // 65515 + acc (6.55) reaches the rounding threshold 65520
    expect(matchesHalf(Infinity, 65510)).toBe(false);  // 65510 + 6.55 does not
    expect(matchesHalf(Infinity, 60000)).toBe(false);
    expect(matchesHalf(-Infinity, 65515)).toBe(false);
    expect(matchesHalf(NaN, NaN)).toBe(true);
    expect(matchesHalf(Infinity, Infinity)).toBe(true);
    expect(matchesHalf(0, NaN)).toBe(false);
    expect(matchesHalf(NaN, 1)).toBe(false);
  });
});

describe('the one-shot call\'s result type follows dataType (type-checked by tsc)', () => {
  it('Tensor by default and for float32, HalfTensor for float16, either for a DataType', () => {
    type Call = typeof convTranspose;
    const t = { data: [1], shape: [1, 1, 1] };
    expectTypeOf<ReturnType<typeof call>>().toEqualTypeOf<Promise<Tensor>>();
    function call(f: Call) { return f(t, t); }
    const f32 = (f: Call) => f(t, t, { stride: 2, dataType: 'float32' });
    const f16 = (f: Call) => f(t, t, { stride: 2, dataType: 'float16' });
    const either = (f: Call, d: DataType) => f(t, t, { dataType: d });
    expectTypeOf<ReturnType<typeof f32>>().toEqualTypeOf<Promise<Tensor>>();
    expectTypeOf<ReturnType<typeof f16>>().toEqualTypeOf<Promise<HalfTensor>>();
    expectTypeOf<ReturnType<typeof either>>().toEqualTypeOf<Promise<Tensor | HalfTensor>>();
  });
});

describe('float16 tensor data', () => {
  const t = (data: unknown, shape = [1, 1, 1, 2]) => ({ data: data as never, shape });
  it('dataType accepts float32 and float16 only, naming the option', () => {
    expect(() => checkDataType(undefined)).not.toThrow();
    expect(() => checkDataType('float16')).not.toThrow();
    expect(() => checkDataType('fp16')).toThrow(/^dataType: expected 'float32' or 'float16', got "fp16"$/);
    expect(() => checkDataType(null)).toThrow(/^dataType: .* got null$/);
  });
  it('byte sizes: 2 per element, rounded up to whole words', () => {
    expect([0, 1, 2, 3, 5].map((n) => storageBytes(n, 'float16'))).toEqual([0, 4, 4, 8, 12]);
    expect(storageBytes(3, 'float32')).toBe(12);
    expect(storageBytes(3, undefined)).toBe(12);
  });
  it('input: Uint16Array bits as they are, numbers rounded, other typed arrays rejected naming the argument', () => {
    const bits = Uint16Array.of(0x3c00, 0xc000);
    expect(halfTensorBits('input', t(bits))).toBe(bits);
    expect(Array.from(halfTensorBits('input', t([1, 0.1])))).toEqual([0x3c00, toHalfBits(0.1)]);
    expect(() => halfTensorBits('input', t(new Float32Array(2)))).toThrow(/^input: with dataType 'float16' the data must be a Float16Array, a Uint16Array of float16 bit patterns or an array of numbers, got Float32Array$/);
    expect(() => halfTensorBits('input', t([1, null]))).toThrow(/^input\.data\[1\]: expected a number, got null$/);
    expect(() => halfTensorBits('input', t(new Uint16Array(3)))).toThrow(/^input: data has 3 elements/);
    expect(() => halfTensorBits('input', null)).toThrow(/^input: expected a tensor/);
  });
  it('weights and bias: Uint16Array read as bits with float16, as integers otherwise', () => {
    const bits = Uint16Array.of(0x3c00, 0xc000);
    expect(Array.from(tensorData('weight', t(bits), 'float16'))).toEqual([1, -2]);
    expect(Array.from(tensorData('weight', t(bits)))).toEqual([0x3c00, 0xc000]);
    expect(Array.from(biasParts(bits, 'float16')!.data)).toEqual([1, -2]);
    expect(Array.from(biasParts({ data: bits, shape: [2] }, 'float16')!.data)).toEqual([1, -2]);
    expect(Array.from(tensorData('weight', t(Float32Array.of(0.1, 2)), 'float16'))).toEqual([Math.fround(0.1), 2]); // float32 weights stay float32
  });
});
