/**
 * The split-K reduction stage (reduce.wgsl), shared by the families that split their input channels: the
 * partial sums of `ksplit` chunks, written as dense tensors in the layer's layout, are added in chunk order
 * (deterministic), then the bias and the activation.
 */
import reduceWgsl from './reduce.wgsl?raw';
import { COMMON_FIELDS, INVOCATIONS_FIELD, commonValues, denseView, u32Field, type TensorView } from '../../uniforms';
import { passWork, type Work } from '../../plan/cost';
import type { PlanContext } from '../../plan/context';
import { BINDINGS, makeStage, type KernelDef, type Stage } from '../kernel';

export const REDUCE: KernelDef = {
  name: 'reduce', body: reduceWgsl, fields: [...COMMON_FIELDS, INVOCATIONS_FIELD, u32Field('ksplit', 'split-K chunks whose partial sums are added')],
  snippets: ['epilogue'],
  bindings: [{ name: 'partials', type: 'array<f32>', access: 'read' }, BINDINGS.bias, BINDINGS.y],
};

/** The scratch buffer of the partial sums. */
export const PARTIALS = 'split-K partial sums';

function outputCells({ p }: PlanContext): number {
  return p.N * p.Cout * p.outS[0] * p.outS[1] * p.outS[2];
}

/** Where partial sum 0 sits: a dense output in the layer's layout (partial k follows at k · its size). */
export function partialsView(ctx: PlanContext): TensorView {
  return denseView(ctx.p.Cout, ctx.p.outS, ctx.channelsLast);
}

/** Bytes of the partials of `ksplit` chunks. */
export function partialsBytes(ctx: PlanContext, ksplit: number): number {
  return ksplit * outputCells(ctx) * 4;
}

/** The most split-K chunks whose partials fit one binding. */
export function maxSplit(ctx: PlanContext): number {
  return Math.max(1, Math.floor(ctx.limits.maxBindingBytes / Math.max(1, partialsBytes(ctx, 1))));
}

/** The reduction of `ksplit` partials into the output, with the bias packed as `ocBlocks` vec4s per group. */
export function reduceStage(ctx: PlanContext, ocBlocks: number, ksplit: number): Stage {
  const cells = outputCells(ctx);
  return makeStage(ctx, {
    kernel: REDUCE, invocations: cells, loops: ksplit, bind: { partials: `scratch:${PARTIALS}`, bias: 'bias', y: 'output' },
    values: { ...commonValues(ctx, { ocBlocks }), ksplit },
  });
}

export function reduceWork(ctx: PlanContext, ksplit: number): Work {
  return passWork(outputCells(ctx) * ksplit);
}
