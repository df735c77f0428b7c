/**
 * Compute pipelines, compiled once per device and compile-time key (shader + override constants), never per
 * shape: shapes travel in the uniform. Held in a WeakMap so a dropped device takes its pipelines with it.
 */
import { compileComputePipeline } from './compile';
import { composeShader, type ShaderDef } from './wgsl';

/** Workgroup size of every convolution shader (the WG override of common.wgsl). */
export const WORKGROUP_SIZE = 64;

/** Override constants a shader is specialised with, besides the workgroup size. */
export type Overrides = Record<string, number>;

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** The pipeline for `shader` with `overrides` on `device`, compiled on first use (off the hot path). */
export function getPipeline(device: GPUDevice, shader: ShaderDef, overrides: Overrides = {}): Promise<GPUComputePipeline> {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const constants = { WG: WORKGROUP_SIZE, ...overrides };
  const key = `${shader.name}|${JSON.stringify(constants)}`;
  let pipeline = perDevice.get(key);
  if (!pipeline) {
    const label = `convtranspose/${shader.name}`;
    const module = device.createShaderModule({ label, code: composeShader(shader) });
    pipeline = compileComputePipeline(device, { label, layout: 'auto', compute: { module, entryPoint: 'main', constants } });
    pipeline.catch(() => perDevice.delete(key));
    perDevice.set(key, pipeline);
  }
  return pipeline;
}
