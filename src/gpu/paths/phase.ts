/**
 * `phase`: the stride-phase implicit GEMM (shaders/phase.wgsl). The output splits into its stride phases;
 * each phase is a dense stride-1 convolution over only the taps that reach it, run as a register-blocked
 * GEMM, all phases in one dispatch, with the weights re-packed once per phase at upload.
 */
import phaseWgsl from '../../../shaders/phase.wgsl?raw';
import phaseNarrowWgsl from '../../../shaders/phase_narrow.wgsl?raw';
import reduceWgsl from '../../../shaders/reduce.wgsl?raw';
import type { NumericArray } from '../../reference';
import { sizeOf, type Problem3d } from '../../shape';
import { COMMON_FIELDS, TAP_FIELDS, commonValues, denseView, tapValues, type UniformField } from '../uniforms';
import { givenWeights, ocBlocksFor, packBias } from '../weights';
import type { ShaderDef } from '../wgsl';
import { TARGET_GPU_INVOCATIONS, blockedWork, passWork, type Work } from './cost';
import { finiteWeightsOverride, makeStage, type GpuPathModule, type PlanContext } from './types';

const PHASE_FIELDS: readonly UniformField[] = [
  { name: 'phaseGrid', type: 'vec4<u32>', doc: 'phase-grid size ceil(out/s) per axis (D, H, W), W blocks of PX per row' },
  { name: 'phaseTaps', type: 'vec4<u32>', doc: 'tap slots per phase ceil(k/(s/gcd)) per axis (D, H, W), unused' },
  { name: 'phaseFirsts', type: 'vec4<u32>', doc: 'distinct first taps min(s/gcd, k) per axis (D, H, W), unused' },
];
const PHASE: ShaderDef = { name: 'phase', body: phaseWgsl, fields: [...COMMON_FIELDS, ...TAP_FIELDS, ...PHASE_FIELDS], parts: ['input', 'taps', 'epilogue'] };
const PHASE_NARROW: ShaderDef = { name: 'phase-narrow', body: phaseNarrowWgsl, fields: PHASE.fields, parts: ['input', 'taps', 'epilogue'] };
const REDUCE: ShaderDef = { name: 'reduce', body: reduceWgsl, fields: COMMON_FIELDS, parts: ['epilogue'] };

const FLOAT = 4;

/** Most tap slots per phase the narrow kernel unrolls; beyond it the channel-blocked kernel runs. */
export const MAX_UNROLLED_TAPS = 16;

/**
 * Whether the pixel-blocked kernel (shaders/phase_narrow.wgsl) runs this problem: few channels on both sides
 * of each group (depthwise and its kin), where the channel-blocked GEMM would do one input channel per tap
 * with 3 of 4 lanes idle. With many input channels the GEMM wins even at C_out/groups = 1 (fsrcnn-x3,
 * dcgan-out measured on SwiftShader: 3-4x faster than this kernel), so it keeps those.
 */
export function usesNarrowKernel(p: Problem3d): boolean {
  const { slots } = phaseSlots(p);
  return p.CoutG <= 4 && p.CinG <= 4 && slots[0] * slots[1] * slots[2] <= MAX_UNROLLED_TAPS;
}

/** The register block of one invocation: PX phase-grid pixels × OCV vec4s of output channels. */
export interface PhaseBlock {
  px: number;
  ocv: number;
  /** Split-K: input-channel chunks (1: none). */
  ksplit: number;
}

/**
 * Per axis: how many distinct first taps k0 the phases have (min(s/gcd, k): phases are packed by k0, which is
 * one-to-one with the phases that have taps, so strides far above the kernel cost no extra weight memory)
 * and the tap slots per phase, ceil(k / (s/gcd)).
 */
export function phaseSlots(p: Problem3d): { firsts: number[]; slots: number[] } {
  const sg = tapValues(p).tapStep;
  return { firsts: [0, 1, 2].map((a) => Math.min(sg[a], p.k[a])), slots: [0, 1, 2].map((a) => Math.ceil(p.k[a] / sg[a])) };
}

