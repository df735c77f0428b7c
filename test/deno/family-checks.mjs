// Deno tier: every kernel family's checks (test/browser/family-checks.ts, which the browsers and Node run too) in
// Deno's built-in WebGPU (wgpu, WGSL compiled by Naga) on a device with only the WebGPU spec's default limits.
// test/deno.test.ts bundles the checks with the library's sources (vite; the WGSL is imported `?raw`) and runs:
//   deno run --allow-read family-checks.mjs BUNDLE [--case NAME] [--fault reference-without-bias]
// --case runs one edge case; --fault breaks the reference on purpose (the test of the checks themselves).
// Prints one FAIL line per failed check (its name and detail), then a summary; exits 1 on any failure.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundle, ...rest] = Deno.args;
if (!bundle) throw new Error('usage: deno run --allow-read family-checks.mjs BUNDLE [--case NAME] [--fault reference-without-bias]');
const flag = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const { familyChecks, EDGE_CASES } = await import(pathToFileURL(resolve(bundle)).href);
const only = flag('--case');
const cases = only === undefined ? EDGE_CASES : EDGE_CASES.filter((c) => c.name === only);
if (!cases.length) throw new Error(`no edge case named "${only}": ${EDGE_CASES.map((c) => c.name).join(', ')}`);

const adapter = await navigator.gpu.requestAdapter();
if (!adapter) throw new Error('Deno: navigator.gpu.requestAdapter() returned no adapter (a Vulkan driver is needed: mesa-vulkan-drivers)');
const device = await adapter.requestDevice(); // the spec's default limits, no features
const results = await familyChecks({ device, cases, fault: flag('--fault') });
device.destroy();

const failed = results.filter((r) => !r.ok);
for (const r of failed) console.log(`FAIL ${r.name}: ${r.detail}`);
console.log(`deno family checks: ${cases.length} edge cases, ${results.length} checks: ${results.length - failed.length} passed, ${failed.length} failed`);
if (failed.length) Deno.exit(1);
