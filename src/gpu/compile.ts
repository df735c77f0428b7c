/**
 * How a compute pipeline is compiled. The one place that chooses between createComputePipelineAsync and
 * createComputePipeline, so a runtime where one of them is broken is handled here and nowhere else.
 */

/** Compiles `descriptor` on `device`; rejects (never throws synchronously) when compilation fails. */
export function compileComputePipeline(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
  return device.createComputePipelineAsync(descriptor);
}
