/**
 * The list of GPU paths and the `auto` choice. The layer, the tests and the benchmark iterate over PATHS;
 * adding a path means adding its module here.
 */
import { gatherPath } from './gather';
import { zeroInsertPath } from './zeroInsert';
import { phasePath } from './phase';
import { estimate } from './cost';
import { withHalfOutput } from './f16';
import type { AdapterClass, GpuPathModule, PlanContext } from './types';

/** A path whose plans honour the context's storage type: float16 output through a packing stage (f16.ts). */
function withStorage(m: GpuPathModule): GpuPathModule {
  return { ...m, plan: (ctx) => withHalfOutput(ctx, (c) => m.plan(c)) };
}

/** Every GPU path, in the order tables and tests show them. */
export const PATHS: readonly GpuPathModule[] = [gatherPath, zeroInsertPath, phasePath].map(withStorage);

/** The GPU paths, by name. */
export const GPU_PATHS = PATHS.map((m) => m.name) as readonly GpuPath[];

/**
 * A GPU path: `gather` (scatter-gather, one dispatch), `zero-insert` (the textbook method), `phase` (stride
 * phases as register-blocked implicit GEMMs).
 */
export type GpuPath = 'gather' | 'zero-insert' | 'phase';

/** What the `path` option takes: a path, or `auto` (the default), which picks one per shape and device. */
export type PathOption = GpuPath | 'auto';

/** Every value the `path` option takes. */
export const PATH_OPTIONS: readonly PathOption[] = [...GPU_PATHS, 'auto'];

/** Throws a TypeError naming `path` unless it is a GPU path or `auto`. */
export function checkPathOption(path: unknown): asserts path is PathOption {
  if (!PATH_OPTIONS.includes(path as PathOption)) {
    throw new TypeError(`path: expected one of ${PATH_OPTIONS.join(', ')}, got ${JSON.stringify(path)}`);
  }
}

/** `cpu` when the device's adapter is a CPU implementation of WebGPU (SwiftShader, llvmpipe, WARP), else `gpu`. */
export function adapterClassOf(device: GPUDevice): AdapterClass {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  if (!info) return 'gpu';
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  return /swiftshader|llvmpipe|lavapipe|warp|software|\bcpu\b/i.test(text) ? 'cpu' : 'gpu';
}

/** Throws a TypeError naming `adapterClass` unless it is absent, `cpu` or `gpu`. */
export function checkAdapterClass(value: unknown): asserts value is AdapterClass | undefined {
  if (value !== undefined && value !== 'cpu' && value !== 'gpu') {
    throw new TypeError(`adapterClass: expected 'cpu' or 'gpu', got ${JSON.stringify(value)}`);
  }
}

/** Each path's estimated cost for a problem (cost.ts), cheapest first. */
export function rankPaths(ctx: PlanContext): { path: GpuPath; cost: number }[] {
  return PATHS.map((m) => ({ path: m.name as GpuPath, cost: estimate(ctx.adapter, m.work(ctx)) })).sort((a, b) => a.cost - b.cost);
}
