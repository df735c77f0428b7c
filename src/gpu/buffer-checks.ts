/** What a layer checks of the caller's buffers before it encodes, synchronously (what WebGPU lets it see). */
import { BufferUsage } from './constants';

/** Throws, naming the argument, unless `buffer` is a GPUBuffer that is unmapped, has STORAGE usage and holds `bytes`. */
export function checkBuffer(name: string, buffer: GPUBuffer, bytes: number, shape: readonly number[]): void {
  if (!buffer || typeof buffer !== 'object' || typeof buffer.size !== 'number') {
    throw new TypeError(`${name}: expected a GPUBuffer, got ${buffer === null ? 'null' : typeof buffer}`);
  }
  const mapState = (buffer as { mapState?: GPUBufferMapState }).mapState;
  if (mapState === 'mapped') {
    throw new Error(`${name}: the buffer is mapped (mapState 'mapped'); call unmap() before the GPU uses it (a buffer made with mappedAtCreation stays mapped until then)`);
  }
  if (mapState === 'pending') {
    throw new Error(`${name}: the buffer has a mapAsync() pending (mapState 'pending'); wait for it and unmap() before the GPU uses it`);
  }
  if ((buffer.usage & BufferUsage.STORAGE) === 0) {
    throw new TypeError(`${name}: the buffer needs GPUBufferUsage.STORAGE (usage is 0x${buffer.usage.toString(16)})`);
  }
  if (buffer.size < bytes) {
    throw new RangeError(`${name}: buffer has ${buffer.size} bytes, shape [${shape.join(', ')}] needs ${bytes}`);
  }
}

/** Whether `v` is a GPUBuffer (duck-typed: no reliance on the global class, which Node may lack). */
export function isGpuBuffer(v: unknown): v is GPUBuffer {
  const b = v as Partial<GPUBuffer> | null;
  return !!b && typeof b === 'object' && typeof b.size === 'number' && typeof b.usage === 'number' && typeof b.mapAsync === 'function';
}
