/**
 * `zero-insert`: the textbook method, kept faithful. Dispatch 1 writes the zero-inserted, border-padded input
 * (shaders/zero_insert.wgsl); dispatch 2 is a stride-1 convolution with the kernel flipped 180° and its
 * channel axes swapped, prepared once at upload (shaders/conv.wgsl).
 */
import zeroInsertWgsl from '../../../shaders/zero_insert.wgsl?raw';
import convWgsl from '../../../shaders/conv.wgsl?raw';
import { flipSwapKernel, zeroInsertGeometry } from '../../reference';
import { sizeOf } from '../../shape';
import { COMMON_FIELDS, commonValues, type UniformField } from '../uniforms';
import { ocBlocksFor, packBias, packChannelBlocks } from '../weights';
import type { ShaderDef } from '../wgsl';
import { passWork } from './cost';
import { finiteWeightsOverride, makeStage, type GpuPathModule } from './types';

const Z_FIELDS: readonly UniformField[] = [
  { name: 'zSize', type: 'vec4<u32>', doc: 'allocated size of the zero-inserted input (W rounded for 4-wide blocks)' },
  { name: 'zPad', type: 'vec4<i32>', doc: 'zeros before the first input cell, d(k-1) - pad_begin (negative: crop)' },
];
const ZERO_INSERT: ShaderDef = { name: 'zero-insert', body: zeroInsertWgsl, fields: [...COMMON_FIELDS, ...Z_FIELDS], parts: ['input'] };
const CONV: ShaderDef = { name: 'conv', body: convWgsl, fields: [...COMMON_FIELDS, ...Z_FIELDS], parts: ['epilogue'] };

const FLOAT = 4;

export const zeroInsertPath: GpuPathModule = {
  name: 'zero-insert',
  summary: 'zero-insert and pad the input, then a stride-1 convolution with the flipped kernel',
  plan(ctx) {
    const { r, p } = ctx;
    const ocv = p.CoutG > 4 ? 2 : 1;
    const ocBlocks = ocBlocksFor(p.CoutG, ocv);
    const geo = zeroInsertGeometry(r);
    const wBlocks = Math.ceil(p.outS[2] / 4);
    // W rows are allocated for whole 4-wide output blocks so the convolution never reads past a row.
    const zSize = [geo.size[0], geo.size[1], wBlocks * 4 + p.d[2] * (p.k[2] - 1)];
    const zValues = { zSize, zPad: [...geo.padBefore] };
    const zCells = p.N * p.Cin * sizeOf(zSize);
    const convInvocations = p.N * p.G * (ocBlocks / ocv) * p.outS[0] * p.outS[1] * wBlocks;
    const wc = (w: ArrayLike<number>) => {
      const f = flipSwapKernel(r, w);
      const taps = sizeOf(p.k);
      return (g: number, ic: number, t: number, oc: number) => f[((g * p.CoutG + oc) * p.CinG + ic) * taps + t];
    };
    return {
      stages: [
        makeStage(ctx, {
          shader: ZERO_INSERT, invocations: zCells, bindings: ['input', 'scratch:zero-inserted input'],
          values: (groupsX) => ({ ...commonValues(ctx, ocBlocks, { invocations: zCells, groupsX }), ...zValues }),
        }),
        makeStage(ctx, {
          shader: CONV, overrides: { OCV: ocv, ...finiteWeightsOverride(ctx) }, invocations: convInvocations, bindings: ['scratch:zero-inserted input', 'weight', 'bias', 'output'],
          values: (groupsX) => ({ ...commonValues(ctx, ocBlocks, { invocations: convInvocations, groupsX, extra: [wBlocks, 0] }), ...zValues }),
        }),
      ],
      scratch: { 'zero-inserted input': zCells * FLOAT },
      weightBytes: p.G * p.CinG * sizeOf(p.k) * ocBlocks * 16,
      packWeights: (w) => packChannelBlocks(r, ocBlocks, wc(w)),
      packBias: (b) => packBias(r, b, ocBlocks),
    };
  },
  work({ r, p }) {
    const ocv = p.CoutG > 4 ? 2 : 1;
    const ocBlocks = ocBlocksFor(p.CoutG, ocv);
    const geo = zeroInsertGeometry(r);
    const convInvocations = p.N * p.G * (ocBlocks / ocv) * p.outS[0] * p.outS[1] * Math.ceil(p.outS[2] / 4);
    const taps = convInvocations * sizeOf(p.k); // no tap is skipped: inserted zeros are multiplied too
    return [
      passWork(p.N * p.Cin * sizeOf(geo.size)),
      { invocations: convInvocations, taps, edgeTaps: 0, loads: taps * p.CinG * (4 + 4 * ocv), edgeLoads: 0, fmas: taps * p.CinG * 4 * ocv, cells: 0 },
    ];
  },
};
