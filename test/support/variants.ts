/**
 * What the GPU tests run each case through: every path and `auto` as this device plans them, plus the plans
 * a discrete GPU would make (smaller register blocks, split-K, auto's GPU choice), so those kernels are
 * checked on every case here too, whatever adapter the tests run on.
 */
import { PATH_OPTIONS, type PathOption } from '../../src/index';

export interface Variant {
  /** Shown in failures: the path, with `@gpu` for a forced GPU plan. */
  name: string;
  path: PathOption;
  adapterClass?: 'cpu' | 'gpu';
}

export const VARIANTS: readonly Variant[] = [
  ...PATH_OPTIONS.map((path) => ({ name: path, path })),
  { name: 'phase@gpu', path: 'phase', adapterClass: 'gpu' },
  { name: 'auto@gpu', path: 'auto', adapterClass: 'gpu' },
];

export const VARIANT_NAMES: readonly string[] = VARIANTS.map((v) => v.name);
