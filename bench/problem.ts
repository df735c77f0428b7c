/**
 * A layer of the standard suite (bench/layers.json) turned into a concrete problem: resolved shapes, seeded
 * input and weights shared by every implementation, and the float64 CPU reference they are all checked against.
 */
import { resolveConvTranspose, scatterReference, flopsOf, roundToHalf, sizeOf, type ResolvedConvTranspose } from '../src/index';
import { randomFloats, seedOf } from './random';

/** One entry of layers.json (NCHW input, PyTorch ConvTranspose2d attributes, symmetric pads). */
export interface LayerSpec {
  name: string;
  N: number; Cin: number; Cout: number; H: number; W: number;
  k: [number, number]; s: [number, number]; p: [number, number];
  op: [number, number]; d: [number, number]; g: number;
  /**
   * The batch of distinct data (default N, which must be a multiple of it): the input is random for refN items
   * and repeated up to N, so the float64 reference is computed for refN items and repeated likewise. Lets a
   * batch sized for a big GPU keep a cheap reference.
   */
  refN?: number;
  /** The model the layer comes from (layers-models.json): the report groups layers by it. */
  model?: string;
  /** Where the layer is in that model's public code. */
  source?: string;
}

/** Everything an implementation needs to run a layer, in NCHW / [Cin, Cout/g, kH, kW] layout. */
export interface Problem {
  spec: LayerSpec;
  resolved: ResolvedConvTranspose;
  /** Items of distinct data (spec.refN, else N): x repeats every refN items, and so does the output. */
  refN: number;
  inputShape: number[];
  weightShape: number[];
  outputShape: number[];
  x: Float32Array;
  w: Float32Array;
  /** Useful flops: 2·N·Cin·(Cout/g)·H·W·kH·kW. */
  flops: number;
  /** Smallest possible memory traffic in bytes: input + weight read once, output written once (f32). */
  bytes: number;
}

/** The attributes of a spec in PyTorch spelling, as createConvTranspose and resolveConvTranspose take them. */
export function attributesOf(spec: LayerSpec) {
  return { stride: spec.s, padding: spec.p, outputPadding: spec.op, dilation: spec.d, groups: spec.g };
}

/**
 * Builds the problem of a spec. Inputs are uniform in [-1, 1); weights are scaled by 1/sqrt(fan-in) like a
 * trained layer's, so outputs stay near unit size and the relative error is meaningful.
 */
export function problemOf(spec: LayerSpec): Problem {
  const refN = spec.refN ?? spec.N;
  if (!Number.isInteger(refN) || refN < 1 || spec.N % refN !== 0) {
    throw new RangeError(`layer ${spec.name}: refN: expected a positive integer that divides N = ${spec.N}, got ${spec.refN}`);
  }
  const inputShape = [spec.N, spec.Cin, spec.H, spec.W];
  const weightShape = [spec.Cin, spec.Cout / spec.g, spec.k[0], spec.k[1]];
  const resolved = resolveConvTranspose(inputShape, weightShape, null, attributesOf(spec));
  const fanIn = (spec.Cin / spec.g) * spec.k[0] * spec.k[1];
  const seed = seedOf(spec.name);
  // refN items of data (for refN = N exactly the untiled draw: randomFloats' first values do not depend on the count).
  const x = tile(randomFloats((sizeOf(inputShape) / spec.N) * refN, seed), spec.N / refN);
  const w = randomFloats(sizeOf(weightShape), seed ^ 0x5bd1e995, 1 / Math.sqrt(fanIn));
  const outputShape = [...resolved.outputShape];
  return {
    spec, resolved, refN, inputShape, weightShape, outputShape, x, w,
    flops: flopsOf(resolved),
    bytes: 4 * (x.length + w.length + sizeOf(outputShape)),
  };
}

/** `data` repeated `times` times, end to end. */
export function tile<T extends Float32Array | Float64Array>(data: T, times: number): T {
  if (times === 1) return data;
  const out = new (data.constructor as new (n: number) => T)(data.length * times);
  for (let i = 0; i < times; i++) out.set(data, i * data.length);
  return out;
}

/** The float64 scatter reference of the problem's first refN items, repeated up to N (all of N when refN = N). */
function tiledReference(p: Problem, x: Float32Array | Float64Array): Float64Array {
  if (p.refN === p.spec.N) return scatterReference(p.resolved, x, p.w, null);
  const items = resolveConvTranspose([p.refN, ...p.inputShape.slice(1)], p.weightShape, null, attributesOf(p.spec));
  const head = x.subarray(0, (x.length / p.spec.N) * p.refN);
  return tile(scatterReference(items, head, p.w, null), p.spec.N / p.refN);
}

/** The float64 scatter reference of a problem (seconds for the largest layers: compute once per layer). */
export function referenceOf(p: Problem): Float64Array {
  return tiledReference(p, p.x);
}

/** The float64 reference of the problem with its input rounded to float16 (the float16 rows' input; weights stay float32). */
export function halfReferenceOf(p: Problem): Float64Array {
  return tiledReference(p, Float64Array.from(p.x, roundToHalf));
}

/** Largest |got − ref| and that divided by max |ref| (the relative error the suite reports). */
export function compareToReference(got: ArrayLike<number>, ref: Float64Array): { maxAbsErr: number; relErr: number } {
  if (got.length !== ref.length) throw new RangeError(`output has ${got.length} values, reference ${ref.length}`);
  let maxAbsErr = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(got[i] - ref[i]);
    // NaN must not hide behind Math.max (Math.max(0, NaN) is NaN, which then compares false everywhere).
    if (!(e <= maxAbsErr)) maxAbsErr = Number.isNaN(e) ? Infinity : e;
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  return { maxAbsErr, relErr: maxRef > 0 ? maxAbsErr / maxRef : maxAbsErr };
}
