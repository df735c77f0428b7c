// Node smoke test of the BUILT package on Dawn for Node (the `webgpu` package): the README's Node example,
// verbatim, then every path in both forms (one-shot and prepared, as the README's browser examples use them),
// every result compared with the float64 CPU reference the package exports. Exits non-zero, naming path,
// form, first bad index, got and expected, on any mismatch or error.
//
// Run from the project (after `npm run build`; `webgpu-convtranspose` then resolves to ./dist through the
// package's own `exports`), or from an app that installed the package (test/package.test.ts runs it there):
//   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node test/node/smoke.mjs
import { createConvTranspose, GPU_PATHS, resolveConvTranspose, scatterReference, setCompileMode } from 'webgpu-convtranspose';

process.on('unhandledRejection', (e) => { console.error('FAIL unhandled rejection:', e); process.exit(1); });

// ---- The README's Node example, verbatim (test/package.test.ts checks that README.md shows exactly this) ----
import { convTranspose } from 'webgpu-convtranspose';
import { nodeDevice } from 'webgpu-convtranspose/node';

const device = await nodeDevice();             // throws, saying what to install or set, when Dawn finds no adapter
const x = { data: [2, 3, 1, 3], shape: [1, 1, 2, 2] };
const w = { data: [0, 1, 1, 0, 1, 0, 1, 0, 1], shape: [1, 1, 3, 3] };
const y = await convTranspose(x, w, { device });

console.log(`shape [${y.shape}]`);
for (let row = 0; row < 4; row++) console.log(y.data.slice(4 * row, 4 * row + 4).join(' '));
device.destroy();
// ---- end of the README's example ----

// Every path, one-shot and prepared, on a fresh device.
const dawn = await nodeDevice();
const input = { data: Float32Array.from({ length: 2 * 4 * 5 * 5 }, (_, i) => Math.sin(i)), shape: [2, 4, 5, 5] };
const weight = { data: Float32Array.from({ length: 4 * 3 * 3 * 3 }, (_, i) => Math.cos(i)), shape: [4, 3, 3, 3] };
const attrs = { stride: 2, padding: 1, outputPadding: 1, bias: [0.5, -1, 2] }; // output [2, 3, 10, 10]
const results = [];
for (const path of GPU_PATHS) {
  const oneShot = await convTranspose(input, weight, { ...attrs, path, device: dawn });

  const layer = await createConvTranspose(dawn, { ...attrs, path, inputShape: input.shape, weight });
  const inBuf = dawn.createBuffer({ size: layer.inputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const outBuf = dawn.createBuffer({ size: layer.outputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readback = dawn.createBuffer({ size: layer.outputBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  dawn.queue.writeBuffer(inBuf, 0, input.data);
  const encoder = dawn.createCommandEncoder();
  layer.encode(encoder, inBuf, outBuf);
  encoder.copyBufferToBuffer(outBuf, 0, readback, 0, layer.outputBytes);
  dawn.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const z = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  for (const buffer of [inBuf, outBuf, readback]) buffer.destroy();
  layer.destroy();

  results.push({ path, oneShot, prepared: { data: z, shape: layer.outputShape } });
}
dawn.destroy();

let failures = 0;
/** Compares `got` with the float64 reference within |got - expected| <= 1e-4 + 1e-4 |expected|. */
function check(label, got, expected) {
  const shapeOk = JSON.stringify([...got.shape]) === JSON.stringify([...expected.shape]);
  if (!shapeOk || got.data.length !== expected.data.length) {
    console.error(`FAIL ${label}: shape [${got.shape}] (${got.data.length} values), expected [${expected.shape}] (${expected.data.length})`);
    failures++;
    return;
  }
  let maxErr = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const err = Math.abs(got.data[i] - expected.data[i]);
    if (!(err <= 1e-4 + 1e-4 * Math.abs(expected.data[i]))) {
      console.error(`FAIL ${label}: first bad index ${i}: got ${got.data[i]}, expected ${expected.data[i]}`);
      failures++;
      return;
    }
    maxErr = Math.max(maxErr, err);
  }
  console.log(`PASS ${label}: [${got.shape}], max abs err ${maxErr.toExponential(2)}`);
}

const { bias, ...shapeAttrs } = attrs;
const r = resolveConvTranspose(input.shape, weight.shape, [bias.length], shapeAttrs);
const expected = { data: scatterReference(r, input.data, weight.data, bias), shape: r.outputShape };

// The README's example, against the reference of its own input and weight.
const rr = resolveConvTranspose(x.shape, w.shape, null, {});
check('the README example', y, { data: scatterReference(rr, x.data, w.data), shape: rr.outputShape });
if (results.length !== GPU_PATHS.length || GPU_PATHS.length < 2) {
  console.error(`FAIL: ran ${results.length} of the paths ${GPU_PATHS.join(', ')}`);
  failures++;
}
for (const { path, oneShot, prepared } of results) {
  check(`${path} one-shot convTranspose`, oneShot, expected);
  check(`${path} prepared createConvTranspose`, prepared, expected);
}

// The synchronous compile mode (src/gpu/compile.ts) on a fresh device, so nothing comes from the pipeline cache.
setCompileMode('sync');
const syncDevice = await nodeDevice();
for (const path of GPU_PATHS) {
  check(`${path} one-shot, setCompileMode('sync')`, await convTranspose(input, weight, { ...attrs, path, device: syncDevice }), expected);
}
syncDevice.destroy();
setCompileMode('async');

if (failures) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
console.log(`node smoke: all ${GPU_PATHS.length} paths (${GPU_PATHS.join(', ')}) match the CPU reference in both forms`);
