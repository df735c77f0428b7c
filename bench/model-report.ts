/** The models section of the benchmark report: its rows' shape and how they print. */

/** One model run end to end in plain TF.js WebGPU and with `registerWithTfjs`. */
export interface ModelResult {
  model: string;
  /** What the model is, in one line. */
  description: string;
  inputShapes: number[][];
  outputShape: number[];
  /** Median ms of one forward pass (input upload, model.predict, read-back) in plain TF.js WebGPU. */
  tfjsMs: number | null;
  /** The same with our kernel registered (registerWithTfjs). */
  oursMs: number | null;
  tfjsMsMin: number | null;
  oursMsMin: number | null;
  /** tfjsMs / oursMs: above 1 means registerWithTfjs makes the model faster. Null for a wrong answer. */
  speedup: number | null;
  /** Largest |ours − plain| over the output. */
  maxAbsDiff: number | null;
  /** maxAbsDiff / max|plain| (the bench's relative error, with plain TF.js as the reference). */
  relDiff: number | null;
  /** Timed passes each way. */
  runs: number;
  /** Transposed convolutions in one pass, and how many of them our layers ran (per timed pass). */
  convTransposes: number;
  oursCalls: number | null;
  /** The paths our layers took (auto's choices), by layer count. */
  paths: Record<string, number>;
  /** First call with the kernel registered until `ready()`: TF.js's kernel runs while ours is prepared. */
  setupMs: number | null;
  /** TF.js tensors left behind by the measurement (must be 0). */
  leakedTensors: number | null;
  /** Failures, fallbacks, anything worth knowing. */
  note: string;
}

/** Whether a model row is right: it ran, agreed with plain TF.js within `tolerance`, ran ours on every transposed convolution, left nothing behind. */
export function modelPassed(r: ModelResult, tolerance: number): boolean {
  return r.relDiff !== null && r.relDiff <= tolerance && r.oursCalls === r.convTransposes && r.leakedTensors === 0;
}

const ms = (v: number | null) => (v === null ? 'n/a' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const sci = (v: number | null) => (v === null ? 'n/a' : v === 0 ? '0' : v.toExponential(1));

/** The models table's header (bench/columns.ts says what each column means). */
export const MODEL_HEADERS: readonly string[] = ['model', 'input → output', 'TF.js WebGPU ms', '+ours ms', 'speed-up (TF.js ms / +ours ms)', 'max abs diff', 'rel diff', 'runs', 'ours / convT per pass', 'setup ms', 'note'];

/** The models table as rows of cells (header first). */
export function modelRows(models: readonly ModelResult[]): string[][] {
  const rows = [[...MODEL_HEADERS]];
  for (const r of models) {
    rows.push([
      r.model, `${r.inputShapes.map((s) => s.join('×')).join(' + ')} → ${r.outputShape.join('×')}`,
      ms(r.tfjsMs), ms(r.oursMs), r.speedup === null ? 'n/a' : `${r.speedup.toFixed(2)}×`,
      sci(r.maxAbsDiff), sci(r.relDiff), String(r.runs), `${r.oursCalls ?? 'n/a'} / ${r.convTransposes}`, ms(r.setupMs), r.note,
    ]);
  }
  return rows;
}

/** The sentence under the table: what was timed and compared. */
export function modelsLegend(tolerance: number): string {
  return 'One forward pass = input tensors created from typed arrays (upload), model.predict, await y.data() (read-back); ' +
    'median of passes alternated between plain TF.js WebGPU and registerWithTfjs, after warm-up. ' +
    `rel diff = max|ours − plain| / max|plain|, tolerance ${tolerance}.`;
}
