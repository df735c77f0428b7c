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
  /** Starts runCase(spec) in the page under `id` and returns at once; caseResult(id) waits for its results. */
  startCase(id: string, spec: CaseSpec): Promise<void>;
  caseResult(id: string): Promise<PathResult[]>;
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
      startCase: (id, spec) => page.evaluate((i, s) => (window as unknown as { harness: Harness }).harness.startCase(i, s), id, { ...spec, variants: spec.variants ?? [...CASE_VARIANTS] }),
      caseResult: (id) => page.evaluate((i) => (window as unknown as { harness: Harness }).harness.caseResult(i), id),
      planOf: (spec, path, adapterClass) => page.evaluate((s, p, a) => (window as unknown as { harness: Harness }).harness.planOf(s, p, a), spec, path, adapterClass),
      rejectCase: (spec) => page.evaluate((s) => (window as unknown as { harness: Harness }).harness.rejectCase(s), spec),
      apiChecks: () => page.evaluate((n) => (window as unknown as { harness: Harness }).harness.apiChecks(n), IN_FLIGHT),
      familyChecks: () => page.evaluate((n) => (window as unknown as { harness: Harness }).harness.familyChecks({ inFlight: n }), IN_FLIGHT),
      weightChecks: () => page.evaluate(() => (window as unknown as { harness: Harness }).harness.weightChecks()),
      close: () => session.close(),
    };
  } catch (e) {
    await session.close();
    throw e;
  }
}

/**
 * How many cases a case queue keeps running in the page at once. Firefox answers GPU work on a timer (about
 * 100 ms a round trip), so cases in flight together share its waits: 40 sweep cases through `auto` take 54 s one
 * at a time and 3 s eight at a time. In Chromium (SwiftShader) a case waits on the GPU process (auto's timing
 * runs, pipeline compiles on its worker threads), so a few in flight overlap one case's waits with another's work.
 */
export const IN_FLIGHT = browserName() === 'firefox' ? 8 : 4;

/**
 * Cases run in the page a few at a time, in the order they were added: the result of case i starts cases i to
 * i + inFlight - 1 (those not started yet) and waits for case i, so each test still checks and reports its own
 * case while the next ones run. Each case runs its variants one after another, as runCase does; the timing
 * `auto` does per case may then see other cases' work, which changes what it picks, never what is checked.
 * drain() waits for the cases started but never asked for (tests filtered out with -t): call it in the afterAll
 * of the describe that adds them, so that no case runs on into tests that need the device to themselves (the
 * API checks count live buffers).
 */
export interface CaseQueue {
  /** Adds a case (before the tests run); returns what its test calls to get the case's results. */
  add(spec: CaseSpec): () => Promise<PathResult[]>;
  drain(): Promise<void>;
}

let queues = 0;

/** A case queue on the harness page `page()` returns once the tests run (it is opened in a beforeAll). */
export function caseQueue(page: () => HarnessPage, inFlight = IN_FLIGHT): CaseQueue {
  const prefix = `queue${queues++}:`;
  const specs: CaseSpec[] = [];
  const started = new Set<number>();
  const taken = new Set<number>();
  const start = async (i: number) => {
    if (i >= specs.length || started.has(i)) return;
    started.add(i);
    await page().startCase(prefix + i, specs[i]);
  };
  const result = async (i: number) => {
    if (taken.has(i)) throw new Error(`caseQueue: the results of case ${i} (${specs[i].name}) were taken already`);
    for (let j = i; j < i + inFlight; j++) await start(j);
    taken.add(i);
    return page().caseResult(prefix + i);
  };
  return {
    add(spec) {
      const i = specs.push(spec) - 1;
      return () => result(i);
    },
    async drain() {
      for (const i of started) {
        if (taken.has(i)) continue;
        taken.add(i);
        await page().caseResult(prefix + i).catch(() => {});
      }
    },
  };
}