/** Floats of the packed phase weights. */
export function phaseWeightFloats(p: Problem3d, ocBlocks: number): number {
  const { firsts, slots } = phaseSlots(p);
  return p.G * sizeOf(firsts) * sizeOf(slots) * p.CinG * ocBlocks * 4;
}

/** Weights as w[g][k0D][k0H][k0W][jD][jH][jW][C_in/G][ocBlocks] vec4 (see shaders/phase.wgsl). */
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

/** Invocations of a block choice. */
export function phaseInvocations(p: Problem3d, b: PhaseBlock): number {
  const q = [0, 1, 2].map((a) => Math.ceil(p.outS[a] / p.s[a]));
  const ocBlocks = ocBlocksFor(p.CoutG, b.ocv);
  return b.ksplit * p.N * p.G * p.s[0] * p.s[1] * p.s[2] * q[0] * q[1] * Math.ceil(q[2] / b.px) * (ocBlocks / b.ocv);
}

/** vec4s of output channels per invocation: the largest (up to 4) that pads C_out/groups the least. */
export function channelBlock(coutG: number): number {
  const blocks = Math.ceil(coutG / 4);
  let best = 1;
  for (let v = 2; v <= Math.min(4, blocks); v++) if (Math.ceil(blocks / v) * v <= Math.ceil(blocks / best) * best) best = v;
  return best;
}

/**
 * The register block (and split-K) for a problem. A CPU adapter (2 to 64 cores) wants the fattest block that
 * does not waste lanes: 8 pixels × up to 4 vec4s, no split. A GPU wants tens of thousands of invocations:
 * the channel block shrinks first, then the pixel block (to 4), and a deep layer that is still short of
 * TARGET_GPU_INVOCATIONS splits its input channels (chunks of at least MIN_SPLIT_CHANNELS) rather than
 * shrinking the block further, which would cut each load's reuse.
 */
export function phaseBlock(ctx: Pick<PlanContext, 'p' | 'adapter' | 'maxBindingBytes'>): PhaseBlock {
  const { p } = ctx;
  const qw = Math.ceil(p.outS[2] / p.s[2]);
  let b: PhaseBlock = { px: qw > 4 ? 8 : 4, ocv: channelBlock(p.CoutG), ksplit: 1 };
  if (ctx.adapter === 'cpu') return b;
  while (phaseInvocations(p, b) < TARGET_GPU_INVOCATIONS && (b.ocv > 1 || b.px > 4)) {
    b = b.ocv > 1 ? { ...b, ocv: Math.ceil(b.ocv / 2) } : { ...b, px: 4 };
  }
  const short = Math.ceil(TARGET_GPU_INVOCATIONS / phaseInvocations(p, b));
  const outputBytes = p.N * p.Cout * p.outS[0] * p.outS[1] * p.outS[2] * FLOAT;
  const ksplit = Math.min(short, Math.floor(p.CinG / MIN_SPLIT_CHANNELS), Math.floor(ctx.maxBindingBytes / Math.max(1, outputBytes)));
  return ksplit > 1 ? { ...b, ksplit } : b;
}

/** Fewest input channels in a split-K chunk: below it the extra pass costs more than the parallelism gains. */
export const MIN_SPLIT_CHANNELS = 32;


