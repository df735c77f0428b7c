/**
 * A candidate's plan for a problem, split into chunks when a tensor, a scratch buffer or the weights would
 * exceed one binding (chunks.ts), and checked against the device's other limits (grid, workgroup size and
 * memory, 32-bit index range). Pure: what the layer then builds on the GPU.
 */
import { sizeOf, type Problem3d, type ResolvedConvTranspose } from '../../shape';
import { elementBytes, storageBytes, type DataType } from '../../half';
import { familyOf, type GpuPath } from '../kernels/registry';
import { stageName, workgroupSizeOf, type Plan, type Stage } from '../kernels/kernel';
import { ChunkError, planChunks, type Chunk, type WeightSelection } from './chunks';
import type { DeviceLimits, PlanContext } from './context';
import { MAX_LOOP_ITERATIONS } from './loop-budget';

/** A path, with a configuration of its family (absent: the family's rule, made for each chunk). */
export interface Candidate {
  readonly path: GpuPath;
  readonly config?: object;
}

/** A chunk of the work with its planning context and its plan. */
export interface PlannedChunk {
  readonly chunk: Chunk;
  readonly ctx: PlanContext;
  /** The family's configuration this chunk runs: the forced one, or the rule's for the chunk's own problem. */
  readonly config: object;
  readonly plan: Plan;
}

/**
 * The configuration a layer runs (layer.config): the one every chunk runs, or, where the chunks' own problems
 * made the rule pick differently, each chunk's in chunk order.
 */
export function configOfChunks(chunks: readonly PlannedChunk[]): Readonly<object> {
  const configs = chunks.map((c) => c.config);
  return configs.every((c) => JSON.stringify(c) === JSON.stringify(configs[0])) ? configs[0] : configs;
}

/** Why a stage cannot run on the device whatever the chunking (workgroup size or memory, the loop budget), or null. */
function kernelLimitError(stage: Stage, limits: DeviceLimits): string | null {
  if (stage.loops > MAX_LOOP_ITERATIONS) {
    return `the ${stageName(stage)} kernel would run ${stage.loops} loop iterations in one invocation (input channels times the taps of an output), ` +
      `more than the ${MAX_LOOP_ITERATIONS} every plan keeps to (Mesa's llvmpipe stops an invocation's loops there, silently); it has no split of the input channels`;
  }
  const size = workgroupSizeOf(stage.kernel, stage.overrides);
  const most = Math.min(limits.maxInvocationsPerWorkgroup, limits.maxWorkgroupSizeX);
  if (size > most) return `${stageName(stage)} needs workgroups of ${size} invocations, this device allows ${most}`;
  const bytes = stage.kernel.workgroupBytes?.(stage.overrides) ?? 0;
  if (bytes > limits.maxWorkgroupStorageBytes) return `${stageName(stage)} needs ${bytes} bytes of workgroup memory, this device allows ${limits.maxWorkgroupStorageBytes}`;
  return null;
}

/**
 * Throws a RangeError when the problem is beyond the shaders' 32-bit index math (whatever the chunking): an
 * axis whose cells, before padding, pass 2^31 - 1. Strides and dilations themselves may be up to 2^31 - 1
 * (wgsl/taps.wgsl keeps its products within 32 bits).
 */
function checkIndexRange(path: GpuPath, dims: number, p: Problem3d): void {
  for (let a = 0; a < 3; a++) {
    const reach = Math.max((p.inS[a] - 1) * p.s[a] + (p.k[a] - 1) * p.d[a] + 1, p.outS[a] + p.pb[a]);
    if (reach > 2 ** 31 - 1) {
      throw new RangeError(`${path}: axis ${a - (3 - dims)} spans ${reach} cells before padding, beyond the GPU paths' 32-bit index range`);
    }
  }
}

/**
 * Throws a RangeError naming the tensor when the input or output of `r` is larger than one buffer may be
 * (maxBufferSize): no chunking helps then, since the caller's tensor is one buffer. `advice` ends the message.
 */
