// Type-checked only (test/package.test.ts: TypeScript 5.9 with @webgpu/types, TypeScript 7 without, each under
// bundler/node16/nodenext, skipLibCheck off): the public types of every entry as an app uses them, with no casts.
import {
  convTranspose, createConvTranspose, getDevice, GPU_PATHS, PATH_OPTIONS,
  tfjsConv2dTranspose, createTfjsConv2dTranspose, webnnConvTranspose2d, createWebnnConvTranspose2d,
  type ConvTransposeLayer, type HalfTensor, type PathOption, type Tensor, type TensorLike,
} from 'webgpu-convtranspose';
import { registerWithTfjs, type TfjsLike, type TfjsRegistration } from 'webgpu-convtranspose/tfjs';
import { nodeDevice } from 'webgpu-convtranspose/node';

// TypeScript 7's lib.dom has WebGPU's interfaces but not its constant namespaces (see main.ts).
declare const GPUBufferUsage: { readonly STORAGE: number; readonly COPY_SRC: number; readonly COPY_DST: number };
// The TF.js namespace (`import * as tf from '@tensorflow/tfjs'`), not installed in this app.
declare const tf: TfjsLike;

/** A GPU buffer holding `data` as it is: results go into writeBuffer without a cast or a copy. */
function upload(device: GPUDevice, data: Tensor['data'] | HalfTensor['data']): GPUBuffer {
  const buffer = device.createBuffer({ size: Math.ceil(data.byteLength / 4) * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

export async function oneShot(device: GPUDevice): Promise<GPUBuffer[]> {
  // Inputs: any numeric typed array (a view of a SharedArrayBuffer included) or an array of numbers.
  const x: TensorLike = { data: new Float32Array(new SharedArrayBuffer(64)), shape: [1, 1, 4, 4] };
  const w: TensorLike = { data: [0, 1, 2, 3, 4, 5, 6, 7, 8], shape: [1, 1, 3, 3] };
  const y = await convTranspose(x, w, { stride: 2, padding: 1, bias: new Float64Array([0.5]), path: 'auto', device });
  const sum: number = y.data.reduce((a, b) => a + b, 0);
  device.queue.writeBuffer(upload(device, y.data), 0, y.data.buffer, y.data.byteOffset, sum >= 0 ? y.data.byteLength : 0);
  const h = await convTranspose(x, w, { stride: 2, dataType: 'float16', device });
  const half: HalfTensor = h;
  const t = await tfjsConv2dTranspose({ data: new Float32Array(16), shape: [1, 4, 4, 1] }, { data: new Float32Array(9), shape: [3, 3, 1, 1] }, [1, 8, 8, 1], 2, 'same');
  const n = await webnnConvTranspose2d(x, w, { strides: [2, 2], outputSizes: [8, 8] });
  return [upload(device, y.data), upload(device, half.data), upload(device, t.data), upload(device, n.data)];
}

export async function prepared(): Promise<void> {
  const device = await getDevice();
  const weight = { data: new Float32Array(2 * 3 * 3 * 3), shape: [2, 3, 3, 3] };
  const layers: ConvTransposeLayer[] = [];
  for (const path of PATH_OPTIONS) {
    const option: PathOption = path;
    layers.push(await createConvTranspose(device, { inputShape: [1, 2, 5, 5], weight, stride: [2, 2], path: option, activation: { name: 'leakyRelu', alpha: 0.2 } }));
  }
  layers.push(await createTfjsConv2dTranspose(device, [1, 5, 5, 2], { data: new Float32Array(54), shape: [3, 3, 3, 2] }, [1, 10, 10, 3], 2, 'same'));
  layers.push(await createWebnnConvTranspose2d(device, [1, 2, 5, 5], weight, { strides: [2, 2], label: 'webnn' }));
  const encoder = device.createCommandEncoder();
  for (const layer of layers) {
    const paths: readonly string[] = GPU_PATHS;
    if (!paths.includes(layer.path)) throw new Error(layer.path);
    const input = device.createBuffer({ size: layer.inputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    const output = device.createBuffer({ size: layer.outputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    layer.encode(encoder, input, output);
    await layer.run(input, output);
    layer.destroy();
  }
  device.queue.submit([encoder.finish()]);
}

export async function withTfjs(): Promise<number> {
  const ours: TfjsRegistration = registerWithTfjs(tf, { path: 'auto', tune: false, maxLayers: 8 });
  await ours.ready();
  const calls = ours.stats.ours + ours.stats.fallback;
  ours.unregister();
  return calls;
}

export async function inNode(): Promise<GPUBuffer[]> {
  const device = await nodeDevice({ dawnOptions: ['backend=vulkan'], adapter: { powerPreference: 'low-power' } });
  return oneShot(device);
}
