/**
 * float16 storage (`dataType: 'float16'`) in headless Chromium, beyond the float16 variants every browser
 * sweep runs (test/support/variants.ts): the in-page checks of test/browser/half-checks.ts (dispatches, byte
 * sizes, data forms in and out, the GPU's rounding against the host's, chunked output windows that start at
 * odd elements, rejections), and outputs with more than 65536 elements and more than 2048 cells along an axis,
 * where index math done in float16 goes wrong (onnxruntime#28976: ONNX Runtime Web's WebGPU ConvTranspose for
 * float16 models): ours is integer, so every element lands where the reference has it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectChecksPass } from './support/checks';
import type { CheckResult } from './browser/api-checks';
import type { CaseSpec, Harness } from './browser/harness';
import { describeMismatch } from './support/compare';
import { VARIANTS } from './support/variants';
import { openHarness, type HarnessPage } from './support/session';

let h: HarnessPage;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h?.close(); });

const HALF = VARIANTS.filter((v) => v.dataType === 'float16').map((v) => v.name);

describe('float16 storage', () => {
  it('in-page checks: dispatches, sizes, data forms, rounding, odd windows, rejections', async () => {
    const results: CheckResult[] = await h.page.evaluate(() => (window as unknown as { harness: Harness }).harness.halfChecks());
    expectChecksPass(results, 31);
  }, 300_000);

  it.each([
    // [name, inputShape, weightShape, attrs]: outputs of 72000 to 200006 elements, rows and columns past 2048 cells.
    ['2-D, 72000 outputs in rows of 3000', [1, 2, 6, 1500], [2, 2, 4, 4], { stride: 2, padding: 1 }],
    ['2-D, 132000 outputs in columns of 2200', [1, 1, 1100, 30], [1, 1, 4, 4], { stride: 2, padding: 1 }],
    ['1-D, 200006 outputs in rows of 100003', [1, 2, 50000], [2, 2, 6], { stride: 2, padding: 1, outputPadding: 1 }],
    ['3-D with a batch, 86016 outputs', [2, 4, 8, 16, 16], [4, 3, 2, 4, 4], { stride: [2, 2, 2], padding: 1 }],
  ] as const)('%s: every float16 variant', async (name, inputShape, weightShape, attrs) => {
    const spec: CaseSpec = { name, inputShape: [...inputShape], weightShape: [...weightShape], attrs, seed: 5, withBias: true, variants: HALF };
    const results = await h.runCase(spec);
    expect(results.map((r) => r.path)).toEqual(HALF);
    for (const r of results) {
      if (r.error) expect.fail(`${name} [${r.path}]: threw ${r.error}`);
      expect(r.shape!.reduce((a, b) => a * b, 1)).toBeGreaterThan(65536);
      if (!r.reference!.ok) expect.fail(describeMismatch(name, r.path, r.reference!));
    }
  }, 300_000);
});
