/**
 * The benchmark page's layout in headless Chromium at 1280×900, filled with a made-up report (every layer of the
 * suite × every implementation, plus names the suite does not have yet, and a long failure note) through
 * `benchApi.show`, so nothing is timed: the page stays within the window, the chart's legend is never clipped,
 * every bar has its value, and every column and row has its one-line key. Also the chart's colour map.
 */
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSession, type BrowserSession } from '../scripts/browser.mjs';
import { implColors } from '../bench/chart';
import { IMPLEMENTATIONS, type ImplName } from '../bench/implementation';
import { reportMarkdown, RESULT_HEADERS, SUMMARY_HEADERS, type BenchReport, type BenchResult } from '../bench/report';
import { PATH_OPTIONS } from '../src/index';
import { MODEL_HEADERS } from '../bench/model-report';
import { ORT_HEADERS } from '../bench/ort-report';
import layersJson from '../bench/layers.json';

const EXTRA = ['future-path-a', 'future-path-b', 'future-path-c'];
const LAYERS = layersJson.layers.map((l) => l.name);

/** A report of made-up numbers: ms grows with the layer and the implementation, one cell n/a, one failed. */
function madeUpReport(): BenchReport {
  const impls = [...IMPLEMENTATIONS, ...EXTRA] as ImplName[];
  const results: BenchResult[] = LAYERS.flatMap((layer, li) => impls.map((impl, ii): BenchResult => {
    const ms = (li + 1) ** 1.7 * (2 + ii);
    const failed = li === 3 && impl === 'ort-webgpu', na = li === 6 && impl === 'tfjs-webgpu';
    return {
      layer, impl, latencyMs: failed || na ? null : ms, latencyMinMs: failed || na ? null : 0.9 * ms, throughputMs: failed || na ? null : 0.5 * ms, batch: 20, gpuMs: null, gflops: 1.5, maxAbsErr: 1e-6,
      relErr: 1e-7, pctFma: 12, gbps: 0.05, pctCopy: 2, runs: 10, setupMs: 120,
      note: failed ? `failed: ${'a long failure message that explains in detail what went wrong '.repeat(3)}` : na ? 'n/a: TF.js has no public grouped transposed convolution (groups=64)' : impl === 'auto' ? 'auto → phase' : '',
    };
  }));
  return {
    date: new Date(0).toISOString(),
    adapter: { vendor: 'test', architecture: '', device: '', description: '', features: [], userAgent: '' },
    versions: {}, timing: { warmupRuns: 2, warmupMs: 500, minRuns: 10, minMs: 1000, maxRuns: 200, maxMs: 4000, floorRuns: 3 },
    tolerance: 1e-4, ceiling: null, results, passed: false,
    layers: LAYERS.map((layer) => ({
      layer, inputShape: [1, 64, 32, 32], outputShape: [1, 64, 64, 64], flops: 75e6, bytes: 1e6, referenceMs: 100,
      bestOurs: { impl: 'phase', ms: 20 }, auto: { ms: 21, chose: 'phase' }, bestPeer: { impl: 'tfjs-webgpu', ms: 80 },
      speedup: 3.8, throughputSpeedup: 4.2, tfjsOursSpeedup: 2.1, halfSpeedup: 0.7,
    })),
    onnx: ['dcgan-64', 'hifigan-upsampler'].map((name, i) => ({
      name, ortMs: 200 * (i + 1), oursMs: 60, ortMinMs: 190, oursMinMs: 55, speedup: (200 * (i + 1)) / 60, rounds: 10, here: 2, ortRuns: 3,
      plan: `steps: ort(2 nodes) → here(ct1)\nct1: here: measured: ORT 120 ms > here 9 ms + one cut 1.1 ms\nct2: ORT: measured: ORT 2 ms ≤ here 1.5 ms + one cut 1.1 ms: the cut would cost more than it gains`,
      maxDiff: 1e-7, scale: 0.5, setupMs: 900,
      breakdown: { name, wholeMs: 180, share: 0.55, shareAlone: 0.7, steps: [] },
    })),
    onnxCut: { medianMs: 1.1, minMs: 0.8, runs: 200 },
  };
}

describe('bench chart colours', () => {
  it('gives every name a distinct colour, names the suite does not have yet included', () => {
    const names = [...IMPLEMENTATIONS, ...EXTRA, ...Array.from({ length: 20 }, (_, i) => `more-${i}`)];
    const colours = implColors(names);
    expect(new Set(colours.keys())).toEqual(new Set(names));
    expect(new Set(colours.values()).size).toBe(names.length);
  });
});

describe('bench Markdown report', () => {
  it('carries the same key: one line per column of both tables and per row that ran', () => {
    const md = reportMarkdown(madeUpReport(), { command: 'npm run bench', browser: 'test', wallSeconds: 1 });
    for (const h of [...SUMMARY_HEADERS, ...RESULT_HEADERS, ...ORT_HEADERS, ...IMPLEMENTATIONS]) expect(md).toContain(`- **${h}**: `);
    expect(md).toContain('## ONNX models on ONNX Runtime Web');
    expect(md).toContain('bench/ceiling_fma.wgsl');
  });
});

