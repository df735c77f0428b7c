/**
 * `tiled`: the stride-phase GEMM of `phase`, shaped for GPUs (tiled.wgsl): a BM × BN output tile per workgroup,
 * K staged through workgroup memory BK input channels at a time, a TM × TN register tile per thread, and
 * split-K (partial sums, then stages/reduce.ts) when the tiles alone cannot fill the GPU. Same packed weights as
 * `phase` (weights.ts: packPhaseWeights).
 */
import tiledWgsl from './tiled.wgsl?raw';
import type { Problem3d } from '../../../shape';
import { COMMON_FIELDS, PHASE_FIELDS, TAP_FIELDS, WORKGROUPS_FIELD, phaseValues, u32Field, type UniformField } from '../../uniforms';
import { phaseCounts, phaseGrid, phaseSlots } from '../../geometry';
import { packBias, packPhaseWeights, phaseWeightFloats } from '../weights';
import type { PlanContext } from '../../plan/context';
import type { Work } from '../../plan/cost';
import { TILED_RULE_WORKGROUPS } from '../../plan/gpu-fill';
import { MAX_LOOP_ITERATIONS, TAP_SETUP } from '../../plan/loop-budget';
import { PARTIALS, maxSplit, partialsBytes, partialsView, reduceStage, reduceWork } from '../stages/reduce';
import { BINDINGS, checkConfigFields, defineFamily, distinct, intIn, makeStage, oneOf, type KernelDef, type Overrides } from '../kernel';

/** Tile of a workgroup (bm × bn outputs, bk input channels per K step), register tile of a thread (tm × tn), split-K. */
export interface TiledConfig {
  readonly bm: number;
  readonly bn: number;
  readonly bk: number;
  readonly tm: number;
  readonly tn: number;
  readonly ksplit: number;
}

const TILED_FIELDS: readonly UniformField[] = [
  WORKGROUPS_FIELD,
  u32Field('mTiles', 'tiles along M (phase-grid pixels, batch included)'),
  u32Field('nTiles', 'tiles along N (output channels of a group)'),
  u32Field('kPerSlot', 'K tiles per tap slot'),
  u32Field('kTiles', 'K tiles'),
  u32Field('kPerChunk', 'K tiles per split-K chunk'),
];

const threads = (o: Overrides) => (o.BM / o.TM) * (o.BN / o.TN);

const TILED: KernelDef = {
  name: 'tiled', body: tiledWgsl, fields: [...COMMON_FIELDS, ...TAP_FIELDS, ...PHASE_FIELDS, ...TILED_FIELDS], snippets: ['taps', 'phases', 'epilogue'],
  finiteWeights: true, bindings: [BINDINGS.x, BINDINGS.w, BINDINGS.bias, BINDINGS.y],
  workgroupSize: threads,
  workgroupBytes: (o) => 4 * (o.BM * o.BK + o.BK * o.BN + o.AOK),
};

/** Fewest K tiles a split-K chunk keeps: below it the partial sums cost more than the parallelism gains. */
const MIN_SPLIT_TILES = 4;

/** The GEMM's sizes and tiles for a configuration. */
function geometry(p: Problem3d, c: TiledConfig) {
  const q = phaseGrid(p);
  const { slots } = phaseSlots(p);
  const M = p.N * q[0] * q[1] * q[2];
  const ocBlocks = Math.ceil(p.CoutG / 4);
  const mTiles = Math.ceil(M / c.bm);
  const nTiles = Math.ceil(ocBlocks * 4 / c.bn);
  const kPerSlot = Math.ceil(p.CinG / c.bk);
  const kTiles = slots[0] * slots[1] * slots[2] * kPerSlot;
  const perChunk = Math.ceil(kTiles / Math.max(1, c.ksplit));
  const ksplit = Math.ceil(kTiles / perChunk); // no empty chunk
  const ph = phaseCounts(p);
  const tiles = mTiles * nTiles * ph[0] * ph[1] * ph[2] * p.G;
  return { M, ocBlocks, mTiles, nTiles, kPerSlot, kTiles, perChunk, ksplit, tiles, workgroups: tiles * ksplit };
}

/**
 * A tile shape fitted to the problem: its K step no longer than C_in/G needs (a K tile holds channels of one tap
 * slot), and the split that brings its workgroups to TILED_RULE_WORKGROUPS (plan/gpu-fill.ts), keeping MIN_SPLIT_TILES per chunk.
 */
function splitFor(ctx: PlanContext, shape: Omit<TiledConfig, 'ksplit'>): TiledConfig {
  const tile = { ...shape, bk: Math.min(shape.bk, Math.max(4, 2 ** Math.ceil(Math.log2(ctx.p.CinG)))) };
  const g = geometry(ctx.p, { ...tile, ksplit: 1 });
  const want = Math.ceil(TILED_RULE_WORKGROUPS / g.tiles);
  const ksplit = Math.max(1, Math.min(want, Math.floor(g.kTiles / MIN_SPLIT_TILES), maxSplit(ctx)));
  // At least the split that keeps the K loop within an invocation's loop budget (plan/loop-budget.ts).
  return { ...tile, ksplit: Math.max(ksplit, Math.ceil(g.kTiles / (MAX_LOOP_ITERATIONS - TAP_SETUP))) };
}

/**
 * Tile shapes worth trying, largest first (more FMAs per workgroup-memory read: 8×8 register tiles read 16
 * values for 64 FMAs), smaller where the GEMM is small.
 */
