/**
 * Compute pipelines, compiled once per device and compile-time key (shader + override constants), never per
 * shape: shapes travel in the uniform. Held in a WeakMap so a dropped device takes its pipelines with it.
 */
import params from '../../shaders/params.wgsl?raw';
import gather from '../../shaders/gather.wgsl?raw';
import zeroInsert from '../../shaders/zero_insert.wgsl?raw';
import conv from '../../shaders/conv.wgsl?raw';
import { compileComputePipeline } from './compile';

const SOURCES = { gather, 'zero-insert': zeroInsert, conv } as const;

/** The compute shaders of the convolution paths. */
export type ShaderName = keyof typeof SOURCES;

/** Workgroup size of every convolution shader (the WG override). */
export const WORKGROUP_SIZE = 64;

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** Override constants a shader is specialised with, besides the workgroup size. */
export type Overrides = Record<string, number>;

/** The pipeline for `shader` with `overrides` on `device`, compiled on first use (asynchronously, off the hot path). */
export function getPipeline(device: GPUDevice, shader: ShaderName, overrides: Overrides = {}): Promise<GPUComputePipeline> {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const constants = { WG: WORKGROUP_SIZE, ...overrides };
  const key = `${shader}|${JSON.stringify(constants)}`;
  let pipeline = perDevice.get(key);
  if (!pipeline) {
    const module = device.createShaderModule({ label: `convtranspose/${shader}`, code: `${params}\n${SOURCES[shader]}` });
    pipeline = compileComputePipeline(device, {
      label: `convtranspose/${shader}`,
      layout: 'auto',
      compute: { module, entryPoint: 'main', constants },
    });
    pipeline.catch(() => perDevice.delete(key));
    perDevice.set(key, pipeline);
  }
  return pipeline;
}
