// Type-checked only (under each resolver): the `webgpu-convtranspose/node` entry and the compile switch.
import { convTranspose, setCompileMode, type CompileMode } from 'webgpu-convtranspose';
import { nodeDevice, type NodeDeviceOptions } from 'webgpu-convtranspose/node';

export async function run(): Promise<readonly number[]> {
  const options: NodeDeviceOptions = { dawnOptions: [], adapter: { powerPreference: 'high-performance' }, globals: true };
  const mode: CompileMode = 'sync';
  setCompileMode(mode);
  const device: GPUDevice = await nodeDevice(options);
  const y = await convTranspose({ data: new Float32Array(16), shape: [1, 1, 4, 4] }, { data: new Float32Array(9), shape: [1, 1, 3, 3] }, { stride: 2, device });
  device.destroy();
  return y.shape;
}
