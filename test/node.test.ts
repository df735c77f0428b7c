/**
 * Node tier: the library's sources in Node on Dawn (the `webgpu` package; SwiftShader where no Vulkan driver is
 * chosen), in this process. Every conformance fixture through every path and `auto` on a device with only the
 * WebGPU spec's default limits, and the prepared form of every path (test/support/conformance-run.ts, which Deno
 * runs too), then every family's checks (test/browser/family-checks.ts, which the browsers run), all on that device.
 * The built package's Node example and its paths run in test/package.test.ts (test/node/smoke.mjs).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../src/index';
import { nodeDevice } from '../src/node';
import { SWIFTSHADER_ENV } from '../scripts/bench.mjs';
import { EDGE_CASES, familyChecks } from './browser/family-checks';
import { expectChecksPass } from './support/checks';
import { runConformance } from './support/conformance-run';

let plain: GPUDevice;
let work: string;

beforeAll(async () => {
  // The Vulkan loader reads VK_ICD_FILENAMES when Dawn makes its instance, so setting it here is in time. Where the
  // system has no Vulkan loader, LD_LIBRARY_PATH=/usr/lib/chromium must be set before vitest starts. No adapter
  // fails every test here with nodeDevice's error, which says what to install or set: never a skip.
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ENV.VK_ICD_FILENAMES;
  plain = await nodeDevice({ device: {} }); // the spec's default limits, no features
  work = mkdtempSync(join(tmpdir(), 'webgpu-convtranspose-node-'));
});
afterAll(() => {
  plain?.destroy();
  if (work) rmSync(work, { recursive: true, force: true });
});

// The prepared form on the default-limits device too: nodeDevice()'s own device runs every path in both forms in
// test/node/smoke.mjs, and a second Dawn instance would compile every pipeline again.
const conformance = (fixtures: string) => runConformance(lib, { plain, device: async () => plain, fixtures });

describe('Node on Dawn', () => {
  it('every conformance fixture through every path (spec default limits), and the prepared form, match the CPU reference', async () => {
    const { cases, passed, failures } = await conformance(join(import.meta.dirname, 'fixtures/conformance'));
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(130);
    expect(passed).toBeGreaterThan(cases * lib.PATH_OPTIONS.length);
  }, 300_000);

  it('fails, naming case, path, index and values, on a fixture with a wrong expected value', async () => {
    const wrong = {
      name: 'worked example, one value changed', dims: 2, attrs: { strides: [1, 1] }, bias: null,
      input: { shape: [1, 1, 2, 2], data: [2, 3, 1, 3] }, weight: { shape: [1, 1, 3, 3], data: [0, 1, 1, 0, 1, 0, 1, 0, 1] },
      expected: { shape: [1, 1, 4, 4], data: [0, 2, 5, 3, 0, 3, 7, 3, 2, 4, 6, 3, 1, 3, 1, 3] },
    };
    writeFileSync(join(work, 'wrong.json'), JSON.stringify([wrong]));
    const { failures } = await conformance(work);
    expect(failures).toContain('wrong.json: worked example, one value changed [gather] vs expected: first bad index 10: got 5, expected 6');
    expect(failures.filter((f) => / vs CPU reference: /.test(f))).toEqual([]);
  });

  it('every family: its rules, its GPU candidates and its examples at the kernels\' edges, channels-last, float16, an activation, an infinite weight (spec default limits)', async () => {
    expectChecksPass(await familyChecks({ device: plain }), 100);
  }, 300_000);

  it('the family checks fail, naming check and values, on a wrong reference', async () => {
    const threeD = EDGE_CASES.filter((c) => c.name === '3-D'); // its shaders are compiled by now: seconds
    const results = await familyChecks({ device: plain, cases: threeD, fault: 'reference-without-bias' });
    expect(results.length).toBeGreaterThan(10);
    for (const r of results) expect(`${r.name}: ${r.ok ? 'passed' : r.detail}`).toMatch(/^3-D: .*: first bad index \d+: got \S+, expected \S+$/);
  }, 120_000);
});
