/**
 * What each column and each row of the benchmark's tables means, one line each: shown as the key under the
 * page's tables (and as the headers' tooltips) and in the Markdown report.
 */
import { PATH_OPTIONS } from '../src/index';

/** Result-table columns, by header (the headers resultRows writes), with the tolerances the rows are held to. */
export const resultColumns = (tolerance: number, halfTolerance: number): Readonly<Record<string, string>> => ({
  layer: 'the layer of bench/layers.json (or of the layers file the run took).',
  impl: 'the implementation (rows: see below).',
  'latency ms': 'one call submitted and waited for (until the device\'s queue has drained), input already on the GPU: median over the rounds.',
  'latency min ms': 'the fastest of those calls.',
  'throughput ms': 'K calls submitted together and waited for once, divided by K: median over the rounds. What a call costs back to back, without the wait.',
  K: 'calls per throughput measurement: 20, fewer (down to 1) where 20 would take too long on a slow (software) adapter.',
  'GPU ms': 'median GPU time of one call from timestamp queries around each of our passes in the timed batches (our rows, where the adapter has timestamp-query).',
  'GFLOP/s': 'useful work, 2·N·Cin·(Cout/groups)·H·W·kH·kW flops, divided by the throughput ms.',
  '% FMA': 'GFLOP/s as a percentage of this adapter\'s FMA ceiling (measured above with bench/ceiling_fma.wgsl).',
  'GB/s': 'the least traffic a layer needs (input and weights read once, output written once; float16 rows: 2-byte input and output) divided by the throughput ms.',
  '% copy': 'GB/s as a percentage of this adapter\'s copy ceiling (measured above with bench/ceiling_copy.wgsl).',
  'max abs err': 'largest |output − float64 CPU reference|.',
  'rel err': `max abs err / max |reference|; must stay within ${tolerance} (float16 rows: ${halfTolerance.toExponential(2)}, against the reference of the float16-rounded input).`,
  rounds: 'timed rounds behind the medians (each one latency call and one throughput batch per implementation, after the warm-up).',
  'setup ms': 'first-call latency: creating the layer (pipeline compiles not cached yet, weight packing and upload; for auto, timing its close candidates) until the queue drains.',
  note: 'the path auto chose, why a cell is n/a, or what failed.',
});

/** Per-layer table columns, by header (the headers summaryRows writes). */
export const SUMMARY_COLUMNS: Readonly<Record<string, string>> = {
  layer: 'the layer of bench/layers.json (or of the layers file the run took, such as bench/layers-models.json).',
  output: 'output shape, N×C×H×W.',
  MFLOP: 'useful work of one call, millions of flops.',
  'auto (chose)': 'latency ms of auto, our default, and the path it chose for this layer.',
  'best of ours': 'our single path with the lowest latency (the auto variants do other work and are left out).',
  'best peer': 'the lowest latency of TF.js WebGPU and ONNX Runtime Web.',
  'latency speed-up (peer / auto)': 'the best peer\'s latency over auto\'s: above 1, auto is faster.',
  'throughput speed-up (peer / auto)': 'the best peer\'s throughput ms over auto\'s (each implementation\'s K calls in one go): above 1, auto is faster.',
  'float16 speed-up (auto ms / auto/f16 ms)': 'above 1: float16 storage makes auto faster on this adapter (see the auto/f16 row for why it is usually below 1 on SwiftShader).',
  'tfjs-webgpu+ours speed-up (tfjs ms / tfjs+ours ms)': 'what registering our kernel gives an unchanged TF.js model.',
};

/** Per-model table columns (layers files whose layers name their model), by header (the headers modelSummaryRows writes). */
export const MODEL_SUMMARY_COLUMNS: Readonly<Record<string, string>> = {
  model: 'the model the layers come from (the layers file\'s model field); the last row takes every layer.',
  layers: 'its layers in this run.',
  'auto ms (sum)': 'auto\'s latencies of those layers added up: one pass through the model\'s transposed convolutions.',
  'best peer ms (sum)': 'the same with each layer\'s best peer (the faster of TF.js WebGPU and ONNX Runtime Web on that layer).',
  'speed-up (peer sum / auto sum)': 'what auto gains on the model\'s transposed convolutions as a whole: above 1, auto is faster.',
  'lowest speed-up': 'the smallest per-layer latency speed-up (peer / auto) among its layers.',
  'geomean speed-up': 'the geometric mean of its layers\' latency speed-ups.',
};

