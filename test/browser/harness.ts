/**
 * In-page side of the browser tests and the conformance command: runs a case through every GPU path and
 * compares with the float64 CPU reference (and with expected values when the case has them).
 */
import { convTranspose, createConvTranspose, getDevice, resolveConvTranspose, scatterReference, sizeOf, type ConvTransposeAttributes, type PathOption } from '../../src/index';
import { compare, compareHalf, comparisonToWire, fromWire, toWire, type WireComparison, type WireNumber } from '../support/compare';
import { fromHalfBits, halfArrayFromBits, isFloat16Array, roundToHalf, toHalfBits } from '../../src/half';
import { caseData, type Specials } from '../support/random';
import { VARIANTS } from '../support/variants';
import { shapeLast, toChannelsFirst, toChannelsLast } from '../support/layout';
import { apiChecks, trackingDevice } from './api-checks';
import { reliabilityChecks } from './reliability-checks';
import { chunkChecks } from './chunk-checks';
import { limitChecks } from './limit-checks';
import { halfChecks } from './half-checks';
import { familyChecks } from './family-checks';
import { weightChecks } from './weight-checks';
import { errorText } from '../support/error-text';

/**
 * A numeric case: data given, or generated from `seed`. Values cross JSON, so NaN, ±Infinity and -0 are
 * given as the strings 'NaN', 'Infinity', '-Infinity' and '-0' (test/support/compare.ts: toWire).
 */
export interface CaseSpec {
  name: string;
  inputShape: number[];
  weightShape: number[];
  attrs: ConvTransposeAttributes;
  input?: WireNumber[];
  weight?: WireNumber[];
  bias?: WireNumber[] | null;
  /** With `seed` and no data: random data (and a bias when `withBias`), with `specials` planted when given. */
  seed?: number;
  withBias?: boolean;
  specials?: Specials | null;
  expected?: { shape: number[]; data: WireNumber[] };
  /** Variant names (test/support/variants.ts); default all. */
  variants?: string[];
  /** Also return each path's output (wire form), e.g. to check the sign of zeros. */
  returnOutput?: boolean;
  /**
   * Run on a device requested with no limits and no features (the WebGPU spec's defaults, whatever the adapter
   * offers), not the package's default device, which asks for the adapter's largest buffers and timestamp-query.
   */
  defaultLimits?: boolean;
  /**
   * For testing the checks themselves (the fuzz command's self-test): a reference made wrong on purpose.
   * `reference-without-bias`: the reference leaves the bias out, so every case with a nonzero bias fails.
   */
  fault?: 'reference-without-bias';
}

/** One path's outcome. */
export interface PathResult {
  /** The variant: a path, or a path with a forced adapter plan such as `phase@gpu`. */
  path: string;
  shape: number[] | null;
  /** Against the CPU reference. */
  reference: WireComparison | null;
  /** Against the case's expected values, when it has them. */
  expected: WireComparison | null;
  shapeOk: boolean;
  error: string | null;
  /** The output, when the case asked for it (returnOutput). */
  output?: WireNumber[];
}

/** A must-fail case: shapes and attributes; tensors are ones. */
export interface RejectSpec {
  name: string;
  inputShape: number[];
  weightShape: number[];
  biasShape: number[] | null;
  attrs: ConvTransposeAttributes;
  path: PathOption;
}

export interface RejectResult {
  rejected: boolean;
  isError: boolean;
  message: string;
  /** Calls made on the device (or its queue) before the rejection: must be 0. */
  gpuCalls: number;
}

