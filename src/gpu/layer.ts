/**
 * The runtime of a prepared layer: its GPU buffers (packed weights, uniforms, scratch), its pipelines and bind
 * groups, and the hot path, which only binds and dispatches. What runs comes from a plan (plan/chunked.ts);
 * the layer knows no family by name.
 */
import { sizeOf, type ResolvedConvTranspose } from '../shape';
import { shapeFromChannelsFirst, type DataLayout } from '../layout';
import { storageBytes, type DataType } from '../half';
import { BufferUsage } from './constants';
import { checkBuffer, isGpuBuffer } from './buffer-checks';
import { allFinite } from '../problem';
import type { FilterLayout } from '../layout';
import type { BiasLike, TensorLike } from '../tensor';
import { makeWeightStore, type WeightSpec, type WeightStore } from './layer-weights';
import { packWeightsStage } from './kernels/stages/pack-weights';
import { deviceLostError, deviceLostInfo, knownDeviceLoss, LOSS_WAIT_MS, watchDevice, type DeviceLoss } from './device';
import { getPipeline } from './pipelines';
import { stageName, type Resource } from './kernels/kernel';
import type { GpuPath } from './kernels/registry';
import { chunkedPlan, configOfChunks, type Candidate, type PlannedChunk } from './plan/chunked';
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
  /** The weight's shape as the layer takes it, in its `filterLayout` (what setWeights and encodeWeights take). */
  readonly weightShape: readonly number[];
  readonly filterLayout: FilterLayout;
  /** Bytes a weight buffer given to encodeWeights/setWeights must hold (in the layer's `dataType`); `biasBytes` likewise for `[C_out]`. */
  readonly weightBytes: number;
  readonly biasBytes: number;
  /**
   * The kernels assume every weight finite (ConvTransposeLayerOptions.finiteWeights): new CPU weights are then
   * checked, and weights from GPU buffers, which cannot be, are refused.
   */
  readonly finiteWeights: boolean;
  /**
   * New weights (and bias) from the CPU, `{ data, shape }` in the layer's `filterLayout` (a bias as for
   * creation), or from GPU buffers (as encodeWeights, encoded and submitted here). Written through the queue:
   * work submitted before this call uses the old values, work submitted after it the new. `bias` undefined
   * leaves the bias as it is; `null` removes it. The plan is unchanged: nothing is compiled or re-planned.
   */
  setWeights(weight: TensorLike | GPUBuffer, bias?: BiasLike | GPUBuffer | null): void;
  /**
   * Records, into the caller's encoder, the packing of new weights (and bias) from GPU buffers: `weight` holds
   * the weight in the layer's `filterLayout` and storage type (`weightBytes`), `bias` `[C_out]` likewise,
   * `null` for no bias, undefined to leave the bias as it is. Passes this layer encodes after it use the new
   * values, passes before it the old ones; nothing is read back to the CPU. Checks synchronously as `encode`.
   */
  encodeWeights(encoder: GPUCommandEncoder, weight: GPUBuffer, bias?: GPUBuffer | null): void;
  /** Frees the layer's GPU buffers; idempotent. */
  destroy(): void;
}

/** Throws a TypeError naming `encoder` unless it is a GPUCommandEncoder. */
function checkEncoder(encoder: unknown): asserts encoder is GPUCommandEncoder {
  if (!encoder || typeof (encoder as GPUCommandEncoder).beginComputePass !== 'function') {
    throw new TypeError(`encoder: expected a GPUCommandEncoder, got ${encoder === null ? 'null' : typeof encoder}`);
  }
}

/** The error a layer (or its creation) gives once its device is lost: the loss, and what to do about it. */
export function lostLayerError(who: string, loss: DeviceLoss): Error {
  const e = deviceLostError(who, loss);
  e.message += '; a layer cannot outlive its device: create a new one with createConvTranspose on a live device (getDevice() gives a new shared one)';
  return e;
}

/** The weights a layer starts with: CPU values (iohw float32, checked), or the caller's GPU buffers. */
export type InitialWeights =
  | { readonly w: Float32Array; readonly bias: Float32Array | undefined }
  | { readonly gpu: { readonly weight: GPUBuffer; readonly bias: GPUBuffer | null } };

/** What a layer needs besides its plan: its first weights and how the caller's weights are laid out. */
export interface LayerWeights {
  readonly initial: InitialWeights;
  readonly spec: WeightSpec;
  /** Turns setWeights' CPU arguments into iohw float32 values, checked against the layer (problem.ts). */
  readonly fromCpu: (weight: unknown, bias: unknown) => { w: Float32Array; bias: Float32Array | undefined | null };
}

