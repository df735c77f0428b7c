/**
 * The kernel families: the one list. The path option, `auto`, the tests, the fuzz command, the benchmark and its
 * chart all iterate it; adding a family is its folder plus one line here.
 */
import { gather } from './gather';
import { zeroInsert } from './zero-insert';
import { phase } from './phase';
import { tiled } from './tiled';
import { kParallel } from './k-parallel';
import { withHalfOutput } from './stages/pack-f16';
import type { Family } from './kernel';

/** Every family, in the order tables and tests show them. */
const FAMILIES = [gather, zeroInsert, phase, tiled, kParallel] as const;

/**
 * A GPU path: a kernel family by name. `gather` (scatter-gather, one dispatch), `zero-insert` (the textbook
 * method), `phase` (stride phases as register-blocked implicit GEMMs), `tiled` (the phase GEMMs in workgroup
 * tiles, split-K, for GPUs), `k-parallel` (at most 4 output channels per group: a workgroup's threads split K).
 */
export type GpuPath = (typeof FAMILIES)[number]['name'];

/** What the `path` option takes: a path, or `auto` (the default), which picks one per shape and device. */
export type PathOption = GpuPath | 'auto';

/** The GPU paths, by name. */
export const GPU_PATHS: readonly GpuPath[] = FAMILIES.map((f) => f.name);

/** Every value the `path` option takes. */
export const PATH_OPTIONS: readonly PathOption[] = [...GPU_PATHS, 'auto'];

/** A family whose plans honour the context's storage type: float16 output through a packing stage. */
function withStorage(f: Family): Family {
  return { ...f, plan: (ctx, config) => withHalfOutput(ctx, (c) => f.plan(c, config)) };
}

const BY_NAME = new Map<string, Family>(FAMILIES.map((f) => [f.name, withStorage(f as Family)]));

/** The family of a path (with float16 storage handled). */
export function familyOf(path: GpuPath): Family {
  return BY_NAME.get(path)!;
}

/** The configurations tests run every case through beside a family's rule (Family.examples). */
export function examplesOf(path: GpuPath): readonly object[] {
  return BY_NAME.get(path)!.examples ?? [];
}

/** Throws a TypeError naming `path` unless it is a GPU path or `auto`. */
export function checkPathOption(path: unknown): asserts path is PathOption {
  if (!PATH_OPTIONS.includes(path as PathOption)) {
    throw new TypeError(`path: expected one of ${PATH_OPTIONS.join(', ')}, got ${JSON.stringify(path)}`);
  }
}
