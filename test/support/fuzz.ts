/**
 * The fuzz command's case model and shrinker (scripts/fuzz.mjs runs them in headless Chromium): a case is a
 * configuration plus the seed its data comes from; shrinking proposes smaller valid configurations (batch 1,
 * no bias, fewer special values, one group, fewer channels, one axis less, smaller sizes, kernel, stride,
 * dilation, pads) and keeps, greedily, the first that still fails.
 */
import { resolveConvTranspose, type ConvTransposeAttributes, type ResolvedConvTranspose } from '../../src/shape';
import type { RandomCase, Specials } from './random';

/** What the fuzzer runs: shapes, attributes, and where the data comes from (test/support/random.ts: caseData). */
export interface FuzzCase {
  inputShape: number[];
  weightShape: number[];
  attrs: ConvTransposeAttributes;
  bias: boolean;
  seed: number;
  specials?: Specials | null;
}

export function fromRandomCase(c: RandomCase): FuzzCase {
  return { inputShape: [...c.inputShape], weightShape: [...c.weightShape], attrs: c.attrs, bias: c.bias, seed: c.seed, ...(c.specials ? { specials: c.specials } : {}) };
}

/** The resolved problem, or null when the configuration is invalid. */
export function resolveCase(c: FuzzCase): ResolvedConvTranspose | null {
  try {
    const outChannels = c.weightShape[1] * (c.attrs.groups ?? c.attrs.group ?? 1);
    return resolveConvTranspose(c.inputShape, c.weightShape, c.bias ? [outChannels] : null, c.attrs);
  } catch {
    return null;
  }
}

/** Elements of input, weight and output: what shrinking makes smaller. */
export function caseSize(c: FuzzCase): number {
  const r = resolveCase(c);
  const n = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  return r ? n(r.inputShape) + n(r.weightShape) + n(r.outputShape) : Infinity;
}

/**
 * The same problem with attributes in one explicit form ({ strides, dilations, pads, output_padding, group }),
 * which the shrinker can edit axis by axis; the case unchanged when no such form gives the same problem
 * (an end pad below zero that output_padding cannot express).
 */
export function canonical(c: FuzzCase): FuzzCase {
  const r = resolveCase(c);
  if (!r) return c;
  if (r.padsEnd.some((p) => p < 0)) {
    const op = r.outputPadding.map((v, a) => v - Math.min(0, r.padsEnd[a]));
    if (op.some((v, a) => v >= Math.max(r.strides[a], r.dilations[a]))) return c;
    return same(c, { ...c, attrs: explicit(r, r.padsBegin, r.padsEnd.map((p) => Math.max(0, p)), op) }, r);
  }
  return same(c, { ...c, attrs: explicit(r, r.padsBegin, r.padsEnd, r.outputPadding) }, r);
}

function explicit(r: ResolvedConvTranspose, pb: readonly number[], pe: readonly number[], op: readonly number[]): ConvTransposeAttributes {
  const attrs: ConvTransposeAttributes = { strides: [...r.strides], dilations: [...r.dilations], pads: [...pb, ...pe] };
  if (op.some((v) => v > 0)) attrs.output_padding = [...op];
  if (r.groups > 1) attrs.group = r.groups;
  return attrs;
}

/** `next` when it resolves to exactly the problem `r` (same output shape and pads), else `c`. */
function same(c: FuzzCase, next: FuzzCase, r: ResolvedConvTranspose): FuzzCase {
  const q = resolveCase(next);
  const key = (x: ResolvedConvTranspose) => JSON.stringify([x.outputShape, x.padsBegin, x.strides, x.dilations, x.groups]);
  return q && key(q) === key(r) ? next : c;
}

/**
 * Smaller valid cases than `c` (which should be canonical), the boldest first: every candidate changes one
 * thing and resolves, so each accepted step makes the case strictly simpler and shrinking ends.
 */
