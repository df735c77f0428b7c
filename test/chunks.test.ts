/**
 * Work past the binding limit in headless Chromium (test/browser/chunk-checks.ts): layers whose output is 4x
 * a lowered maxStorageBufferBindingSize (4 MiB) run as chunks, split by batch, by output channels, and by
 * output rows (channels-first and channels-last, 1-D and 2-D), on every path against the float64 reference;
 * a layer that no split can fit is refused with the reason. Past the buffer limit (test/browser/limit-checks.ts):
 * one-shot calls whose output is 4x a lowered maxBufferSize run in parts through buffers within it, the
 * prepared form refuses them, and strides of 100000 run on every path, all against the float64 reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectChecksPass } from './support/checks';
import type { CheckResult } from './browser/api-checks';
import type { Harness } from './browser/harness';
import { openHarness, type HarnessPage } from './support/session';
import { planChunks } from '../src/gpu/plan/chunks';
import { configOfChunks, type PlannedChunk } from '../src/gpu/plan/chunked';
import { resolveConvTranspose } from '../src/shape';
import { PATH_OPTIONS } from '../src/index';

let h: HarnessPage;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h?.close(); });

describe('past the binding limit', () => {
  it('runs 4x-the-limit layers as chunks on every path and matches the reference', async () => {
    const results: CheckResult[] = await h.page.evaluate(() => (window as unknown as { harness: Harness }).harness.chunkChecks());
    expectChecksPass(results, 21);
  }, 600_000);
});

describe('past the buffer limit, and large strides', () => {
  it('one-shot calls of 4x maxBufferSize run in parts on every path; strides of 100000 on every path; all match the reference', async () => {
    const results: CheckResult[] = await h.page.evaluate(() => (window as unknown as { harness: Harness }).harness.limitChecks());
    expectChecksPass(results, 2 * PATH_OPTIONS.length + 7); // ci tier: two cases on every path, the rest on auto
  }, 600_000);
});

describe('planChunks (pure)', () => {
  const lim = { maxBinding: 1024, alignment: 256, elementBytes: 4 };
  const ok = () => null;
  const cover = (inputShape: number[], weightShape: number[], attrs: object, channelsLast = false) => {
    const r = resolveConvTranspose(inputShape, weightShape, null, attrs);
    const chunks = planChunks(r, channelsLast, lim, ok);
    // Every output element is written by exactly one chunk.
    const seen = new Uint8Array(r.outputShape.reduce((a, b) => a * b, 1));
    for (const c of chunks) {
      expect(c.windows.output.size).toBeLessThanOrEqual(lim.maxBinding);
      expect(c.windows.input.size).toBeLessThanOrEqual(lim.maxBinding);
      expect(c.windows.output.offset % lim.alignment).toBe(0);
      const v = c.views.y;
      const [D, H, W] = c.p.outS;
      for (let n = 0; n < c.p.N; n++) for (let ch = 0; ch < c.p.Cout; ch++) for (let d = 0; d < D; d++) for (let hh = 0; hh < H; hh++) for (let w = 0; w < W; w++) {
        seen[c.windows.output.offset / 4 + v.base + n * v.n + ch * v.c + d * v.d + hh * v.h + w * v.w]++;
      }
    }
    expect([...new Set(seen)]).toEqual([1]);
    return chunks;
  };
  it('one chunk when everything fits', () => {
    expect(cover([1, 2, 3, 3], [2, 2, 3, 3], { stride: 2 })).toHaveLength(1);
  });
  it('splits by batch, then channels, then rows, covering the output exactly once', () => {
    expect(cover([6, 1, 4, 4], [1, 2, 2, 2], { stride: 2 }).length).toBeGreaterThan(1); // 512 B per item
    expect(cover([1, 2, 8, 8], [2, 4, 2, 2], { stride: 2 }).every((c) => c.p.N === 1)).toBe(true);
    const rows = cover([1, 1, 16, 16], [1, 1, 3, 3], { stride: 2, padding: 1, outputPadding: 1 });
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.every((c) => c.p.pb[1] >= 0)).toBe(true);
    expect(cover([1, 2, 16, 16], [2, 3, 3, 3], { stride: 2, padding: 1 }, true).length).toBeGreaterThan(1);
  });
  it('says why when no split can work', () => {
    const r = resolveConvTranspose([1, 1000, 1, 1], [1000, 1, 1, 1], null, {});
    expect(() => planChunks(r, false, lim, ok)).toThrow(/no split of the work fits .* \(1024 bytes\).*input: a window of 4000 bytes/);
  });
});

describe('configOfChunks (layer.config)', () => {
  const chunk = (config: object) => ({ config }) as unknown as PlannedChunk;
  it('is the configuration every chunk runs, or each chunk\'s where their rules differ', () => {
    expect(configOfChunks([chunk({ ocv: 2 }), chunk({ ocv: 2 })])).toEqual({ ocv: 2 });
    expect(configOfChunks([chunk({ ocv: 2 }), chunk({ ocv: 1 }), chunk({ ocv: 2 })])).toEqual([{ ocv: 2 }, { ocv: 1 }, { ocv: 2 }]);
  });
});
