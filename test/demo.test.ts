/**
 * The demo page (index.html) in headless Chromium: its pictures and overlap maps read back as pixels from the
 * canvases, the worked example on every path, the path switch and the timing table; and a screenshot of the
 * page (/tmp/demo.png, or $DEMO_SCREENSHOT) to look at.
 */
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSession, type BrowserSession } from '../scripts/browser.mjs';
import { PATH_OPTIONS, type PathOption } from '../src/index';
import type { DemoApi, RenderOptions } from '../demo/main';
import { viridis } from '../demo/draw';

let session: BrowserSession;
let page: Page;
const errors: string[] = [];

type Win = Window & { demo: DemoApi };

beforeAll(async () => {
  session = await startBrowserSession({ log: (m) => { errors.push(m); process.stderr.write(`${m}\n`); } });
  page = await session.open('index.html');
  await page.setViewport({ width: 1280, height: 900 });
  await page.waitForFunction(() => (window as unknown as Win).demo?.state !== undefined && (window as unknown as Win).demo.state !== 'loading', { timeout: 150_000 });
  const state = await page.evaluate(() => (window as unknown as Win).demo.state);
  if (state !== 'ready') throw new Error(`demo page: ${state}`);
});
afterAll(async () => { await session?.close(); });

/** Reads a canvas back as pixels and maps each to the legend value whose colour it is. */
function countsFromCanvas(id: string, legend: { value: number; rgb: number[] }[]): Promise<{ w: number; h: number; counts: number[] }> {
  return page.evaluate((id, legend) => {
    const canvas = document.getElementById(id) as HTMLCanvasElement;
    const { width: w, height: h } = canvas;
    const px = canvas.getContext('2d')!.getImageData(0, 0, w, h).data;
    const counts: number[] = [];
    for (let p = 0; p < w * h; p++) {
      const hit = legend.find((e) => Math.abs(e.rgb[0] - px[4 * p]) <= 1 && Math.abs(e.rgb[1] - px[4 * p + 1]) <= 1 && Math.abs(e.rgb[2] - px[4 * p + 2]) <= 1);
      counts.push(hit ? hit.value : -1);
    }
    return { w, h, counts };
  }, id, legend);
}

/** Overlap maps of the current render, decoded from the canvases' pixels, checked against the page's numbers. */
async function overlapMaps(): Promise<Record<string, { n: number; at: (y: number, x: number) => number }>> {
  const up = await page.evaluate(() => (window as unknown as Win).demo.upsampled());
  const maps: Record<string, { n: number; at: (y: number, x: number) => number }> = {};
  for (const r of up) {
    const { w, h, counts } = await countsFromCanvas(`overlap-${r.kernel}`, r.legend);
    expect([w, h]).toEqual([r.size, r.size]);
    expect(counts.includes(-1), `${r.kernel}: a pixel of the overlap map has no legend colour`).toBe(false);
    expect(counts).toEqual(r.overlap);
    maps[r.kernel] = { n: w, at: (y, x) => counts[y * w + x] };
  }
  return maps;
}

/** Every (y, x) with `border` ≤ y, x < n − border. */
function* cells(n: number, border = 0): Generator<[number, number]> {
  for (let y = border; y < n - border; y++) for (let x = border; x < n - border; x++) yield [y, x];
}

const render = (o: Partial<RenderOptions>) => page.evaluate((o) => (window as unknown as Win).demo.render(o), o);

