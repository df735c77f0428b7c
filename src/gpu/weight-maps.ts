/**
 * Where each packed weight comes from, for weights given on the GPU (layer-weights.ts). A path's packing
 * (Plan.packWeights/packBias, after the layout permutation and a chunk's selection) only moves values: each
 * packed element is one element of the caller's tensor, or a zero. So running that same packing on the
 * elements' own indices tells, for each packed element, which source element it is: an index map that one
 * generic GPU gather (kernels/stages/pack_weights.wgsl) then applies to any values. No family knows about it.
 *
 * Indices travel through the packers as float32, exact only up to 2^24, so each index goes through twice, in
 * two parts that are each exact: its low 12 bits (plus 1, so that a packed 0 means "no source": padding) and
 * the rest. Pure: no WebGPU.
 */
import { filterToIohw, type FilterLayout } from '../layout';
import { selectWeights, type PlannedChunk } from './plan/chunked';
import type { Problem3d } from '../shape';

/** A packed element with no source: a zero (kernels/stages/pack_weights.wgsl). */
export const NO_SOURCE = 0xffffffff;

const LOW = 4096;

/** The low and high parts of 0..n-1 (low + 1, so 0 marks padding). */
function indexParts(n: number): { low: Float32Array; high: Float32Array } {
  const low = new Float32Array(n);
  const high = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    low[i] = (i % LOW) + 1;
    high[i] = Math.floor(i / LOW);
  }
  return { low, high };
}

/** Joins packed parts back into source indices. */
function joinParts(low: Float32Array, high: Float32Array): Uint32Array {
  const out = new Uint32Array(low.length);
  for (let i = 0; i < low.length; i++) out[i] = low[i] === 0 ? NO_SOURCE : high[i] * LOW + low[i] - 1;
  return out;
}

/** The index maps of one chunk's packed weight and bias. */
export interface WeightMaps {
  readonly weight: Uint32Array;
  readonly bias: Uint32Array;
}

/**
 * The maps of a chunk's packing: for each packed weight element, its index in the caller's weight tensor
 * (`shape` in `layout`), and for each packed bias element its index in the bias `[C_out]`; NO_SOURCE for zeros.
 */
export function weightMaps(p: Problem3d, c: PlannedChunk, layout: FilterLayout, shape: readonly number[]): WeightMaps {
  const n = shape.reduce((a, b) => a * b, 1);
  const parts = indexParts(n);
  const biasParts = indexParts(p.Cout);
  const packed = (which: 'low' | 'high') => {
    const iohw = filterToIohw({ data: parts[which], shape }, layout).data as Float32Array;
    const sel = selectWeights(p, iohw, biasParts[which], c.chunk.weights);
    return { weight: c.plan.packWeights(sel.w), bias: c.plan.packBias(sel.bias) };
  };
  const low = packed('low');
  const high = packed('high');
  return { weight: joinParts(low.weight, high.weight), bias: joinParts(low.bias, high.bias) };
}
