/**
 * `zero-insert`: the textbook method, kept faithful. Dispatch 1 writes the zero-inserted, border-padded input
 * (zero_insert.wgsl); dispatch 2 is a stride-1 convolution with the kernel flipped 180° and its channel axes
 * swapped, prepared once at upload (conv.wgsl).
 */
import zeroInsertWgsl from './zero_insert.wgsl?raw';
import convWgsl from './conv.wgsl?raw';
import { flipSwapKernel, zeroInsertGeometry } from '../../../reference';
import { sizeOf, type Problem3d, type ResolvedConvTranspose } from '../../../shape';
import { COMMON_FIELDS, commonValues, type UniformField } from '../../uniforms';
import { ocBlocksFor, packBias, packChannelBlocks } from '../weights';
import { passWork } from '../../plan/cost';
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
  name: 'zero-insert', body: zeroInsertWgsl, fields: [...COMMON_FIELDS, ...Z_FIELDS], parts: [],
  bindings: [BINDINGS.x, { name: 'z', type: 'array<f32>', access: 'read_write' }],
};
const CONV: KernelDef = {
  name: 'conv', body: convWgsl, fields: [...COMMON_FIELDS, ...Z_FIELDS], parts: ['epilogue', 'block'], finiteWeights: true,
  bindings: [{ name: 'z', type: 'array<f32>', access: 'read' }, BINDINGS.w, BINDINGS.bias, BINDINGS.y],
};

const FLOAT = 4;
const SCRATCH = 'zero-inserted input';

function shape(r: ResolvedConvTranspose, p: Problem3d, { ocv }: ZeroInsertConfig) {
  const ocBlocks = ocBlocksFor(p.CoutG, ocv);
  const geo = zeroInsertGeometry(r);
  const wBlocks = Math.ceil(p.outS[2] / 4);
  // W rows are allocated for whole 4-wide output blocks so the convolution never reads past a row.
  const zSize = [geo.size[0], geo.size[1], wBlocks * 4 + p.d[2] * (p.k[2] - 1)];
  const convInvocations = p.N * p.G * (ocBlocks / ocv) * p.outS[0] * p.outS[1] * wBlocks;
  return { ocBlocks, geo, wBlocks, zSize, zCells: p.N * p.Cin * sizeOf(zSize), convInvocations };
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
    const { ocBlocks, geo, wBlocks, zSize, zCells, convInvocations } = shape(r, p, config);
    const zValues = { zSize, zPad: [...geo.padBefore] };
    const wc = (w: ArrayLike<number>) => {
      const f = flipSwapKernel(r, w);
      const taps = sizeOf(p.k);
      return (g: number, ic: number, t: number, oc: number) => f[((g * p.CoutG + oc) * p.CinG + ic) * taps + t];
    };
    return {
      stages: [
        makeStage(ctx, {
          kernel: ZERO_INSERT, invocations: zCells, bind: { x: 'input', z: `scratch:${SCRATCH}` },
          values: { ...commonValues(ctx, ocBlocks, { invocations: zCells }), ...zValues },
        }),
        makeStage(ctx, {
          kernel: CONV, overrides: { OCV: config.ocv }, invocations: convInvocations,
          bind: { z: `scratch:${SCRATCH}`, w: 'weight', bias: 'bias', y: 'output' },
          values: { ...commonValues(ctx, ocBlocks, { invocations: convInvocations, extra: [wBlocks, 0] }), ...zValues },
        }),
      ],
      scratch: { [SCRATCH]: zCells * FLOAT },
      weightBytes: p.G * p.CinG * sizeOf(p.k) * ocBlocks * 16,
      packWeights: (w) => packChannelBlocks(r, ocBlocks, wc(w)),
      packBias: (b) => packBias(r, b, ocBlocks),
    };
  },
  work({ r, p }, config) {
    const { geo, convInvocations } = shape(r, p, config);
    const taps = convInvocations * sizeOf(p.k); // no tap is skipped: inserted zeros are multiplied too
    return [
      passWork(p.N * p.Cin * sizeOf(geo.size)),
      { invocations: convInvocations, taps, edgeTaps: 0, loads: taps * p.CinG * (4 + 4 * config.ocv), edgeLoads: 0, fmas: taps * p.CinG * 4 * config.ocv, cells: 0 },
    ];
  },
});
