/**
 * ONNX Runtime Web's WebGPU execution provider as a peer: a one-node ConvTranspose model built in code
 * (weights as initializers), with input and output bound as GPU buffers on ORT's device (the same adapter as
 * ours), so a run is only the operator (no upload, no download).
 */
import * as ort from 'onnxruntime-web/webgpu';
import { createBuffer, readBuffer, Usage } from './buffers';
import type { Prepared, Preparer } from './implementation';
import { convTransposeModel, MODEL_INPUT, MODEL_OUTPUT } from './onnx-proto';

/** The file of ORT's wasm binary for the WebGPU build, in `onnxruntime-web/dist`. */
export const ORT_WASM_FILE = 'ort-wasm-simd-threaded.asyncify.wasm';

// Threads need cross-origin isolation (SharedArrayBuffer), which the dev server does not set up; the CPU side
// of a one-node GPU model does little anyway.
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

let wasmMissing: string | null = `ORT's wasm binary (${ORT_WASM_FILE}) was not given to the bench`;

/**
 * Where ORT gets its wasm binary (nothing is fetched from a CDN): a URL (the page: Vite serves it from
 * node_modules), the bytes (Node), or why there is none (the ORT rows are then n/a with that reason).
 */
export function setOrtWasm(source: { url: string } | { binary: Uint8Array } | { missing: string }): void {
  if ('url' in source) ort.env.wasm.wasmPaths = { wasm: source.url };
  else if ('binary' in source) ort.env.wasm.wasmBinary = source.binary;
  wasmMissing = 'missing' in source ? source.missing : null;
}

/** The onnxruntime-web version. */
export const ortVersion: string = ort.env.versions.web ?? ort.env.versions.common ?? 'unknown';

/** The ORT peer. */
export const ortPreparer: Preparer = async (device, problem) => {
  if (wasmMissing) return { unsupported: wasmMissing };
  const { spec } = problem;
  const model = convTransposeModel({
    inputShape: problem.inputShape,
    outputShape: problem.outputShape,
    weight: { data: problem.w, shape: problem.weightShape },
    strides: spec.s,
    pads: [spec.p[0], spec.p[1], spec.p[0], spec.p[1]],
    dilations: spec.d,
    outputPadding: spec.op,
    group: spec.g,
  });
  // ORT 1.31 runs on a GPUDevice of its own (same adapter): handed ours in the EP options, it still does, and
  // leaves env.webgpu.device unset. So it is handed none, and its GPU-buffer tensors are made on its device, whose
  // queue the runs wait on.
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['webgpu'],
    graphOptimizationLevel: 'all',
  });
  const ortDevice: GPUDevice = await ort.env.webgpu.device;
  const outBytes = 4 * problem.outputShape.reduce((a, b) => a * b, 1);
  const input = createBuffer(ortDevice, { label: 'bench ort input', bytes: problem.x.byteLength, usage: Usage.STORAGE | Usage.COPY_SRC, data: problem.x });
  const output = createBuffer(ortDevice, { label: 'bench ort output', bytes: outBytes, usage: Usage.STORAGE | Usage.COPY_SRC });
  const feeds = { [MODEL_INPUT]: ort.Tensor.fromGpuBuffer(input, { dataType: 'float32', dims: problem.inputShape }) };
  // A pre-allocated output on the GPU: ORT writes into it instead of allocating and downloading.
  const fetches = { [MODEL_OUTPUT]: ort.Tensor.fromGpuBuffer(output, { dataType: 'float32', dims: problem.outputShape }) };
  return {
    async run() {
      await session.run(feeds, fetches);
      await ortDevice.queue.onSubmittedWorkDone();
    },
    // Each session.run submits its own work: `count` runs, then one wait.
    async runBatch(count) {
      for (let i = 0; i < count; i++) await session.run(feeds, fetches);
      await ortDevice.queue.onSubmittedWorkDone();
    },
    async output() {
      return new Float32Array(await readBuffer(ortDevice, output, outBytes));
    },
    async destroy() {
      await session.release();
      input.destroy();
      output.destroy();
    },
  };
};
