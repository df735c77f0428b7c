/** Getting a GPUDevice when the caller does not bring one. */

let shared: Promise<GPUDevice> | null = null;

/**
 * The package's default device: the high-performance adapter's device with its largest storage-buffer limits
 * and `timestamp-query` when offered. Created once and shared; a lost device is replaced on the next call.
 */
export function getDevice(): Promise<GPUDevice> {
  shared ??= requestDevice().catch((e) => {
    shared = null;
    throw e;
  });
  return shared;
}

async function requestDevice(): Promise<GPUDevice> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    throw new Error(
      'WebGPU is not available: navigator.gpu is undefined. Use a browser with WebGPU on a secure context ' +
      '(https or http://localhost), or pass a GPUDevice (in Node, from the `webgpu` package) as `device`.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU is available but navigator.gpu.requestAdapter() returned no adapter');
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  device.lost.then(() => { shared = null; });
  return device;
}
