/** Seeded random numbers and the random configuration sweep shared by the Node and browser tests. */
import { resolveConvTranspose, sizeOf, type ConvTransposeAttributes } from '../../src/shape';
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

/** IEEE special values and exact zeros, the values a special-value case plants in its data. */
export const SPECIAL_VALUES: readonly number[] = [NaN, Infinity, -Infinity, -0, 0];

/**
 * Special values a case plants in its random data: `input`, `weight` and `bias` elements at positions (and
 * with values from SPECIAL_VALUES) drawn from `seed`.
 */
export interface Specials {
  seed: number;
  input: number;
  weight: number;
  bias: number;
}

/** Replaces `count` elements of `data` (in place) with special values, positions and values from `seed`. */
export function plantSpecials(data: Float32Array, seed: number, count: number): Float32Array {
  if (data.length === 0) return data;
  const r = rng(seed);
  for (let i = 0; i < count; i++) data[Math.floor(r() * data.length)] = SPECIAL_VALUES[Math.floor(r() * SPECIAL_VALUES.length)];
  return data;
}

/**
 * The data of a generated case: input, weight and bias (or null) from `seed` (seed, seed+1, seed+2 as the
 * test page has always drawn them), with `specials` planted when given.
 */
export function caseData(inputShape: readonly number[], weightShape: readonly number[], outChannels: number, seed: number, bias: boolean, specials?: Specials | null) {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const x = randomData(seed, size(inputShape));
  const w = randomData(seed + 1, size(weightShape));
  const b = bias ? randomData(seed + 2, outChannels) : null;
  if (specials) {
    plantSpecials(x, specials.seed, specials.input);
    plantSpecials(w, specials.seed + 1, specials.weight);
    if (b) plantSpecials(b, specials.seed + 2, specials.bias);
  }
  return { x, w, b };
}

/** A generated test problem: shapes and attributes; its data comes from `seed`. */
export interface RandomCase {
  name: string;
  inputShape: number[];
  weightShape: number[];
  bias: boolean;
  attrs: ConvTransposeAttributes;
  seed: number;
  /** Special values planted in the data (see {@link caseData}); absent for plain random data. */
  specials?: Specials;
  /** Edges this case exercises, for the coverage check. */
  features: string[];
}

/** Options of {@link randomCases}. */
export interface RandomCaseOptions {
  /**
   * Share of cases (0 to 1, default 0) whose data holds special values (NaN, ±Inf, -0, exact 0): a few
   * elements of the input, of the weights and of the bias. Drawn from a separate generator, so the
   * configurations themselves do not depend on it.
   */
  specialShare?: number;
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
export function randomCases(count: number, seed = 1234, options: RandomCaseOptions = {}): RandomCase[] {
  const r = rng(seed);
  const special = rng(seed ^ 0x5eed5);
  const specialShare = options.specialShare ?? 0;
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
    let specials: Specials | undefined;
    if (specialShare > 0 && special() < specialShare) {
      const few = (n: number) => Math.min(n, 1 + Math.floor(special() * 3));
      specials = { seed: 1 + Math.floor(special() * 2 ** 30), input: few(sizeOf(inputShape)), weight: special() < 0.5 ? few(sizeOf(weightShape)) : 0, bias: bias && special() < 0.5 ? 1 : 0 };
      features.push('special values');
    }
    const name = `random#${cases.length} in=[${inputShape}] w=[${weightShape}] ${JSON.stringify(attrs)}${bias ? ' +bias' : ''}${specials ? ` specials=${JSON.stringify(specials)}` : ''}`;
    cases.push({ name, inputShape, weightShape, bias, attrs, seed: int(1, 2 ** 30), ...(specials ? { specials } : {}), features });
  }
  return cases;
}