export function checkTensorBuffers(r: ResolvedConvTranspose, dataType: DataType, limits: DeviceLimits, advice = ''): void {
  for (const [name, shape] of [['input', r.inputShape], ['output', r.outputShape]] as const) {
    const bytes = storageBytes(sizeOf(shape), dataType);
    if (bytes > limits.maxBufferBytes) {
      throw new RangeError(`${name}: needs ${bytes} bytes, more than this device's maxBufferSize (${limits.maxBufferBytes}): no buffer can hold it${advice}`);
    }
  }
}

/**
 * The candidate's plan, in chunks when needed. Throws a RangeError saying what cannot fit when no split works.
 */
export function chunkedPlan(ctx: PlanContext, candidate: Candidate): PlannedChunk[] {
  const { r, p, limits } = ctx;
  const { path } = candidate;
  checkIndexRange(path, r.dims, p);
  checkTensorBuffers(r, ctx.dataType, limits);
  const family = familyOf(path);
  const planned = new Map<Chunk, PlannedChunk>();
  const fits = (chunk: Chunk): string | null => {
    const sub: PlanContext = { ...ctx, r: chunk.r, p: chunk.p, views: chunk.views };
    const config = candidate.config ?? family.configFor(sub);
    const plan = family.plan(sub, config);
    const sizes: Record<string, number> = { weight: plan.weightBytes, ...plan.scratch };
    for (const [name, bytes] of Object.entries(sizes)) if (bytes > limits.maxBindingBytes) return `${name}: ${bytes} bytes`;
    for (const s of plan.stages) {
      const limit = kernelLimitError(s, limits);
      if (limit) throw new RangeError(`${path}: ${limit}`);
      const wg = workgroupSizeOf(s.kernel, s.overrides);
      if (s.grid[2] > limits.maxWorkgroupsPerDimension || s.grid[0] * s.grid[1] * s.grid[2] * wg > 2 ** 32 - 1) {
        return `${s.grid[0] * s.grid[1] * s.grid[2]} workgroups, more than this device can dispatch`;
      }
    }
    planned.set(chunk, { chunk, ctx: sub, config, plan });
    return null;
  };
  const lim = { maxBinding: limits.maxBindingBytes, alignment: limits.storageOffsetAlignment, elementBytes: elementBytes(ctx.dataType) };
  try {
    return planChunks(r, ctx.channelsLast, lim, fits).map((c) => planned.get(c)!);
  } catch (e) {
    if (e instanceof ChunkError) throw new RangeError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Whether the candidate can run the problem on the device, split into chunks or not. */
export function fitsDevice(ctx: PlanContext, candidate: Candidate): boolean {
  try {
    chunkedPlan(ctx, candidate);
    return true;
  } catch {
    return false;
  }
}

/** The weights `[C_in, C_out/groups, ...kernel]` (and bias) of a chunk's selection: the full ones, or a copied slice. */
export function selectWeights(p: Problem3d, w: Float32Array, bias: Float32Array | undefined, sel: WeightSelection): { w: Float32Array; bias: Float32Array | undefined } {
  if (sel.groups === p.G && sel.oc === p.CoutG) return { w, bias };
  const taps = sizeOf(p.k);
  const out = new Float32Array(sel.groups * p.CinG * sel.oc * taps);
  let o = 0;
  for (let ic = sel.g0 * p.CinG; ic < (sel.g0 + sel.groups) * p.CinG; ic++) {
    const from = (ic * p.CoutG + sel.oc0) * taps;
    out.set(w.subarray(from, from + sel.oc * taps), o);
    o += sel.oc * taps;
  }
  let b: Float32Array | undefined;
  if (bias) {
    b = new Float32Array(sel.groups * sel.oc);
    for (let g = 0; g < sel.groups; g++) b.set(bias.subarray((sel.g0 + g) * p.CoutG + sel.oc0, (sel.g0 + g) * p.CoutG + sel.oc0 + sel.oc), g * sel.oc);
  }
  return { w: out, bias: b };
}
