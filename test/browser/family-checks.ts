/**
 * In-page checks of every kernel family's configurations (the `config` option): on small problems that take the
 * kernels through their edges, each family runs its rule (CPU and GPU plans), every configuration `auto` would
 * time on a GPU (Family.candidates) and its examples, against the float64 reference; then channels-last,
 * float16, a fused activation and a NaN/Inf weight on each family's examples. Families come from the registry,
 * so a new one is checked here without a line of this file changing.
 */
import { convTranspose, getDevice, resolveConvTranspose, scatterReference, applyActivation, resolveActivation, GPU_PATHS, type ConvTransposeAttributes, type GpuPath } from '../../src/index';
import { examplesOf, familyOf } from '../../src/gpu/kernels/registry';
import { deviceLimits, makeContext } from '../../src/gpu/plan/context';
import { compare, compareHalf } from '../support/compare';
import { caseData } from '../support/random';
import { shapeLast, toChannelsFirst, toChannelsLast } from '../support/layout';
import { fromHalfBits, roundToHalf, toHalfBits } from '../../src/half';
import { runChecks, type CheckResult } from './api-checks';

interface EdgeCase {
  name: string;
  inputShape: number[];
  weightShape: number[];
  attrs: ConvTransposeAttributes;
  /**
   * A layer past one invocation's loop budget (src/gpu/plan/loop-budget.ts) on the paths that cannot split K:
   * those must refuse it, naming the budget; the others (and `auto`) run it with their rules alone and match.
   */
  beyondLoopBudget?: readonly GpuPath[];
}

/** Small problems at the kernels' edges: ragged tiles, K not a multiple of any tile step, tiles larger than M and N. */
export const EDGE_CASES: EdgeCase[] = [
  { name: 'ragged M, N and K (C_in 13, C_out 9)', inputShape: [1, 13, 5, 7], weightShape: [13, 9, 3, 3], attrs: { stride: 2, padding: 1 } },
  { name: 'M and N below one tile', inputShape: [1, 3, 1, 2], weightShape: [3, 2, 2, 2], attrs: { stride: 2 } },
  { name: 'groups, dilation, asymmetric pads, output padding', inputShape: [2, 12, 4, 5], weightShape: [12, 5, 3, 2], attrs: { strides: [2, 3], dilations: [2, 1], group: 3, pads: [1, 0, 0, 2], output_padding: [1, 2] } },
  { name: '1-D, long K, one output channel', inputShape: [1, 64, 9], weightShape: [64, 1, 7], attrs: { stride: 3 } },
  { name: '3-D', inputShape: [1, 6, 3, 4, 3], weightShape: [6, 5, 2, 3, 2], attrs: { stride: [2, 1, 2] } },
  // Two output channels, 3 W taps in every phase, rows of several blocks: the pixels kernel's window (all three
  // taps on one shifted window of inputs) in the row's interior and at both ends.
  { name: 'few outputs, 3 taps a phase, long rows', inputShape: [1, 6, 2, 37], weightShape: [6, 2, 3, 9], attrs: { strides: [1, 3], padding: [1, 4] } },
  // Depthwise 1-D with output padding (TTS decoders): the narrow kernel's window over 3 W taps a phase.
  { name: 'depthwise 1-D, 3 taps a phase, output padding', inputShape: [1, 4, 23], weightShape: [4, 1, 6], attrs: { stride: 2, padding: 2, outputPadding: 1, groups: 4 } },
  { name: 'deep, few outputs (split K)', inputShape: [1, 200, 3, 3], weightShape: [200, 4, 4, 4], attrs: { stride: 2, padding: 1 } },
  // 16384 input channels under 4 taps: 65536 (channel, tap) pairs per output, one more than lavapipe's loops run.
  { name: 'past the loop budget', inputShape: [1, 16384, 2, 2], weightShape: [16384, 4, 2, 2], attrs: { stride: 1 }, beyondLoopBudget: ['gather', 'zero-insert'] },
];

const key = (c: object | undefined) => JSON.stringify(c ?? null);