/** Packs the weights in the plan's layout (on the host, or on the GPU from the caller's buffers), compiles its pipelines and returns the layer. */
export async function buildLayer(device: GPUDevice, ctx: PlanContext, candidate: Candidate, weights: LayerWeights, label: string): Promise<ConvTransposeLayer> {
  const { r } = ctx;
  const { path } = candidate;
  const inputLayout: DataLayout = ctx.channelsLast ? 'nhwc' : 'nchw';
  const inputShape = shapeFromChannelsFirst(r.inputShape, inputLayout, r.unbatched);
  const outputShape = shapeFromChannelsFirst(r.outputShape, inputLayout, r.unbatched);
  const inputBytes = storageBytes(sizeOf(r.inputShape), ctx.dataType);
  const outputBytes = storageBytes(sizeOf(r.outputShape), ctx.dataType);
  const chunks = chunkedPlan(ctx, candidate);
  // Every stage of every chunk, in order; chunks with the same weight selection and packing share weights.
  const stages = chunks.flatMap(({ plan }, ci) => plan.stages.map((stage) => ({ stage, ci })));
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
  let store: WeightStore | null = null;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    for (const buffer of owned) buffer.destroy();
    owned.length = 0;
    store?.destroy();
  };
  // Compile first: pipelines are shared and cached, and awaiting here keeps the error scopes below free of
  // awaits, so concurrent callers cannot interleave their scopes.
  const packStage = packWeightsStage(ctx, 0, 0);
  const [pack, ...compiled] = await Promise.all([packStage, ...stages.map(({ stage }) => stage)].map((stage) => getPipeline(device, stage)));
  try {
    // Setup runs inside error scopes (popped on the way out, whatever happens), so that a GPU failure here
    // becomes this layer's error.
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let uniforms: GPUBuffer[], scratch: Map<string, GPUBuffer>;
    let validation: Promise<GPUError | null>, oom: Promise<GPUError | null>;
    try {
      store = makeWeightStore(device, ctx, chunks, weights.spec, pack, label);
      const initial = weights.initial;
      if ('gpu' in initial) {
        const encoder = device.createCommandEncoder({ label: `${label}/pack weights` });
        store.encode(encoder, initial.gpu.weight, initial.gpu.bias);
        device.queue.submit([encoder.finish()]);
      } else {
        store.write(initial.w, initial.bias);
      }
      uniforms = stages.map(({ stage: s }, i) => upload(`params${i}`, s.uniforms, BufferUsage.UNIFORM));
      scratch = new Map<string, GPUBuffer>();
      for (const [name, bytes] of scratchBytes) {
        const buffer = device.createBuffer({ label: `${label}/${name}`, size: Math.max(16, bytes), usage: BufferUsage.STORAGE });
        owned.push(buffer);
        scratch.set(`scratch:${name}`, buffer);
      }
    } finally {
      validation = device.popErrorScope();
      oom = device.popErrorScope();
    }
    const error = (await validation) ?? (await oom);
    // Lost while compiling or uploading: the scopes above then report nothing, or (Firefox, before `device.lost`
    // resolves: see LOSS_WAIT_MS) the work as invalid.
    const lostNow = await deviceLostInfo(device, error ? LOSS_WAIT_MS : 0);
    if (lostNow) throw lostLayerError('createConvTranspose', lostNow);
    if (error) throw new Error(`${path}: the GPU rejected the layer's setup: ${error.message}`);
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
        const own = store!.buffersOf(c);
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
      weightShape: weights.spec.shape,
      filterLayout: weights.spec.layout,
      weightBytes: store.sourceBytes.weight,
      biasBytes: store.sourceBytes.bias,
      finiteWeights: ctx.finiteWeights,
      setWeights(weight, bias) {
        checkUsable();
        if (isGpuBuffer(weight) || isGpuBuffer(bias)) {
          if (!isGpuBuffer(weight)) throw new TypeError('weight: with a bias in a GPUBuffer, give the weight in a GPUBuffer too (or both as CPU data)');
          const encoder = device.createCommandEncoder({ label: `${label}/setWeights` });
          layer.encodeWeights(encoder, weight, bias as GPUBuffer | null | undefined);
          device.queue.submit([encoder.finish()]);
          return;
        }
        const values = weights.fromCpu(weight, bias);
        if (ctx.finiteWeights && !allFinite(values.w)) {
          throw new RangeError(`weight: holds NaN or ±Infinity, and ${who} runs kernels that assume finite weights (its first weights were all finite); create the layer with finiteWeights: false to give it such weights`);
        }
        store!.write(values.w, values.bias);
      },
      encodeWeights(encoder, weight, bias) {
        checkUsable();
        checkEncoder(encoder);
        if (ctx.finiteWeights) {
          throw new Error(`weight: ${who} runs kernels that assume finite weights (its first weights were CPU data, all finite), which weights in a GPU buffer cannot be checked for; create the layer with finiteWeights: false (or with its weight in a GPU buffer) to give it weights from GPU buffers`);
        }
        store!.encode(encoder, weight, bias);
      },
      encode(encoder, input, output, timestampWrites) {
        checkUsable();
        checkEncoder(encoder);
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
          const loss = await deviceLostInfo(device, error ? LOSS_WAIT_MS : 0); // see LOSS_WAIT_MS
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
