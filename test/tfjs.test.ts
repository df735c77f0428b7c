/**
 * registerWithTfjs(tf) in headless Chromium (test/tfjs/index.html): TF.js conv2dTranspose with and without the
 * registration agree on the TF.js conformance fixtures (and both match the fixtures' expected values), on
 * every path and `auto`, plus extra cases (output padding, numeric and explicit pads, one channel, 1×1 input,
 * GPU-resident tensors, dataFormat NCHW), conv2d's input gradient, NHWC in and out with no Transpose pass, the
 * layer cache; and on every path: filters and layers models disposed and swapped, 20 SGD training steps against
 * TF.js's own kernels, and the gradients of conv2d, conv2dTranspose, conv3d, conv3dTranspose and depthwiseConv2d.
 */
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSession, type BrowserSession } from '../scripts/browser.mjs';
import { PATH_OPTIONS, type PathOption } from '../src/index';
import type { TfjsCaseResult, TfjsHarness } from './tfjs/harness';

let session: BrowserSession;
let page: Page;
let fixtureNames: string[] = [];
let extraNames: string[] = [];

type Win = Window & { tfjsHarness: TfjsHarness };

beforeAll(async () => {
  session = await startBrowserSession({ log: (m) => process.stderr.write(`${m}\n`) });
  page = await session.open('test/tfjs/index.html');
  await page.waitForFunction(() => (window as unknown as Partial<Win>).tfjsHarness !== undefined, { timeout: 120_000 });
  const { ok, info } = await page.evaluate(() => (window as unknown as Win).tfjsHarness.init());
  if (!ok) throw new Error(`TF.js test page: no WebGPU backend: ${info}`);
  fixtureNames = await page.evaluate(() => (window as unknown as Win).tfjsHarness.fixtureNames());
  extraNames = await page.evaluate(() => (window as unknown as Win).tfjsHarness.extraNames());
});
afterAll(async () => { await session?.close(); });

function checkResult(r: TfjsCaseResult, path: PathOption) {
  const where = `${r.name} [${path}]`;
  if (r.error) expect.fail(`${where}: threw ${r.error}`);
  expect(r.firstFellBack, `${where}: the first call should run TF.js's kernel while ours is prepared (${JSON.stringify(r.reasons)})`).toBe(true);
  expect(r.secondRanOurs, `${where}: the second call did not run ours (${JSON.stringify(r.reasons)})`).toBe(true);
  expect(r.oursVsPlain, `${where}: ours vs plain TF.js`).toBeLessThanOrEqual(1e-5 * Math.max(1, r.scale));
  if (r.oursVsExpected !== null) {
    expect(r.plainVsExpected!, `${where}: plain TF.js vs the fixture`).toBeLessThanOrEqual(1e-4 * Math.max(1, r.scale));
    expect(r.oursVsExpected, `${where}: ours vs the fixture`).toBeLessThanOrEqual(1e-4 * Math.max(1, r.scale));
  }
  expect(r.outputOnGpuOnly, `${where}: the output should be a GPU buffer with no CPU copy`).toBe(true);
  expect(r.inputNotRead, `${where}: a GPU input was read back to the CPU`).toBe(true);
  if (path !== 'auto') expect(Object.keys(r.paths), where).toEqual([path]);
  expect(r.restored, `${where}: unregister() did not restore TF.js's kernel`).toBe(true);
}

describe('registerWithTfjs: TF.js conformance fixtures, with and without the registration', () => {
  it('has the 2-D fixtures (3-D ones run Conv3DBackpropInputV2, which is not replaced)', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(8);
  });
  it.each([...PATH_OPTIONS])('path %s', async (path) => {
    for (const name of fixtureNames) {
      checkResult(await page.evaluate((n, p) => (window as unknown as Win).tfjsHarness.runFixture(n, p), name, path), path);
    }
  });
});

describe('registerWithTfjs: more cases', () => {
  it.each([...PATH_OPTIONS])('path %s', async (path) => {
    expect(extraNames.length).toBeGreaterThan(5);
    for (const name of extraNames) {
      checkResult(await page.evaluate((n, p) => (window as unknown as Win).tfjsHarness.runExtra(n, p), name, path), path);
    }
  });

  it('conv2d input gradient, no Transpose pass, layer cache, double registration, unregister', async () => {
    const checks = await page.evaluate(() => (window as unknown as Win).tfjsHarness.behaviour());
    expect(checks.length).toBeGreaterThanOrEqual(5);
    expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  });
});

describe('registerWithTfjs: training and gradients', () => {
  it.each([...PATH_OPTIONS])('path %s: filters disposed and swapped, models disposed and swapped, 20 SGD steps against TF.js\'s own kernels; conv2d, conv2dTranspose, conv3d, conv3dTranspose and depthwise gradients', async (path) => {
    const checks = await page.evaluate((p) => (window as unknown as Win).tfjsHarness.training(p), path);
    if (process.env.CHECK_REPORT) for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    expect(checks.length).toBeGreaterThanOrEqual(8);
    expect(checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  });
});