const SHAPES: readonly Omit<TiledConfig, 'ksplit'>[] = [
  { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8 },
  { bm: 64, bn: 128, bk: 8, tm: 4, tn: 8 },
  { bm: 128, bn: 64, bk: 8, tm: 8, tn: 4 },
  { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
  { bm: 64, bn: 32, bk: 16, tm: 4, tn: 4 },
  { bm: 32, bn: 64, bk: 16, tm: 2, tn: 4 },
  { bm: 32, bn: 32, bk: 16, tm: 4, tn: 4 },
  { bm: 32, bn: 16, bk: 16, tm: 2, tn: 4 },
  { bm: 64, bn: 8, bk: 16, tm: 2, tn: 4 },
  { bm: 64, bn: 4, bk: 16, tm: 1, tn: 4 },
];

/** How much of a tile shape's work is padding (rows past M, columns past the vec4s of C_out/G). */
function waste(p: Problem3d, t: Omit<TiledConfig, 'ksplit'>): number {
  const g = geometry(p, { ...t, ksplit: 1 });
  return (g.mTiles * t.bm * g.nTiles * t.bn) / (g.M * g.ocBlocks * 4);
}

/** The rule: the largest tile shape that pads M and N by at most a quarter (else the least padded), then split-K. */
function tiledConfig(ctx: PlanContext): TiledConfig {
  const { p } = ctx;
  const shape = SHAPES.find((t) => waste(p, t) <= 1.25) ?? [...SHAPES].sort((a, b) => waste(p, a) - waste(p, b))[0];
  return splitFor(ctx, shape);
}

export const tiled = defineFamily({
  name: 'tiled',
  summary: 'stride-phase GEMM in workgroup tiles (shared-memory staging, register tiles, split-K): for GPUs',
  kernels: [TILED],
  configFor: tiledConfig,
  // Tiles larger than most test problems (ragged in M, N and K) with a split, and a wide register tile.
  examples: [{ bm: 16, bn: 16, bk: 4, tm: 1, tn: 4, ksplit: 3 }, { bm: 64, bn: 32, bk: 16, tm: 4, tn: 8, ksplit: 2 }],
  candidates(ctx) {
    // The rule, the rule's tile without a split (one dispatch fewer), then the other tile shapes that pad little.
    const rule = tiledConfig(ctx);
    if (ctx.adapter === 'cpu') return [rule]; // auto times the paths' rules there
    const others = SHAPES.filter((s) => waste(ctx.p, s) <= 2).map((s) => splitFor(ctx, s));
    return distinct([rule, ...(rule.ksplit > 1 ? [{ ...rule, ksplit: 1 }] : []), ...others]).slice(0, 5);
  },
  checkConfig(_ctx, c) {
    const config = checkConfigFields<TiledConfig>('tiled', c, {
      bm: oneOf(16, 32, 64, 128), bn: oneOf(4, 8, 16, 32, 64, 128), bk: oneOf(4, 8, 16, 32), tm: intIn(1, 8), tn: oneOf(4, 8), ksplit: intIn(1, 65535),
    });
    const wg = threads({ BM: config.bm, BN: config.bn, TM: config.tm, TN: config.tn });
    if (config.bm % config.tm !== 0 || config.bn % config.tn !== 0 || !Number.isInteger(wg) || wg % config.bm !== 0 || wg > 256) {
      throw new TypeError(`config: path 'tiled' needs tm to divide bm, tn to divide bn, and (bm/tm)·(bn/tn) threads to be a multiple of bm and at most 256; got ${JSON.stringify(c)}`);
    }
    return config;
  },
  plan(ctx, config) {
    const { r, p } = ctx;
    const g = geometry(p, config);
    const split = g.ksplit > 1;
    const overrides = { BM: config.bm, BN: config.bn, BK: config.bk, TM: config.tm, TN: config.tn, PARTIAL: split ? 1 : 0, AOK: ctx.finiteWeights ? 1 : config.bm * config.bk };
    const stage = makeStage(ctx, {
      kernel: TILED, overrides, workgroups: g.workgroups, loops: TAP_SETUP + g.perChunk, // the K loop; the tile loops unroll
      bind: { x: 'input', w: 'weight', bias: 'bias', y: split ? `scratch:${PARTIALS}` : 'output' },
      values: {
        ...phaseValues(ctx, { ocBlocks: g.ocBlocks, y: split ? partialsView(ctx) : undefined }),
        mTiles: g.mTiles, nTiles: g.nTiles, kPerSlot: g.kPerSlot, kTiles: g.kTiles, kPerChunk: g.perChunk,
      },
    });
    return {
      stages: split ? [stage, reduceStage(ctx, g.ocBlocks, g.ksplit)] : [stage],
      scratch: split ? { [PARTIALS]: partialsBytes(ctx, g.ksplit) } : ({} as Record<string, number>),
      weightBytes: phaseWeightFloats(p, g.ocBlocks) * 4,
      packWeights: (w) => packPhaseWeights(ctx, w, g.ocBlocks),
      packBias: (b) => packBias(r, b, g.ocBlocks),
    };
  },
  work(ctx, config) {
    const g = geometry(ctx.p, config);
    const wg = threads({ BM: config.bm, BN: config.bn, TM: config.tm, TN: config.tn });
    const steps = g.tiles * g.kTiles; // (tile, K tile) pairs, over all split chunks
    const main: Work = {
      invocations: g.workgroups * wg,
      taps: steps, edgeTaps: 0,
      // Global loads: A cells and B vec4s, staged once per tile; the register tiles read workgroup memory.
      loads: steps * (config.bm * config.bk + config.bk * config.bn),
      edgeLoads: 0,
      sharedLoads: steps * config.bk * wg * (config.tm + config.tn),
      barriers: 2 * steps * wg,
      fmas: steps * config.bk * wg * config.tm * (config.tn / 4),
      cells: 0,
    };
    return g.ksplit > 1 ? [main, reduceWork(ctx, g.ksplit)] : [main];
  },
});
