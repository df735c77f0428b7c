/**
 * The TF.js and WebNN entry points in headless Chromium (WebGPU; SwiftShader where there is no GPU): every case
 * of the TF.js and WebNN conformance fixtures through its own entry point (tfjsConv2dTranspose /
 * tfjsConv3dTranspose, webnnConvTranspose2d) with the source's original arguments and layouts (tfjs_original,
 * webnn_original; the stored NCHW/iohw tensors put back into NHWC, hwoi, ohwi, ... in the page), on every path
 * variant, compared with the expected values in the source's layout; the prepared forms on every fixture; and
 * tfjsConv2dTranspose/tfjsConv3dTranspose against TF.js itself (its WebGPU backend) on seeded random
 * configurations, x sized by TF.js's own conv_util; webnnConvTranspose2d against an independent float64 reference
 * written in WebNN's layouts on seeded random configurations (layouts, groups, asymmetric padding, outputSizes);
 * and each spelling's own activations (names and defaults) and `dataType: 'float16'`, one-shot and prepared.
 */
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSession, type BrowserSession } from '../scripts/browser.mjs';
import { PATH_OPTIONS } from '../src/index';
import { compare, describeMismatch } from './support/compare';
import { onnxAttrs, type NumericCaseJson } from './support/conformance';
import { resolveConvTranspose, scatterReference } from '../src/index';
import type { FrontendHarness, FrontendResult } from './frontends/harness';
import tfjsFixtures from './fixtures/conformance/tfjs.json';
import webnnFixtures from './fixtures/conformance/webnn-wpt.json';

let session: BrowserSession;
let page: Page;
type Win = Window & { frontendHarness: FrontendHarness };
const call = <K extends keyof FrontendHarness>(name: K, ...args: Parameters<FrontendHarness[K]>) =>
  page.evaluate((n, a) => ((window as unknown as Win).frontendHarness[n] as (...x: unknown[]) => unknown)(...a), name, args as unknown[]) as Promise<Awaited<ReturnType<FrontendHarness[K]>>>;

beforeAll(async () => {
  session = await startBrowserSession({ log: (m) => process.stderr.write(`${m}\n`) });
  page = await session.open('test/frontends/index.html');
  await page.waitForFunction(() => (window as unknown as Partial<Win>).frontendHarness !== undefined, { timeout: 120_000 });
  const { ok, info } = await call('adapterInfo');
  if (!ok) throw new Error(`The test page has no WebGPU adapter: ${info}. Browser tests need WebGPU (Chromium with --enable-unsafe-webgpu).`);
});
afterAll(async () => { await session?.close(); });

function check(where: string, results: FrontendResult[]) {
  for (const r of results) {
    const at = `${where} [${r.variant}]`;
    if (r.error) expect.fail(`${at}: threw ${r.error}`);
    expect(r.shape, `${at}: output shape`).toEqual(r.expectedShape);
    if (!r.comparison!.ok) expect.fail(`vs expected: ${describeMismatch(where, r.variant, r.comparison!)}`);
  }
}

