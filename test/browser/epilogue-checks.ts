/**
 * In-page checks of the options that change what a layer computes around the sum: fused activations and
 * filter layouts, on every path and auto, each against the float64 CPU reference with the same definitions.
 */
import { applyActivation, convTranspose, filterToIohw, PATH_OPTIONS, resolveActivation, resolveConvTranspose, scatterReference, sizeOf, type Activation, type FilterLayout } from '../../src/index';
import { compare } from '../support/compare';
import { randomData } from '../support/random';
import { pooled, type CheckResult } from './api-checks';

const ACTIVATIONS: Activation[] = [
  'relu', 'relu6', 'sigmoid', 'tanh', 'gelu', 'leakyRelu', 'elu', 'hardSigmoid',
  { name: 'leakyRelu', alpha: 0.3 }, { name: 'clamp', min: -0.5, max: 0.25 }, { name: 'elu', alpha: 0.7 },
  { name: 'hardSigmoid', alpha: 0.3, beta: 0.4 },
];

/** The checks; the calls on every path with each activation and each layout run `inFlight` at a time. */
export async function epilogueChecks(device: GPUDevice, inFlight = 1): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const shape = [1, 6, 5, 4];
  const weightShape = [6, 5, 3, 3];
  const attrs = { stride: 2, padding: 1, groups: 2 };
  // Inputs up to ±8 so sigmoid, tanh, gelu and the clamps reach their saturated ends too.
  const x = randomData(41, sizeOf(shape)).map((v) => v * 8);
  const w = randomData(42, sizeOf(weightShape));
  const bias = randomData(43, 10);
  const r = resolveConvTranspose(shape, weightShape, [10], attrs);
  const plain = scatterReference(r, x, w, bias);
  const refs = new Map(ACTIVATIONS.map((a) => [a, applyActivation(Float64Array.from(plain), resolveActivation(a))]));
  results.push(...await pooled(ACTIVATIONS.flatMap((activation) => PATH_OPTIONS.map((path) => ({ activation, path }))), inFlight, async ({ activation, path }): Promise<CheckResult> => {
    const name = `activation ${JSON.stringify(activation)} [${path}]`;
    try {
      const y = await convTranspose({ data: x, shape }, { data: w, shape: weightShape }, { ...attrs, bias, path, device, activation });
      const c = compare(y.data, refs.get(activation)!);
      return { name, ok: c.ok, detail: JSON.stringify(c.firstBad) };
    } catch (e) {
      return { name, ok: false, detail: String(e) };
    }
  }));
  // Split-K applies the activation in its reduction pass, after all partial sums (phase on a GPU plan).
  {
    const deep = { x: [1, 128, 3, 3], w: [128, 8, 4, 4] };
    const xd = randomData(44, sizeOf(deep.x)).map((v) => v * 4);
    const wd = randomData(45, sizeOf(deep.w));
    const bd = randomData(46, 8);
    const rd = resolveConvTranspose(deep.x, deep.w, [8], { stride: 2, padding: 1 });
    const ref = applyActivation(scatterReference(rd, xd, wd, bd), resolveActivation('gelu'));
    const y = await convTranspose({ data: xd, shape: deep.x }, { data: wd, shape: deep.w }, { stride: 2, padding: 1, bias: bd, path: 'phase', adapterClass: 'gpu', device, activation: 'gelu' });
    const c = compare(y.data, ref);
    results.push({ name: 'activation gelu after a split-K reduction [phase@gpu]', ok: c.ok, detail: JSON.stringify(c.firstBad) });
  }
  // Filter layouts: the same weights handed over in each order give the iohw result.
  const iohw = { data: w, shape: weightShape };
  for (const layout of ['oihw', 'hwoi', 'ohwi'] as FilterLayout[]) {
    const given = permuteFromIohw(iohw.data, weightShape, layout);
    if (filterToIohw(given, layout).data.some((v, i) => v !== w[i])) results.push({ name: `${layout}: round trip`, ok: false, detail: 'filterToIohw does not invert the test permutation' });
    results.push(...await pooled(PATH_OPTIONS, inFlight, async (path): Promise<CheckResult> => {
      const name = `filterLayout ${layout} [${path}]`;
      try {
        const y = await convTranspose({ data: x, shape }, given, { ...attrs, bias, path, device, filterLayout: layout });
        const c = compare(y.data, plain);
        return { name, ok: c.ok, detail: JSON.stringify(c.firstBad) };
      } catch (e) {
        return { name, ok: false, detail: String(e) };
      }
    }));
  }
  results.push(await rejects('unknown activation', () => convTranspose({ data: x, shape }, iohw, { ...attrs, device, activation: 'swish' as never }), /^activation: expected one of/));
  results.push(await rejects('activation parameter of another activation', () => convTranspose({ data: x, shape }, iohw, { ...attrs, device, activation: { name: 'relu', alpha: 1 } as never }), /^activation\.alpha: relu takes no parameters/));
  results.push(await rejects('unknown filter layout', () => convTranspose({ data: x, shape }, iohw, { ...attrs, device, filterLayout: 'hwio' as never }), /^filterLayout: expected one of/));
  return results;
}

/** [I, O, ...k] (iohw) data re-ordered into `layout` (test-side, index by index). */
function permuteFromIohw(w: Float32Array, shape: number[], layout: FilterLayout): { data: Float32Array; shape: number[] } {
  const [I, O, ...k] = shape;
  const S = sizeOf(k);
  const out = new Float32Array(w.length);
  for (let i = 0; i < I; i++) for (let o = 0; o < O; o++) for (let s = 0; s < S; s++) {
    const at = { iohw: (i * O + o) * S + s, oihw: (o * I + i) * S + s, hwoi: (s * O + o) * I + i, ohwi: (o * S + s) * I + i }[layout];
    out[at] = w[(i * O + o) * S + s];
  }
  return { data: out, shape: { iohw: shape, oihw: [O, I, ...k], hwoi: [...k, O, I], ohwi: [O, ...k, I] }[layout] };
}

async function rejects(name: string, f: () => Promise<unknown>, pattern: RegExp): Promise<CheckResult> {
  try {
    await f();
    return { name, ok: false, detail: 'accepted' };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { name, ok: pattern.test(message), detail: message };
  }
}
