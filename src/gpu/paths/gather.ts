/**
 * `gather`: the direct scatter-gather method in one dispatch. Each output cell gathers exactly the input cells
 * that scatter into it, walking only the taps that land on input cells (shaders/gather.wgsl).
 */
import gatherWgsl from '../../../shaders/gather.wgsl?raw';
import { COMMON_FIELDS, TAP_FIELDS, commonValues, tapValues } from '../uniforms';
import { givenWeights, ocBlocksFor, packBias, packChannelBlocks } from '../weights';
import type { ShaderDef } from '../wgsl';
import { sizeOf, type Problem3d } from '../../shape';
import { blockedWork } from './cost';
import { finiteWeightsOverride, makeStage, type GpuPathModule } from './types';

const GATHER: ShaderDef = { name: 'gather', body: gatherWgsl, fields: [...COMMON_FIELDS, ...TAP_FIELDS], parts: ['input', 'taps', 'epilogue'] };

/** Two vec4s of output channels per invocation when there are more than 4: each input load feeds 8 FMAs. */
function shape(p: Problem3d) {
  const ocv = p.CoutG > 4 ? 2 : 1;
  const ocBlocks = ocBlocksFor(p.CoutG, ocv);
  const wBlocks = Math.ceil(Math.ceil(p.outS[2] / p.s[2]) / 4);
  const invocations = p.N * p.G * (ocBlocks / ocv) * p.outS[0] * p.outS[1] * p.s[2] * wBlocks;
  return { ocv, ocBlocks, wBlocks, invocations };
}

export const gatherPath: GpuPathModule = {
  name: 'gather',
  summary: 'one dispatch; each output gathers exactly the inputs that reach it',
  plan(ctx) {
    const { r, p } = ctx;
    const { ocv, ocBlocks, wBlocks, invocations } = shape(p);
    return {
      stages: [makeStage(ctx, {
        shader: GATHER, overrides: { OCV: ocv, ...finiteWeightsOverride(ctx) }, invocations, bindings: ['input', 'weight', 'bias', 'output'],
        values: (groupsX) => ({ ...commonValues(ctx, ocBlocks, { invocations, groupsX, extra: [wBlocks, 0] }), ...tapValues(p) }),
      })],
      scratch: {},
      weightBytes: p.G * p.CinG * sizeOf(p.k) * ocBlocks * 16,
      packWeights: (w) => packChannelBlocks(r, ocBlocks, givenWeights(r, w)),
      packBias: (b) => packBias(r, b, ocBlocks),
    };
  },
  work({ p }) {
    const { ocv, ocBlocks, invocations } = shape(p);
    return [blockedWork(p, { block: 4, cb: ocBlocks / ocv, ocv, invocations, icPerTap: p.CinG })];
  },
};
