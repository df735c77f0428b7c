// Must NOT type-check (test/package.test.ts), with exactly these five errors under each compiler and resolver:
// each is an error only when the package's types (and WebGPU's) resolve; were they `any`, this file would pass.
import { convTranspose, type Tensor } from 'webgpu-convtranspose';
import { nodeDevice } from 'webgpu-convtranspose/node';
import { registerWithTfjs, type TfjsLike } from 'webgpu-convtranspose/tfjs';

declare const tf: TfjsLike;
declare const device: GPUDevice;
declare const buffer: GPUBuffer;
declare const result: Tensor;

const x = { data: new Float32Array(16), shape: [1, 1, 4, 4] };
const w = { data: new Float32Array(9), shape: [1, 1, 3, 3] };
export const y = convTranspose(x, w, { strid: 2 });
export const node = nodeDevice({ dawnOption: [] });
export const ours = registerWithTfjs(tf, { maxLayer: 8 });
export const text: string = result.data;
device.queue.writeBuffer(buffer, 0, result.shape);
