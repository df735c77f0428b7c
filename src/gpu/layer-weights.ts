/**
 * A layer's packed weights and bias: the GPU buffers its plan's stages read, and the two ways new values get
 * there. From CPU data, packed on the host (Plan.packWeights/packBias) and written through the queue; from
 * the caller's GPU buffers, packed on the device by one gather stage (kernels/stages/pack_weights.wgsl)
 * recorded into the caller's encoder, so passes encoded after it see the new weights and passes before it
 * the old ones, with no read-back. Either way the plan is untouched: only values change.
 */
import type { FilterLayout } from '../layout';
import { storageBytes, type DataType } from '../half';
import { sizeOf } from '../shape';
import { BufferUsage } from './constants';
import { checkBuffer } from './buffer-checks';
import type { Compiled } from './pipelines';
import { packWeightsStage } from './kernels/stages/pack-weights';
import { selectWeights, type PlannedChunk } from './plan/chunked';
import type { PlanContext } from './plan/context';
import { weightMaps } from './weight-maps';

/** The caller's weight as the layer takes it: its layout and shape (in that layout). */
export interface WeightSpec {
  readonly layout: FilterLayout;
  readonly shape: readonly number[];
}

/** The packed weight and bias buffers one chunk binds. */
export interface PackedBuffers {
  readonly weight: GPUBuffer;
  readonly bias: GPUBuffer;
}

export interface WeightStore {
  /** The buffers of a chunk's packing (chunks with the same selection and packing share them). */
  buffersOf(c: PlannedChunk): PackedBuffers;
  /**
   * New values from the host (iohw float32; bias `[C_out]`, `null` for none, undefined to leave it), through
   * the queue.
   */
  write(w: Float32Array, bias: Float32Array | null | undefined): void;
  /**
   * Records packing from the caller's buffers into `encoder`: `weight` in the layer's layout and storage type;
   * `bias` `[C_out]` likewise, `null` for no bias, undefined to leave the bias as it is.
   */
  encode(encoder: GPUCommandEncoder, weight: GPUBuffer, bias: GPUBuffer | null | undefined): void;
  /** Bytes the caller's weight and bias buffers must hold. */
  readonly sourceBytes: { readonly weight: number; readonly bias: number };
  destroy(): void;
}

/** A key telling packings apart: chunks with the same weight selection and packed size share buffers. */
function weightKey({ chunk, plan }: PlannedChunk): string {
  return `${JSON.stringify(chunk.weights)}/${plan.weightBytes}`;
}

/**
 * Makes the packed buffers of every chunk's packing (contents unset: write or encode next). `pack` is the
 * compiled packing stage (same overrides for every packing of this context). Buffers are labelled under `label`.
 */