export function shrinkCandidates(c: FuzzCase): FuzzCase[] {
  const r = resolveCase(c);
  if (!r) return [];
  const out: FuzzCase[] = [];
  const seen = new Set<string>([JSON.stringify(c)]);
  const add = (f: FuzzCase) => {
    const key = JSON.stringify(f);
    if (seen.has(key) || !resolveCase(f)) return;
    seen.add(key);
    out.push(f);
  };
  const dims = r.dims;
  const G = r.groups, cinG = r.inChannelsPerGroup, coutG = r.outChannelsPerGroup;
  const editable = 'pads' in c.attrs && !('auto_pad' in c.attrs) && !('output_shape' in c.attrs) && !('outputSize' in c.attrs);
  const withShapes = (N: number, g: number, ci: number, co: number, inS: number[], k: number[], attrs = c.attrs): FuzzCase => ({
    ...c, inputShape: [N, g * ci, ...inS], weightShape: [g * ci, co, ...k], attrs,
  });
  const inS = [...r.inSpatial], k = [...r.kernel];

  // Batch, bias, special values, groups, channels.
  if (r.batch > 1) add(withShapes(1, G, cinG, coutG, inS, k));
  if (c.bias) add({ ...c, bias: false });
  if (c.specials) {
    add({ ...c, specials: null });
    for (const key of ['input', 'weight', 'bias'] as const) if (c.specials[key] > 0) add({ ...c, specials: { ...c.specials, [key]: 0 } });
    for (const key of ['input', 'weight', 'bias'] as const) if (c.specials[key] > 1) add({ ...c, specials: { ...c.specials, [key]: c.specials[key] - 1 } });
  }
  if (G > 1) {
    const attrs = { ...c.attrs };
    delete attrs.group;
    delete attrs.groups;
    add(withShapes(r.batch, 1, cinG, coutG, inS, k, attrs));
  }
  for (const ci of [1, cinG - 1]) if (ci >= 1 && ci < cinG) add(withShapes(r.batch, G, ci, coutG, inS, k));
  for (const co of [1, coutG - 1]) if (co >= 1 && co < coutG) add(withShapes(r.batch, G, cinG, co, inS, k));
  if (r.batch > 2) add(withShapes(r.batch - 1, G, cinG, coutG, inS, k));

  if (!editable) {
    // Attributes that derive pads from sizes: only the input size can shrink without rewriting them.
    for (let a = 0; a < dims; a++) for (const v of [1, inS[a] - 1]) if (v >= 1 && v < inS[a]) add(withShapes(r.batch, G, cinG, coutG, inS.map((x, i) => (i === a ? v : x)), k));
    return out;
  }

  // Axis by axis on the explicit form.
  const a0 = c.attrs as Required<Pick<ConvTransposeAttributes, 'strides' | 'dilations' | 'pads'>> & ConvTransposeAttributes;
  const s = [...a0.strides], d = [...a0.dilations], pb = a0.pads.slice(0, dims), pe = a0.pads.slice(dims);
  const op = a0.output_padding ? [...a0.output_padding] : Array(dims).fill(0);
  const build = (is: number[], ks: number[], ss: number[], ds: number[], b: number[], e: number[], o: number[]): FuzzCase => {
    const attrs: ConvTransposeAttributes = { strides: ss, dilations: ds, pads: [...b, ...e] };
    if (o.some((v) => v > 0)) attrs.output_padding = o;
    if (G > 1) attrs.group = G;
    return withShapes(r.batch, G, cinG, coutG, is, ks, attrs);
  };
  if (dims > 1) {
    for (let a = 0; a < dims; a++) {
      const drop = <T,>(xs: T[]) => xs.filter((_, i) => i !== a);
      add(build(drop(inS), drop(k), drop(s), drop(d), drop(pb), drop(pe), drop(op)));
    }
  }
  const set = (xs: number[], a: number, v: number) => xs.map((x, i) => (i === a ? v : x));
  for (let a = 0; a < dims; a++) {
    // Zero pads and output padding first: they often must go before sizes can shrink.
    if (pb[a] > 0 || pe[a] > 0 || op[a] > 0) add(build(inS, k, s, d, set(pb, a, 0), set(pe, a, 0), set(op, a, 0)));
    for (const v of [1, inS[a] - 1]) if (v >= 1 && v < inS[a]) add(build(set(inS, a, v), k, s, d, pb, pe, op));
    for (const v of [1, k[a] - 1]) if (v >= 1 && v < k[a]) add(build(inS, set(k, a, v), s, d, pb, pe, op));
    for (const v of [1, s[a] - 1]) if (v >= 1 && v < s[a]) add(build(inS, k, set(s, a, v), d, pb, pe, set(op, a, Math.min(op[a], Math.max(v, d[a]) - 1))));
    for (const v of [1, d[a] - 1]) if (v >= 1 && v < d[a]) add(build(inS, k, s, set(d, a, v), pb, pe, set(op, a, Math.min(op[a], Math.max(s[a], v) - 1))));
    for (const v of [0, pb[a] - 1]) if (v >= 0 && v < pb[a]) add(build(inS, k, s, d, set(pb, a, v), pe, op));
    for (const v of [0, pe[a] - 1]) if (v >= 0 && v < pe[a]) add(build(inS, k, s, d, pb, set(pe, a, v), op));
    if (op[a] > 0) add(build(inS, k, s, d, pb, pe, set(op, a, 0)));
  }
  return out;
}

/**
 * Greedy shrinking: from the canonical form of `c`, take the first candidate that still `fails`, and again
 * from there, until no candidate fails or `budget` candidates were tried.
 */
export async function shrink(c: FuzzCase, fails: (f: FuzzCase) => Promise<boolean>, budget = 300): Promise<{ smallest: FuzzCase; steps: number; tries: number }> {
  let smallest = canonical(c);
  let steps = 0, tries = 0;
  search: while (tries < budget) {
    for (const candidate of shrinkCandidates(smallest)) {
      if (tries >= budget) break search;
      tries++;
      if (await fails(candidate)) {
        smallest = candidate;
        steps++;
        continue search;
      }
    }
    break;
  }
  return { smallest, steps, tries };
}

/** One line: shapes, attributes, bias, seed and special values. */
export function describeCase(c: FuzzCase): string {
  const r = resolveCase(c);
  return `in=[${c.inputShape}] w=[${c.weightShape}] ${JSON.stringify(c.attrs)}${c.bias ? ' +bias' : ''} seed=${c.seed}` +
    `${c.specials ? ` specials=${JSON.stringify(c.specials)}` : ''}${r ? ` -> out=[${r.outputShape}]` : ' (invalid)'}`;
}
