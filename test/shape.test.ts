import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConvTranspose, type ConvTransposeAttributes } from '../src/shape';
import { isErrorCase, onnxAttrs, skipReason, type CaseJson, type NumericCaseJson } from './support/conformance';

const fixtures = join(import.meta.dirname, 'fixtures/conformance');
const files = readdirSync(fixtures).filter((f) => f.endsWith('.json'));
const all = files.flatMap((f) => (JSON.parse(readFileSync(join(fixtures, f), 'utf8')) as CaseJson[]).map((c) => ({ file: f, c })));

describe('resolveConvTranspose', () => {
  it('computes the PyTorch output size and symmetric pads', () => {
    const r = resolveConvTranspose([1, 512, 8, 8], [512, 256, 4, 4], [256], { stride: 2, padding: 1 });
    expect(r.outputShape).toEqual([1, 256, 16, 16]);
    expect(r.padsBegin).toEqual([1, 1]);
    expect(r.padsEnd).toEqual([1, 1]);
  });

  it('treats a 1-D input (N, C, L) as one spatial axis', () => {
    const r = resolveConvTranspose([2, 3, 5], [3, 4, 3], null, { stride: 2, outputPadding: 1 });
    expect(r.dims).toBe(1);
    expect(r.outputShape).toEqual([2, 4, 12]);
  });

  it('reads ONNX pads as [begins..., ends...]', () => {
    const r = resolveConvTranspose([1, 1, 3, 3], [1, 1, 2, 2], null, { pads: [2, 1, 0, 3], dilations: [3, 3] });
    expect(r.padsBegin).toEqual([2, 1]);
    expect(r.padsEnd).toEqual([0, 3]);
    expect(r.outSpatial).toEqual([6 - 2, 6 - 4]);
  });

  it('derives pads from output_shape with the odd pixel first (NOTSET) or last (SAME_UPPER)', () => {
    const base = { strides: [2], output_shape: [8] } as ConvTransposeAttributes; // full = 2*3+3 = 9, total 1
    expect(resolveConvTranspose([1, 1, 4], [1, 1, 3], null, base).padsBegin).toEqual([1]);
    expect(resolveConvTranspose([1, 1, 4], [1, 1, 3], null, { ...base, auto_pad: 'SAME_UPPER' }).padsBegin).toEqual([0]);
  });

  it('turns a negative total padding into extra cells at the end', () => {
    const r = resolveConvTranspose([1, 1, 3, 3], [1, 2, 3, 3], null, { strides: [3, 2], output_shape: [10, 8] });
    expect(r.padsBegin).toEqual([0, 0]);
    expect(r.padsEnd).toEqual([-1, -1]);
    expect(r.outSpatial).toEqual([10, 8]);
  });

  it('accepts output_padding below the dilation even when not below the stride (PyTorch)', () => {
    const r = resolveConvTranspose([1, 1, 3, 1], [1, 1, 3, 1], null, { strides: [2, 1], dilations: [3, 1], output_padding: [2, 0] });
    expect(r.outSpatial).toEqual([2 * 2 + 2 + 6 + 1, 1]);
  });

  it('picks output_padding from a PyTorch outputSize', () => {
    const r = resolveConvTranspose([1, 1, 4, 4], [1, 1, 3, 3], null, { stride: 2, padding: 1, outputSize: [8, 7] });
    expect(r.outputPadding).toEqual([1, 0]);
    expect(r.outSpatial).toEqual([8, 7]);
  });

  const bad: [string, () => unknown, RegExp][] = [
    ['input rank', () => resolveConvTranspose([1], [2, 1, 3], null), /^input: a rank-3 weight \(1-D.*takes an input of rank 3 .* or 2 \(unbatched.*got rank 1/],
    ['weight rank', () => resolveConvTranspose([1, 2, 4], [2, 1, 3, 3, 3, 3], null), /^weight: expected rank 3, 4 or 5/],
    ['unbatched input with the wrong channels', () => resolveConvTranspose([1, 2, 4], [2, 1, 3, 3], null), /^weight: first dimension must equal the input channels 1/],
    ['weight channels', () => resolveConvTranspose([1, 2, 4], [3, 1, 3], null), /^weight: first dimension must equal the input channels 2/],
    ['groups divide channels', () => resolveConvTranspose([1, 3, 4], [3, 1, 3], null, { groups: 2 }), /^groups: input channels \(3\)/],
    ['group zero', () => resolveConvTranspose([1, 2, 4], [2, 1, 3], null, { group: 0 }), /^group: expected a positive integer/],
    ['bias length', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], [2], {}), /^bias: expected a 1-D tensor of 3 values/],
    ['stride zero', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { strides: [0] }), /^strides\[0\]: expected a positive integer/],
    ['stride non-integer', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { stride: 1.5 }), /^stride: expected a positive integer, got 1.5/],
    ['dilation negative', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { dilation: [-1] }), /^dilation\[0\]: expected a positive integer/],
    ['negative pads', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { pads: [-1, 0] }), /^pads\[0\]: expected a non-negative integer/],
    ['pads length', () => resolveConvTranspose([1, 2, 4, 4], [2, 3, 3, 3], null, { pads: [1, 1] }), /^pads: expected 4 values/],
    ['padding length', () => resolveConvTranspose([1, 2, 4, 4], [2, 3, 3, 3], null, { padding: [1, 1, 1] }), /^padding: expected 2 values/],
    ['output_padding too big', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { stride: 2, outputPadding: 2 }), /^outputPadding\[0\]: output_padding must be smaller than the stride \(2\) or the dilation \(1\), got 2/],
    ['output_padding negative', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { output_padding: [-1] }), /^output_padding\[0\]/],
    ['kernel_shape', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { kernel_shape: [2] }), /^kernel_shape: \[2\] does not match/],
    ['auto_pad', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { auto_pad: 'SAME' as never }), /^auto_pad: expected one of/],
    ['output_shape unreachable', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { output_shape: [9] }), /^output_shape\[0\]: output size 9 is inconsistent/],
    ['output_shape zero', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { output_shape: [0] }), /^output_shape\[0\]: output size must be positive/],
    ['non-positive output', () => resolveConvTranspose([1, 2, 2], [2, 3, 2], null, { padding: 2 }), /^pads: output size must be positive, but axis 0 would have -1/],
    ['both spellings', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { stride: 1, strides: [1] }), /^stride\/strides: give either/],
    ['unknown attribute', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { strid: 2 } as never), /^attributes: unknown attribute "strid"/],
    ['huge dilation', () => resolveConvTranspose([1, 1, 3], [1, 1, 3], null, { dilations: [4611686018427387903] }), /^dilations\[0\]: expected a positive integer \(at most 2147483647\)/],
    ['pads with auto_pad', () => resolveConvTranspose([1, 2, 4], [2, 3, 3], null, { pads: [1, 1], auto_pad: 'VALID' }), /^pads: explicit pads cannot be combined/],
    ['non-integer dimension', () => resolveConvTranspose([1, 2, 4.5], [2, 3, 3], null), /^input shape\[2\]: expected a non-negative integer/],
  ];
  it.each(bad)('rejects a bad %s, naming the argument', (_, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe('conformance fixtures: shapes', () => {
  const numeric = all.filter(({ c }) => !isErrorCase(c)) as { file: string; c: NumericCaseJson }[];
  it.each(numeric.map(({ file, c }) => [`${file}: ${c.name}`, c] as const))('%s resolves to the expected output shape and pads', (_, c) => {
    for (const attrs of [c.attrs, c.attrs_specified ?? c.attrs]) {
      const r = resolveConvTranspose(c.input.shape, c.weight.shape, c.bias?.shape, onnxAttrs(attrs));
      expect(r.outputShape).toEqual(c.expected.shape);
      if (c.effective) {
        expect(r.padsBegin).toEqual(c.effective.pads_begin);
        expect(r.outSpatial).toEqual(c.effective.output_spatial);
      }
    }
  });

  const errors = all.filter(({ c }) => isErrorCase(c) && !skipReason(c));
  it.each(errors.map(({ file, c }) => [`${file}: ${c.name}`, c] as const))('%s is rejected with an Error', (_, c) => {
    if (!isErrorCase(c)) throw new Error('not an error case');
    expect(() => resolveConvTranspose(c.input_shape, c.weight_shape, c.bias_shape, onnxAttrs(c.attrs_specified))).toThrow(Error);
  });
});

describe('unbatched input (PyTorch (C, ...spatial))', () => {
  it.each([
    [[2, 5], [2, 3, 3], { stride: 2 }, [3, 11]],
    [[2, 4, 4], [2, 3, 3, 3], { stride: 2, padding: 1 }, [3, 7, 7]],
    [[4, 2, 3, 3], [4, 1, 2, 2, 2], { stride: 2, groups: 2 }, [2, 4, 6, 6]],
  ] as const)('%j with weight %j', (x, w, attrs, out) => {
    const r = resolveConvTranspose(x, w, null, attrs);
    expect(r.unbatched).toBe(true);
    expect(r.batch).toBe(1);
    expect(r.inputShape).toEqual(x);
    expect(r.outputShape).toEqual(out);
    const batched = resolveConvTranspose([1, ...x], w, null, attrs);
    expect(batched.unbatched).toBe(false);
    expect(batched.outputShape).toEqual([1, ...out]);
  });
});