export function makeWeightStore(device: GPUDevice, ctx: PlanContext, chunks: readonly PlannedChunk[], spec: WeightSpec, pack: Compiled, label: string): WeightStore {
  const { p } = ctx;
  const dataType: DataType = ctx.dataType;
  const sourceElements = { weight: sizeOf(spec.shape), bias: p.Cout };
  const sourceBytes = { weight: storageBytes(sourceElements.weight, dataType), bias: storageBytes(sourceElements.bias, dataType) };
  const owned: GPUBuffer[] = [];
  const make = (what: string, bytes: number, usage: number) => {
    const buffer = device.createBuffer({ label: `${label}/${what}`, size: Math.max(16, bytes), usage });
    owned.push(buffer);
    return buffer;
  };

  // One entry per distinct packing, with the chunk that defines it.
  const packings = new Map<string, { chunk: PlannedChunk; buffers: PackedBuffers; gpu?: GpuPacking }>();
  const several = new Set(chunks.map(weightKey)).size > 1;
  for (const c of chunks) {
    const key = weightKey(c);
    if (packings.has(key)) continue;
    const part = several ? `#${packings.size}` : '';
    const biasBytes = c.plan.packBias(null).byteLength;
    packings.set(key, {
      chunk: c,
      buffers: {
        weight: make(`weight${part}`, c.plan.weightBytes, BufferUsage.STORAGE | BufferUsage.COPY_DST),
        bias: make(`bias${part}`, biasBytes, BufferUsage.STORAGE | BufferUsage.COPY_DST),
      },
    });
  }

  /** What packing from GPU buffers needs of one packing: index maps and uniforms (made on first use). */
  interface GpuPacking {
    readonly weight: { readonly src: GPUBuffer; readonly params: GPUBuffer; readonly grid: readonly [number, number, number]; readonly bytes: number };
    readonly bias: { readonly src: GPUBuffer; readonly params: GPUBuffer; readonly grid: readonly [number, number, number]; readonly bytes: number };
  }
  const upload = (what: string, data: ArrayBuffer | ArrayBufferView, usage: number) => {
    const buffer = make(what, data.byteLength, usage | BufferUsage.COPY_DST);
    device.queue.writeBuffer(buffer, 0, data as ArrayBuffer);
    return buffer;
  };
  const gpuPacking = (entry: { chunk: PlannedChunk; gpu?: GpuPacking }): GpuPacking => {
    if (entry.gpu) return entry.gpu;
    const maps = weightMaps(p, entry.chunk, spec.layout, spec.shape);
    const side = (what: 'weight' | 'bias', map: Uint32Array) => {
      const stage = packWeightsStage(ctx, map.length, sourceElements[what]);
      return {
        src: upload(`${what} map`, map, BufferUsage.STORAGE),
        params: upload(`${what} map params`, stage.uniforms, BufferUsage.UNIFORM),
        grid: stage.grid,
        bytes: map.length * 4,
      };
    };
    return (entry.gpu = { weight: side('weight', maps.weight), bias: side('bias', maps.bias) });
  };

  // Bind groups depend on the caller's buffers; the last pair is kept, so repeated updates re-bind nothing.
  let last: { weight: GPUBuffer; bias: GPUBuffer | null; groups: GPUBindGroup[][] } | null = null;
  const bindGroups = (weight: GPUBuffer, bias: GPUBuffer | null): GPUBindGroup[][] => {
    if (last && last.weight === weight && last.bias === bias) return last.groups;
    const groups = [...packings.values()].map((entry) => {
      const g = gpuPacking(entry);
      const group = (what: 'weight' | 'bias', source: GPUBuffer) => device.createBindGroup({
        label: `${label}/pack ${what}`, layout: pack.layout,
        entries: [
          { binding: 0, resource: { buffer: g[what].params } },
          { binding: 1, resource: { buffer: source, offset: 0, size: sourceBytes[what] } },
          { binding: 2, resource: { buffer: g[what].src } },
          { binding: 3, resource: { buffer: entry.buffers[what], offset: 0, size: g[what].bytes } },
        ],
      });
      return bias ? [group('weight', weight), group('bias', bias)] : [group('weight', weight)];
    });
    last = { weight, bias, groups };
    return groups;
  };

  return {
    sourceBytes,
    buffersOf: (c) => packings.get(weightKey(c))!.buffers,
    write(w, bias) {
      for (const { chunk: c, buffers } of packings.values()) {
        const sel = selectWeights(p, w, bias ?? undefined, c.chunk.weights);
        device.queue.writeBuffer(buffers.weight, 0, c.plan.packWeights(sel.w) as Float32Array<ArrayBuffer>);
        if (bias !== undefined) device.queue.writeBuffer(buffers.bias, 0, c.plan.packBias(sel.bias) as Float32Array<ArrayBuffer>);
      }
    },
    encode(encoder, weight, bias) {
      checkBuffer('weight', weight, sourceBytes.weight, spec.shape);
      if (bias) checkBuffer('bias', bias, sourceBytes.bias, [p.Cout]);
      if (sourceBytes.weight > ctx.limits.maxBindingBytes) {
        throw new RangeError(`weight: ${sourceBytes.weight} bytes, more than one binding of this device holds (maxStorageBufferBindingSize ${ctx.limits.maxBindingBytes}): give such weights as CPU data (setWeights)`);
      }
      const groups = bindGroups(weight, bias ?? null);
      if (bias === null) for (const { buffers } of packings.values()) encoder.clearBuffer(buffers.bias);
      const pass = encoder.beginComputePass({ label: `${label}/pack weights` });
      pass.setPipeline(pack.pipeline);
      [...packings.values()].forEach((entry, i) => {
        const g = entry.gpu!;
        groups[i].forEach((group, j) => {
          const grid = (j === 0 ? g.weight : g.bias).grid;
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
        });
      });
      pass.end();
    },
    destroy() {
      for (const buffer of owned) buffer.destroy();
      owned.length = 0;
      last = null;
    },
  };
}