/** Every configuration to check for a family on a problem: the CPU and GPU rules, the GPU candidates, the examples. */
function configsOf(path: GpuPath, limits: ReturnType<typeof deviceLimits>, r: ReturnType<typeof resolveConvTranspose>): object[] {
  const family = familyOf(path);
  const cpu = makeContext(r, { limits, adapter: 'cpu' });
  const gpu = makeContext(r, { limits, adapter: 'gpu' });
  const all = [family.configFor(cpu), family.configFor(gpu), ...family.candidates(cpu), ...family.candidates(gpu), ...examplesOf(path)];
  return all.filter((c, i) => all.findIndex((d) => key(d) === key(c)) === i);
}

export interface FamilyCheckOptions {
  /** Default the package's own (getDevice()), as in the browsers; Node and Deno pass one with the spec's default limits. */
  device?: GPUDevice;
  /** Default EDGE_CASES. */
  cases?: readonly EdgeCase[];
  /** For testing the checks themselves: `reference-without-bias` leaves the bias out of every reference, so every check fails. */
  fault?: 'reference-without-bias';
  /** How many checks run at once (default 1): they are independent, each making its own layer and buffers. */
  inFlight?: number;
}

export async function familyChecks(o: FamilyCheckOptions = {}): Promise<CheckResult[]> {
  const device = o.device ?? await getDevice();
  const limits = deviceLimits(device);
  const checks: { name: string; body: () => Promise<{ ok: boolean; detail: string }> }[] = [];
  const check = (name: string, body: () => Promise<{ ok: boolean; detail: string }>) => { checks.push({ name, body }); };
  for (const c of o.cases ?? EDGE_CASES) {
    const ci = EDGE_CASES.indexOf(c); // the seed of a case's data stays its own when only some cases run
    const groups = (c.attrs.groups ?? c.attrs.group ?? 1) as number;
    const r = resolveConvTranspose(c.inputShape, c.weightShape, [c.weightShape[1] * groups], c.attrs);
    const drawn = caseData(c.inputShape, c.weightShape, c.weightShape[1] * groups, 100 + ci, true, null);
    // Past the loop budget a sum has 65536 terms: values on a grid of 1/8 make every product and partial sum
    // exact in float32, so each path must match the reference to the last bit, whatever its order of summation.
    const onGrid = (v: Float32Array) => Float32Array.from(v, (e) => Math.round(e * 8) / 8);
    const d = c.beyondLoopBudget ? { x: onGrid(drawn.x), w: onGrid(drawn.w), b: onGrid(drawn.b!) } : drawn;
    const reference = (x: Float32Array, w: Float32Array, b: Float32Array | null) => scatterReference(r, x, w, o.fault === 'reference-without-bias' ? null : b);
    const ref = reference(d.x, d.w, d.b);
    const run = (path: GpuPath | 'auto', config: object | undefined, extra: Record<string, unknown> = {}) =>
      convTranspose({ data: d.x, shape: c.inputShape }, { data: d.w, shape: c.weightShape }, { ...c.attrs, bias: d.b, path, config, device, ...extra });
    if (c.beyondLoopBudget) {
      const refused = c.beyondLoopBudget;
      for (const path of ['auto', ...GPU_PATHS] as const) {
        check(`${c.name}: ${path} ${refused.includes(path as GpuPath) ? 'refuses' : 'splits K'}`, async () => {
          let y;
          try {
            y = await run(path, undefined);
          } catch (e) {
            const text = String((e as Error)?.message ?? e);
            const ok = refused.includes(path as GpuPath) && e instanceof RangeError && /loop iterations/.test(text);
            return { ok, detail: `threw ${(e as Error)?.name}: ${text}` };
          }
          if (refused.includes(path as GpuPath)) return { ok: false, detail: 'ran, where its loops pass the budget: expected a RangeError' };
          const cmp = compare(y.data, ref, 0, 0); // exact: see onGrid
          return { ok: cmp.ok, detail: cmp.ok ? `max abs err ${cmp.maxAbsErr.toExponential(2)}` : `first bad index ${cmp.firstBad!.index}: got ${cmp.firstBad!.got}, expected ${cmp.firstBad!.expected}` };
        });
      }
      continue;
    }
    for (const path of GPU_PATHS) {
      for (const config of configsOf(path, limits, r)) {
        check(`${c.name}: ${path} ${key(config)}`, async () => {
          const y = await run(path, config);
          const cmp = compare(y.data, ref);
          return { ok: cmp.ok, detail: cmp.ok ? `max abs err ${cmp.maxAbsErr.toExponential(2)}` : `first bad index ${cmp.firstBad!.index}: got ${cmp.firstBad!.got}, expected ${cmp.firstBad!.expected}` };
        });
      }
      // The examples under the other options every kernel must honour.
      for (const config of examplesOf(path).length ? examplesOf(path) : [familyOf(path).configFor(makeContext(r, { limits, adapter: 'gpu' }))]) {
        check(`${c.name}: ${path} ${key(config)} channels-last`, async () => {
          const x2 = { data: toChannelsLast(d.x, c.inputShape, true), shape: shapeLast(c.inputShape, true) };
          const y2 = await convTranspose(x2, { data: d.w, shape: c.weightShape }, { ...c.attrs, bias: d.b, path, config, device, inputLayout: 'nhwc' });
          const cmp = compare(toChannelsFirst(y2.data, y2.shape, true), ref);
          return { ok: cmp.ok, detail: cmp.ok ? '' : `first bad index ${cmp.firstBad!.index}: got ${cmp.firstBad!.got}, expected ${cmp.firstBad!.expected}` };
        });
        check(`${c.name}: ${path} ${key(config)} float16`, async () => {
          const round = (a: Float32Array) => Float32Array.from(a, roundToHalf);
          const [hx, hw, hb] = [round(d.x), round(d.w), round(d.b!)];
          const half = (a: Float32Array) => Uint16Array.from(a, toHalfBits);
          const y = await convTranspose({ data: half(hx), shape: c.inputShape }, { data: half(hw), shape: c.weightShape }, { ...c.attrs, bias: half(hb), path, config, device, dataType: 'float16' });
          const got = Float32Array.from(y.data as ArrayLike<number>, (v) => (y.data instanceof Uint16Array ? fromHalfBits(v) : v));
          const cmp = compareHalf(got, reference(hx, hw, hb));
          return { ok: cmp.ok, detail: cmp.ok ? '' : `first bad index ${cmp.firstBad!.index}: got ${cmp.firstBad!.got}, expected ${cmp.firstBad!.expected}` };
        });
        check(`${c.name}: ${path} ${key(config)} leakyRelu`, async () => {
          const act = { name: 'leakyRelu' as const, alpha: 0.3 };
          const y = await run(path, config, { activation: act });
          const cmp = compare(y.data, applyActivation(Float64Array.from(ref), resolveActivation(act)));
          return { ok: cmp.ok, detail: cmp.ok ? '' : `first bad index ${cmp.firstBad!.index}: got ${cmp.firstBad!.got}, expected ${cmp.firstBad!.expected}` };
        });
        check(`${c.name}: ${path} ${key(config)} an infinite weight`, async () => {
          // One weight +Infinity: the reference says which outputs it reaches (NaN or ±Infinity) and which it does not.
          const w = Float32Array.from(d.w);
          w[0] = Infinity;
          const y = await convTranspose({ data: d.x, shape: c.inputShape }, { data: w, shape: c.weightShape }, { ...c.attrs, bias: d.b, path, config, device });
          const cmp = compare(y.data, reference(d.x, w, d.b));
          return { ok: cmp.ok, detail: cmp.ok ? '' : `first bad index ${cmp.firstBad!.index}: got ${cmp.firstBad!.got}, expected ${cmp.firstBad!.expected}` };
        });
      }
    }
  }
  return runChecks(checks, o.inFlight ?? 1);
}
