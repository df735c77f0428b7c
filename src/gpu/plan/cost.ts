/**
 * The cost model behind `auto`: each path counts the work its dispatches issue for a problem (invocations,
 * tap iterations, loads, FMAs, pass-through cells), and one price list per adapter class turns the counts
 * into an estimate. Counts are exact for the shape (tap ranges enumerated per axis, row edges included);
 * only the prices are fitted.
 *
 * Prices. `cpu` was fitted to `npm run bench` on SwiftShader (2 cores): there the time follows the loads,
 * not the FMAs (a dense layer's time tracked its load count across paths, with FMA counts equal), a masked
 * row-edge step costs about 3 interior ones, and every tap iteration and invocation has a fixed overhead.
 * `gpu` was fitted to measured kernel times (scripts/fit-gpu-prices.mjs on ../shared/gpu/h200-2026-12-04/
 * kernels-native.json and kernels-scaled.json: an NVIDIA H200 through Dawn/Vulkan, exact timestamps, 62 records
 * of gather, zero-insert and phase, native and batch-scaled layers), in ms: non-negative least squares on
 * relative error, the vec4 FMA held to at least the measured FMA ceiling (40 TFLOP/s), each stage's cost divided
 * by its occupancy min(1, invocations / GPU_FILL_INVOCATIONS) (the target that fitted best), plus a fixed cost
 * per dispatch (about 20 µs there, the floor every small kernel showed). 54 of the 62 records are within 2x,
 * 18 within 25%; the worst, 0.34x, is gather on depthwise-up-x64. The families fitted then (gather,
 * zero-insert, phase) have measured prices; sharedLoads (workgroup-memory reads of tiled) has none yet: it is
 * priced at a quarter of a global load, reasoned, and a workgroup barrier (a few cycles on a GPU) at nothing; both
 * to be fitted on the next GPU run.
 */
import type { Problem3d } from '../../shape';
import type { AdapterClass } from './context';
import { tapSteps } from '../geometry';
import { GPU_FILL_INVOCATIONS } from './gpu-fill';

/** Work one dispatch issues. Loads count scalars (a vec4 load is 4). */
export interface Work {
  invocations: number;
  /** Outer-loop (tap) iterations, in the interior and at row edges. */
  taps: number;
  edgeTaps: number;
  /** Inner-loop loads of global memory issued by interior and by edge tap iterations. */
  loads: number;
  edgeLoads: number;
  /** Reads of workgroup memory (kernels that stage tiles there). */
  sharedLoads?: number;
  /** Workgroup barriers passed, summed over invocations. */
  barriers?: number;
  /** vec4 FMAs issued, idle lanes included. */
  fmas: number;
  /** Cells a pass-through dispatch reads and writes (zero-insert, split-K reduction). */
  cells: number;
}

/** The work counts that have a price, in the order the price fit (scripts/fit-gpu-prices.mjs) uses. */
export const PRICE_NAMES = ['invocations', 'taps', 'edgeTaps', 'loads', 'edgeLoads', 'fmas', 'cells'] as const;

type Prices = Record<(typeof PRICE_NAMES)[number] | 'sharedLoads' | 'barriers' | 'dispatch', number>;

const PRICES: Record<AdapterClass, Prices> = {
  // Non-negative least squares on relative error over the 27 (layer, path) medians of one `npm run bench`
  // on SwiftShader, then rounded: 22 of them within 25%, the worst 2.3x (gather on depthwise-up).
  // A barrier passed costs SwiftShader about 300 (tiled) to 700 (k-parallel) of these units per invocation (their
  // SwiftShader times on dcgan-g4, dcgan-out, fsrcnn-x3 and stride1-3x3 against phase's, 4 layers each): 400.
  cpu: { invocations: 27, taps: 30, edgeTaps: 48, loads: 1, edgeLoads: 2, sharedLoads: 1, barriers: 400, fmas: 0.6, cells: 1, dispatch: 0 },
  gpu: { invocations: 3.2e-9, taps: 5.7e-10, edgeTaps: 2.3e-10, loads: 2.9e-10, edgeLoads: 7.7e-10, sharedLoads: 7e-11, barriers: 0, fmas: 2.0e-10, cells: 0, dispatch: 2.0e-2 },
};

