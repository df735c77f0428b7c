/**
 * What the GPU tests run each case through: every path and `auto` as this device plans them, plus the plans
 * a discrete GPU would make (smaller register blocks, split-K, auto's GPU choice), so those kernels are
 * checked on every case here too, whatever adapter the tests run on; and the channels-last layout on every path.
 */
import { PATH_OPTIONS, type PathOption } from '../../src/index';

export interface Variant {
  /** Shown in failures: the path, with `@gpu` for a forced GPU plan. */
  name: string;
  path: PathOption;
  adapterClass?: 'cpu' | 'gpu';
  /** Run with input and output channels-last (`inputLayout: 'nhwc'`); the test transposes data around the call. */
  channelsLast?: boolean;
}

export const VARIANTS: readonly Variant[] = [
  ...PATH_OPTIONS.map((path) => ({ name: path, path })),
  { name: 'phase@gpu', path: 'phase', adapterClass: 'gpu' },
  { name: 'auto@gpu', path: 'auto', adapterClass: 'gpu' },
  // Channels-last on every path and on the split-K GEMM (its dense partials and reduction follow the layout).
  ...PATH_OPTIONS.map((path) => ({ name: `${path}/nhwc`, path, channelsLast: true })),
  { name: 'phase@gpu/nhwc', path: 'phase', adapterClass: 'gpu', channelsLast: true },
];

export const VARIANT_NAMES: readonly string[] = VARIANTS.map((v) => v.name);
