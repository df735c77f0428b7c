/**
 * Weight and bias layouts on the GPU. Both paths read weights as vec4s of 4 output channels of one group,
 * [G][C_in/G][kD][kH][kW][ocBlocks], so one load feeds 4 output channels; channels past C_out/G are zeros.
 * `ocBlocks` is ceil(C_out/G / 4) rounded up to the shader's blocks per invocation (see ocBlocksFor).
 */
import { flipSwapKernel, type NumericArray } from '../reference';
import { problem3d, sizeOf, type ResolvedConvTranspose } from '../shape';

type Get = (g: number, ic: number, tap: number, oc: number) => number;

/** vec4 blocks of output channels per group when an invocation handles `perInvocation` of them. */
export function ocBlocksFor(coutG: number, perInvocation: number): number {
  return Math.ceil(Math.ceil(coutG / 4) / perInvocation) * perInvocation;
}

function packBlocks(r: ResolvedConvTranspose, blocks: number, get: Get): Float32Array {
  const p = problem3d(r);
  const taps = sizeOf(p.k);
  const out = new Float32Array(p.G * p.CinG * taps * blocks * 4);
  let o = 0;
  for (let g = 0; g < p.G; g++) for (let ic = 0; ic < p.CinG; ic++) for (let t = 0; t < taps; t++) {
    for (let oc = 0; oc < blocks * 4; oc++, o++) if (oc < p.CoutG) out[o] = get(g, ic, t, oc);
  }
  return out;
}

/** Gather path: the weights as given, W[g·C_in/G + ic][oc][tap], regrouped into output-channel vec4s. */
export function packGatherWeights(r: ResolvedConvTranspose, w: NumericArray, blocks: number): Float32Array {
  const { CinG, CoutG, k } = problem3d(r);
  const taps = sizeOf(k);
  return packBlocks(r, blocks, (g, ic, t, oc) => w[((g * CinG + ic) * CoutG + oc) * taps + t]);
}

/** Zero-insert path: the flipped, channel-swapped convolution kernel wc[oc][ic][tap], regrouped likewise. */
export function packConvWeights(r: ResolvedConvTranspose, w: NumericArray, blocks: number): Float32Array {
  const { CinG, CoutG, k } = problem3d(r);
  const taps = sizeOf(k);
  const wc = flipSwapKernel(r, w);
  return packBlocks(r, blocks, (g, ic, t, oc) => wc[((g * CoutG + oc) * CinG + ic) * taps + t]);
}

/** Bias as [G][ocBlocks] vec4 (zeros where absent or padded). */
export function packBias(r: ResolvedConvTranspose, bias: NumericArray | null | undefined, blocks: number): Float32Array {
  const { G, CoutG } = problem3d(r);
  const out = new Float32Array(G * blocks * 4);
  if (bias) for (let g = 0; g < G; g++) for (let oc = 0; oc < CoutG; oc++) out[g * blocks * 4 + oc] = bias[g * CoutG + oc];
  return out;
}
