/**
 * `phase`: the stride-phase implicit GEMM (phase.wgsl). The output splits into its stride phases; each phase is
 * a dense stride-1 convolution over only the taps that reach it, run as a register-blocked GEMM, all phases in
 * one dispatch, with the weights re-packed once per phase at upload (weights.ts: packPhaseWeights).
 * Layers with few output channels per group, on a CPU adapter, run the GEMM with pixels in the vec4 lanes
 * (phase_pixels.wgsl), depthwise-like ones included; on a GPU, depthwise-like problems run the pixel-blocked
 * kernel (phase_narrow.wgsl). All on the same packed weights.
 */
import phaseWgsl from './phase.wgsl?raw';
import phaseNarrowWgsl from './phase_narrow.wgsl?raw';
import phasePixelsWgsl from './phase_pixels.wgsl?raw';
import type { Problem3d } from '../../../shape';
import { COMMON_FIELDS, INVOCATIONS_FIELD, PHASE_FIELDS, TAP_FIELDS, phaseValues, u32Field } from '../../uniforms';
import { phaseCounts, phaseGrid, phaseSlots, tapSteps } from '../../geometry';
import { ocBlocksFor, packBias, packPhaseWeights, phaseWeightFloats } from '../weights';
import { blockedWork } from '../../plan/cost';
import { PHASE_RULE_INVOCATIONS } from '../../plan/gpu-fill';
import type { PlanContext } from '../../plan/context';
import { MAX_LOOP_ITERATIONS, innerWithinBudget, tapNestIterations, tapsPerInvocation } from '../../plan/loop-budget';
import { PARTIALS, maxSplit, partialsBytes, partialsView, reduceStage, reduceWork } from '../stages/reduce';
import { BINDINGS, checkConfigFields, defineFamily, distinct, intIn, makeStage, oneOf, type KernelDef } from '../kernel';

/**
 * `gemm`: the channel-blocked GEMM, each invocation a register block of `px` phase-grid pixels × `ocv` vec4s of
 * output channels, the input channels split into `ksplit` chunks (1: no split; more: partial sums and a
 * reduction stage). `narrow`: the pixel-blocked kernel for few channels per group. `pixels`: the GEMM with
 * `pv` vec4s of phase-grid pixels (4·pv pixels) × one block of up to 4 output channels per invocation.
 */
export type PhaseConfig =
  | { readonly kernel: 'gemm'; readonly px: number; readonly ocv: number; readonly ksplit: number }
  | { readonly kernel: 'narrow' }
  | { readonly kernel: 'pixels'; readonly pv: number };

type GemmConfig = Extract<PhaseConfig, { kernel: 'gemm' }>;
type PixelsConfig = Extract<PhaseConfig, { kernel: 'pixels' }>;

const NARROW_FIELDS = [...COMMON_FIELDS, ...TAP_FIELDS, ...PHASE_FIELDS, INVOCATIONS_FIELD];
const PHASE: KernelDef = {
  name: 'phase', body: phaseWgsl, snippets: ['taps', 'phases', 'epilogue'], finiteWeights: true,
  fields: [
    ...NARROW_FIELDS,
    u32Field('chBlocks', 'blocks of OCV vec4s of output channels per group'),
    u32Field('wBlocks', 'blocks of PX phase-grid pixels along W, ceil(phaseGrid.z / PX)'),
    u32Field('icChunk', 'input channels per split-K chunk (C_in/groups without a split)'),
  ],
  bindings: [BINDINGS.x, BINDINGS.w, BINDINGS.bias, BINDINGS.y],
};
const PHASE_NARROW: KernelDef = {
  ...PHASE, name: 'phase-narrow', body: phaseNarrowWgsl, finiteWeights: false,
  fields: [
    ...NARROW_FIELDS,
    u32Field('segments', 'segments of each phase row, one invocation each (narrowSegments)'),
    u32Field('segPixels', 'phase-grid pixels per segment, a multiple of 4'),
  ],
};
const PHASE_PIXELS: KernelDef = {
  ...PHASE, name: 'phase-pixels', body: phasePixelsWgsl,
  fields: [...NARROW_FIELDS, u32Field('wBlocks', 'blocks of 4·PV phase-grid pixels along W, ceil(phaseGrid.z / (4·PV))')],
};

