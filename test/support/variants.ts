/**
 * What the GPU tests run each case through, built from the kernel registry (no hand lists of paths), in two tiers:
 *
 * - `ci` (default, `npm test`): every path and `auto` as this device plans them; `auto` under a GPU plan (what a
 *   discrete GPU would run, whatever adapter the tests run on); the first example configuration of each family
 *   that has them (Family.examples: small ragged tiles with a split, the split-K reduction); then channels-last
 *   and float16 on `auto` and `auto@gpu` (float16 with data as Float16Array, and as raw bits on
 *   `auto@gpu/nhwc/f16`). The other examples, and every example channels-last and in float16, run on the
 *   kernels' edge problems in the family checks (test/browser/family-checks.ts).
 * - `full` (`npm run test:full`, VITE_TEST_TIER=full): the cross product of every path and `auto`, each with
 *   its rule, its GPU plan and every example, by layout (channels-first, channels-last) and storage (float32,
 *   float16).
 */
import { PATH_OPTIONS, GPU_PATHS, type PathOption } from '../../src/index';
import { examplesOf } from '../../src/gpu/kernels/registry';

export interface Variant {
  /** Shown in failures: the path, `@gpu` for a forced GPU plan, `{...}` for a forced configuration, then /nhwc, /f16. */
  name: string;
  path: PathOption;
  adapterClass?: 'cpu' | 'gpu';
  /** A configuration of the path's family (the `config` option). */
  config?: object;
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

/** A configuration as variant names show it: `{px:4 ocv:1 ksplit:3}`. */
function configName(config: object): string {
  return `{${Object.entries(config).map(([k, v]) => `${k}:${v}`).join(' ')}}`;
}

function variant(base: Omit<Variant, 'name'>): Variant {
  const name = `${base.path}${base.adapterClass === 'gpu' ? '@gpu' : ''}${base.config ? configName(base.config) : ''}`
    + `${base.channelsLast ? '/nhwc' : ''}${base.dataType ? '/f16' : ''}`;
  return { name, ...base };
}

/** The first example of each family that has one. */
const firstExamples = GPU_PATHS.flatMap((path) => examplesOf(path).slice(0, 1).map((config) => ({ path, config })));

function ciTier(): Variant[] {
  const bases: Omit<Variant, 'name'>[] = [...PATH_OPTIONS.map((path) => ({ path })), { path: 'auto', adapterClass: 'gpu' }, ...firstExamples];
  const spread: Omit<Variant, 'name'>[] = [{ path: 'auto' }, { path: 'auto', adapterClass: 'gpu' }];
  return [
    ...bases,
    ...spread.map((b) => ({ ...b, channelsLast: true })),
    ...spread.map((b) => ({ ...b, dataType: 'float16' as const, ...(b.path === 'auto' && b.adapterClass === 'gpu' ? { channelsLast: true, halfBits: true } : {}) })),
  ].map(variant);
}

function fullTier(): Variant[] {
  const bases: Omit<Variant, 'name'>[] = PATH_OPTIONS.flatMap((path) => [
    { path }, { path, adapterClass: 'gpu' as const }, ...(path === 'auto' ? [] : examplesOf(path).map((config) => ({ path, config }))),
  ]);
  return [false, true].flatMap((channelsLast) => [undefined, 'float16' as const].flatMap((dataType) => bases.map((b) => variant({
    ...b, ...(channelsLast ? { channelsLast } : {}), ...(dataType ? { dataType, halfBits: channelsLast } : {}),
  }))));
}

/** The tier this run uses: `full` when VITE_TEST_TIER=full (npm run test:full), else `ci`. */
export const TEST_TIER: 'ci' | 'full' = (import.meta as { env?: Record<string, string | undefined> }).env?.VITE_TEST_TIER === 'full' ? 'full' : 'ci';

export const VARIANTS: readonly Variant[] = TEST_TIER === 'full' ? fullTier() : ciTier();

export const VARIANT_NAMES: readonly string[] = VARIANTS.map((v) => v.name);

/** Whether a variant stores float16 (its results are compared with the reference of the rounded data only). */
export function isHalfVariant(name: string): boolean {
  return VARIANTS.some((v) => v.name === name && v.dataType === 'float16');
}
