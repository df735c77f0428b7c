// Deno tier: the BUILT package in Deno, whose WebGPU is built in (wgpu, WGSL compiled by Naga): `navigator.gpu`,
// no `webgpu` package. test/deno.test.ts installs the build into a throw-away app and runs this file there:
//   deno run --allow-read conformance.mjs PROJECT_ROOT [FIXTURES_DIR]
// Every conformance fixture (test/fixtures/conformance) through every path and `auto`, one-shot, on a device with
// only the WebGPU spec's default limits; then every path in the prepared form (createConvTranspose, encode into
// the caller's encoder) on the package's default device. Each result is compared with the float64 CPU reference
// the package exports, and with the fixture's expected values, under the browser tests' tolerance
// (test/support/compare.ts). Must-fail fixtures must throw an Error. Prints one FAIL line per failure (case,
// path, first bad index, got, expected), then a summary; exits 1 on any failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { convTranspose, createConvTranspose, getDevice, GPU_PATHS, PATH_OPTIONS, resolveConvTranspose, scatterReference } from 'webgpu-convtranspose';

const root = Deno.args[0];
if (!root) throw new Error('usage: deno run --allow-read conformance.mjs PROJECT_ROOT [FIXTURES_DIR]');
const { compare } = await import(pathToFileURL(join(root, 'test/support/compare.ts')).href);

let passed = 0;
let failed = 0;
function report(ok, text) {
  if (ok) passed++;
  else { failed++; console.log(`FAIL ${text}`); }
}
function verdict(label, got, shape, expected, expectedShape) {
  if (JSON.stringify([...shape]) !== JSON.stringify([...expectedShape])) return report(false, `${label}: shape [${shape}], expected [${expectedShape}]`);
  const c = compare(got, expected);
  report(c.ok, c.ok ? label : `${label}: first bad index ${c.firstBad.index}: got ${c.firstBad.got}, expected ${c.firstBad.expected}`);
}
/** The fixtures' ONNX attributes as the library takes them (test/support/conformance.ts: onnxAttrs). */
const attrsOf = (a) => Object.fromEntries(Object.entries(a ?? {}).filter(([, v]) => v !== null && v !== undefined));
const num = (v) => (typeof v === 'string' ? Number(v) : v); // NaN/±Infinity stored as strings

const adapter = await navigator.gpu.requestAdapter();
if (!adapter) throw new Error('Deno: navigator.gpu.requestAdapter() returned no adapter (a Vulkan driver is needed: mesa-vulkan-drivers)');
const plain = await adapter.requestDevice(); // the spec's default limits, no features
console.log(`adapter: ${[adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(' / ') || 'unknown'}; default limits: maxStorageBufferBindingSize ${plain.limits.maxStorageBufferBindingSize}, maxComputeWorkgroupStorageSize ${plain.limits.maxComputeWorkgroupStorageSize}`);

const dir = Deno.args[1] ?? join(root, 'test/fixtures/conformance');
let cases = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  for (const c of JSON.parse(readFileSync(join(dir, file), 'utf8'))) {
    if (c.known_bad_expected) continue; // known-bad source data: see the fixtures README
    cases++;
    if ('input_shape' in c) {
      const ones = (shape) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape });
      for (const path of PATH_OPTIONS) {
        let error = null;
        try { await convTranspose(ones(c.input_shape), ones(c.weight_shape), { ...attrsOf(c.attrs_specified), bias: c.bias_shape ? ones(c.bias_shape) : null, path, device: plain }); } catch (e) { error = e; }
        report(error instanceof Error, `${file}: ${c.name} [${path}]: ${error instanceof Error ? 'rejected' : error ? `threw a non-Error ${error}` : 'accepted'}`);
      }
      continue;
    }
    const x = Float32Array.from(c.input.data, num);
    const w = Float32Array.from(c.weight.data, num);
    const b = c.bias ? Float32Array.from(c.bias.data, num) : null;
    const attrs = attrsOf(c.attrs_specified ?? c.attrs);
    const r = resolveConvTranspose(c.input.shape, c.weight.shape, b ? [b.length] : null, attrs);
    const ref = scatterReference(r, x, w, b);
    for (const path of PATH_OPTIONS) {
      const label = `${file}: ${c.name} [${path}]`;
      try {
        const y = await convTranspose({ data: x, shape: c.input.shape }, { data: w, shape: c.weight.shape }, { ...attrs, bias: b, path, device: plain });
        verdict(`${label} vs CPU reference`, y.data, y.shape, ref, r.outputShape);
        verdict(`${label} vs expected`, y.data, y.shape, c.expected.data.map(num), c.expected.shape);
      } catch (e) {
        report(false, `${label}: threw ${e?.stack ?? e}`);
      }
    }
  }
}

// The prepared form on the package's default device (navigator.gpu's adapter, its largest buffers).
const device = await getDevice();
const input = Float32Array.from({ length: 2 * 4 * 5 * 5 }, (_, i) => Math.sin(i));
const weight = { data: Float32Array.from({ length: 4 * 3 * 3 * 3 }, (_, i) => Math.cos(i)), shape: [4, 3, 3, 3] };
const attrs = { stride: 2, padding: 1, outputPadding: 1, bias: [0.5, -1, 2] };
const { bias, ...shapeAttrs } = attrs;
const r = resolveConvTranspose([2, 4, 5, 5], weight.shape, [bias.length], shapeAttrs);
const ref = scatterReference(r, input, weight.data, bias);
for (const path of GPU_PATHS) {
  const layer = await createConvTranspose(device, { ...attrs, path, inputShape: [2, 4, 5, 5], weight });
  const inBuf = device.createBuffer({ size: layer.inputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const outBuf = device.createBuffer({ size: layer.outputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readback = device.createBuffer({ size: layer.outputBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(inBuf, 0, input);
  const encoder = device.createCommandEncoder();
  layer.encode(encoder, inBuf, outBuf);
  encoder.copyBufferToBuffer(outBuf, 0, readback, 0, layer.outputBytes);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const y = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  verdict(`prepared [${path}] vs CPU reference`, y, layer.outputShape, ref, r.outputShape);
  for (const buffer of [inBuf, outBuf, readback]) buffer.destroy();
  layer.destroy();
}
device.destroy();
plain.destroy();

console.log(`deno: ${cases} fixtures through ${PATH_OPTIONS.join(', ')}; prepared form on ${GPU_PATHS.join(', ')}: ${passed} passed, ${failed} failed`);
if (failed) Deno.exit(1);