/** Models table columns, by header (the headers modelRows writes). */
export const MODEL_COLUMNS: Readonly<Record<string, string>> = {
  model: 'the model of bench/models.ts.',
  'input → output': 'input tensor shapes and the output shape, NHWC.',
  'TF.js WebGPU ms': 'median ms of one forward pass (upload, model.predict, read-back) in plain TF.js WebGPU.',
  '+ours ms': 'the same with our kernel registered (registerWithTfjs).',
  'speed-up (TF.js ms / +ours ms)': 'above 1: registerWithTfjs makes the model faster.',
  'max abs diff': 'largest |ours − plain TF.js| over the output.',
  'rel diff': 'max abs diff / max |plain TF.js output|, held to the tolerance.',
  runs: 'timed passes each way.',
  'ours / convT per pass': 'transposed convolutions our layers ran, of those in one pass (must be all).',
  'setup ms': 'first call with the kernel registered until ready(): TF.js\'s kernel runs while ours is prepared.',
  note: 'failures, fallbacks, the paths auto chose.',
};

/** ONNX models table columns, by header (the headers ortRows writes). */
export const ORT_COLUMNS: Readonly<Record<string, string>> = {
  model: 'the ONNX model of bench/ort-models.ts (built in code, seeded weights).',
  'ORT ms': 'median ms of one pass (tensors from typed arrays, run, outputs read back) on ONNX Runtime Web\'s WebGPU provider alone.',
  'ORT + ours ms': 'the same through createOrtSession (default options): ORT\'s segments and our ConvTranspose layers on ORT\'s device.',
  'speed-up (ORT ms / ORT + ours ms)': 'above 1: createOrtSession makes the model faster.',
  'ConvTranspose share of ORT': 'ORT\'s time for the model\'s ConvTranspose nodes over its time for the whole model (best of 3): each node run alone with its fused activation (best of 3), less the two layout Transposes its one-node model carries (in brackets: not taken off).',
  'here / ORT runs': 'ConvTranspose nodes our layers ran per pass, and the ORT runs (segments) one pass takes.',
  'rel diff': 'max |ours − ORT| / max |ORT output|, held to the tolerance.',
  rounds: 'timed passes each way.',
  'setup ms': 'createOrtSession until its first pass is done: the cuts measured, our layers prepared (auto\'s timing), ORT\'s segment sessions made.',
  plan: 'each ConvTranspose: where it runs and why (measured: ORT\'s time for it against ours plus one cut).',
};

/** What a row of the result table is, by implementation name; paths added to the library are described too. */
export function describeImpl(impl: string): string {
  if (impl === 'auto') return 'our default: the path auto picks for the layer\'s shape and device (the note names it), NCHW, float32.';
  if ((PATH_OPTIONS as readonly string[]).includes(impl)) return `our ${impl} path, forced with path: '${impl}'.`;
  return IMPL_ROWS[impl] ?? '';
}

const IMPL_ROWS: Readonly<Record<string, string>> = {
  'auto/nhwc': 'auto with channels-last input and output (inputLayout: \'nhwc\'): the kernels read and write through strides, no transpose pass.',
  'auto+relu': 'auto with a fused ReLU (activation: \'relu\'): what the epilogue costs.',
  'auto/f16': 'auto with float16 storage (dataType: \'float16\'): input and output take half the bytes, arithmetic stays float32. ' +
    'No shader-f16 feature is needed: every input load widens a packed pair with unpack2x16float, and an extra pass rounds ' +
    'and packs the float32 result. That pays off where memory bandwidth limits a GPU; on a CPU emulator such as SwiftShader the ' +
    'unpacking on every load and the extra pass cost more than the bytes they save, so this row is usually slower there (float16 speed-up below 1).',
  'tfjs-webgpu': 'TF.js WebGPU backend: tf.conv2dTranspose on NHWC tensors, on the same GPUDevice.',
  'ort-webgpu': 'ONNX Runtime Web, WebGPU execution provider: a one-node ConvTranspose model, input and output bound as GPU buffers.',
  'tfjs-webgpu+ours': 'the tfjs-webgpu row with our kernel registered (registerWithTfjs): the same TF.js calls, our layer inside.',
};

/** [name, meaning] of each header of a table that has a meaning. */
export function columnKey(headers: readonly string[], meanings: Readonly<Record<string, string>>): [string, string][] {
  return headers.filter((h) => meanings[h]).map((h) => [h, meanings[h]]);
}

/** [name, meaning] of each implementation (first appearance order) that has a description. */
export function rowKey(impls: readonly string[]): [string, string][] {
  return [...new Set(impls)].map((i): [string, string] => [i, describeImpl(i)]).filter(([, d]) => d);
}