export const phasePath: GpuPathModule = {
  name: 'phase',
  summary: 'stride-phase implicit GEMM: each phase a dense, register-blocked convolution over its own taps',
  plan(ctx) {
    const { r, p } = ctx;
    const { firsts, slots } = phaseSlots(p);
    const q = [0, 1, 2].map((a) => Math.ceil(p.outS[a] / p.s[a]));
    // Under split-K the GEMM writes dense partials (in the layer's layout) to scratch, not the output's view.
    const partials = denseView(p.Cout, p.outS, ctx.channelsLast);
    const values = (ocBlocks: number, invocations: number, groupsX: number, extra: [number, number], wBlocks: number, icChunk: number, split = false) => ({
      ...commonValues(ctx, ocBlocks, { invocations, groupsX, extra }, icChunk, split ? partials : ctx.views.y),
      ...tapValues(p),
      phaseGrid: [q[0], q[1], q[2], wBlocks],
      phaseTaps: slots,
      phaseFirsts: firsts,
    });
    if (usesNarrowKernel(p)) {
      const invocations = p.N * p.G * p.outS[0] * p.outS[1] * p.s[2];
      return {
        stages: [makeStage(ctx, {
          shader: PHASE_NARROW, overrides: { TD: slots[0], TH: slots[1], TW: slots[2] }, invocations,
          bindings: ['input', 'weight', 'bias', 'output'], values: (groupsX) => values(1, invocations, groupsX, [0, 0], 0, p.CinG),
        })],
        scratch: {},
        weightBytes: phaseWeightFloats(p, 1) * FLOAT,
        packWeights: (w) => packPhaseWeights(ctx, w, 1),
        packBias: (b) => packBias(r, b, 1),
      };
    }
    const block = phaseBlock(ctx);
    const ocBlocks = ocBlocksFor(p.CoutG, block.ocv);
    const wBlocks = Math.ceil(q[2] / block.px);
    const invocations = phaseInvocations(p, block);
    const icChunk = Math.ceil(p.CinG / block.ksplit);
    const split = block.ksplit > 1;
    const gemm = makeStage(ctx, {
      shader: PHASE, overrides: { PX: block.px, OCV: block.ocv, KSPLIT: block.ksplit, ...finiteWeightsOverride(ctx) }, invocations,
      bindings: ['input', 'weight', 'bias', split ? 'scratch:split-K partial sums' : 'output'],
      values: (groupsX) => values(ocBlocks, invocations, groupsX, [ocBlocks / block.ocv, 0], wBlocks, icChunk, split),
    });
    const outputCells = p.N * p.Cout * p.outS[0] * p.outS[1] * p.outS[2];
    const reduce = () => makeStage(ctx, {
      shader: REDUCE, invocations: outputCells, bindings: ['scratch:split-K partial sums', 'bias', 'output'],
      values: (groupsX) => commonValues(ctx, ocBlocks, { invocations: outputCells, groupsX, extra: [block.ksplit, 0] }),
    });
    return {
      stages: split ? [gemm, reduce()] : [gemm],
      scratch: split ? { 'split-K partial sums': block.ksplit * outputCells * FLOAT } : ({} as Record<string, number>),
      weightBytes: phaseWeightFloats(p, ocBlocks) * FLOAT,
      packWeights: (w) => packPhaseWeights(ctx, w, ocBlocks),
      packBias: (b) => packBias(r, b, ocBlocks),
    };
  },
  work(ctx) {
    const { p } = ctx;
    const outputCells = p.N * p.Cout * p.outS[0] * p.outS[1] * p.outS[2];
    if (usesNarrowKernel(p)) {
      // Every tap slot is visited (unrolled, masked), 4 pixels per step: 4 input + 4 weight loads, all masked.
      const { slots } = phaseSlots(p);
      const rows = p.N * p.G * p.outS[0] * p.outS[1];
      let chunks = 0;
      for (let rw = 0; rw < Math.min(p.s[2], p.outS[2]); rw++) chunks += Math.ceil(Math.ceil((p.outS[2] - rw) / p.s[2]) / 4);
      const steps = rows * chunks * p.CinG * slots[0] * slots[1] * slots[2];
      return [{ invocations: rows * p.s[2], taps: 0, edgeTaps: steps, loads: 0, edgeLoads: steps * 8, fmas: steps * p.CoutG, cells: 0 }];
    }
    const b = phaseBlock(ctx);
    const ocBlocks = ocBlocksFor(p.CoutG, b.ocv);
    const gemm: Work = blockedWork(p, { block: b.px, cb: ocBlocks / b.ocv, ocv: b.ocv, invocations: phaseInvocations(p, b), icPerTap: Math.ceil(p.CinG / b.ksplit), splits: b.ksplit });
    return b.ksplit > 1 ? [gemm, passWork(outputCells * b.ksplit)] : [gemm];
  },
};