type Fixture = { name: string; known_bad_expected?: boolean; known_bad_reason?: string; notes?: string };
for (const [file, list] of [['tfjs', tfjsFixtures], ['webnn', webnnFixtures]] as const) {
  describe(`${file === 'tfjs' ? 'tfjs.json through tfjsConv2dTranspose/tfjsConv3dTranspose' : 'webnn-wpt.json through webnnConvTranspose2d'}: original arguments, every path`, () => {
    for (const c of list as unknown as Fixture[]) {
      if (c.known_bad_expected) {
        // The source's expected values are wrong (fixtures README, "Known-bad cases"), so they are not compared.
        // What is checked instead: the float64 reference of the stored data disagrees with them (the case
        // stays known-bad, not silently fixed), and agrees on the first output channel group, which the
        // source computed correctly.
        it(`${c.name}: the source's expected values are known-bad (${c.known_bad_reason ?? 'see the fixtures README'}); the reference agrees on group 0 only`, () => {
          const k = c as unknown as NumericCaseJson;
          const r = resolveConvTranspose(k.input.shape, k.weight.shape, k.bias?.shape ?? null, onnxAttrs(k.attrs));
          const ref = scatterReference(r, k.input.data, k.weight.data, k.bias?.data ?? null);
          expect(compare(ref, k.expected.data).ok, 'reference vs the known-bad expected values').toBe(false);
          const perBatch = ref.length / r.batch;
          const group0 = perBatch / r.groups; // channels of group 0 come first in each batch item
          for (let n = 0; n < r.batch; n++) {
            const at = n * perBatch;
            const cmp = compare(ref.subarray(at, at + group0), k.expected.data.slice(at, at + group0));
            expect(cmp.ok, `batch ${n}, group 0: first mismatch ${JSON.stringify(cmp.firstBad)}`).toBe(true);
          }
        });
        continue;
      }
      it(c.name, async () => {
        const { call: made, results } = await call('runFixture', file, c.name);
        expect(results.map((r) => r.variant)).toEqual(await call('variantNames'));
        expect(results.map((r) => r.variant)).toEqual(expect.arrayContaining([...PATH_OPTIONS]));
        check(`${file}: ${c.name} (${made.entry} x ${JSON.stringify(made.xShape)}, filter ${JSON.stringify(made.filterShape)}, ${JSON.stringify(made.args)})`, results);
      });
    }
  });
}

describe('prepared forms (createTfjsConv2dTranspose/createTfjsConv3dTranspose, createWebnnConvTranspose2d): every fixture, buffers in the source\'s layout', () => {
  for (const [file, list] of [['tfjs', tfjsFixtures], ['webnn', webnnFixtures]] as const) {
    it(`${file}`, async () => {
      let n = 0;
      for (const c of list as unknown as Fixture[]) {
        if (c.known_bad_expected) continue;
        check(`${file}: ${c.name}`, [await call('runFixtureLayer', file, c.name, 'auto')]);
        n++;
      }
      expect(n).toBeGreaterThanOrEqual(file === 'tfjs' ? 13 : 22);
    });
  }
});

describe('tfjsConv2dTranspose/tfjsConv3dTranspose against TF.js (WebGPU backend) on random configurations', () => {
  it.each([...PATH_OPTIONS].map((p, i) => [p, 1000 + i] as const))('path %s', async (path, seed) => {
    const results = await call('crossCheck', seed, 30, path);
    const ran = results.filter((r) => !r.skipped && !r.refused);
    for (const r of ran) {
      if (r.error) expect.fail(`${r.config} [${path}]: threw ${r.error}`);
      if (!r.comparison!.ok) expect.fail(`vs TF.js: ${describeMismatch(r.config, path, r.comparison!)}`);
    }
    // Refused only where documented: TF.js's numeric-pad width quirk beyond a stride, a negative 3-D 'same' padding.
    for (const r of results.filter((x) => x.refused)) {
      expect(r.refused, r.config).toMatch(/tfjs-core sized x's width with the filter height|tfjs-core's 3-D 'same'/);
    }
    expect(ran.length).toBeGreaterThanOrEqual(18);
    expect(ran.filter((r) => r.outputPadding).length, 'some configurations need output padding').toBeGreaterThan(0);
  }, 300_000);
});

describe('webnnConvTranspose2d against an independent WebNN-layout reference on random configurations', () => {
  it.each([...PATH_OPTIONS].map((p, i) => [p, 2000 + i] as const))('path %s', async (path, seed) => {
    const results = await call('webnnRandom', seed, 25, path);
    expect(results.length).toBe(25);
    for (const r of results) {
      if (r.error) expect.fail(`${r.config} [${path}]: threw ${r.error}`);
      if (!r.comparison!.ok) expect.fail(`vs reference: ${describeMismatch(r.config, path, r.comparison!)}`);
    }
  }, 300_000);
});

describe("each spelling's own options on the GPU: TF.js's and WebNN's activations and defaults, dataType 'float16' (one-shot and prepared)", () => {
  it.each([...PATH_OPTIONS])('path %s', async (path) => {
    const checks = await call('spellingChecks', path);
    expect(checks.length).toBeGreaterThanOrEqual(11);
    expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  }, 300_000);
});