/** Most tap slots per phase the narrow kernel unrolls; beyond it the channel-blocked kernel runs. */
export const MAX_UNROLLED_TAPS = 16;

/** Fewest input channels in a split-K chunk: below it the extra pass costs more than the parallelism gains. */
export const MIN_SPLIT_CHANNELS = 32;

/**
 * Whether the narrow kernel runs this problem: few channels on both sides of each group (depthwise and its
 * kin), where the channel-blocked GEMM would do one input channel per tap with 3 of 4 lanes idle. With many
 * input channels the GEMM wins even at C_out/groups = 1 (fsrcnn-x3, dcgan-out measured on SwiftShader: 3-4x
 * faster than this kernel), so it keeps those.
 */
export function usesNarrowKernel(p: Problem3d): boolean {
  const { slots } = phaseSlots(p);
  return p.CoutG <= 4 && p.CinG <= 4 && slots[0] * slots[1] * slots[2] <= MAX_UNROLLED_TAPS;
}

/**
 * How the narrow kernel splits each phase row among invocations: whole rows where an invocation's loops stay
 * within MAX_LOOP_ITERATIONS (plan/loop-budget.ts), else segments of `pixels` phase-grid pixels (a 1-D signal of
 * 2^21 samples is one row); `loops`, the iterations of the longest segment. The tap loops count as loops here:
 * a compiler may unroll them, or not.
 */
export function narrowSegments(p: Problem3d): { segments: number; pixels: number; loops: number } {
  const { slots } = phaseSlots(p);
  const perStep = 1 + p.CinG * (1 + slots[0] * (1 + slots[1] * (1 + slots[2]))); // iterations per 4 pixels
  const pixels = 4 * Math.max(1, Math.floor(MAX_LOOP_ITERATIONS / perStep));
  const row = phaseGrid(p)[2];
  return { segments: Math.ceil(row / pixels), pixels, loops: Math.ceil(Math.min(pixels, row) / 4) * perStep };
}

/** Invocations of a GEMM configuration. */
export function phaseInvocations(p: Problem3d, b: GemmConfig): number {
  const q = phaseGrid(p);
  const ocBlocks = ocBlocksFor(p.CoutG, b.ocv);
  const ph = phaseCounts(p);
  return b.ksplit * p.N * p.G * ph[0] * ph[1] * ph[2] * q[0] * q[1] * Math.ceil(q[2] / b.px) * (ocBlocks / b.ocv);
}

/** vec4s of output channels per invocation: the largest (up to 4) that pads C_out/groups the least. */
export function channelBlock(coutG: number): number {
  const blocks = Math.ceil(coutG / 4);
  let best = 1;
  for (let v = 2; v <= Math.min(4, blocks); v++) if (Math.ceil(blocks / v) * v <= Math.ceil(blocks / best) * best) best = v;
  return best;
}

/**
 * The GEMM's register block and split-K for a problem. A CPU adapter (2 to 64 cores) wants the fattest block
 * that does not waste lanes: 8 pixels × up to 4 vec4s, no split. A GPU wants tens of thousands of invocations:
 * the channel block shrinks first, then the pixel block (to 4), and a deep layer that is still short of
 * PHASE_RULE_INVOCATIONS (plan/gpu-fill.ts) splits its input channels (chunks of at least MIN_SPLIT_CHANNELS) rather than
 * shrinking the block further, which would cut each load's reuse. On either, a layer so deep that one invocation's
 * loops would pass the budget (plan/loop-budget.ts) splits its input channels at least that far.
 */
export function phaseBlock(ctx: PlanContext): GemmConfig {
  const { p } = ctx;
  const qw = phaseGrid(p)[2];
  let b: GemmConfig = { kernel: 'gemm', px: qw > 4 ? 8 : 4, ocv: channelBlock(p.CoutG), ksplit: 1 };
  if (ctx.adapter === 'gpu') {
    while (phaseInvocations(p, b) < PHASE_RULE_INVOCATIONS && (b.ocv > 1 || b.px > 4)) {
      b = b.ocv > 1 ? { ...b, ocv: Math.ceil(b.ocv / 2) } : { ...b, px: 4 };
    }
    const short = Math.ceil(PHASE_RULE_INVOCATIONS / phaseInvocations(p, b));
    const ksplit = Math.min(short, Math.floor(p.CinG / MIN_SPLIT_CHANNELS), maxSplit(ctx));
    if (ksplit > 1) b = { ...b, ksplit };
  }
  // On any adapter: at least the split that keeps an invocation's loops within the budget.
  const budget = Math.ceil(p.CinG / Math.max(1, innerWithinBudget(tapsPerInvocation(p, b.px))));
  return budget > b.ksplit ? { ...b, ksplit: budget } : b;
}

