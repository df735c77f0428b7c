// A consumer app of the packed package (test/package.test.ts copies this directory into a temp dir, installs
// the tarball, type-checks it under TypeScript 5.9 + @webgpu/types and TypeScript 7, each under
// bundler/node16/nodenext, bundles it with Vite and opens it in Chromium).
// Runs every GPU path, one-shot and prepared, against the package's own float64 CPU reference.
import {
  convTranspose, createConvTranspose, getDevice, GPU_PATHS, resolveConvTranspose, scatterReference,
  type ConvTransposeAttributes, type GpuPath, type Tensor,
} from 'webgpu-convtranspose';

// TypeScript 7's lib.dom declares WebGPU's interfaces but not its constant namespaces (and @webgpu/types
// collides with that lib.dom unless skipLibCheck is on), so the app declares the two it uses (under TypeScript
// 5.x these shadow @webgpu/types' own declarations of the same globals).
declare const GPUBufferUsage: { readonly STORAGE: number; readonly COPY_SRC: number; readonly COPY_DST: number; readonly MAP_READ: number };
declare const GPUMapMode: { readonly READ: number };

export interface AppResult {
  ok: boolean;
  lines: string[];
}

declare global {
  interface Window {
    appResult?: AppResult;
  }
}

const x: Tensor = { data: Float32Array.from({ length: 2 * 4 * 6 * 5 }, (_, i) => Math.sin(0.7 * i)), shape: [2, 4, 6, 5] };
const w: Tensor = { data: Float32Array.from({ length: 4 * 3 * 3 * 2 }, (_, i) => Math.cos(1.3 * i)), shape: [4, 3, 3, 2] };
const bias = [0.25, -0.5, 1, 2, -1, 0];
const attrs: ConvTransposeAttributes = { stride: [2, 3], padding: [1, 0], dilation: [1, 2], outputPadding: [1, 0], groups: 2 };

/** First index outside |got - expected| <= 1e-4 + 1e-4 |expected|, or -1. */
function firstBad(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (got.length !== expected.length) return Math.min(got.length, expected.length);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - expected[i]) <= 1e-4 + 1e-4 * Math.abs(expected[i]))) return i;
  }
  return -1;
}

async function prepared(device: GPUDevice, path: GpuPath): Promise<Float32Array> {
  const layer = await createConvTranspose(device, { ...attrs, bias, path, inputShape: x.shape, weight: w });
  const input = device.createBuffer({ size: layer.inputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const output = device.createBuffer({ size: layer.outputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readback = device.createBuffer({ size: layer.outputBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(input, 0, x.data);
  const encoder = device.createCommandEncoder();
  layer.encode(encoder, input, output);
  encoder.copyBufferToBuffer(output, 0, readback, 0, layer.outputBytes);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const data = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  for (const buffer of [input, output, readback]) buffer.destroy();
  layer.destroy();
  return data;
}

async function main(): Promise<AppResult> {
  const r = resolveConvTranspose(x.shape, w.shape, [bias.length], attrs);
  const expected = scatterReference(r, x.data, w.data, bias);
  const device = await getDevice();
  const lines: string[] = [];
  let ok = GPU_PATHS.length > 0;
  for (const path of GPU_PATHS) {
    const y = await convTranspose(x, w, { ...attrs, bias, path });
    const z = await prepared(device, path);
    for (const [form, got] of [['one-shot', y.data], ['prepared', z]] as const) {
      const bad = firstBad(got, expected);
      if (bad >= 0 || JSON.stringify(y.shape) !== JSON.stringify(r.outputShape)) ok = false;
      lines.push(bad < 0
        ? `PASS ${path} ${form} [${y.shape}]`
        : `FAIL ${path} ${form}: first bad index ${bad}: got ${got[bad]}, expected ${expected[bad]}`);
    }
  }
  return { ok, lines };
}

main().then(
  (result) => { window.appResult = result; },
  (e: unknown) => { window.appResult = { ok: false, lines: [`FAIL threw: ${e instanceof Error ? e.message : String(e)}`] }; },
).finally(() => {
  document.getElementById('out')!.textContent = window.appResult!.lines.join('\n');
});
