// Deno tier: the BUILT package in Deno, whose WebGPU is built in (wgpu, WGSL compiled by Naga): `navigator.gpu`,
// no `webgpu` package. test/deno.test.ts installs the build into a throw-away app and runs this file there:
//   deno run --allow-read --sloppy-imports conformance.mjs PROJECT_ROOT [FIXTURES_DIR]
// test/support/conformance-run.ts runs every conformance fixture through every path and `auto` on a device with
// only the WebGPU spec's default limits, and the prepared form of every path on the package's default device
// (Node on Dawn runs the same, test/node.test.ts). Prints one FAIL line per failure (case, path, first bad index,
// got, expected), then a summary; exits 1 on any failure.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as lib from 'webgpu-convtranspose';

const root = Deno.args[0];
if (!root) throw new Error('usage: deno run --allow-read --sloppy-imports conformance.mjs PROJECT_ROOT [FIXTURES_DIR]');
const { runConformance } = await import(pathToFileURL(join(root, 'test/support/conformance-run.ts')).href);

const adapter = await navigator.gpu.requestAdapter();
if (!adapter) throw new Error('Deno: navigator.gpu.requestAdapter() returned no adapter (a Vulkan driver is needed: mesa-vulkan-drivers)');
const plain = await adapter.requestDevice(); // the spec's default limits, no features
console.log(`adapter: ${[adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(' / ') || 'unknown'}; default limits: maxStorageBufferBindingSize ${plain.limits.maxStorageBufferBindingSize}, maxComputeWorkgroupStorageSize ${plain.limits.maxComputeWorkgroupStorageSize}`);
let device;
const { cases, passed, failures } = await runConformance(lib, { plain, device: async () => (device = await lib.getDevice()), fixtures: Deno.args[1] ?? join(root, 'test/fixtures/conformance') });
device.destroy();
plain.destroy();
for (const line of failures) console.log(`FAIL ${line}`);
console.log(`deno: ${cases} fixtures through ${lib.PATH_OPTIONS.join(', ')}; prepared form on ${lib.GPU_PATHS.join(', ')}: ${passed} passed, ${failures.length} failed`);
if (failures.length) Deno.exit(1);
