/**
 * The TF.js and WebNN entry points in headless Chromium (WebGPU; SwiftShader where there is no GPU): every case
 * of the TF.js and WebNN conformance fixtures through its own entry point (tfjsConv2dTranspose /
 * tfjsConv3dTranspose, webnnConvTranspose2d) with the source's original arguments and layouts (tfjs_original,
 * webnn_original; the stored NCHW/iohw tensors put back into NHWC, hwoi, ohwi, ... in the page), on every path
 * variant, compared with the expected values in the source's layout; the prepared forms on every fixture; and
 * tfjsConv2dTranspose/tfjsConv3dTranspose against TF.js itself (its WebGPU backend) on seeded random
 * configurations, x sized by TF.js's own conv_util; webnnConvTranspose2d against an independent float64 reference
 * written in WebNN's layouts on seeded random configurations (layouts, groups, asymmetric padding, outputSizes).
 */
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSession, type BrowserSession } from '../scripts/browser.mjs';
import { PATH_OPTIONS } from '../src/index';
import { describeMismatch } from './support/compare';
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
        // Stated reason (fixtures README, "Known-bad cases"): the source's expected values are wrong for group 1.
        it.skip(`${c.name} (skipped: ${c.known_bad_reason ?? 'known-bad expected values in the source: group 1 was computed with group 0\'s filter slice (webnn-baseline)'})`, () => {});
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
