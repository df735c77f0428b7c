/**
 * Weights that change (issue 20), in headless Chromium: a prepared layer's weights given as GPU buffers at
 * creation and later (encodeWeights, also between two uses in one encoder), and from CPU data (setWeights), in
 * every filter layout, float32 and float16 storage and chunked layers, on every path and `auto`, each result
 * against the float64 reference of the weights it must have used; and what is refused (test/browser/weight-checks.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectChecksPass } from './support/checks';
import { openHarness, type HarnessPage } from './support/session';

let h: HarnessPage;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h?.close(); });

describe('weights that change', () => {
  it('GPU and CPU weights, set and encoded, on every path, layout and storage type; refusals', async () => {
    expectChecksPass(await h.weightChecks(), 40);
  }, 600_000);
});
