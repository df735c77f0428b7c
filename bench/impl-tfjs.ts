/**
 * TF.js WebGPU as a peer: `tf.conv2dTranspose` on NHWC tensors, on the benchmark's own GPUDevice (the backend
 * is re-registered with that device, so everyone shares one adapter, one queue and one way of waiting).
 */
import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Prepared, Preparer } from './implementation';

let ready: Promise<WebGPUBackend> | null = null;

/**
 * Makes TF.js's 'webgpu' backend use `device`. The package registers a factory that requests its own device;
 * kernels are registered per backend name, so the factory is replaced under the same name before first use.
 */
export function useTfjsOn(device: GPUDevice): Promise<WebGPUBackend> {
  ready ??= (async () => {
    // The package registers its factory only where it sees WebGPU on load (not in Node before navigator.gpu is set).
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => new WebGPUBackend(device, device.adapterInfo), 3);
    // Submit after every dispatch: TF.js otherwise batches up to 15 dispatches before submitting, and a
    // run must be on the queue before we wait for the queue to drain.
    tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', 1);
    if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not initialise its webgpu backend');
    await tf.ready();
    const backend = tf.backend() as WebGPUBackend;
    if (backend.device !== device) throw new Error('TF.js webgpu backend is not on the shared device');
    return backend;
  })();
  return ready;
}

/** The tfjs-core version. */
export const tfjsVersion = tf.version_core;

/** NCHW → NHWC. */
function toNhwc(x: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) {
    out[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
  }
  return out;
}

/** NHWC → NCHW. */
function toNchw(x: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) {
    out[(b * c + ch) * h * w + i] = x[(b * h * w + i) * c + ch];
  }
  return out;
}

/** [Cin, Cout, kH, kW] → TF.js conv2dTranspose filter [kH, kW, Cout, Cin] (channels swapped, no flip). */
function toTfFilter(w: Float32Array, [cin, cout, kh, kw]: readonly number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[((y * kw + x) * cout + o) * cin + i] = w[((i * cout + o) * kh + y) * kw + x];
  }
  return out;
}

/** The TF.js peer. */
export const tfjsPreparer: Preparer = async (device, problem) => {
  const { spec } = problem;
  // conv2dTranspose has no groups and no dilation argument; grouped transposed conv is not public in TF.js.
  if (spec.g !== 1) return { unsupported: `TF.js has no public grouped transposed convolution (groups=${spec.g})` };
  if (spec.d[0] !== 1 || spec.d[1] !== 1) return { unsupported: 'TF.js conv2dTranspose has no dilation' };
  await useTfjsOn(device);
  const [N, , OH, OW] = problem.outputShape;
  const Cout = problem.outputShape[1];
  // Inputs converted and uploaded once, outside the timing (TF.js uploads lazily; the warm-up runs do it).
  const x = tf.tensor4d(toNhwc(problem.x, problem.inputShape), [N, spec.H, spec.W, spec.Cin]);
  const filter = tf.tensor4d(toTfFilter(problem.w, problem.weightShape), [spec.k[0], spec.k[1], Cout, spec.Cin]);
  // TF.js pads describe the forward convolution whose input is our output: explicit (top, bottom, left, right)
  // = the PyTorch padding; output_padding needs nothing, it is implied by outputShape.
  const pad: [[number, number], [number, number], [number, number], [number, number]] =
    [[0, 0], [spec.p[0], spec.p[0]], [spec.p[1], spec.p[1]], [0, 0]];
  let last: tf.Tensor4D | null = null;
  const call = () => {
    last?.dispose();
    last = tf.conv2dTranspose(x, filter, [N, OH, OW, Cout], spec.s, pad);
  };
  const prepared: Prepared = {
    async run() {
      call();
      await device.queue.onSubmittedWorkDone();
    },
    // TF.js submits each call itself (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE 1): `count` calls, then one wait.
    async runBatch(count) {
      for (let i = 0; i < count; i++) call();
      await device.queue.onSubmittedWorkDone();
    },
    async output() {
      if (!last) throw new Error('tfjs: output() before run()');
      return toNchw((await last.data()) as Float32Array, problem.outputShape);
    },
    destroy() {
      last?.dispose();
      x.dispose();
      filter.dispose();
    },
  };
  return prepared;
};
