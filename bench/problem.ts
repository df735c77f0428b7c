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
}

/** Everything an implementation needs to run a layer, in NCHW / [Cin, Cout/g, kH, kW] layout. */
export interface Problem {
  spec: LayerSpec;
  resolved: ResolvedConvTranspose;
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
  const inputShape = [spec.N, spec.Cin, spec.H, spec.W];
  const weightShape = [spec.Cin, spec.Cout / spec.g, spec.k[0], spec.k[1]];
  const resolved = resolveConvTranspose(inputShape, weightShape, null, attributesOf(spec));
  const fanIn = (spec.Cin / spec.g) * spec.k[0] * spec.k[1];
  const seed = seedOf(spec.name);
  const x = randomFloats(sizeOf(inputShape), seed);
  const w = randomFloats(sizeOf(weightShape), seed ^ 0x5bd1e995, 1 / Math.sqrt(fanIn));
  const outputShape = [...resolved.outputShape];
  return {
    spec, resolved, inputShape, weightShape, outputShape, x, w,
    flops: flopsOf(resolved),
    bytes: 4 * (x.length + w.length + sizeOf(outputShape)),
  };
}

/** The float64 scatter reference of a problem (seconds for the largest layers: compute once per layer). */
export function referenceOf(p: Problem): Float64Array {
  return scatterReference(p.resolved, p.x, p.w, null);
}

/** The float64 reference of the problem with its input rounded to float16 (the float16 rows' input; weights stay float32). */
export function halfReferenceOf(p: Problem): Float64Array {
  return scatterReference(p.resolved, Float64Array.from(p.x, roundToHalf), p.w, null);
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