describe('demo page: overlap-count maps', () => {
  it('k=3, s=2 alternates 1, 2, 4 (taps per axis: 1 on even rows/columns, 2 on odd ones); k=4, s=2 and resize-conv are flat', async () => {
    const maps = await overlapMaps();
    const k3 = maps.k3s2;
    expect(k3.n).toBe(128);
    const perAxis = (o: number) => (o % 2 === 1 ? 2 : 1);
    for (const [y, x] of cells(k3.n)) {
      if (k3.at(y, x) !== perAxis(y) * perAxis(x)) expect.fail(`k3s2 overlap at (${y}, ${x}) = ${k3.at(y, x)}, expected ${perAxis(y) * perAxis(x)}`);
    }
    expect([k3.at(10, 10), k3.at(10, 11), k3.at(11, 10), k3.at(11, 11)]).toEqual([1, 2, 2, 4]);
    // With the picture edge-padded, the flat maps are flat up to the border too.
    for (const [y, x] of cells(maps.k4s2.n)) if (maps.k4s2.at(y, x) !== 4) expect.fail(`k4s2 overlap at (${y}, ${x}) = ${maps.k4s2.at(y, x)}, expected 4`);
    for (const [y, x] of cells(maps['resize-conv'].n)) if (maps['resize-conv'].at(y, x) !== 9) expect.fail(`resize-conv overlap at (${y}, ${x}) = ${maps['resize-conv'].at(y, x)}, expected 9`);
  });

  it('the pictures show it: k=3, s=2 is ~4x brighter on odd/odd pixels than on even/even ones in the smooth sky; k=4, s=2 is not', async () => {
    const ratio = (id: string) => page.evaluate((id) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      const px = canvas.getContext('2d')!.getImageData(0, 0, 16, 16).data; // top-left: sky
      let odd = 0, even = 0;
      for (let y = 2; y < 14; y += 2) for (let x = 2; x < 14; x += 2) {
        even += px[4 * (y * 16 + x) + 2]; // blue channel (unsaturated in the sky)
        odd += px[4 * ((y + 1) * 16 + x + 1) + 2];
      }
      return odd / even;
    }, id);
    const r3 = await ratio('out-k3s2');
    const r4 = await ratio('out-k4s2');
    expect(r3).toBeGreaterThan(1.8); // 4× in value; clamped at 255 where the sky is bright
    expect(Math.abs(r4 - 1)).toBeLessThan(0.05);
  });

  it('without edge padding the border gets fewer taps (the dark frame); the interior is unchanged', async () => {
    await render({ edge: false });
    try {
      const maps = await overlapMaps();
      const k4 = maps.k4s2, n = k4.n;
      for (const [y, x] of cells(n, 1)) if (k4.at(y, x) !== 4) expect.fail(`k4s2 interior overlap at (${y}, ${x}) = ${k4.at(y, x)}`);
      expect([k4.at(0, 0), k4.at(0, n - 1), k4.at(n - 1, 0), k4.at(n - 1, n - 1)]).toEqual([1, 1, 1, 1]);
      for (let i = 1; i < n - 1; i++) expect([k4.at(0, i), k4.at(i, 0), k4.at(n - 1, i), k4.at(i, n - 1)]).toEqual([2, 2, 2, 2]);
      const k3 = maps.k3s2;
      for (const [y, x] of cells(n, 2)) {
        const want = (y % 2 ? 2 : 1) * (x % 2 ? 2 : 1);
        if (k3.at(y, x) !== want) expect.fail(`k3s2 interior overlap at (${y}, ${x}) = ${k3.at(y, x)}, expected ${want}`);
      }
      expect(k3.at(n - 1, n - 1)).toBe(1); // last row and column: 1 tap per axis instead of 2
      expect(maps['resize-conv'].at(0, 0)).toBe(4);
      expect(maps['resize-conv'].at(0, 5)).toBe(6);
    } finally {
      await render({ edge: true });
    }
  });
});

describe('demo page: layout at 1280×900', () => {
  it('the up-sampling comparison (input and the three outputs) is on the first screen, and nothing is wider than the window', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const id of ['picture', 'out-k3s2', 'out-k4s2', 'out-resize-conv']) {
      const box = await page.$eval(`#${id}`, (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; });
      expect(box.left, id).toBeGreaterThanOrEqual(0);
      expect(box.top, id).toBeGreaterThanOrEqual(0);
      expect(box.right, id).toBeLessThanOrEqual(1280);
      expect(box.bottom, id).toBeLessThanOrEqual(900);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  });

  it('each overlap map\'s colours span its own smallest to largest count, so the k=3 map shows its pattern at full size', async () => {
    const up = await page.evaluate(() => (window as unknown as Win).demo.upsampled());
    const k3 = up.find((r) => r.kernel === 'k3s2')!;
    expect(k3.legend.map((e) => e.value)).toEqual([1, 2, 4]);
    expect(k3.legend[0].rgb).toEqual(viridis(0));
    expect(k3.legend[2].rgb).toEqual(viridis(1));
    // The overlap zoom comes before the full-size map.
    const order = await page.evaluate(() => {
      const all = [...document.querySelectorAll('canvas')].map((c) => c.id);
      return [all.indexOf('overlap-zoom-k3s2'), all.indexOf('overlap-k3s2')];
    });
    expect(order[0]).toBeLessThan(order[1]);
  });

  it('says nothing about a history the visitor never saw', async () => {
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/\bthe notes\b|old version|this page used to|previous version/i);
  });
});

