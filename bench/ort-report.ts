/** The ONNX models section of the benchmark report (bench/ort-bench.ts): its rows and how they print. */
import type { CutCost, OrtModelResult } from './ort-bench';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** Whether a row is right: ours agree with ORT alone within `tolerance` (relative to max |ORT|). */
export function ortRowPassed(r: OrtModelResult, tolerance: number): boolean {
  return r.maxDiff <= tolerance * Math.max(r.scale, 1e-30);
}

/** The table's header (bench/columns.ts says what each column means). */
export const ORT_HEADERS: readonly string[] = [
  'model', 'ORT ms', 'ORT + ours ms', 'speed-up (ORT ms / ORT + ours ms)', 'ConvTranspose share of ORT', 'here / ORT runs', 'rel diff', 'rounds', 'setup ms', 'plan',
];

/** The plan in one cell: each ConvTranspose's place and the reason's head (`ct1 here (measured: ORT 16 ms > here 2.8 ms + one cut 1.6 ms)`). */
const planCell = (plan: string) => plan.split('\n').filter((l) => !l.startsWith('steps: ')).join('; ');

export function ortRows(results: readonly OrtModelResult[]): string[][] {
  return [[...ORT_HEADERS], ...results.map((r) => [
    r.name, ms(r.ortMs), ms(r.oursMs), `${r.speedup.toFixed(2)}×`,
    r.breakdown ? `${(100 * r.breakdown.share).toFixed(0)}% (alone ${(100 * r.breakdown.shareAlone).toFixed(0)}%)` : 'n/a',
    `${r.here} / ${r.ortRuns}`, (r.maxDiff / Math.max(r.scale, 1e-30)).toExponential(1), String(r.rounds), ms(r.setupMs), planCell(r.plan),
  ])];
}

/** The sentences under the table: what was timed, and the cost of one cut. */
export function ortLegend(cut: CutCost | null, tolerance: number): string {
  return 'ONNX models (bench/ort-models.ts) on ONNX Runtime Web\'s WebGPU provider alone and through createOrtSession ' +
    '(default options: ORT plus our ConvTranspose layers, on ORT\'s device). One pass = the input tensors made from typed arrays, ' +
    'run, the outputs read back to the CPU; medians of passes alternated between the two ways. ConvTranspose share: ORT\'s time ' +
    'for the model\'s ConvTranspose nodes over its time for the whole model (best of 3), each node timed alone with its fused ' +
    'activation (best of 3) less the two layout Transposes (input to channels-last, output back) its one-node model carries and ' +
    'the graph does not; in brackets, without taking them off. ' +
    `rel diff = max|ours − ORT| / max|ORT|, tolerance ${tolerance}.` +
    (cut ? ` One cut (an identity segment: one more ORT run, GPU tensor in and out) costs ${cut.medianMs.toFixed(2)} ms (median of ${cut.runs}; fastest ${cut.minMs.toFixed(2)} ms).` : '');
}
