/**
 * What the GPU tests run each case through: every path and `auto` as this device plans them, plus the plans
 * a discrete GPU would make (smaller register blocks, split-K, auto's GPU choice), so those kernels are
 * checked on every case here too, whatever adapter the tests run on; the channels-last layout on every path;
 * and float16 storage on every path (not crossed with the others, to keep the run short, except one
 * channels-last and one GPU-plan variant: split-K and its reduction followed by the float16 packing stage).
 */
import { PATH_OPTIONS, type PathOption } from '../../src/index';

export interface Variant {
  /** Shown in failures: the path, with `@gpu` for a forced GPU plan. */
  name: string;
  path: PathOption;
  adapterClass?: 'cpu' | 'gpu';
  /** Run with input and output channels-last (`inputLayout: 'nhwc'`); the test transposes data around the call. */
  channelsLast?: boolean;
  /**
   * Run with `dataType: 'float16'`: input, weights and bias rounded to float16 and given as float16 (Float16Array,
   * or Uint16Array bit patterns with `halfBits`), compared with the float64 reference of the rounded data under
   * the float16 tolerance (test/support/compare.ts: matchesHalf).
   */
  dataType?: 'float16';
  /** float16 data given as Uint16Array bit patterns instead of Float16Arrays. */
  halfBits?: boolean;
}

export const VARIANTS: readonly Variant[] = [
  ...PATH_OPTIONS.map((path) => ({ name: path, path })),
  { name: 'phase@gpu', path: 'phase', adapterClass: 'gpu' },
  { name: 'auto@gpu', path: 'auto', adapterClass: 'gpu' },
  // Channels-last on every path and on the split-K GEMM (its dense partials and reduction follow the layout).
  ...PATH_OPTIONS.map((path) => ({ name: `${path}/nhwc`, path, channelsLast: true })),
  { name: 'phase@gpu/nhwc', path: 'phase', adapterClass: 'gpu', channelsLast: true },
  // float16 storage on every path; then channels-last with the data as raw bits, and the GPU plan (split-K).
  ...PATH_OPTIONS.map((path) => ({ name: `${path}/f16`, path, dataType: 'float16' as const })),
  { name: 'auto/nhwc/f16', path: 'auto', channelsLast: true, dataType: 'float16', halfBits: true },
  { name: 'phase@gpu/f16', path: 'phase', adapterClass: 'gpu', dataType: 'float16' },
];

export const VARIANT_NAMES: readonly string[] = VARIANTS.map((v) => v.name);

/** Whether a variant stores float16 (its results are compared with the reference of the rounded data only). */
export function isHalfVariant(name: string): boolean {
  return VARIANTS.some((v) => v.name === name && v.dataType === 'float16');
}
