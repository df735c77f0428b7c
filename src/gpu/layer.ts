/**
 * The prepared form: a transposed convolution with its weights on the GPU, bound to one input shape, that
 * encodes into a caller's command encoder. Everything that can be checked is checked at creation, before
 * any GPU object exists; the hot path only binds buffers and dispatches.
 */
import { problem3d, resolveConvTranspose, sizeOf, type ConvTransposeAttributes, type Problem3d, type ResolvedConvTranspose } from '../shape';
import { zeroInsertGeometry } from '../reference';
import { biasParts, tensorData, type BiasLike, type TensorLike } from '../tensor';
import { BufferUsage } from './constants';
import { packParams, PARAMS_BYTES } from './params';
import { getPipeline, WORKGROUP_SIZE, type Overrides, type ShaderName } from './pipelines';
import { ocBlocksFor, packBias, packConvWeights, packGatherWeights } from './weights';

/** The GPU paths, by name. */
export const GPU_PATHS = ['gather', 'zero-insert'] as const;

/**
 * A GPU path: `gather` (default; one dispatch, each output gathers exactly its inputs) or `zero-insert`
 * (zero-insert and pad the input, then a stride-1 convolution with the flipped kernel).
 */
export type GpuPath = (typeof GPU_PATHS)[number];

/** Options of {@link createConvTranspose}: the attributes, the weights and the input shape the layer runs on. */
export interface ConvTransposeLayerOptions extends ConvTransposeAttributes {
  /** `[N, C_in, ...spatial]`, 1 to 3 spatial axes. */
  inputShape: readonly number[];
  /** `[C_in, C_out/groups, ...kernel]`. */
  weight: TensorLike;
  /** `[C_out]`, optional. */
  bias?: BiasLike | null;
  /** Default `gather`. */
  path?: GpuPath;
  /** Label prefix for the GPU objects, shown in WebGPU error messages and captures. */
  label?: string;
}

/** A transposed convolution ready to run on the GPU. Destroy it when done. */
export interface ConvTransposeLayer {
  readonly path: GpuPath;
  readonly resolved: ResolvedConvTranspose;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Bytes the input buffer must hold (f32, NC<spatial>). */
  readonly inputBytes: number;
  /** Bytes the output buffer must hold. */
  readonly outputBytes: number;
  /** Records the convolution as one compute pass. Buffers need STORAGE usage; input and output must differ. */
  encode(encoder: GPUCommandEncoder, input: GPUBuffer, output: GPUBuffer, timestampWrites?: GPUComputePassTimestampWrites): void;
  /** Encodes and submits on the device's queue. */
  run(input: GPUBuffer, output: GPUBuffer): void;
  /** Frees the layer's GPU buffers; idempotent. */
  destroy(): void;
}

/** One dispatch of a layer: shader, its override constants, uniform contents and grid. */
interface Stage {
  shader: ShaderName;
  overrides: Overrides;
  params: ArrayBuffer;
  grid: [number, number];
}

const FLOAT = 4;

/** Splits `invocations` into a 2-D grid of workgroups that fits maxComputeWorkgroupsPerDimension. */
function gridFor(invocations: number, maxPerDim: number): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / WORKGROUP_SIZE));
  const x = Math.min(groups, maxPerDim);
  return [x, Math.ceil(groups / x)];
}

