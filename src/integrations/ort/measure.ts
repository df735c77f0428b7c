/**
 * Measured cuts: for a ConvTranspose that could run here, ORT's own kernels for it (the node and its fused
 * activation, as a one-node model on ORT's WebGPU provider, GPU tensor in and out) timed against our prepared
 * layer, plus what one cut costs (an identity segment: one more ORT run). The plan cuts where ours plus a cut
 * is faster. Every time is the best of a few runs after a warm-up (compiles), each run ended by the queue
 * draining, so a busy machine's spikes do not decide.
 */
import type { ConvTransposeLayer } from '../../index';
import type { OrtLike, OrtTensorLike } from './ort-types';
import { ONNX_TYPES, type OnnxModel } from './onnx-model';
import type { HereStep } from './partition';
import { identityModel, segmentModel } from './segment';

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Best of `runs` runs after one warm-up, ms; each run waits for the GPU, then cleans up after itself. */
export async function bestMs(device: GPUDevice, run: () => Promise<(() => void) | void>, runs: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const cleanup = await run();
    await device.queue.onSubmittedWorkDone();
    const ms = performance.now() - t0;
    cleanup?.();
    if (i > 0) best = Math.min(best, ms);
  }
  return best;
}

/** A GPU tensor of ORT's holding `dims` zeros of `type`, and its buffer (the caller destroys both). */
function gpuTensor(ort: OrtLike, device: GPUDevice, type: 'float32' | 'float16', dims: readonly number[]): { tensor: OrtTensorLike; buffer: GPUBuffer } {
  const bytes = dims.reduce((a, b) => a * b, 1) * (type === 'float16' ? 2 : 4);
  const buffer = device.createBuffer({ label: 'ort measure input', size: Math.max(4, Math.ceil(bytes / 4) * 4), usage: USAGE() });
  return { tensor: ort.Tensor.fromGpuBuffer(buffer, { dataType: type, dims }), buffer };
}

/**
 * ORT's time for the nodes a step replaces, run alone on ORT's WebGPU provider with the step's input shape, ms.
 * Throws when ORT cannot make or run that model (a float16 model on an adapter without shader-f16, say).
 */
export async function ortStepMs(ort: OrtLike, device: GPUDevice, model: OnnxModel, step: HereStep, sessionOptions: object, runs = 3): Promise<number> {
  const elemType = step.dataType === 'float16' ? ONNX_TYPES.float16 : ONNX_TYPES.float;
  const bytes = segmentModel(model, { kind: 'ort', nodes: step.nodes, inputs: [step.input], outputs: [step.output] }, 0, new Map([[step.input, { elemType, shape: step.inputShape! }]]));
  const session = await ort.InferenceSession.create(bytes, { ...sessionOptions, preferredOutputLocation: 'gpu-buffer' });
  const { tensor, buffer } = gpuTensor(ort, device, step.dataType, step.inputShape!);
  try {
    return await bestMs(device, async () => {
      const out = await session.run({ [step.input]: tensor });
      return () => { for (const t of Object.values(out)) t.dispose(); };
    }, runs);
  } finally {
    await session.release();
    tensor.dispose();
    buffer.destroy();
  }
}

/** Our prepared layer's time on buffers of its sizes, ms. */
export async function layerMs(device: GPUDevice, layer: ConvTransposeLayer, runs = 3): Promise<number> {
  const input = device.createBuffer({ label: 'ort measure input', size: layer.inputBytes, usage: USAGE() });
  const output = device.createBuffer({ label: 'ort measure output', size: layer.outputBytes, usage: USAGE() });
  try {
    return await bestMs(device, async () => {
      const encoder = device.createCommandEncoder({ label: 'ort measure' });
      layer.encode(encoder, input, output);
      device.queue.submit([encoder.finish()]);
    }, runs);
  } finally {
    input.destroy();
    output.destroy();
  }
}

const cutCosts = new WeakMap<GPUDevice, Promise<number>>();

/**
 * What one cut costs on ORT's device, ms: one more ORT run (an Identity on a small GPU tensor, output on the
 * GPU), the median of 15 after warm-ups. Measured once per device.
 */
export function cutMs(ort: OrtLike, device: GPUDevice, sessionOptions: object): Promise<number> {
  let cost = cutCosts.get(device);
  if (!cost) {
    cost = (async () => {
      const session = await ort.InferenceSession.create(identityModel(), { ...sessionOptions, preferredOutputLocation: 'gpu-buffer' });
      const { tensor, buffer } = gpuTensor(ort, device, 'float32', [1024]);
      try {
        const times: number[] = [];
        for (let i = 0; i < 18; i++) {
          const t0 = performance.now();
          const out = await session.run({ x: tensor });
          await device.queue.onSubmittedWorkDone();
          if (i >= 3) times.push(performance.now() - t0);
          for (const t of Object.values(out)) t.dispose();
        }
        return times.sort((a, b) => a - b)[times.length >> 1];
      } finally {
        await session.release();
        tensor.dispose();
        buffer.destroy();
      }
    })();
    cutCosts.set(device, cost);
    cost.catch(() => cutCosts.delete(device));
  }
  return cost;
}

/** A measured decision for one step, in the plan's words. */
export function verdictOf(ortMs: number | null, oursMs: number, cut: number, ortError?: string): { runs: 'here' | 'ort'; reason: string } {
  const ms = (v: number) => `${Number(v.toPrecision(3))} ms`;
  if (ortMs === null) return { runs: 'here', reason: `measured: here ${ms(oursMs)}; ORT could not run it alone (${ortError ?? 'no time'})` };
  const runs = oursMs + cut < ortMs ? 'here' : 'ort';
  return {
    runs,
    reason: `measured: ORT ${ms(ortMs)} ${runs === 'here' ? '>' : '≤'} here ${ms(oursMs)} + one cut ${ms(cut)}${runs === 'ort' ? ': the cut would cost more than it gains' : ''}`,
  };
}
