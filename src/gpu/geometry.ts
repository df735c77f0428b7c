/**
 * The stride-phase geometry every family and the cost model share: which taps reach which outputs, the stride
 * phases that hold outputs, and the tap slots and grid of each phase. Pure integer arithmetic on a Problem3d;
 * the uniform fields that carry it to the shaders are in uniforms.ts, the weights packed by it in
 * kernels/weights.ts. Spatial triples are (D, H, W).
 */
import type { Problem3d } from '../shape';

const AXES = [0, 1, 2] as const;

export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Inverse of a modulo m (a and m coprime); 0 when m is 1. */
export function inverseMod(a: number, m: number): number {
  if (m === 1) return 0;
  let [r0, r1, t0, t1] = [m, a % m, 0, 1];
  while (r1) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % m) + m) % m;
}

/**
 * How taps step along each axis (wgsl/taps.wgsl): with g = gcd(s, d), the taps that reach one output are
 * `tapStep` = s/g kernel cells apart and read inputs `inStep` = d/g apart; the first comes from `invDil`, the
 * inverse of d/g modulo s/g.
 */
export function tapSteps(p: Problem3d): { gcd: number[]; tapStep: number[]; inStep: number[]; invDil: number[] } {
  const g = AXES.map((a) => gcd(p.s[a], p.d[a]));
  const tapStep = AXES.map((a) => p.s[a] / g[a]);
  const inStep = AXES.map((a) => p.d[a] / g[a]);
  return { gcd: g, tapStep, inStep, invDil: AXES.map((a) => inverseMod(inStep[a] % tapStep[a], tapStep[a])) };
}

/** Stride phases that hold outputs along each axis, min(stride, out) (at least 1): what a grid over phases spans. */
export function phaseCounts(p: Problem3d): number[] {
  return AXES.map((a) => Math.max(1, Math.min(p.s[a], p.outS[a])));
}

/** The phase grid, ceil(out / s) per axis: the outputs of one phase. */
export function phaseGrid(p: Problem3d): number[] {
  return AXES.map((a) => Math.ceil(p.outS[a] / p.s[a]));
}

/**
 * Per axis: how many distinct first taps k0 the phases have (min(s/gcd, k): phases are packed by k0, which is
 * one-to-one with the phases that have taps, so strides far above the kernel cost no extra weight memory)
 * and the tap slots per phase, ceil(k / (s/gcd)).
 */
export function phaseSlots(p: Problem3d): { firsts: number[]; slots: number[] } {
  const { tapStep } = tapSteps(p);
  return { firsts: AXES.map((a) => Math.min(tapStep[a], p.k[a])), slots: AXES.map((a) => Math.ceil(p.k[a] / tapStep[a])) };
}