/** The dispatches of a path, with their uniforms. */
function planStages(path: GpuPath, r: ResolvedConvTranspose, p: Problem3d, maxPerDim: number): { stages: Stage[]; zBytes: number; ocBlocks: number } {
  const [oD, oH, oW] = p.outS;
  // Two vec4s of output channels per invocation when there are more than 4: each input load feeds 8 FMAs.
  const ocv = p.CoutG > 4 ? 2 : 1;
  const ocBlocks = ocBlocksFor(p.CoutG, ocv);
  const channelGroups = p.N * p.G * (ocBlocks / ocv);
  const stage = (shader: ShaderName, invocations: number, wBlocks: number, z?: { zSize: number[]; zPad: number[] }): Stage => {
    const grid = gridFor(invocations, maxPerDim);
    const overrides: Overrides = shader === 'zero-insert' ? {} : { OCV: ocv };
    return { shader, overrides, grid, params: packParams(p, { ...z, ocBlocks, wBlocks, invocations, groupsX: grid[0] }) };
  };
  if (path === 'gather') {
    const wBlocks = Math.ceil(Math.ceil(oW / p.s[2]) / 4);
    return { stages: [stage('gather', channelGroups * oD * oH * p.s[2] * wBlocks, wBlocks)], zBytes: 0, ocBlocks };
  }
  const geo = zeroInsertGeometry(r);
  const wBlocks = Math.ceil(oW / 4);
  // W rows are allocated for whole 4-wide output blocks so the convolution never reads past a row.
  const zSize = [geo.size[0], geo.size[1], wBlocks * 4 + p.d[2] * (p.k[2] - 1)];
  const z = { zSize, zPad: [...geo.padBefore] };
  return {
    stages: [
      stage('zero-insert', p.N * p.Cin * sizeOf(zSize), 0, z),
      stage('conv', channelGroups * oD * oH * wBlocks, wBlocks, z),
    ],
    zBytes: p.N * p.Cin * sizeOf(zSize) * FLOAT,
    ocBlocks,
  };
}

/** Throws a RangeError when the problem does not fit this device or the shaders' 32-bit index math. */
function checkFits(device: GPUDevice, path: GpuPath, r: ResolvedConvTranspose, p: Problem3d, sizes: Record<string, number>, stages: Stage[]): void {
  const limits = device.limits;
  const maxBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  for (const [name, bytes] of Object.entries(sizes)) {
    if (bytes > maxBinding) {
      const hint = name === 'zero-inserted input' ? "; the 'gather' path needs no such buffer" : '';
      throw new RangeError(`${name}: needs ${bytes} bytes, more than this device's maxStorageBufferBindingSize/maxBufferSize (${maxBinding})${hint}`);
    }
  }
  for (let a = 0; a < 3; a++) {
    if (p.s[a] > 65535) throw new RangeError(`strides: the GPU paths take strides up to 65535, got ${p.s[a]}`);
    const reach = Math.max((p.inS[a] - 1) * p.s[a] + (p.k[a] - 1) * p.d[a] + 1, p.outS[a] + p.pb[a]);
    if (reach > 2 ** 31 - 1) {
      throw new RangeError(`${path}: axis ${a - (3 - r.dims)} spans ${reach} cells before padding, beyond the GPU paths' 32-bit index range`);
    }
  }
  for (const s of stages) {
    if (s.grid[1] > limits.maxComputeWorkgroupsPerDimension || s.grid[0] * s.grid[1] * WORKGROUP_SIZE > 2 ** 32 - 1) {
      throw new RangeError(`${path}: needs ${s.grid[0] * s.grid[1]} workgroups, more than this device can dispatch`);
    }
  }
}

function checkBuffer(name: string, buffer: GPUBuffer, bytes: number, shape: readonly number[]): void {
  if (!buffer || typeof buffer !== 'object' || typeof buffer.size !== 'number') {
    throw new TypeError(`${name}: expected a GPUBuffer, got ${buffer === null ? 'null' : typeof buffer}`);
  }
  if ((buffer.usage & BufferUsage.STORAGE) === 0) {
    throw new TypeError(`${name}: the buffer needs GPUBufferUsage.STORAGE (usage is 0x${buffer.usage.toString(16)})`);
  }
  if (buffer.size < bytes) {
    throw new RangeError(`${name}: buffer has ${buffer.size} bytes, shape [${shape.join(', ')}] needs ${bytes}`);
  }
}

