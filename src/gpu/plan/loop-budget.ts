/**
 * The loop budget of one invocation. Mesa's llvmpipe (lavapipe, the CPU Vulkan driver under Firefox and Deno
 * where there is no GPU) ends every loop of an invocation once 65535 iterations have run, all its loops together
 * (LP_MAX_TGSI_LOOP_ITERATIONS: one counter per shader invocation, decremented at each loop's end), silently
 * leaving the rest of its work undone. Every plan keeps each invocation within that, on every device, so a plan
 * right on one implementation is right on all: families count the iterations of the loops whose trip counts
 * come from the problem (taps, input channels, K tiles; loops over override constants unroll), split K where
 * they can, and a plan past the budget is refused (plan/chunked.ts) rather than run.
 */
import type { Problem3d } from '../../shape';
import { tapSteps } from '../geometry';

export const MAX_LOOP_ITERATIONS = 65535;

/** Iterations of wgsl/taps.wgsl's mulMod loops (32 per axis, strides past 65536 only): counted always, a bound. */
export const TAP_SETUP = 3 * 32;

/**
 * Most taps one invocation visits along each axis (D, H, W) in kernels that walk only the taps reaching an
 * input (wgsl/taps.wgsl: tapRange): ceil(k / tapStep), and no more than the inputs its `lanes` consecutive
 * phase-grid cells along W can read.
 */
export function tapsPerInvocation(p: Problem3d, lanes: number): number[] {
  const { tapStep, inStep } = tapSteps(p);
  return [0, 1, 2].map((a) => Math.min(Math.ceil(p.k[a] / tapStep[a]), Math.floor((p.inS[a] - 1 + (a === 2 ? lanes - 1 : 0)) / inStep[a]) + 1));
}

/** Iterations of a D, H, W tap-loop nest whose innermost body is a loop of `inner` iterations (input channels). */
export function tapNestIterations(taps: readonly number[], inner: number): number {
  const [d, h, w] = taps;
  return TAP_SETUP + d + d * h + d * h * w * (1 + inner);
}

/** The largest inner trip count (input channels per split-K chunk) a tap nest may have within the budget (0: none). */
export function innerWithinBudget(taps: readonly number[]): number {
  const [d, h, w] = taps;
  return Math.max(0, Math.floor((MAX_LOOP_ITERATIONS - TAP_SETUP - d - d * h) / Math.max(1, d * h * w)) - 1);
}