/** Estimated cost (comparable across candidates for one adapter class) of a plan's dispatches. */
export function estimate(adapter: AdapterClass, stages: readonly Work[]): number {
  const c = PRICES[adapter];
  let total = 0;
  for (const w of stages) {
    let cost = c.sharedLoads * (w.sharedLoads ?? 0) + c.barriers * (w.barriers ?? 0);
    for (const name of PRICE_NAMES) cost += c[name] * w[name];
    total += c.dispatch + (adapter === 'gpu' ? cost / Math.min(1, w.invocations / GPU_FILL_INVOCATIONS) : cost);
  }
  return total;
}

/** Along axis a: the taps (first k, first input i) of output o, as the shaders find them; null when none. */
function firstTap(p: Problem3d, o: number, a: number, g: number, sg: number, inv: number): [number, number] | null {
  const t = o + p.pb[a];
  if (t % g !== 0) return null;
  const k0 = mulMod((t / g) % sg, inv, sg);
  return [k0, (t - k0 * p.d[a]) / p.s[a]];
}

/** a·b mod m, exact past 2^53 (strides up to 2^31). */
function mulMod(a: number, b: number, m: number): number {
  return a * b <= Number.MAX_SAFE_INTEGER ? (a * b) % m : Number((BigInt(a) * BigInt(b)) % BigInt(m));
}

/**
 * Tap iterations along axis a summed over blocks of `block` consecutive phase-grid cells (1 for D/H), split
 * into interior ones (every cell of the block reads an input inside the axis) and edge ones.
 */
export function axisTaps(p: Problem3d, a: number, block: number): { taps: number; edge: number } {
  const steps = tapSteps(p);
  const [g, sg, dg, inv] = [steps.gcd[a], steps.tapStep[a], steps.inStep[a], steps.invDil[a]];
  let taps = 0, edge = 0;
  for (let r = 0; r < Math.min(p.s[a], p.outS[a]); r++) { // phases past the output hold no cells
    const f = firstTap(p, r, a, g, sg, inv);
    if (!f) continue;
    const cells = Math.ceil((p.outS[a] - r) / p.s[a]);
    for (let q0 = 0; q0 < cells; q0 += block) {
      const last = Math.min(block, cells - q0) - 1;
      for (let k = f[0], i = f[1] + q0; k < p.k[a]; k += sg, i -= dg) {
        if (i + last < 0 || i >= p.inS[a]) continue; // no cell of the block reads an input here
        if (i >= 0 && i + last < p.inS[a]) taps++;
        else edge++;
      }
    }
  }
  return { taps, edge };
}

/** Work of a kernel that runs `cb` channel blocks over every (D, H) output row and W blocks of `block` phase cells. */
export function blockedWork(p: Problem3d, o: { block: number; cb: number; ocv: number; invocations: number; icPerTap: number; splits?: number }): Work {
  const d = axisTaps(p, 0, 1), h = axisTaps(p, 1, 1), w = axisTaps(p, 2, o.block);
  const rows = p.N * p.G * o.cb * (o.splits ?? 1) * (d.taps + d.edge) * (h.taps + h.edge);
  const perStep = o.block + 4 * o.ocv;
  return {
    invocations: o.invocations,
    taps: rows * w.taps, edgeTaps: rows * w.edge,
    loads: rows * w.taps * o.icPerTap * perStep, edgeLoads: rows * w.edge * o.icPerTap * perStep,
    fmas: rows * (w.taps + w.edge) * o.icPerTap * o.block * o.ocv,
    cells: 0,
  };
}

/** Work of a pass-through dispatch over `cells` cells. */
export function passWork(cells: number): Work {
  return { invocations: cells, taps: 0, edgeTaps: 0, loads: 0, edgeLoads: 0, fmas: 0, cells };
}