describe('bench page at 1280×900', () => {
  let session: BrowserSession;
  let page: Page;
  const errors: string[] = [];
  const report = madeUpReport();

  beforeAll(async () => {
    session = await startBrowserSession({ log: (m) => { errors.push(m); process.stderr.write(`${m}\n`); } });
    page = await session.open('bench/index.html');
    await page.setViewport({ width: 1280, height: 900 });
    await page.waitForFunction(() => window.benchApi !== undefined, { timeout: 120_000 });
    await page.evaluate(() => window.benchApi!.init());
    await page.evaluate((r) => window.benchApi!.show(r), report);
  });
  afterAll(async () => { await session?.close(); });

  it('is no wider than the window; wide tables scroll inside their own box', async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    const boxes = await page.$$eval('.scroll', (els) => els.map((e) => ({ id: e.id, right: e.getBoundingClientRect().right, overflow: getComputedStyle(e).overflowX })));
    expect(boxes.map((b) => b.id)).toEqual(['summary', 'models', 'onnx', 'training', 'results']);
    for (const b of boxes) {
      expect(b.right, b.id).toBeLessThanOrEqual(1280);
      expect(b.overflow, b.id).toBe('auto');
    }
  });

  it('the chart legend names every implementation, each item inside the chart', async () => {
    const { svg, items } = await page.$eval('#chart svg', (svg) => {
      const box = (e: Element) => { const r = e.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
      return { svg: box(svg), items: [...svg.querySelectorAll('.legend-item')].map((g) => ({ text: g.textContent, colour: g.querySelector('rect')!.getAttribute('fill'), ...box(g) })) };
    });
    expect(svg.right).toBeLessThanOrEqual(1280);
    expect(items.map((i) => i.text)).toEqual([...IMPLEMENTATIONS, ...EXTRA]);
    expect(new Set(items.map((i) => i.colour)).size).toBe(items.length);
    for (const i of items) {
      if (i.left < svg.left || i.right > svg.right || i.top < svg.top || i.bottom > svg.bottom) {
        expect.fail(`legend item ${i.text} at [${i.left}, ${i.right}] × [${i.top}, ${i.bottom}] is outside the chart [${svg.left}, ${svg.right}] × [${svg.top}, ${svg.bottom}]`);
      }
    }
  });

  it('every bar carries its value (tooltip), n/a cells say why', async () => {
    const bars = await page.$$eval('#chart svg rect', (rects) => rects.filter((r) => !r.closest('.legend-item')).map((r) => r.querySelector('title')?.textContent ?? ''));
    const measured = report.results.filter((r) => r.latencyMs !== null);
    expect(bars).toHaveLength(measured.length);
    for (const r of measured) expect(bars).toContain(`${r.layer} · ${r.impl}: ${r.latencyMs!.toFixed(3)} ms`);
    const na = await page.$$eval('#chart svg text title', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(na.some((t) => t.startsWith('depthwise-up tfjs-webgpu: n/a: TF.js has no public grouped'))).toBe(true);
  });

  it('explains every column (key and header tooltip) and every row; the float16 row says why it can be slower', async () => {
    const key = (id: string) => page.$$eval(`#${id} dt`, (dts) => dts.map((d) => [d.textContent, d.nextElementSibling?.textContent ?? '']));
    const summaryKey = await key('summary-key'), resultsKey = await key('results-key'), rowsKey = await key('rows-key'), modelsKey = await key('models-key'), onnxKey = await key('onnx-key');
    expect(summaryKey.map(([k]) => k)).toEqual(SUMMARY_HEADERS);
    expect(resultsKey.map(([k]) => k)).toEqual(RESULT_HEADERS);
    expect(modelsKey.map(([k]) => k)).toEqual(MODEL_HEADERS);
    expect(onnxKey.map(([k]) => k)).toEqual(ORT_HEADERS);
    expect(await page.$$eval('#onnx tbody tr', (trs) => trs.length)).toBe(2);
    expect(await page.$eval('#onnx-legend', (p) => p.textContent)).toMatch(/One cut .* costs 1\.10 ms/);
    for (const [k, v] of [...summaryKey, ...resultsKey, ...rowsKey, ...modelsKey, ...onnxKey]) expect(v.length, `key of ${k}`).toBeGreaterThan(10);
    for (const id of ['summary', 'results', 'onnx']) {
      const titles = await page.$$eval(`#${id} th`, (ths) => ths.map((th) => th.getAttribute('title') ?? ''));
      for (const t of titles) expect(t.length).toBeGreaterThan(10);
    }
    expect(rowsKey.map(([k]) => k)).toEqual(expect.arrayContaining([...IMPLEMENTATIONS]));
    expect(rowsKey.find(([k]) => k === 'auto/f16')![1]).toMatch(/unpack2x16float.*SwiftShader/);
  });

  it('names every GPU path of the library in its introduction', async () => {
    const intro = await page.$eval('p', (p) => p.textContent ?? '');
    for (const p of PATH_OPTIONS.filter((p) => p !== 'auto')) expect(intro).toContain(p);
    expect(intro).not.toMatch(/two paths/);
    expect(errors.filter((e) => e.startsWith('[page error]'))).toEqual([]);
  });
});