describe('demo page: path switch', () => {
  it.each([...PATH_OPTIONS])('renders with path %s and gives the same overlap maps', async (path: PathOption) => {
    await render({ path });
    const up = await page.evaluate(() => (window as unknown as Win).demo.upsampled());
    for (const r of up) {
      if (path !== 'auto') expect(r.paths.split(' + ').every((p) => p === path), `${r.kernel} ran ${r.paths}`).toBe(true);
    }
    const maps = await overlapMaps();
    expect(maps.k3s2.at(11, 11)).toBe(4);
    expect(maps.k4s2.at(11, 11)).toBe(4);
  });

  it('times every path on every kernel', async () => {
    await page.waitForFunction(() => (window as unknown as Win).demo.timingState === 'done', { timeout: 110_000 });
    const cells = await page.evaluate(() => (window as unknown as Win).demo.timings());
    expect(cells.map((c) => c.path).filter((p, i, a) => a.indexOf(p) === i)).toEqual([...PATH_OPTIONS]);
    expect(cells).toHaveLength(PATH_OPTIONS.length * 3);
    for (const c of cells) {
      expect(c.error, `${c.path} ${c.kernel}`).toBeNull();
      expect(c.ms).toBeGreaterThan(0);
    }
    const table = await page.$eval('#timings', (el) => el.textContent ?? '');
    for (const p of PATH_OPTIONS) expect(table).toContain(p);
    expect(await page.$eval('a[href="bench/index.html"]', (a) => a.textContent)).toMatch(/benchmark/i);
  });
});

describe('demo page: worked example', () => {
  const expected = [[0, 2, 5, 3], [0, 3, 7, 3], [2, 4, 5, 3], [1, 3, 1, 3]];
  it('stride 1: scatter view, zero-insert view, CPU reference and every GPU path give the answer worked by hand', async () => {
    const w = await page.evaluate(() => (window as unknown as Win).demo.worked(1));
    expect(w.expected).toEqual(expected);
    expect(w.reference).toEqual(expected);
    expect(w.scatter).toEqual(expected);
    expect(w.zeroInsert).toEqual(expected);
    expect(w.gpu.map((g) => g.path)).toEqual([...PATH_OPTIONS]);
    for (const g of w.gpu) expect(g.output, `${g.path}: ${g.error}`).toEqual(expected);
    const text = await page.$eval('#worked-results', (el) => el.textContent ?? '');
    expect(text).not.toContain('✗');
  });

  it('stride 2: both views and every GPU path agree with the CPU reference', async () => {
    const w = await page.evaluate(() => (window as unknown as Win).demo.worked(2));
    expect(w.reference).toHaveLength(5);
    expect(w.scatter).toEqual(w.reference);
    expect(w.zeroInsert).toEqual(w.reference);
    for (const g of w.gpu) expect(g.output, `${g.path}: ${g.error}`).toEqual(w.reference);
  });

  it('steps through both views with Prev/Next', async () => {
    await page.evaluate(() => (window as unknown as Win).demo.worked(1));
    expect(await page.evaluate(() => (window as unknown as Win).demo.step('scatter', -10))).toBe(0);
    await page.click('#scatter-next');
    await page.click('#scatter-next');
    expect(await page.$eval('#scatter-label', (el) => el.textContent)).toMatch(/^step 2 of 4: input cell \(0, 1\) = 3/);
    expect(await page.evaluate(() => (window as unknown as Win).demo.step('zero-insert', -100))).toBe(0);
    for (let i = 0; i < 6; i++) await page.click('#zero-next');
    // Output pixel (1, 1): the flipped kernel over the padded input gathers 2·1 + 3·1 + ... = 3.
    expect(await page.$eval('#zero-label', (el) => el.textContent)).toMatch(/^step 6 of 16: output \(1, 1\) = .* = 3$/);
  });
});

describe('demo page: the ONNX panel', () => {
  // The 3-D model, not the button's generator: ORT compiles its few kernels quickly on SwiftShader.
  it('runs an ONNX model with ORT Web alone and through createOrtSession; the outputs agree and its ConvTranspose runs here', async () => {
    const r = await page.evaluate(() => (window as unknown as Win).demo.ort!.run('convtranspose-3d'));
    expect(r.maxAbsDiff, 'ORT + ours vs ORT alone').toBeLessThanOrEqual(1e-4);
    expect(r.plan).toMatch(/here\(ct3d\)/);
    expect(r.ortMs > 0 && r.oursMs > 0).toBe(true);
    expect(await page.$eval('#ort-panel pre', (el) => el.textContent)).toMatch(/^convtranspose-3d: ORT Web alone [\d.]+ ms, with createOrtSession [\d.]+ ms/);
  }, 300_000);
});

describe('demo page: screenshot', () => {
  it('renders without page errors; screenshot saved', async () => {
    await render({ path: 'auto', edge: true, size: 64 });
    const path = process.env.DEMO_SCREENSHOT ?? '/tmp/demo.png';
    await page.screenshot({ path: path as `${string}.png`, fullPage: true });
    expect(errors.filter((e) => e.startsWith('[page error]'))).toEqual([]);
  });
});