async function runCase(spec: CaseSpec): Promise<PathResult[]> {
  const outChannels = spec.weightShape[1] * (spec.attrs.groups ?? spec.attrs.group ?? 1);
  const generated = spec.seed !== undefined ? caseData(spec.inputShape, spec.weightShape, outChannels, spec.seed, !!spec.withBias, spec.specials) : null;
  const given = (v: WireNumber[] | null | undefined) => (v ? Float32Array.from(v, fromWire) : null);
  const x = given(spec.input) ?? generated!.x;
  const w = given(spec.weight) ?? generated!.w;
  const bias = spec.bias ? given(spec.bias) : spec.withBias ? generated!.b : null;
  const r = resolveConvTranspose(spec.inputShape, spec.weightShape, bias ? [bias.length] : null, spec.attrs);
  const ref = scatterReference(r, x, w, spec.fault === 'reference-without-bias' ? null : bias);
  const device = spec.defaultLimits ? await defaultLimitsDevice() : await getDevice();
  const results: PathResult[] = [];
  const batched = spec.inputShape.length === spec.weightShape.length;
  // float16 variants run on the data rounded to float16, against the float64 reference of the rounded data.
  let rounded: { x: Float32Array; w: Float32Array; bias: Float32Array | null; ref: Float64Array } | null = null;
  const halfCase = () => {
    if (!rounded) {
      const round = (a: Float32Array) => Float32Array.from(a, roundToHalf);
      const [hx, hw, hb] = [round(x), round(w), bias && round(bias)];
      rounded = { x: hx, w: hw, bias: hb, ref: scatterReference(r, hx, hw, spec.fault === 'reference-without-bias' ? null : hb) };
    }
    return rounded;
  };
  // float16 data as the variant gives it: a Float16Array, or the bit patterns in a Uint16Array.
  const asHalf = (a: Float32Array, bits: boolean) => (bits ? Uint16Array.from(a, toHalfBits) : halfArrayFromBits(Uint16Array.from(a, toHalfBits)));
  const numbers = (a: ArrayLike<number>): Float32Array =>
    a instanceof Float32Array ? a : isFloat16Array(a) ? Float32Array.from(a) : Float32Array.from(a as Uint16Array, fromHalfBits);
  for (const { name, path, adapterClass, config, channelsLast, dataType, halfBits } of VARIANTS.filter((v) => !spec.variants || spec.variants.includes(v.name))) {
    try {
      const half = dataType === 'float16' ? halfCase() : null;
      const [xv, wv, bv] = half ? [half.x, half.w, half.bias] : [x, w, bias];
      // Channels-last variants get the input transposed here and their output transposed back, so every
      // comparison below is in channels-first order.
      const xl = channelsLast ? toChannelsLast(xv, spec.inputShape, batched) : xv;
      const input = { data: half ? asHalf(xl, !!halfBits) : xl, shape: channelsLast ? shapeLast(spec.inputShape, batched) : spec.inputShape };
      const weight = { data: half ? asHalf(wv, !!halfBits) : wv, shape: spec.weightShape };
      const b = bv && half ? asHalf(bv, !!halfBits) : bv;
      const got = await convTranspose(input, weight, { ...spec.attrs, bias: b, path, adapterClass, config, device, ...(channelsLast ? { inputLayout: 'nhwc' as const } : {}), ...(dataType ? { dataType } : {}) });
      const data = numbers(got.data);
      const y = channelsLast ? { data: toChannelsFirst(data, got.shape, batched), shape: [...got.shape.slice(0, batched ? 1 : 0), got.shape[got.shape.length - 1], ...got.shape.slice(batched ? 1 : 0, -1)] } : { data, shape: got.shape };
      const expShape = spec.expected?.shape ?? r.outputShape;
      results.push({
        path: name,
        shape: [...y.shape],
        shapeOk: JSON.stringify(y.shape) === JSON.stringify(expShape),
        reference: comparisonToWire(half ? compareHalf(y.data, half.ref) : compare(y.data, ref)),
        // A case's expected values are for its unrounded data: float16 variants are held to the reference of theirs.
        expected: spec.expected && !half ? comparisonToWire(compare(y.data, spec.expected.data.map(fromWire))) : null,
        error: null,
        ...(spec.returnOutput ? { output: Array.from(y.data, toWire) } : {}),
      });
    } catch (e) {
      results.push({ path: name, shape: null, shapeOk: false, reference: null, expected: null, error: errorText(e) });
    }
  }
  return results;
}

let plainDevice: Promise<GPUDevice> | null = null;

/** A device with the spec's default limits and no features: `requestDevice()` with no descriptor. Made once. */
function defaultLimitsDevice(): Promise<GPUDevice> {
  plainDevice ??= navigator.gpu.requestAdapter().then((adapter) => {
    if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter');
    return adapter.requestDevice();
  });
  return plainDevice;
}

async function rejectCase(spec: RejectSpec): Promise<RejectResult> {
  const counted = trackingDevice(await getDevice());
  const ones = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape });
  const bias = spec.biasShape ? ones(spec.biasShape) : null;
  try {
    await convTranspose(ones(spec.inputShape), ones(spec.weightShape), { ...spec.attrs, bias, path: spec.path, device: counted.device });
    return { rejected: false, isError: false, message: 'accepted', gpuCalls: counted.calls() };
  } catch (e) {
    return { rejected: true, isError: e instanceof Error, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), gpuCalls: counted.calls() };
  }
}

async function adapterInfo(): Promise<{ ok: boolean; info: string }> {
  try {
    const device = await getDevice();
    const info = device.adapterInfo;
    return { ok: true, info: [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' / ') || 'unknown adapter' };
  } catch (e) {
    return { ok: false, info: String(e) };
  }
}

/** The dispatches a layer for `spec` runs on `path` under an `adapterClass` plan, as JSON. */
async function planOf(spec: CaseSpec, path: PathOption, adapterClass: 'cpu' | 'gpu'): Promise<string> {
  const layer = await createConvTranspose(await getDevice(), {
    ...spec.attrs, inputShape: spec.inputShape, weight: { data: new Float32Array(sizeOf(spec.weightShape)), shape: spec.weightShape }, path, adapterClass,
  });
  layer.destroy();
  return JSON.stringify({ path: layer.path, dispatches: layer.dispatches });
}

/** Cases started with startCase, by id, until caseResult takes them: several cases in flight at once. */
const started = new Map<string, Promise<PathResult[]>>();

/** Starts runCase(spec) under `id` and returns at once; caseResult(id) waits for it. */
function startCase(id: string, spec: CaseSpec): void {
  if (started.has(id)) throw new Error(`startCase: ${id} is already started`);
  const p = runCase(spec);
  p.catch(() => {}); // rejections are reported by caseResult, not as unhandled
  started.set(id, p);
}

/** The results of the case started under `id` (once). */
function caseResult(id: string): Promise<PathResult[]> {
  const p = started.get(id);
  if (!p) throw new Error(`caseResult: no case started under ${id}`);
  started.delete(id);
  return p;
}

const harness = { runCase, startCase, caseResult, planOf, rejectCase, adapterInfo, apiChecks, reliabilityChecks, chunkChecks, limitChecks, halfChecks, familyChecks, weightChecks };
export type Harness = typeof harness;
(window as unknown as { harness: Harness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
