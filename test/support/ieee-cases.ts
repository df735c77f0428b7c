/**
 * Special-value cases (issue 9, item 1): each with the result PyTorch 1.13's conv_transpose1d gives, which is
 * the scatter definition under IEEE rules: only products of an input cell and a tap that reach an output
 * cell are summed (from +0), the bias is added last, and masked lanes or inserted zeros add nothing.
 * Values are in wire form (test/support/compare.ts) so they cross into the test page intact.
 */
import type { ConvTransposeAttributes } from '../../src/shape';
import type { WireNumber } from './compare';

export interface IeeeCase {
  name: string;
  inputShape: number[];
  weightShape: number[];
  attrs: ConvTransposeAttributes;
  input: WireNumber[];
  weight: WireNumber[];
  bias?: WireNumber[];
  /** PyTorch's result; without it the case is checked against the float64 reference only. */
  expected?: { shape: number[]; data: WireNumber[] };
}

const ones = (n: number): WireNumber[] => Array.from({ length: n }, () => 1);

export const IEEE_CASES: readonly IeeeCase[] = [
  {
    name: '[Inf] * [1, 1], stride 1 -> [Inf, Inf] (a masked edge lane adds nothing)',
    inputShape: [1, 1, 1], weightShape: [1, 1, 2], attrs: { stride: 1 },
    input: ['Infinity'], weight: [1, 1], expected: { shape: [1, 1, 2], data: ['Infinity', 'Infinity'] },
  },
  {
    name: '[NaN] * [1, 1], dilation 2 -> [NaN, 0, NaN] (the cell between taps is reached by nothing)',
    inputShape: [1, 1, 1], weightShape: [1, 1, 2], attrs: { dilation: 2 },
    input: ['NaN'], weight: [1, 1], expected: { shape: [1, 1, 3], data: ['NaN', 0, 'NaN'] },
  },
  {
    name: 'ones(8) with Inf last * [1] -> Inf only at the end',
    inputShape: [1, 1, 8], weightShape: [1, 1, 1], attrs: {},
    input: [...ones(7), 'Infinity'], weight: [1], expected: { shape: [1, 1, 8], data: [...ones(7), 'Infinity'] },
  },
  {
    name: 'ones(4) * [1, Inf, 1], stride 2 -> [1, Inf, 2, Inf, 2, Inf, 2, Inf, 1] (inserted zeros add nothing)',
    inputShape: [1, 1, 4], weightShape: [1, 1, 3], attrs: { stride: 2 },
    input: ones(4), weight: [1, 'Infinity', 1], expected: { shape: [1, 1, 9], data: [1, 'Infinity', 2, 'Infinity', 2, 'Infinity', 2, 'Infinity', 1] },
  },
  {
    name: '[1] * [Inf, 1] -> [Inf, 1] (padding adds nothing)',
    inputShape: [1, 1, 1], weightShape: [1, 1, 2], attrs: {},
    input: [1], weight: ['Infinity', 1], expected: { shape: [1, 1, 2], data: ['Infinity', 1] },
  },
  {
    name: '2-D: ones(3x3) * Inf-centred 3x3, stride 2 -> Inf where the Inf tap lands, 0 elsewhere (zero taps times 1)',
    inputShape: [1, 1, 2, 2], weightShape: [1, 1, 3, 3], attrs: { stride: 2 },
    input: ones(4), weight: [0, 0, 0, 0, 'Infinity', 0, 0, 0, 0],
    // Each input cell (i, j) reaches (2i + 1, 2j + 1) through the Inf tap and 8 neighbours through zero taps (0*1 = 0).
    expected: { shape: [1, 1, 5, 5], data: [0, 0, 0, 0, 0, 0, 'Infinity', 0, 'Infinity', 0, 0, 0, 0, 0, 0, 0, 'Infinity', 0, 'Infinity', 0, 0, 0, 0, 0, 0] },
  },
  {
    name: '-Inf and +Inf meeting in one cell -> NaN there only',
    inputShape: [1, 1, 2], weightShape: [1, 1, 2], attrs: {},
    input: ['Infinity', '-Infinity'], weight: [1, 1], expected: { shape: [1, 1, 3], data: ['Infinity', 'NaN', '-Infinity'] },
  },
  {
    name: 'a real 0 input times an Inf weight is NaN (it is a product of the definition)',
    inputShape: [1, 1, 2], weightShape: [1, 1, 1], attrs: { stride: 2 },
    input: [0, 1], weight: ['Infinity'], expected: { shape: [1, 1, 3], data: ['NaN', 0, 'Infinity'] },
  },
];

/** A -0 bias: cells that no input reaches must hold +0 (0 + -0), as in PyTorch; reached cells hold the sum. */
export const NEGATIVE_ZERO_BIAS_CASES: readonly IeeeCase[] = [
  {
    name: '-0 bias, stride 3: unreached cells are +0',
    inputShape: [1, 1, 2], weightShape: [1, 1, 1], attrs: { stride: 3 }, input: [1, 2], weight: [1], bias: ['-0'],
    expected: { shape: [1, 1, 4], data: [1, 0, 0, 2] },
  },
  {
    name: '-0 bias, 2-D, 6 output channels, stride 3 with a 2x2 kernel: unreached cells are +0',
    inputShape: [1, 3, 3, 4], weightShape: [3, 6, 2, 2], attrs: { stride: 3 },
    input: Array.from({ length: 36 }, (_, i) => ((i * 7) % 5) - 2), weight: Array.from({ length: 72 }, (_, i) => ((i * 3) % 7) - 3),
    bias: Array.from({ length: 6 }, (): WireNumber => '-0'),
  },
];
