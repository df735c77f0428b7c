/** Node side of the browser tests: the test page in the headless browser ($TEST_BROWSER, default Chromium), and typed calls into its harness. */
import type { Page } from 'puppeteer';
import { browserName, startBrowserSession, type BrowserSession } from '../../scripts/browser.mjs';
import { TEST_TIER, VARIANTS, VARIANT_NAMES } from './variants';
import type { CaseSpec, Harness, PathResult, RejectResult, RejectSpec } from '../browser/harness';
import type { CheckResult } from '../browser/api-checks';
import type { PathOption } from '../../src/index';

/** Firefox's `ci` tier (TEST_BROWSER=firefox, vite.config.ts's `firefox` project, without VITE_TEST_TIER=full). */
export const FIREFOX_CI = browserName() === 'firefox' && TEST_TIER === 'ci';

/**
 * The variants a browser case runs through by default: the tier's (test/support/variants.ts), except in Firefox's
 * `ci` tier, `auto` as this device plans it. Each GPU round trip costs about 100 ms in Firefox (it polls wgpu on
 * a timer), so even every path's rule on every case would take most of CI's time (about 6 minutes); every
 * family's kernels, with their rules, candidates and examples, channels-last, float16 and activations, compile
 * and run in Firefox in the family checks, and `npm run test:full` runs every variant there.
 */
export const CASE_VARIANTS: readonly string[] = FIREFOX_CI
  ? VARIANTS.filter((v) => v.name === 'auto').map((v) => v.name)
  : VARIANT_NAMES;

/** What each browser needs for WebGPU here, for the error when the page has no adapter. */
const NEEDS = {
  chromium: 'Chromium with --enable-unsafe-webgpu; SwiftShader where there is no GPU',
  firefox: 'Firefox 153+ with dom.webgpu.enabled and gfx.webgpu.ignore-blocklist, and a Vulkan driver: lavapipe from mesa-vulkan-drivers where there is no GPU',
} as const;

export interface HarnessPage {
  session: BrowserSession;
  page: Page;
  adapter: string;
  runCase(spec: CaseSpec): Promise<PathResult[]>;
  rejectCase(spec: RejectSpec): Promise<RejectResult>;
  planOf(spec: CaseSpec, path: PathOption, adapterClass: 'cpu' | 'gpu'): Promise<string>;
  apiChecks(): Promise<CheckResult[]>;
  familyChecks(): Promise<CheckResult[]>;
  weightChecks(): Promise<CheckResult[]>;
  close(): Promise<void>;
}

/**
 * Opens the test page and checks that it has a WebGPU adapter. Throws (never skips) when it has none:
 * a browser test that cannot reach a GPU must fail the run.
 */
export async function openHarness(log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<HarnessPage> {
  const session = await startBrowserSession({ log });
  try {
    const page = await session.open('test/browser/index.html');
    await page.waitForFunction('window.harness !== undefined', { timeout: 60_000 });
    const { ok, info } = await page.evaluate(() => (window as unknown as { harness: Harness }).harness.adapterInfo());
    if (!ok) throw new Error(`The test page in ${session.browserName} has no WebGPU adapter: ${info}. Browser tests need WebGPU (${NEEDS[session.browserName]}).`);
    return {
      session, page, adapter: info,
      runCase: (spec) => page.evaluate((s) => (window as unknown as { harness: Harness }).harness.runCase(s), { ...spec, variants: spec.variants ?? [...CASE_VARIANTS] }),
      planOf: (spec, path, adapterClass) => page.evaluate((s, p, a) => (window as unknown as { harness: Harness }).harness.planOf(s, p, a), spec, path, adapterClass),
      rejectCase: (spec) => page.evaluate((s) => (window as unknown as { harness: Harness }).harness.rejectCase(s), spec),
      apiChecks: () => page.evaluate(() => (window as unknown as { harness: Harness }).harness.apiChecks()),
      familyChecks: () => page.evaluate(() => (window as unknown as { harness: Harness }).harness.familyChecks()),
      weightChecks: () => page.evaluate(() => (window as unknown as { harness: Harness }).harness.weightChecks()),
      close: () => session.close(),
    };
  } catch (e) {
    await session.close();
    throw e;
  }
}
