/**
 * The runtime of a prepared layer: its GPU buffers (packed weights, uniforms, scratch), its pipelines and bind
 * groups, and the hot path, which only binds and dispatches. What runs comes from a plan (plan/chunked.ts);
 * the layer knows no family by name.
 */
import { sizeOf, type ResolvedConvTranspose } from '../shape';
import { shapeFromChannelsFirst, type DataLayout } from '../layout';
import { storageBytes, type DataType } from '../half';
import { BufferUsage } from './constants';
import { checkBuffer } from './buffer-checks';
import { deviceLostError, deviceLostInfo, knownDeviceLoss, watchDevice, type DeviceLoss } from './device';
import { getPipeline } from './pipelines';
import { stageName, type Resource } from './kernels/kernel';
import type { GpuPath } from './kernels/registry';
import { chunkedPlan, configOfChunks, selectWeights, type Candidate, type PlannedChunk } from './plan/chunked';
import type { PlanContext } from './plan/context';

/** A transposed convolution ready to run on the GPU. Destroy it when done. */
export interface ConvTransposeLayer {
  /** The path that runs: the one asked for, or the one `auto` chose. */
  readonly path: GpuPath;
  /**
   * The configuration of the path's family that runs (register block, tile shape, split: see the path's docs);
   * for a layer run in chunks whose rules pick differently, each chunk's, in chunk order.
   */
  readonly config: Readonly<object>;
  /** What `encode` dispatches, in order: kernel, override constants (WG the workgroup size) and workgroups (x, y, z). */
  readonly dispatches: readonly { shader: string; constants: Readonly<Record<string, number>>; workgroups: readonly [number, number, number] }[];
  /**
   * How many chunks the work runs as: 1, or more when a tensor (or the path's scratch or weights) exceeds
   * one binding (maxStorageBufferBindingSize): each chunk then runs on a window of the buffers (plan/chunks.ts).
   */
  readonly chunks: number;
  /** The problem in channels-first form (its shapes are `nchw` whatever `inputLayout` is). */
  readonly resolved: ResolvedConvTranspose;
  /** The input's shape in the layer's layout. */
  readonly inputShape: readonly number[];
  /** The output's shape in the layer's layout. */
  readonly outputShape: readonly number[];
  readonly inputLayout: DataLayout;
  /** Storage type of input and output. */
  readonly dataType: DataType;
  /** Bytes the input buffer must hold, in the layer's layout: 4 per element, or for float16 2 per element rounded up to a multiple of 4. */
  readonly inputBytes: number;
  /** Bytes the output buffer must hold (likewise). */
  readonly outputBytes: number;
  /** The label its GPU objects carry (`<label>/weight`, `<label>/<shader>`, ...), so WebGPU errors name the layer. */
  readonly label: string;
  /**
   * Records the convolution as one compute pass into the caller's encoder. Checks synchronously, and throws on,
   * what WebGPU lets it see: the layer destroyed or its device known lost; a buffer that is not a GPUBuffer,
   * lacks STORAGE usage, is too small, is mapped or has a map pending; input and output the same buffer.
   * What WebGPU cannot tell synchronously (a buffer destroyed or of another device, an encoder finished or
   * with a pass open) stays the caller's to get right: WebGPU then reports a validation error at
   * `finish()`/`submit()`, naming the layer through the labels of its pass and bind groups.
   */
  encode(encoder: GPUCommandEncoder, input: GPUBuffer, output: GPUBuffer, timestampWrites?: GPUComputePassTimestampWrites): void;
  /**
   * Encodes and submits on the device's queue. Throws synchronously what `encode` checks; then returns a
   * promise that resolves once the GPU has accepted the work and rejects, with the layer's label, when WebGPU
   * raised a validation error for it (captured in an error scope, so it is not also reported as uncaptured)
   * or the device was lost. It does not wait for the work to finish (map the output, or
   * `device.queue.onSubmittedWorkDone()`); a failure nobody awaits is an unhandled rejection, never silence.
   */
  run(input: GPUBuffer, output: GPUBuffer): Promise<void>;
  /** Frees the layer's GPU buffers; idempotent. */
  destroy(): void;
}

/** The error a layer (or its creation) gives once its device is lost: the loss, and what to do about it. */
export function lostLayerError(who: string, loss: DeviceLoss): Error {
  const e = deviceLostError(who, loss);
  e.message += '; a layer cannot outlive its device: create a new one with createConvTranspose on a live device (getDevice() gives a new shared one)';
  return e;
}