/**
 * The pixels kernel's window (phase_pixels.wgsl: WINDOW, TW): where the W taps read inputs one column apart
 * (d/gcd(s, d) = 1), every weight is finite (a window cell outside the row reads 0) and a phase has at most 3
 * W tap slots, the slots are unrolled on one shifted window of inputs.
 */
function windowOverrides(ctx: PlanContext): Record<string, number> {
  const tw = phaseSlots(ctx.p).slots[2];
  return ctx.finiteWeights && tapSteps(ctx.p).inStep[2] === 1 && tw <= 3 ? { WINDOW: 1, TW: tw } : {};
}

/** Input channels per split-K chunk, and the chunks that have any (a split above C_in/G leaves none empty). */
function splitOf(p: Problem3d, ksplit: number): { icChunk: number; ksplit: number } {
  const icChunk = Math.ceil(p.CinG / Math.max(1, ksplit));
  return { icChunk, ksplit: Math.ceil(p.CinG / icChunk) };
}

/**
 * Whether a CPU adapter runs the pixels kernel: fewer than 4 output channels per group (the channel-blocked
 * GEMM would leave lanes of every FMA idle); for the narrow kernel's depthwise-like layers, only where its window
 * applies (windowOverrides), which made it 1.25-1.55x faster than the narrow kernel on SwiftShader (depthwise-up
 * and two depthwise 1-D layers, alternated runs). On GPU plans the narrow kernel and the k-parallel family cover
 * these layers.
 */
export function usesPixelsKernel(ctx: PlanContext): boolean {
  if (ctx.adapter !== 'cpu') return false;
  return usesNarrowKernel(ctx.p) ? windowOverrides(ctx).WINDOW === 1 : ctx.p.CoutG < 4;
}

/** The pixels kernel's block: 4 vec4s (16 pixels), fewer where the phase row is shorter. */
export function pixelsBlock(p: Problem3d): PixelsConfig {
  return { kernel: 'pixels', pv: Math.min(4, Math.ceil(phaseGrid(p)[2] / 4)) };
}

/**
 * The family's rule: on a CPU the pixels kernel for few outputs per group, on a GPU the narrow kernel where it
 * applies; else (and where the pixels kernel's loops would pass the budget: it cannot split K) the narrow kernel
 * where it applies, or the GEMM with phaseBlock's block.
 */
function phaseConfig(ctx: PlanContext): PhaseConfig {
  if (usesPixelsKernel(ctx)) {
    const pixels = pixelsBlock(ctx.p);
    if (pixelsLoops(ctx.p, pixels) <= MAX_LOOP_ITERATIONS) return pixels;
  }
  return usesNarrowKernel(ctx.p) ? { kernel: 'narrow' } : phaseBlock(ctx);
}

/** Loop iterations of one invocation of the pixels kernel: every input channel under each tap. */
function pixelsLoops(p: Problem3d, { pv }: PixelsConfig): number {
  return tapNestIterations(tapsPerInvocation(p, 4 * pv), p.CinG);
}

/** Invocations and blocks of a pixels configuration. */
function pixelsShape(p: Problem3d, { pv }: PixelsConfig) {
  const q = phaseGrid(p);
  const ph = phaseCounts(p);
  const ocBlocks = ocBlocksFor(p.CoutG, 1);
  const wBlocks = Math.ceil(q[2] / (4 * pv));
  return { ocBlocks, wBlocks, invocations: p.N * p.G * ph[0] * ph[1] * ph[2] * q[0] * q[1] * ocBlocks * wBlocks };
}

/**
 * Work of a pixels configuration: blockedWork's count for 4·pv pixels and one vec4 of channels, with the loads
 * and FMAs of this kernel per step: 4·pv inputs and the weights of the block's channels (the unused lanes of a
 * weight vec4 are never read), pv vec4 FMAs per channel.
 */
