/** Node side of the browser tests: the test page in headless Chromium, and typed calls into its harness. */
import type { Page } from 'puppeteer';
import { startBrowserSession, type BrowserSession } from '../../scripts/browser.mjs';
import type { CaseSpec, Harness, PathResult, RejectResult, RejectSpec } from '../browser/harness';
import type { CheckResult } from '../browser/api-checks';
import type { PathOption } from '../../src/index';

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
    if (!ok) throw new Error(`The test page has no WebGPU adapter: ${info}. Browser tests need WebGPU (Chromium with --enable-unsafe-webgpu).`);
    return {
      session, page, adapter: info,
      runCase: (spec) => page.evaluate((s) => (window as unknown as { harness: Harness }).harness.runCase(s), spec),
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