/** Uploads the weights in the plan's layout, compiles its pipelines and returns the layer. */
export async function buildLayer(device: GPUDevice, ctx: PlanContext, candidate: Candidate, w: Float32Array, biasValues: Float32Array | undefined, label: string): Promise<ConvTransposeLayer> {
  const { r, p } = ctx;
  const { path } = candidate;
  const inputLayout: DataLayout = ctx.channelsLast ? 'nhwc' : 'nchw';
  const inputShape = shapeFromChannelsFirst(r.inputShape, inputLayout, r.unbatched);
  const outputShape = shapeFromChannelsFirst(r.outputShape, inputLayout, r.unbatched);
  const inputBytes = storageBytes(sizeOf(r.inputShape), ctx.dataType);
  const outputBytes = storageBytes(sizeOf(r.outputShape), ctx.dataType);
  const chunks = chunkedPlan(ctx, candidate);
  // Every stage of every chunk, in order; chunks with the same weight selection and packing share weights.
  const stages = chunks.flatMap(({ plan }, ci) => plan.stages.map((stage) => ({ stage, ci })));
  const packed = new Map<string, { weights: Float32Array; bias: Float32Array }>();
  const weightKey = ({ chunk, plan }: PlannedChunk) => `${JSON.stringify(chunk.weights)}/${plan.weightBytes}`;
  for (const c of chunks) {
    const key = weightKey(c);
    if (packed.has(key)) continue;
    const sel = selectWeights(p, w, biasValues, c.chunk.weights);
    packed.set(key, { weights: c.plan.packWeights(sel.w), bias: c.plan.packBias(sel.bias) });
  }
  // Scratch buffers are shared by the chunks (they run in order), sized for the largest.
  const scratchBytes = new Map<string, number>();
  for (const { plan } of chunks) for (const [name, bytes] of Object.entries(plan.scratch)) scratchBytes.set(name, Math.max(bytes, scratchBytes.get(name) ?? 0));

  // From here on GPU objects exist: anything that fails must free them.
  const owned: GPUBuffer[] = [];
  const upload = (what: string, data: ArrayBuffer | Float32Array, usage: number) => {
    const buffer = device.createBuffer({ label: `${label}/${what}`, size: Math.max(16, data.byteLength), usage: usage | BufferUsage.COPY_DST });
    owned.push(buffer);
    device.queue.writeBuffer(buffer, 0, data as ArrayBuffer);
    return buffer;
  };
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    for (const buffer of owned) buffer.destroy();
    owned.length = 0;
  };
  // Compile first: pipelines are shared and cached, and awaiting here keeps the error scopes below free of
  // awaits, so concurrent callers cannot interleave their scopes.
  const compiled = await Promise.all(stages.map(({ stage }) => getPipeline(device, stage)));
  try {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const weightBuffers = new Map<string, { weight: GPUBuffer; bias: GPUBuffer }>();
    for (const [key, data] of packed) {
      const part = packed.size > 1 ? `#${weightBuffers.size}` : '';
      weightBuffers.set(key, { weight: upload(`weight${part}`, data.weights, BufferUsage.STORAGE), bias: upload(`bias${part}`, data.bias, BufferUsage.STORAGE) });
    }
    const uniforms = stages.map(({ stage: s }, i) => upload(`params${i}`, s.uniforms, BufferUsage.UNIFORM));
    const scratch = new Map<string, GPUBuffer>();
    for (const [name, bytes] of scratchBytes) {
      const buffer = device.createBuffer({ label: `${label}/${name}`, size: Math.max(16, bytes), usage: BufferUsage.STORAGE });
      owned.push(buffer);
      scratch.set(`scratch:${name}`, buffer);
    }
    const validation = device.popErrorScope();
    const oom = device.popErrorScope();
    const error = (await validation) ?? (await oom);
    if (error) throw new Error(`${path}: the GPU rejected the layer's setup: ${error.message}`);
    // Lost while compiling or uploading: the scopes above then report nothing.
    const lostNow = await deviceLostInfo(device, 0);
    if (lostNow) throw lostLayerError('createConvTranspose', lostNow);
    watchDevice(device);
    const who = `ConvTransposeLayer "${label}"`;
    /** Throws when the layer cannot run at all: destroyed, or its device known lost. */
    const checkUsable = () => {
      if (destroyed) throw new Error(`${who}: used after destroy()`);
      const loss = knownDeviceLoss(device);
      if (loss) throw lostLayerError(who, loss);
    };

    // Bind groups depend on the caller's buffers; the last pair is kept so a hot loop re-binds nothing.
    let last: { input: GPUBuffer; output: GPUBuffer; groups: GPUBindGroup[] } | null = null;
    const bindGroups = (input: GPUBuffer, output: GPUBuffer): GPUBindGroup[] => {
      if (last && last.input === input && last.output === output) return last.groups;
      // The caller's buffers are bound as the chunk's windows (the whole tensor when there is one chunk).
      const resource = (b: Resource, c: PlannedChunk): GPUBufferBinding => {
        if (b === 'input' || b === 'output') return { buffer: b === 'input' ? input : output, ...c.chunk.windows[b] };
        const own = weightBuffers.get(weightKey(c))!;
        return { buffer: b === 'weight' ? own.weight : b === 'bias' ? own.bias : scratch.get(b)! };
      };
      const groups = stages.map(({ stage, ci }, i) => device.createBindGroup({
        label: `${label}/${stageName(stage)}`, layout: compiled[i].layout,
        entries: [
          { binding: 0, resource: { buffer: uniforms[i] } },
          ...stage.kernel.bindings.map((b, j) => ({ binding: j + 1, resource: resource(stage.bind[b.name], chunks[ci]) })),
        ],
      }));
      last = { input, output, groups };
      return groups;
    };

    const layer: ConvTransposeLayer = {
      path,
      config: configOfChunks(chunks),
      dispatches: stages.map(({ stage: s }) => ({ shader: stageName(s), constants: { ...s.overrides }, workgroups: s.grid })),
      chunks: chunks.length,
      resolved: r,
      inputShape,
      outputShape,
      inputLayout,
      dataType: ctx.dataType,
      inputBytes,
      outputBytes,
      label,
      encode(encoder, input, output, timestampWrites) {
        checkUsable();
        if (!encoder || typeof (encoder as GPUCommandEncoder).beginComputePass !== 'function') {
          throw new TypeError(`encoder: expected a GPUCommandEncoder, got ${encoder === null ? 'null' : typeof encoder}`);
        }
        checkBuffer('input', input, inputBytes, inputShape);
        checkBuffer('output', output, outputBytes, outputShape);
        if (input === output) throw new RangeError('output: must be a different buffer from input');
        if (r.batch === 0) return; // an empty batch has nothing to compute (and zero-sized buffers cannot be bound)
        const groups = bindGroups(input, output);
        const pass = encoder.beginComputePass({ label: `${label}/${path}`, ...(timestampWrites ? { timestampWrites } : {}) });
        stages.forEach(({ stage: s }, i) => {
          pass.setPipeline(compiled[i].pipeline);
          pass.setBindGroup(0, groups[i]);
          pass.dispatchWorkgroups(s.grid[0], s.grid[1], s.grid[2]);
        });
        pass.end();
      },
      run(input, output) {
        checkUsable();
        // Validation errors of this run are captured here (no await between push and pop, so concurrent
        // callers' scopes cannot interleave) and become this promise's rejection, with the layer's name.
        device.pushErrorScope('validation');
        try {
          const encoder = device.createCommandEncoder({ label: `${label}/run` });
          layer.encode(encoder, input, output);
          device.queue.submit([encoder.finish()]);
        } catch (e) {
          device.popErrorScope().catch(() => {});
          throw e;
        }
        const failed = async (error: GPUError | null): Promise<void> => {
          // Bind groups made from these buffers may be the invalid ones: make them again next time, so a
          // later error names its own cause rather than "invalid due to a previous error".
          if (error) last = null;
          const loss = await deviceLostInfo(device, 0);
          if (loss) throw lostLayerError(who, loss);
          if (error) throw new Error(`${who}: run(): the GPU rejected the work: ${error.message}`);
        };
        return device.popErrorScope().then(failed, async (e) => {
          const loss = await deviceLostInfo(device, 0);
          throw loss ? lostLayerError(who, loss) : new Error(`${who}: run(): ${(e as Error)?.message ?? e}`, { cause: e });
        });
      },
      destroy,
    };
    return layer;
  } catch (e) {
    destroy();
    throw e;
  }
}
