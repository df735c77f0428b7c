/**
 * `gather`: the direct scatter-gather method in one dispatch. Each output cell gathers exactly the input cells
 * that scatter into it, walking only the taps that land on input cells (gather.wgsl).
 */
import gatherWgsl from './gather.wgsl?raw';
import { COMMON_FIELDS, INVOCATIONS_FIELD, TAP_FIELDS, commonValues, tapValues, u32Field } from '../../uniforms';
import { phaseCounts } from '../../geometry';
import { givenWeights, ocBlocksFor, packBias, packChannelBlocks } from '../weights';
import { sizeOf, type Problem3d } from '../../../shape';
import { blockedWork } from '../../plan/cost';
import { tapNestIterations, tapsPerInvocation } from '../../plan/loop-budget';
import { BINDINGS, checkConfigFields, defineFamily, makeStage, oneOf, type KernelDef } from '../kernel';

/** vec4s of output channels per invocation: each input load feeds 4·ocv FMAs. */
export interface GatherConfig {
  readonly ocv: number;
}

const GATHER: KernelDef = {
  name: 'gather', body: gatherWgsl, snippets: ['taps', 'epilogue', 'block'], finiteWeights: true,
  fields: [...COMMON_FIELDS, ...TAP_FIELDS, INVOCATIONS_FIELD, u32Field('wBlocks', 'blocks of 4 phase-grid cells along W, ceil(ceil(outW/sW)/4)')],
  bindings: [BINDINGS.x, BINDINGS.w, BINDINGS.bias, BINDINGS.y],
};

function shape(p: Problem3d, { ocv }: GatherConfig) {
  const ocBlocks = ocBlocksFor(p.CoutG, ocv);
  const wBlocks = Math.ceil(Math.ceil(p.outS[2] / p.s[2]) / 4);
  const invocations = p.N * p.G * (ocBlocks / ocv) * p.outS[0] * p.outS[1] * phaseCounts(p)[2] * wBlocks;
  return { ocBlocks, wBlocks, invocations };
}

export const gather = defineFamily({
  name: 'gather',
  summary: 'one dispatch; each output gathers exactly the inputs that reach it',
  kernels: [GATHER],
  // Two vec4s of output channels when there are more than 4: each input load then feeds 8 FMAs.
  configFor: ({ p }) => ({ ocv: p.CoutG > 4 ? 2 : 1 }),
  // On a CPU adapter the rule alone (auto times the paths' rules there).
  candidates: ({ p, adapter }) => (p.CoutG > 4 && adapter === 'gpu' ? [{ ocv: 2 }, { ocv: 1 }] : [{ ocv: p.CoutG > 4 ? 2 : 1 }]),
  checkConfig: (_ctx, c) => checkConfigFields<GatherConfig>('gather', c, { ocv: oneOf(1, 2) }),
  plan(ctx, config) {
    const { r, p } = ctx;
    const { ocBlocks, wBlocks, invocations } = shape(p, config);
    return {
      stages: [makeStage(ctx, {
        kernel: GATHER, overrides: { OCV: config.ocv }, invocations,
        // Every input channel under each tap that reaches the block: no split, so a deeper layer is refused.
        loops: tapNestIterations(tapsPerInvocation(p, 4), p.CinG),
        bind: { x: 'input', w: 'weight', bias: 'bias', y: 'output' },
        values: { ...commonValues(ctx, { ocBlocks }), ...tapValues(p), wBlocks },
      })],
      scratch: {},
      weightBytes: p.G * p.CinG * sizeOf(p.k) * ocBlocks * 16,
      packWeights: (w) => packChannelBlocks(r, ocBlocks, givenWeights(r, w)),
      packBias: (b) => packBias(r, b, ocBlocks),
    };
  },
  work({ p }, config) {
    const { ocBlocks, invocations } = shape(p, config);
    return [blockedWork(p, { block: 4, cb: ocBlocks / config.ocv, ocv: config.ocv, invocations, icPerTap: p.CinG })];
  },
});