function pixelsWork(ctx: PlanContext, c: PixelsConfig) {
  const { p } = ctx;
  const { ocBlocks, invocations } = pixelsShape(p, c);
  const px = 4 * c.pv, oc = Math.min(4, p.CoutG);
  const w = blockedWork(p, { block: px, cb: ocBlocks, ocv: 1, invocations, icPerTap: p.CinG });
  // Under the window the TW W taps of a step load px + TW - 1 inputs in all, not px each (counted as if every
  // phase had all TW taps: the model's approximation).
  const tw = windowOverrides(ctx).TW ?? 1;
  const loads = (px + tw - 1 + tw * oc) / (tw * (px + 4)), fmas = (c.pv * oc) / px;
  return { ...w, loads: w.loads * loads, edgeLoads: w.edgeLoads * loads, fmas: w.fmas * fmas };
}

function narrowWork(p: Problem3d) {
  // Every tap slot is visited (unrolled, masked), 4 pixels per step: 4 input + 4 weight loads, all masked.
  const { slots } = phaseSlots(p);
  const rows = p.N * p.G * p.outS[0] * p.outS[1];
  let chunks = 0;
  for (let rw = 0; rw < Math.min(p.s[2], p.outS[2]); rw++) chunks += Math.ceil(Math.ceil((p.outS[2] - rw) / p.s[2]) / 4);
  const steps = rows * chunks * p.CinG * slots[0] * slots[1] * slots[2];
  return { invocations: rows * narrowSegments(p).segments * phaseCounts(p)[2], taps: 0, edgeTaps: steps, loads: 0, edgeLoads: steps * 8, fmas: steps * p.CoutG, cells: 0 };
}

