/**
 * The stride-phase decomposition as data: the tap slots of each phase, the uniform fields that describe them,
 * and the weights re-packed per phase. Shared by the families that run phases as GEMMs (phase, tiled, k-split).
 */
import type { NumericArray } from '../../../reference';
import { sizeOf, type Problem3d } from '../../../shape';
import { commonValues, tapValues, type TensorView, type UniformField, type UniformValues } from '../../uniforms';
import { givenWeights } from '../weights';
import type { PlanContext } from '../../plan/context';

export const PHASE_FIELDS: readonly UniformField[] = [
  { name: 'phaseGrid', type: 'vec4<u32>', doc: 'phase-grid size ceil(out/s) per axis (D, H, W), kernel-specific' },
  { name: 'phaseTaps', type: 'vec4<u32>', doc: 'tap slots per phase ceil(k/(s/gcd)) per axis (D, H, W), kernel-specific' },
  { name: 'phaseFirsts', type: 'vec4<u32>', doc: 'distinct first taps min(s/gcd, k) per axis (D, H, W), kernel-specific' },
];

/**
 * Per axis: how many distinct first taps k0 the phases have (min(s/gcd, k): phases are packed by k0, which is
 * one-to-one with the phases that have taps, so strides far above the kernel cost no extra weight memory)
 * and the tap slots per phase, ceil(k / (s/gcd)).
 */
export function phaseSlots(p: Problem3d): { firsts: number[]; slots: number[] } {
  const sg = tapValues(p).tapStep;
  return { firsts: [0, 1, 2].map((a) => Math.min(sg[a], p.k[a])), slots: [0, 1, 2].map((a) => Math.ceil(p.k[a] / sg[a])) };
}

/** The phase grid, ceil(out / s) per axis. */
export function phaseGrid(p: Problem3d): number[] {
  return [0, 1, 2].map((a) => Math.ceil(p.outS[a] / p.s[a]));
}

/** Floats of the packed phase weights. */
export function phaseWeightFloats(p: Problem3d, ocBlocks: number): number {
  const { firsts, slots } = phaseSlots(p);
  return p.G * sizeOf(firsts) * sizeOf(slots) * p.CinG * ocBlocks * 4;
}

/**
 * Weights as w[g][k0D][k0H][k0W][jD][jH][jW][C_in/G][ocBlocks] vec4: per phase (found by its first taps k0), a
 * dense K × N matrix with K = (tap slot, input channel) and N = output channels, zero past C_out/G and in the
 * slots a phase lacks (k0 + j·s/gcd ≥ k).
 */
export function packPhaseWeights(ctx: PlanContext, w: NumericArray, ocBlocks: number): Float32Array {
  const { p, r } = ctx;
  const get = givenWeights(r, w);
  const { firsts: [FD, FH, FW], slots: [TD, TH, TW] } = phaseSlots(p);
  const sg = tapValues(p).tapStep;
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

/**
 * Uniform values of a phase kernel: the common fields (with `chanG.w` = `icChunk`, the input channels of one
 * split-K chunk, and the output view `y`), the tap fields and the phase fields (`phaseGrid.w` = `gridW`).
 */
export function phaseValues(ctx: PlanContext, o: {
  ocBlocks: number; invocations: number; extra?: [number, number]; gridW: number; icChunk: number; y?: TensorView;
}): UniformValues {
  const { p } = ctx;
  const { firsts, slots } = phaseSlots(p);
  const q = phaseGrid(p);
  return {
    ...commonValues(ctx, o.ocBlocks, { invocations: o.invocations, extra: o.extra }, o.icChunk, o.y ?? ctx.views.y),
    ...tapValues(p),
    phaseGrid: [q[0], q[1], q[2], o.gridW],
    phaseTaps: slots,
    phaseFirsts: firsts,
  };
}
