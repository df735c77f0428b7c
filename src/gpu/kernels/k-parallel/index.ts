/**
 * `k-parallel`: the stride-phase GEMM for few output channels per group (C_out/G <= 4 is what it is for; more
 * run one workgroup per vec4 of channels) and a long K, with the threads of a workgroup splitting K and adding
 * their partial sums in workgroup memory (k_parallel.wgsl). Same packed weights as `phase` (weights.ts:
 * packPhaseWeights).
 */
import kParallelWgsl from './k_parallel.wgsl?raw';
import type { Problem3d } from '../../../shape';
import { COMMON_FIELDS, PHASE_FIELDS, TAP_FIELDS, WORKGROUPS_FIELD, phaseValues, u32Field } from '../../uniforms';
import { phaseCounts, phaseGrid, phaseSlots } from '../../geometry';
import { packBias, packPhaseWeights, phaseWeightFloats } from '../weights';
import type { PlanContext } from '../../plan/context';
import { TAP_SETUP } from '../../plan/loop-budget';
import { BINDINGS, checkConfigFields, defineFamily, oneOf, makeStage, type KernelDef } from '../kernel';

/** Threads per workgroup splitting K (`kt`) and along the pixels (`pt`, 4 pixels each). */
export interface KParallelConfig {
  readonly kt: number;
  readonly pt: number;
}

const K_PARALLEL: KernelDef = {
  name: 'k-parallel', body: kParallelWgsl, snippets: ['taps', 'phases', 'epilogue'],
  fields: [...COMMON_FIELDS, ...TAP_FIELDS, ...PHASE_FIELDS, WORKGROUPS_FIELD, u32Field('wBlocks', 'blocks of PT·4 phase-grid pixels along W')],
  finiteWeights: true, bindings: [BINDINGS.x, BINDINGS.w, BINDINGS.bias, BINDINGS.y],
  workgroupSize: (o) => o.KT * o.PT,
  workgroupBytes: (o) => 16 * o.KT * o.PT * 4,
};

/** K steps a thread should keep at least: below it the reduction costs more than the split gains. */
const MIN_STEPS = 8;

const pow2Floor = (v: number) => 2 ** Math.floor(Math.log2(Math.max(1, v)));
const pow2Ceil = (v: number) => 2 ** Math.ceil(Math.log2(Math.max(1, v)));

function geometry(p: Problem3d, c: KParallelConfig) {
  const q = phaseGrid(p);
  const { slots } = phaseSlots(p);
  const wBlocks = Math.ceil(q[2] / (4 * c.pt));
  const ocBlocks = Math.ceil(p.CoutG / 4);
  const ph = phaseCounts(p);
  const workgroups = p.N * p.G * ph[0] * ph[1] * ph[2] * q[0] * q[1] * wBlocks * ocBlocks;
  return { wBlocks, ocBlocks, workgroups, K: slots[0] * slots[1] * slots[2] * p.CinG };
}

/** The rule: a workgroup as wide as a phase row (up to 64 pixels), K split so each thread keeps MIN_STEPS steps. */
function kParallelConfig({ p }: PlanContext): KParallelConfig {
  const pt = Math.min(16, pow2Ceil(Math.ceil(phaseGrid(p)[2] / 4)));
  const { K } = geometry(p, { kt: 1, pt });
  const kt = Math.min(256 / pt, pow2Floor(K / MIN_STEPS));
  return { kt, pt };
}

export const kParallel = defineFamily({
  name: 'k-parallel',
  summary: 'stride-phase kernel for few output channels per group and a long K: the threads of a workgroup split K',
  kernels: [K_PARALLEL],
  configFor: kParallelConfig,
  candidates(ctx) {
    const rule = kParallelConfig(ctx);
    const out = [rule];
    if (ctx.adapter === 'cpu') return out; // auto times the paths' rules there
    for (const kt of [rule.kt / 2, rule.kt * 2]) if (kt >= 1 && kt * rule.pt <= 256) out.push({ ...rule, kt });
    return out;
  },
  examples: [{ kt: 4, pt: 2 }],
  checkConfig(_ctx, c) {
    const config = checkConfigFields<KParallelConfig>('k-parallel', c, { kt: oneOf(1, 2, 4, 8, 16, 32, 64, 128, 256), pt: oneOf(1, 2, 4, 8, 16, 32, 64) });
    if (config.kt * config.pt > 256) throw new TypeError(`config: path 'k-parallel' runs kt·pt threads per workgroup, at most 256; got ${JSON.stringify(c)}`);
    return config;
  },
  plan(ctx, config) {
    const { r, p } = ctx;
    const g = geometry(p, config);
    return {
      stages: [makeStage(ctx, {
        kernel: K_PARALLEL, overrides: { KT: config.kt, PT: config.pt }, workgroups: g.workgroups,
        // Each thread's K steps, the reduction tree, the store of up to 4 pixels.
        loops: TAP_SETUP + Math.ceil(g.K / config.kt) + Math.log2(config.kt) + 4,
        bind: { x: 'input', w: 'weight', bias: 'bias', y: 'output' },
        values: { ...phaseValues(ctx, { ocBlocks: g.ocBlocks }), wBlocks: g.wBlocks },
      })],
      scratch: {},
      weightBytes: phaseWeightFloats(p, g.ocBlocks) * 4,
      packWeights: (w) => packPhaseWeights(ctx, w, g.ocBlocks),
      packBias: (b) => packBias(r, b, g.ocBlocks),
    };
  },
  work({ p }, config) {
    const g = geometry(p, config);
    const threads = g.workgroups * config.kt * config.pt;
    const steps = g.workgroups * config.pt * g.K; // (thread, K step) pairs: every pixel block and channel vec4 walks all of K
    return [{
      invocations: threads, taps: 0, edgeTaps: steps / 4,
      loads: 0, edgeLoads: steps * 8,
      fmas: steps * 4,
      cells: 0,
      // The tree: log2(kt) steps of 4 workgroup-memory reads per thread (half of them idle), each after a barrier.
      sharedLoads: threads * 4 * Math.log2(config.kt),
      barriers: threads * (1 + Math.log2(config.kt)),
    }];
  },
});