/** Validates options and creates a layer: weights uploaded in the path's layout, pipelines compiled. */
export async function createConvTranspose(device: GPUDevice, options: ConvTransposeLayerOptions): Promise<ConvTransposeLayer> {
  if (!device || typeof (device as GPUDevice).createBuffer !== 'function') {
    throw new TypeError(`device: expected a GPUDevice, got ${device === null ? 'null' : typeof device}`);
  }
  if (!options || typeof options !== 'object') throw new TypeError('options: expected an object');
  const { inputShape, weight, bias, path = 'gather', label = 'convtranspose', ...attrs } = options;
  if (!GPU_PATHS.includes(path)) throw new TypeError(`path: expected one of ${GPU_PATHS.join(', ')}, got ${JSON.stringify(path)}`);
  if (!weight || typeof weight !== 'object') throw new TypeError('weight: expected a tensor { data, shape }');
  const b = biasParts(bias);
  const r = resolveConvTranspose(inputShape, weight.shape, b?.shape, attrs);
  const w = tensorData('weight', weight);
  const p = problem3d(r);

  const inputBytes = sizeOf(r.inputShape) * FLOAT;
  const outputBytes = sizeOf(r.outputShape) * FLOAT;
  const { stages, zBytes, ocBlocks } = planStages(path, r, p, device.limits.maxComputeWorkgroupsPerDimension);
  const weights = path === 'gather' ? packGatherWeights(r, w, ocBlocks) : packConvWeights(r, w, ocBlocks);
  const biasData = packBias(r, b?.data, ocBlocks);
  const sizes: Record<string, number> = { input: inputBytes, output: outputBytes, weight: weights.byteLength };
  if (zBytes) sizes['zero-inserted input'] = zBytes;
  checkFits(device, path, r, p, sizes, stages);

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
  const pipelines = await Promise.all(stages.map((s) => getPipeline(device, s.shader, s.overrides)));
  try {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const weightBuffer = upload('weight', weights, BufferUsage.STORAGE);
    const biasBuffer = upload('bias', biasData, BufferUsage.STORAGE);
    const uniforms = stages.map((s, i) => upload(`params${i}`, s.params, BufferUsage.UNIFORM));
    const zBuffer = zBytes ? device.createBuffer({ label: `${label}/zero-inserted`, size: zBytes, usage: BufferUsage.STORAGE }) : null;
    if (zBuffer) owned.push(zBuffer);
    const validation = device.popErrorScope();
    const oom = device.popErrorScope();
    const error = (await validation) ?? (await oom);
    if (error) throw new Error(`${path}: the GPU rejected the layer's setup: ${error.message}`);

    // Bind groups depend on the caller's buffers; the last pair is kept so a hot loop re-binds nothing.
    let last: { input: GPUBuffer; output: GPUBuffer; groups: GPUBindGroup[] } | null = null;
    const bindGroups = (input: GPUBuffer, output: GPUBuffer): GPUBindGroup[] => {
      if (last && last.input === input && last.output === output) return last.groups;
      const entries = (i: number): GPUBindGroupEntry[] => {
        const buffers = stages[i].shader === 'zero-insert'
          ? [uniforms[i], input, zBuffer!]
          : [uniforms[i], stages[i].shader === 'conv' ? zBuffer! : input, weightBuffer, biasBuffer, output];
        return buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
      };
      const groups = pipelines.map((pl, i) => device.createBindGroup({ label: `${label}/${stages[i].shader}`, layout: pl.getBindGroupLayout(0), entries: entries(i) }));
      last = { input, output, groups };
      return groups;
    };

    const layer: ConvTransposeLayer = {
      path,
      resolved: r,
      inputShape: r.inputShape,
      outputShape: r.outputShape,
      inputBytes,
      outputBytes,
      encode(encoder, input, output, timestampWrites) {
        if (destroyed) throw new Error('ConvTransposeLayer: used after destroy()');
        checkBuffer('input', input, inputBytes, r.inputShape);
        checkBuffer('output', output, outputBytes, r.outputShape);
        if (input === output) throw new RangeError('output: must be a different buffer from input');
        if (r.batch === 0) return; // an empty batch has nothing to compute (and zero-sized buffers cannot be bound)
        const groups = bindGroups(input, output);
        const pass = encoder.beginComputePass({ label: `${label}/${path}`, ...(timestampWrites ? { timestampWrites } : {}) });
        stages.forEach((s, i) => {
          pass.setPipeline(pipelines[i]);
          pass.setBindGroup(0, groups[i]);
          pass.dispatchWorkgroups(s.grid[0], s.grid[1]);
        });
        pass.end();
      },
      run(input, output) {
        const encoder = device.createCommandEncoder({ label: `${label}/run` });
        layer.encode(encoder, input, output);
        device.queue.submit([encoder.finish()]);
      },
      destroy,
    };
    return layer;
  } catch (e) {
    destroy();
    throw e;
  }
}
