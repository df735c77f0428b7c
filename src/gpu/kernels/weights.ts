/**
 * Weight and bias packing helpers shared by the families. Kernels read weights as vec4s of 4 output channels of one
 * group, so one load feeds 4 output channels; channels past C_out/G are zeros. Each family decides the
 * order of the other axes.
 */
import type { NumericArray } from '../../reference';
import { problem3d, sizeOf, type ResolvedConvTranspose } from '../../shape';

/** vec4 blocks of output channels per group when an invocation handles `perInvocation` of them. */
export function ocBlocksFor(coutG: number, perInvocation: number): number {
  return Math.ceil(Math.ceil(coutG / 4) / perInvocation) * perInvocation;
}

/** Value of weight W[g·C_in/G + ic][oc][tap] as a path reads it (flipped or not). */
export type WeightGet = (g: number, ic: number, tap: number, oc: number) => number;

/** The weights as given: W[g·C_in/G + ic][oc][tap]. */
export function givenWeights(r: ResolvedConvTranspose, w: NumericArray): WeightGet {
  const { CinG, CoutG, k } = problem3d(r);
  const taps = sizeOf(k);
  return (g, ic, t, oc) => w[((g * CinG + ic) * CoutG + oc) * taps + t];
}

/** [G][C_in/G][kD][kH][kW][blocks] vec4s of output channels. */
export function packChannelBlocks(r: ResolvedConvTranspose, blocks: number, get: WeightGet): Float32Array {
  const p = problem3d(r);
  const taps = sizeOf(p.k);
  const out = new Float32Array(p.G * p.CinG * taps * blocks * 4);
  let o = 0;
  for (let g = 0; g < p.G; g++) for (let ic = 0; ic < p.CinG; ic++) for (let t = 0; t < taps; t++) {
    for (let oc = 0; oc < blocks * 4; oc++, o++) if (oc < p.CoutG) out[o] = get(g, ic, t, oc);
  }
  return out;
}

/** Bias as [G][blocks] vec4 (zeros where absent or padded). */
export function packBias(r: ResolvedConvTranspose, bias: NumericArray | null | undefined, blocks: number): Float32Array {
  const { G, CoutG } = problem3d(r);
  const out = new Float32Array(G * blocks * 4);
  if (bias) for (let g = 0; g < G; g++) for (let oc = 0; oc < CoutG; oc++) out[g * blocks * 4 + oc] = bias[g * CoutG + oc];
  return out;
}
