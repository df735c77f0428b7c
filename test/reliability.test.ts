/**
 * Reliability in headless Chromium: plain-array data checked before any GPU work, prepared layers that refuse
 * bad buffers synchronously and reject run() with the layer's name (test/browser/layer-checks.ts), and device
 * loss reported as
 * `convTranspose: the GPU device was lost (<reason>: <message>)` with the shared device recreated for the next
 * call (test/browser/reliability-checks.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectChecksPass } from './support/checks';
import type { CheckResult } from './browser/api-checks';
import type { Harness } from './browser/harness';
import { openHarness, type HarnessPage } from './support/session';

let h: HarnessPage;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h?.close(); });

describe('reliability', () => {
  it('data checks, prepared layers that say what is wrong, and device loss', async () => {
    const results: CheckResult[] = await h.page.evaluate(() => (window as unknown as { harness: Harness }).harness.reliabilityChecks());
    const names = results.map((r) => r.name);
    expect(names.filter((n) => n.startsWith('data:')).length).toBeGreaterThanOrEqual(6);
    expect(names.filter((n) => n.startsWith('shared:')).length).toBeGreaterThanOrEqual(10);
    expect(names.filter((n) => n.startsWith('caller device:')).length).toBeGreaterThanOrEqual(6);
    expect(names.filter((n) => n.startsWith('layer:')).length).toBeGreaterThanOrEqual(18);
    expectChecksPass(results, 40);
  });
});