export const phase = defineFamily({
  name: 'phase',
  summary: 'stride-phase implicit GEMM: each phase a dense, register-blocked convolution over its own taps',
  kernels: [PHASE, PHASE_NARROW, PHASE_PIXELS],
  configFor: phaseConfig,
  // The GPU rule's kind of plan on any problem: a small register block and split-K with a short last chunk;
  // the pixels kernel with a ragged last block (12 pixels) on every layer, several channel blocks included.
  examples: [{ kernel: 'gemm', px: 4, ocv: 1, ksplit: 3 }, { kernel: 'pixels', pv: 3 }] as PhaseConfig[],
  candidates(ctx): PhaseConfig[] {
    const rule = phaseConfig(ctx);
    // The pixels kernel's rule with many input channels is the model's guess: the channel-blocked GEMM beside
    // it. On depthwise-like layers it is the measured choice (usesPixelsKernel), and timing the narrow kernel
    // beside it on every small layer cost more set-up than it could save.
    if (rule.kernel === 'pixels') return usesNarrowKernel(ctx.p) ? [rule] : [rule, phaseBlock(ctx)];
    if (ctx.adapter === 'cpu' || rule.kernel === 'narrow') return [rule];
    // On a GPU: the rule's block, and its neighbours in split and block size, which the rule cannot rank.
    const { p } = ctx;
    const most = Math.min(Math.floor(p.CinG / 8), maxSplit(ctx));
    return distinct<PhaseConfig>([
      rule,
      ...(rule.ksplit > 1 ? [{ ...rule, ksplit: Math.max(1, Math.floor(rule.ksplit / 2)) }] : []),
      ...(rule.ksplit * 2 <= most ? [{ ...rule, ksplit: rule.ksplit * 2 }] : []),
      { ...rule, px: rule.px === 8 ? 4 : 8 },
    ]);
  },
  checkConfig(ctx, c) {
    const kernel = (c as { kernel?: unknown } | null)?.kernel;
    if (kernel === 'narrow') {
      const narrow = checkConfigFields<PhaseConfig>('phase', c, { kernel: oneOf('narrow') });
      if (ctx.p.CoutG > 4) throw new TypeError(`config.kernel: 'narrow' needs at most 4 output channels per group, this layer has ${ctx.p.CoutG}`);
      return narrow;
    }
    if (kernel === 'pixels') return checkConfigFields<PhaseConfig>('phase', c, { kernel: oneOf('pixels'), pv: intIn(1, 4) });
    return checkConfigFields<PhaseConfig>('phase', c, { kernel: oneOf('gemm', 'narrow', 'pixels'), px: oneOf(4, 8), ocv: intIn(1, 4), ksplit: intIn(1, 65535) });
  },
  plan(ctx, config) {
    const { r, p } = ctx;
    if (config.kernel === 'narrow') {
      const { slots } = phaseSlots(p);
      const { segments, pixels, loops } = narrowSegments(p);
      const invocations = p.N * p.G * p.outS[0] * p.outS[1] * segments * phaseCounts(p)[2];
      return {
        stages: [makeStage(ctx, {
          kernel: PHASE_NARROW, overrides: { TD: slots[0], TH: slots[1], TW: slots[2] }, invocations, loops,
          bind: { x: 'input', w: 'weight', bias: 'bias', y: 'output' },
          values: { ...phaseValues(ctx, { ocBlocks: 1 }), segments, segPixels: pixels },
        })],
        scratch: {},
        weightBytes: phaseWeightFloats(p, 1) * 4,
        packWeights: (w) => packPhaseWeights(ctx, w, 1),
        packBias: (b) => packBias(r, b, 1),
      };
    }
    if (config.kernel === 'pixels') {
      const { ocBlocks, wBlocks, invocations } = pixelsShape(p, config);
      return {
        stages: [makeStage(ctx, {
          kernel: PHASE_PIXELS, overrides: { PV: config.pv, OC: Math.min(4, p.CoutG), ...windowOverrides(ctx) }, invocations, loops: pixelsLoops(p, config),
          bind: { x: 'input', w: 'weight', bias: 'bias', y: 'output' },
          values: { ...phaseValues(ctx, { ocBlocks }), wBlocks },
        })],
        scratch: {},
        weightBytes: phaseWeightFloats(p, ocBlocks) * 4,
        packWeights: (w) => packPhaseWeights(ctx, w, ocBlocks),
        packBias: (b) => packBias(r, b, ocBlocks),
      };
    }
    const { icChunk, ksplit } = splitOf(p, config.ksplit);
    const block = { ...config, ksplit };
    const ocBlocks = ocBlocksFor(p.CoutG, block.ocv);
    const invocations = phaseInvocations(p, block);
    const split = ksplit > 1;
    // Under split-K the GEMM writes dense partials (in the layer's layout) to scratch, not the output's view.
    const gemm = makeStage(ctx, {
      kernel: PHASE, overrides: { PX: block.px, OCV: block.ocv, KSPLIT: ksplit }, invocations,
      loops: tapNestIterations(tapsPerInvocation(p, block.px), icChunk),
      bind: { x: 'input', w: 'weight', bias: 'bias', y: split ? `scratch:${PARTIALS}` : 'output' },
      values: {
        ...phaseValues(ctx, { ocBlocks, y: split ? partialsView(ctx) : undefined }),
        chBlocks: ocBlocks / block.ocv, wBlocks: Math.ceil(phaseGrid(p)[2] / block.px), icChunk,
      },
    });
    return {
      stages: split ? [gemm, reduceStage(ctx, ocBlocks, ksplit)] : [gemm],
      scratch: split ? { [PARTIALS]: partialsBytes(ctx, ksplit) } : ({} as Record<string, number>),
      weightBytes: phaseWeightFloats(p, ocBlocks) * 4,
      packWeights: (w) => packPhaseWeights(ctx, w, ocBlocks),
      packBias: (b) => packBias(r, b, ocBlocks),
    };
  },
  work(ctx, config) {
    const { p } = ctx;
    if (config.kernel === 'narrow') return [narrowWork(p)];
    if (config.kernel === 'pixels') return [pixelsWork(ctx, config)];
    const { icChunk, ksplit } = splitOf(p, config.ksplit);
    const b = { ...config, ksplit };
    const ocBlocks = ocBlocksFor(p.CoutG, b.ocv);
    const gemm = blockedWork(p, { block: b.px, cb: ocBlocks / b.ocv, ocv: b.ocv, invocations: phaseInvocations(p, b), icPerTap: icChunk, splits: ksplit });
    return ksplit > 1 ? [gemm, reduceWork(ctx, ksplit)] : [gemm];
  },
});
