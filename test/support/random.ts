/** Seeded random numbers and the random configuration sweep shared by the Node and browser tests. */
import { resolveConvTranspose, type ConvTransposeAttributes } from '../../src/shape';
import { mulberry32 } from '../../bench/random';

/** The seeded PRNG (mulberry32) the benchmark uses too; returns floats in [0, 1). */
export const rng = mulberry32;

/** `n` uniform values in [-1, 1) from `seed`. */
export function randomData(seed: number, n: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() * 2 - 1;
  return out;
}

/** A generated test problem: shapes and attributes; its data comes from `seed`. */
export interface RandomCase {
  name: string;
  inputShape: number[];
  weightShape: number[];
  bias: boolean;
  attrs: ConvTransposeAttributes;
  seed: number;
  /** Edges this case exercises, for the coverage check. */
  features: string[];
}

/** The edges the sweep must cover. */
export const SWEEP_FEATURES = [
  'dims=1', 'dims=2', 'dims=3', 'stride>kernel', 'padding>d(k-1)', 'input 1x1', 'k=1', 'groups=channels', 'groups>1',
  'batch>1', 'dilation>1', 'asymmetric pads', 'output_padding', 'output_shape', 'auto_pad SAME_UPPER', 'auto_pad SAME_LOWER',
  'auto_pad VALID', 'bias', 'no bias', 'non-square', 'stride not multiple of dilation', 'outputSize',
] as const;

/**
 * `count` valid random configurations from `seed`, small enough for the float64 references (and the matrix
 * reference), covering every attribute and edge in SWEEP_FEATURES.
 */
export function randomCases(count: number, seed = 1234): RandomCase[] {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const cases: RandomCase[] = [];
  while (cases.length < count) {
    const dims = pick([1, 2, 2, 2, 3]) as 1 | 2 | 3;
    const small = dims === 3;
    const groups = pick([1, 1, 1, 2, 3]);
    const depthwise = r() < 0.12;
    const cinG = depthwise ? 1 : int(1, small ? 2 : 4);
    const coutG = depthwise ? 1 : int(1, small ? 3 : 6);
    const g = depthwise ? int(2, 5) : groups;
    const N = pick([1, 1, 2, 3]);
    const inS = Array.from({ length: dims }, () => (r() < 0.12 ? 1 : int(1, small ? 4 : 7)));
    const k = Array.from({ length: dims }, () => (r() < 0.12 ? 1 : int(1, small ? 3 : 5)));
    const s = Array.from({ length: dims }, () => int(1, r() < 0.2 ? 6 : 3));
    const d = Array.from({ length: dims }, () => (r() < 0.3 ? int(2, 3) : 1));
    const attrs: ConvTransposeAttributes = {};
    const features: string[] = [];
    const mode = r();
    if (r() < 0.5) attrs.strides = s; else attrs.stride = s;
    if (d.some((v) => v > 1)) { if (r() < 0.5) attrs.dilations = d; else attrs.dilation = d; }
    if (g > 1) { if (r() < 0.5) attrs.group = g; else attrs.groups = g; }
    const op = s.map((v, i) => (r() < 0.3 ? int(0, Math.max(v, d[i]) - 1) : 0));
    if (mode < 0.35) {
      attrs.padding = s.map((_, i) => int(0, d[i] * (k[i] - 1) + 2));
      if (op.some((v) => v > 0)) attrs.outputPadding = op;
    } else if (mode < 0.6) {
      attrs.pads = [...k.map((v, i) => int(0, d[i] * (v - 1) + 2)), ...k.map((v, i) => int(0, d[i] * (v - 1) + 2))];
      if (op.some((v) => v > 0)) attrs.output_padding = op;
    } else if (mode < 0.72) {
      attrs.auto_pad = pick(['SAME_UPPER', 'SAME_LOWER', 'VALID'] as const);
      features.push(`auto_pad ${attrs.auto_pad}`);
    } else if (mode < 0.86) {
      const full = inS.map((v, i) => s[i] * (v - 1) + d[i] * (k[i] - 1) + 1);
      attrs.output_shape = full.map((f, i) => Math.max(1, f - int(-Math.max(s[i], d[i]) + 1, 3)));
      if (r() < 0.3) attrs.auto_pad = 'SAME_UPPER';
      features.push('output_shape');
    } else {
      const natural = inS.map((v, i) => s[i] * (v - 1) + d[i] * (k[i] - 1) + 1);
      attrs.outputSize = natural.map((n, i) => n + int(0, Math.max(s[i], d[i]) - 1));
      features.push('outputSize');
    }
    const inputShape = [N, g * cinG, ...inS];
    const weightShape = [g * cinG, coutG, ...k];
    const bias = r() < 0.5;
    let resolved;
    try {
      resolved = resolveConvTranspose(inputShape, weightShape, bias ? [g * coutG] : null, attrs);
    } catch {
      continue; // e.g. padding larger than the output: rejected, not a numeric case
    }
    features.push(`dims=${dims}`, bias ? 'bias' : 'no bias');
    if (s.some((v, i) => v > k[i])) features.push('stride>kernel');
    if (resolved.padsBegin.some((p, i) => p > d[i] * (k[i] - 1)) || resolved.padsEnd.some((p, i) => p > d[i] * (k[i] - 1))) features.push('padding>d(k-1)');
    if (inS.every((v) => v === 1)) features.push('input 1x1');
    if (k.every((v) => v === 1)) features.push('k=1');
    if (depthwise) features.push('groups=channels');
    if (g > 1) features.push('groups>1');
    if (N > 1) features.push('batch>1');
    if (d.some((v) => v > 1)) features.push('dilation>1');
    if (resolved.padsBegin.some((p, i) => p !== resolved.padsEnd[i])) features.push('asymmetric pads');
    if (resolved.outputPadding.some((v) => v > 0)) features.push('output_padding');
    if (dims > 1 && new Set([...inS, ...k]).size > 1) features.push('non-square');
    if (s.some((v, i) => v > 1 && d[i] > 1 && v % d[i] !== 0)) features.push('stride not multiple of dilation');
    const name = `random#${cases.length} in=[${inputShape}] w=[${weightShape}] ${JSON.stringify(attrs)}${bias ? ' +bias' : ''}`;
    cases.push({ name, inputShape, weightShape, bias, attrs, seed: int(1, 2 ** 30), features });
  }
  return cases;
}
