/**
 * `zero-insert`: the textbook method, kept faithful. Dispatch 1 writes the zero-inserted, border-padded input
 * (zero_insert.wgsl); dispatch 2 is a stride-1 convolution with the kernel flipped 180° and its channel axes
 * swapped, prepared once at upload (conv.wgsl).
 */
import zeroInsertWgsl from './zero_insert.wgsl?raw';
import convWgsl from './conv.wgsl?raw';
import { sizeOf, type Problem3d } from '../../../shape';
import { COMMON_FIELDS, INVOCATIONS_FIELD, commonValues, u32Field, type UniformField } from '../../uniforms';
import { givenWeights, ocBlocksFor, packBias, packChannelBlocks, type WeightGet } from '../weights';
import { passWork } from '../../plan/cost';
import { tapNestIterations } from '../../plan/loop-budget';
import { BINDINGS, checkConfigFields, defineFamily, makeStage, oneOf, type KernelDef } from '../kernel';

/** vec4s of output channels per invocation of the convolution. */
export interface ZeroInsertConfig {
  readonly ocv: number;
}

const Z_FIELDS: readonly UniformField[] = [
  { name: 'zSize', type: 'vec4<u32>', doc: 'allocated size of the zero-inserted input (W rounded for 4-wide blocks)' },
  { name: 'zPad', type: 'vec4<i32>', doc: 'zeros before the first input cell, d(k-1) - pad_begin (negative: crop)' },
];
const ZERO_INSERT: KernelDef = {
  name: 'zero-insert', body: zeroInsertWgsl, fields: [...COMMON_FIELDS, ...Z_FIELDS, INVOCATIONS_FIELD], snippets: [],
  bindings: [BINDINGS.x, { name: 'z', type: 'array<f32>', access: 'read_write' }],
};
const CONV: KernelDef = {
  name: 'conv', body: convWgsl, snippets: ['epilogue', 'block'], finiteWeights: true,
  fields: [...COMMON_FIELDS, ...Z_FIELDS, INVOCATIONS_FIELD, u32Field('wBlocks', 'blocks of 4 output cells along W, ceil(outW/4)')],
  bindings: [{ name: 'z', type: 'array<f32>', access: 'read' }, BINDINGS.w, BINDINGS.bias, BINDINGS.y],
};

const FLOAT = 4;
const SCRATCH = 'zero-inserted input';

/**
 * The zero-inserted input along each axis: the convolution's reach d(k−1), zeros before the first input cell
 * (zPad = reach − pad_begin; negative: cells cropped) and the extent the convolution reads (out + reach). Kept
 * here, not shared with the CPU reference's zero-insert method: the oracle shares no code with what it checks.
 */
function shape(p: Problem3d, { ocv }: ZeroInsertConfig) {
  const ocBlocks = ocBlocksFor(p.CoutG, ocv);
  const reach = [0, 1, 2].map((a) => p.d[a] * (p.k[a] - 1));
  const zPad = reach.map((e, a) => e - p.pb[a]);
  const extent = reach.map((e, a) => p.outS[a] + e);
  const wBlocks = Math.ceil(p.outS[2] / 4);
  // W rows are allocated for whole 4-wide output blocks so the convolution never reads past a row.
  const zSize = [extent[0], extent[1], wBlocks * 4 + reach[2]];
  const convInvocations = p.N * p.G * (ocBlocks / ocv) * p.outS[0] * p.outS[1] * wBlocks;
  return { ocBlocks, zPad, extent, wBlocks, zSize, zCells: p.N * p.Cin * sizeOf(zSize), convInvocations };
}

export const zeroInsert = defineFamily({
  name: 'zero-insert',
  summary: 'zero-insert and pad the input, then a stride-1 convolution with the flipped kernel',
  kernels: [ZERO_INSERT, CONV],
  configFor: ({ p }) => ({ ocv: p.CoutG > 4 ? 2 : 1 }),
  candidates: ({ p }) => [{ ocv: p.CoutG > 4 ? 2 : 1 }],
  checkConfig: (_ctx, c) => checkConfigFields<ZeroInsertConfig>('zero-insert', c, { ocv: oneOf(1, 2) }),
  plan(ctx, config) {
    const { r, p } = ctx;
    const { ocBlocks, zPad, wBlocks, zSize, zCells, convInvocations } = shape(p, config);
    const zValues = { zSize, zPad };
    // The kernel flipped 180° on every spatial axis is the flat tap index reversed; packChannelBlocks puts the
    // output channels innermost, which swaps the channel axes.
    const flipped = (w: ArrayLike<number>): WeightGet => {
      const get = givenWeights(r, w);
      const last = sizeOf(p.k) - 1;
      return (g, ic, t, oc) => get(g, ic, last - t, oc);
    };
    return {
      stages: [
        makeStage(ctx, {
          kernel: ZERO_INSERT, invocations: zCells, bind: { x: 'input', z: `scratch:${SCRATCH}` },
          values: { ...commonValues(ctx, { ocBlocks }), ...zValues },
        }),
        makeStage(ctx, {
          kernel: CONV, overrides: { OCV: config.ocv }, invocations: convInvocations,
          loops: tapNestIterations(p.k, p.CinG), // every tap, every input channel: no split
          bind: { z: `scratch:${SCRATCH}`, w: 'weight', bias: 'bias', y: 'output' },
          values: { ...commonValues(ctx, { ocBlocks }), ...zValues, wBlocks },
        }),
      ],
      scratch: { [SCRATCH]: zCells * FLOAT },
      weightBytes: p.G * p.CinG * sizeOf(p.k) * ocBlocks * 16,
      packWeights: (w) => packChannelBlocks(r, ocBlocks, flipped(w)),
      packBias: (b) => packBias(r, b, ocBlocks),
    };
  },
  work({ p }, config) {
    const { extent, convInvocations } = shape(p, config);
    const taps = convInvocations * sizeOf(p.k); // no tap is skipped: inserted zeros are multiplied too
    return [
      passWork(p.N * p.Cin * sizeOf(extent)),
      { invocations: convInvocations, taps, edgeTaps: 0, loads: taps * p.CinG * (4 + 4 * config.ocv), edgeLoads: 0, fmas: taps * p.CinG * 4 * config.ocv, cells: 0 },
    ];
  },
});
