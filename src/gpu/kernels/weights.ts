/**
 * Weight and bias packing helpers shared by the families. Kernels read weights as vec4s of 4 output channels of one
 * group, so one load feeds 4 output channels; channels past C_out/G are zeros. Each family decides the
 * order of the other axes: the direct ones (gather, zero-insert) by tap, the phase GEMMs (phase, tiled,
 * k-parallel) by stride phase.
 */
import type { NumericArray } from '../../reference';
import { problem3d, sizeOf, type Problem3d, type ResolvedConvTranspose } from '../../shape';
import { phaseSlots, tapSteps } from '../geometry';

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

/** Floats of the packed phase weights (packPhaseWeights). */
export function phaseWeightFloats(p: Problem3d, ocBlocks: number): number {
  const { firsts, slots } = phaseSlots(p);
  return p.G * sizeOf(firsts) * sizeOf(slots) * p.CinG * ocBlocks * 4;
}

/**
 * Weights as w[g][k0D][k0H][k0W][jD][jH][jW][C_in/G][ocBlocks] vec4, as the phase GEMMs read them
 * (wgsl/phases.wgsl): per phase (found by its first taps k0), a dense K × N matrix with K = (tap slot, input
 * channel) and N = output channels, zero past C_out/G and in the slots a phase lacks (k0 + j·s/gcd ≥ k).
 */
export function packPhaseWeights({ r, p }: { r: ResolvedConvTranspose; p: Problem3d }, w: NumericArray, ocBlocks: number): Float32Array {
  const get = givenWeights(r, w);
  const { firsts: [FD, FH, FW], slots: [TD, TH, TW] } = phaseSlots(p);
  const sg = tapSteps(p).tapStep;
  const lanes = ocBlocks * 4;
  const out = new Float32Array(phaseWeightFloats(p, ocBlocks));
  let o = 0;
  for (let g = 0; g < p.G; g++) for (let fd = 0; fd < FD; fd++) for (let fh = 0; fh < FH; fh++) for (let fw = 0; fw < FW; fw++) {
    for (let jd = 0; jd < TD; jd++) for (let jh = 0; jh < TH; jh++) for (let jw = 0; jw < TW; jw++) {
      const [kd, kh, kw] = [fd + jd * sg[0], fh + jh * sg[1], fw + jw * sg[2]];
      const real = kd < p.k[0] && kh < p.k[1] && kw < p.k[2];
      const tap = (kd * p.k[1] + kh) * p.k[2] + kw;
      for (let ic = 0; ic < p.CinG; ic++, o += lanes) {
        if (real) for (let oc = 0; oc < p.CoutG; oc++) out[o + oc] = get(g, ic, tap, oc);
      }
    }
  }
  return out;
}
