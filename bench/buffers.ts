/** Small WebGPU buffer helpers shared by the benchmark's implementations and ceiling kernels. */

// Numeric flags, not the GPUBufferUsage global, so the module also loads where WebGPU is absent.
import { BufferUsage as Usage } from '../src/gpu/constants';
export { Usage };

/** A buffer of `bytes` (rounded up to 4) with `usage`; filled with `data` when given. */
export function createBuffer(device: GPUDevice, options: { label: string; bytes: number; usage: number; data?: ArrayBufferView }): GPUBuffer {
  const size = Math.max(4, Math.ceil(options.bytes / 4) * 4);
  const buffer = device.createBuffer({ label: options.label, size, usage: options.usage | (options.data ? Usage.COPY_DST : 0) });
  if (options.data) device.queue.writeBuffer(buffer, 0, options.data.buffer, options.data.byteOffset, options.data.byteLength);
  return buffer;
}

/** Copies `bytes` from a COPY_SRC buffer into a fresh mappable one and returns them. */
export async function readBuffer(device: GPUDevice, source: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const size = Math.ceil(bytes / 4) * 4;
  const staging = device.createBuffer({ label: 'bench readback', size, usage: Usage.MAP_READ | Usage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(source, 0, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(1 /* GPUMapMode.READ */);
  const out = staging.getMappedRange().slice(0, bytes);
  staging.destroy();
  return out;
}

/** Passes one timer can stamp: a query set holds at most 4096 queries, two per pass. */
export const MAX_TIMED_PASSES = 2048;

/**
 * Timestamp queries for up to `capacity` passes: pass i writes slots 2i and 2i+1; `durationsMs(n)` resolves
 * the first n pairs once, after the timed loop, so reading them back costs nothing inside the loop.
 */
export class PassTimer {
  private readonly querySet: GPUQuerySet;
  private readonly resolve: GPUBuffer;
  private used = 0;

  constructor(private readonly device: GPUDevice, readonly capacity: number) {
    this.querySet = device.createQuerySet({ label: 'bench timestamps', type: 'timestamp', count: capacity * 2 });
    this.resolve = device.createBuffer({ label: 'bench timestamps resolve', size: capacity * 16, usage: Usage.QUERY_RESOLVE | Usage.COPY_SRC });
  }

  /** True when the device can time passes (the 'timestamp-query' feature was granted). */
  static supported(device: GPUDevice): boolean {
    return device.features.has('timestamp-query');
  }

  /** The timestampWrites for pass `index`, or undefined past the capacity. */
  writes(index: number): GPUComputePassTimestampWrites | undefined {
    if (index < 0 || index >= this.capacity) return undefined;
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * index, endOfPassWriteIndex: 2 * index + 1 };
  }

  /** The timestampWrites of the next pass in order, or undefined once `capacity` passes are stamped. */
  next(): GPUComputePassTimestampWrites | undefined {
    return this.used < this.capacity ? this.writes(this.used++) : undefined;
  }

  /** Passes stamped through next(). */
  get stamped(): number {
    return this.used;
  }

  /** GPU durations in ms of passes 0..count-1 (default: every pass stamped through next()). */
  async durationsMs(count: number = this.used): Promise<number[]> {
    const n = Math.min(count, this.capacity);
    if (n === 0) return [];
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(this.querySet, 0, n * 2, this.resolve, 0);
    this.device.queue.submit([encoder.finish()]);
    const ticks = new BigUint64Array(await readBuffer(this.device, this.resolve, n * 16));
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(Number(ticks[2 * i + 1] - ticks[2 * i]) / 1e6);
    return out;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolve.destroy();
  }
}
