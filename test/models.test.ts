/**
 * The models section (bench/models.ts, bench/model-bench.ts) and the demo's model panel: the seeded model
 * definitions and the section's bookkeeping in Node; then, in headless Chromium, the bench's models step on
 * small models (plain TF.js and registerWithTfjs agree, TF.js computes the float64 reference of the definition,
 * our kernel ran every transposed convolution, nothing left behind), and the demo panel's two images read back
 * from its canvases.
 */
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSession, type BrowserSession } from '../scripts/browser.mjs';
import { MODELS, convTransposesOf, modelInputs, modelOutputShape, modelWeights, type ModelSpec } from '../bench/models';
import { modelPassed, modelRows, type ModelResult } from '../bench/model-report';
import { compareOutputs } from '../bench/model-bench';
import { reportText, TOLERANCE, type BenchReport } from '../bench/report';
import type { BenchApi } from '../bench/main';
import type { DemoApi } from '../demo/main';
import { modelReference } from './support/model-reference';

/** Largest |got − ref| over max|ref|, with the first index where it happens (for the failure message). */
function relError(got: ArrayLike<number>, ref: Float64Array): { rel: number; at: number; got: number; ref: number } {
  expect(got.length).toBe(ref.length);
  let worst = -1, at = 0, max = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(got[i] - ref[i]);
    if (!(e <= worst)) { worst = Number.isNaN(e) ? Infinity : e; at = i; }
    max = Math.max(max, Math.abs(ref[i]));
  }
  return { rel: worst / max, at, got: got[at], ref: ref[at] };
}

/** Bitwise equality of two float arrays (vitest's deep equality takes minutes on millions of elements). */
function same(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const small: ModelSpec[] = [
  { name: 'dcgan-test', kind: 'dcgan', batch: 2, width: 64 },
  { name: 'unet-test', kind: 'unet-decoder', batch: 1, width: 32, size: 8 },
];

describe('model definitions', () => {
  it('weights and inputs are seeded: the same every time, different per model and per input seed', () => {
    for (const spec of [...MODELS, ...small]) {
      const a = modelWeights(spec), b = modelWeights(spec);
      expect(a.map((l) => l.name)).toEqual(b.map((l) => l.name));
      for (const [i, l] of a.entries()) for (const [j, t] of l.tensors.entries()) expect(same(t.values, b[i].tensors[j].values), `${spec.name} ${l.name}[${j}]`).toBe(true);
      expect(same(modelInputs(spec, 3)[0].values, modelInputs(spec, 3)[0].values)).toBe(true);
      expect(same(modelInputs(spec, 3)[0].values, modelInputs(spec, 4)[0].values)).toBe(false);
    }
    const other = modelWeights({ ...small[0], name: 'dcgan-other' });
    expect(same(other[2].tensors[0].values, modelWeights(small[0])[2].tensors[0].values)).toBe(false);
  });

  it('the DCGAN generator: z 100 → 4×4×1024 → four k4 s2 transposed convolutions to 64×64×3; the U-Net block: k2 s2 up, two 3×3 convs', () => {
    const dcgan = MODELS.find((m) => m.kind === 'dcgan')!;
    const w = modelWeights(dcgan);
    expect(w.map((l) => l.name)).toEqual(['project', 'bn0', 'up1', 'bn1', 'up2', 'bn2', 'up3', 'bn3', 'up4']);
    expect(w.filter((l) => l.kind === 'convTranspose').map((l) => l.tensors[0].shape)).toEqual([[4, 4, 512, 1024], [4, 4, 256, 512], [4, 4, 128, 256], [4, 4, 3, 128]]);
    expect(modelOutputShape(dcgan)).toEqual([1, 64, 64, 3]);
    expect(convTransposesOf(dcgan)).toBe(4);
    const unet = MODELS.find((m) => m.kind === 'unet-decoder')!;
    expect(modelInputs(unet).map((i) => i.shape)).toEqual([[1, 32, 32, 256], [1, 64, 64, 128]]);
    expect(modelWeights(unet).map((l) => [l.name, l.tensors[0].shape])).toEqual([['up', [2, 2, 128, 256]], ['conv1', [3, 3, 256, 128]], ['conv2', [3, 3, 128, 128]]]);
    expect(modelOutputShape(unet)).toEqual([1, 64, 64, 128]);
  });

  it('rejects a bad spec, naming the field', () => {
    expect(() => modelWeights({ name: 'x', kind: 'dcgan', batch: 1, width: 12 })).toThrow(/model x: width: expected a multiple of 8, got 12/);
    expect(() => modelInputs({ name: 'x', kind: 'unet-decoder', batch: 0, width: 8 })).toThrow(/batch: expected a positive integer, got 0/);
    expect(() => modelOutputShape({ name: 'x', kind: 'gan' as 'dcgan', batch: 1, width: 8 })).toThrow(/kind: expected 'dcgan' or 'unet-decoder', got gan/);
  });
});

describe('models section bookkeeping', () => {
  const row = (over: Partial<ModelResult> = {}): ModelResult => ({
    model: 'm', description: '', inputShapes: [[1, 100]], outputShape: [1, 64, 64, 3], tfjsMs: 12, oursMs: 4, tfjsMsMin: 11, oursMsMin: 3,
    speedup: 3, maxAbsDiff: 1e-6, relDiff: 1e-6, runs: 5, convTransposes: 4, oursCalls: 4, paths: { phase: 4 }, setupMs: 100, leakedTensors: 0, note: '', ...over,
  });
  it('a row passes only when it agrees within the tolerance, ran ours on every transposed convolution and left no tensor behind', () => {
    expect(modelPassed(row(), TOLERANCE)).toBe(true);
    expect(modelPassed(row({ relDiff: 2 * TOLERANCE }), TOLERANCE)).toBe(false);
    expect(modelPassed(row({ relDiff: null }), TOLERANCE)).toBe(false);
    expect(modelPassed(row({ oursCalls: 3 }), TOLERANCE)).toBe(false);
    expect(modelPassed(row({ leakedTensors: 2 }), TOLERANCE)).toBe(false);
  });
  it('compareOutputs measures against plain TF.js: a perturbed output is caught', () => {
    const tfjs = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i));
    expect(compareOutputs({ tfjs, ours: tfjs.slice() })).toEqual({ maxAbsDiff: 0, relDiff: 0 });
    const ours = tfjs.slice();
    ours[17] += 1e-3;
    const d = compareOutputs({ tfjs, ours });
    expect(d.maxAbsDiff).toBeCloseTo(1e-3, 6);
    expect(d.relDiff).toBeGreaterThan(TOLERANCE);
  });
  it('prints model, both timings, the speed-up and the difference; the text report has the section only when models ran', () => {
    const rows = modelRows([row()]);
    expect(rows[0].slice(0, 6)).toEqual(['model', 'input → output', 'TF.js WebGPU ms', '+ours ms', 'speed-up (TF.js ms / +ours ms)', 'max abs diff']);
    expect(rows[1].slice(0, 6)).toEqual(['m', '1×100 → 1×64×64×3', '12.0', '4.00', '3.00×', '1.0e-6']);
    const report = { adapter: { vendor: 'v' }, ceiling: null, tolerance: TOLERANCE, results: [], layers: [], passed: true } as unknown as BenchReport;
    expect(reportText(report)).not.toMatch(/models:/);
    expect(reportText({ ...report, models: [row()] })).toMatch(/models: end to end[\s\S]*\bm\s+1×100 → 1×64×64×3\s+12\.0\s+4\.00\s+3\.00×/);
  });
});

describe('in headless Chromium', () => {
  let session: BrowserSession;
  const errors: string[] = [];
  beforeAll(async () => {
    session = await startBrowserSession({ log: (m) => { errors.push(m); process.stderr.write(`${m}\n`); } });
  });
  afterAll(async () => { await session?.close(); });

  describe('bench: the models step on small models', () => {
    let page: Page;
    type Win = Window & { benchApi: BenchApi };
    beforeAll(async () => {
      page = await session.open('bench/index.html');
      await page.waitForFunction(() => (window as unknown as Win).benchApi !== undefined, { timeout: 120_000 });
      const { adapter, models } = await page.evaluate(() => (window as unknown as Win).benchApi.init());
      expect(adapter).not.toMatch(/not available/);
      expect(models).toEqual(MODELS.map((m) => m.name));
    });

    it.each(small)('$name: plain TF.js and registerWithTfjs agree, and TF.js computes the model\'s float64 reference', async (spec) => {
      const timing = { warmupRuns: 1, minRuns: 2, minMs: 0, maxRuns: 2, maxMs: 0, floorRuns: 2 };
      const { result, outputs } = await page.evaluate((s, t) => (window as unknown as Win).benchApi.runModel(s, { timing: t, outputs: true }), spec, timing);
      expect(result.note).not.toMatch(/ERROR|failed/);
      expect(result.oursCalls, 'our kernel ran every transposed convolution of a timed pass').toBe(convTransposesOf(spec));
      expect(result.leakedTensors).toBe(0);
      expect(result.runs).toBe(2);
      expect(result.relDiff).toBeLessThanOrEqual(TOLERANCE);
      expect(result.speedup).toBeCloseTo(result.tfjsMs! / result.oursMs!, 10);
      expect(result.outputShape).toEqual(modelOutputShape(spec));
      // The inputs of the step are the seeded ones (seed 1): the definition recomputed in float64.
      const ref = modelReference(spec, modelInputs(spec, 1));
      for (const way of ['tfjs', 'ours'] as const) {
        const e = relError(outputs![way], ref);
        expect(e.rel, `${spec.name} ${way}: first worst index ${e.at}: got ${e.got}, float64 ${e.ref}`).toBeLessThanOrEqual(TOLERANCE);
      }
      // Not a trivial output: values vary (a model with zero weights would give a constant).
      const distinct = new Set(outputs!.tfjs.map((v) => v.toFixed(4))).size;
      expect(distinct).toBeGreaterThan(outputs!.tfjs.length / 10);
    });

    it('the report and the page show the models section', async () => {
      const report = await page.evaluate(() => (window as unknown as Win).benchApi.report());
      expect(report.models!.map((m) => m.model)).toEqual(small.map((s) => s.name));
      expect(report.passed).toBe(true);
      const text = await page.evaluate(() => (window as unknown as Win).benchApi.text());
      expect(text).toMatch(/models: end to end/);
      for (const s of small) expect(text).toContain(s.name);
      const table = await page.$eval('#models', (el) => el.textContent ?? '');
      expect(table).toContain('speed-up');
      for (const s of small) expect(table).toContain(s.name);
      expect(await page.evaluate(() => (window as unknown as Win).benchApi.markdown({ command: 'x', browser: 'y', wallSeconds: 1 }))).toMatch(/## Models[\s\S]*\| dcgan-test \|/);
    });
  });

  describe('bench: the ONNX models step', () => {
    let page: Page;
    type Win = Window & { benchApi: BenchApi };
    beforeAll(async () => {
      page = await session.open('bench/index.html');
      await page.waitForFunction(() => (window as unknown as Win).benchApi !== undefined, { timeout: 120_000 });
      const { onnxModels } = await page.evaluate(() => (window as unknown as Win).benchApi.init());
      expect(onnxModels).toContain('encodec-decoder-step');
    });

    it('runs an ONNX model on ORT Web alone and through createOrtSession, with ORT\'s ConvTranspose share and the cost of a cut', async () => {
      const cut = await page.evaluate(() => (window as unknown as Win).benchApi.onnxCut());
      expect(cut.runs).toBeGreaterThanOrEqual(50);
      expect(cut.medianMs).toBeGreaterThan(0);
      const timing = { warmupRuns: 1, minRuns: 2, minMs: 0, maxRuns: 2, maxMs: 0, floorRuns: 2 };
      const row = await page.evaluate((t) => (window as unknown as Win).benchApi.runOnnxModel('encodec-decoder-step', { timing: t }), timing);
      expect(row.plan).not.toMatch(/^failed/);
      expect(row.rounds).toBe(2);
      expect(row.maxDiff / row.scale, `max |ours − ORT| ${row.maxDiff} of ${row.scale}`).toBeLessThanOrEqual(TOLERANCE);
      expect(row.plan).toMatch(/convtr: (here|ORT): measured: ORT [\d.]+ ms/);
      // ORT's time split into its steps: the ConvTranspose alone and the segments around it.
      expect(row.breakdown!.steps.map((s) => s.step)).toEqual(['ort(Elu)', 'ConvTranspose convtr', 'ort(Slice)']);
      expect(row.breakdown!.shareAlone).toBeGreaterThan(0);
      expect(row.breakdown!.share).toBeLessThanOrEqual(row.breakdown!.shareAlone);
      expect(row.breakdown!.steps.find((s) => s.step === 'ConvTranspose convtr')!.transposeMs).toBeGreaterThan(0);
      const report = await page.evaluate(() => (window as unknown as Win).benchApi.report());
      expect(report.passed).toBe(true);
      expect(await page.evaluate(() => (window as unknown as Win).benchApi.text())).toMatch(/ONNX models: ORT Web alone vs createOrtSession[\s\S]*encodec-decoder-step[\s\S]*One cut/);
      expect(await page.$eval('#onnx', (el) => el.textContent ?? '')).toContain('encodec-decoder-step');
    });
  });

  describe('demo: the model panel', () => {
    let page: Page;
    type Win = Window & { demo: DemoApi };
    beforeAll(async () => {
      page = await session.open('index.html');
      await page.waitForFunction(() => ['ready', 'error'].some((s) => (window as unknown as Win).demo?.state.startsWith(s)), { timeout: 150_000 });
      expect(await page.evaluate(() => (window as unknown as Win).demo.state)).toBe('ready');
      // The page times every path on load; let that finish so the two compete for nothing.
      await page.waitForFunction(() => (window as unknown as Win).demo.timingState === 'done', { timeout: 150_000 });
    });

    it('the button generates the DCGAN image both ways: two canvases with a real picture, the same within float32 rounding, the float64 reference', async () => {
      await page.click('#model-generate');
      await page.waitForFunction(() => ['done', 'error'].some((s) => (window as unknown as Win).demo.model?.state.startsWith(s)), { timeout: 110_000 });
      const panel = await page.evaluate(() => (window as unknown as Win).demo.model!);
      expect(panel.state).toBe('done');
      const r = panel.last!;
      expect(r.oursCalls).toBe(4);
      expect(r.relDiff).toBeLessThanOrEqual(TOLERANCE);
      expect(r.tfjsMs).toBeGreaterThan(0);
      expect(r.oursMs).toBeGreaterThan(0);
      const pixels = (id: string) => page.$eval(`#${id}`, (c) => {
        const canvas = c as HTMLCanvasElement;
        return { w: canvas.width, h: canvas.height, rgba: Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data) };
      });
      const a = await pixels('model-tfjs'), b = await pixels('model-ours');
      expect([a.w, a.h, b.w, b.h]).toEqual([64, 64, 64, 64]);
      // Each canvas shows its output: pixel = round((v + 1) / 2 · 255) (the panel's toByte).
      const toByte = (v: number) => Math.round(Math.max(0, Math.min(1, (v + 1) / 2)) * 255);
      for (const [img, out] of [[a, r.tfjs], [b, r.ours]] as const) {
        for (let p = 0; p < 64 * 64; p++) for (let c = 0; c < 3; c++) {
          if (img.rgba[4 * p + c] !== toByte(out[3 * p + c])) expect.fail(`pixel ${p} channel ${c}: canvas ${img.rgba[4 * p + c]}, output ${out[3 * p + c]}`);
        }
      }
      // A picture, not a blank: many colours, and a spread of values in every channel.
      const colours = new Set<number>();
      for (let p = 0; p < 64 * 64; p++) colours.add((a.rgba[4 * p] << 16) | (a.rgba[4 * p + 1] << 8) | a.rgba[4 * p + 2]);
      expect(colours.size).toBeGreaterThan(1000);
      for (let c = 0; c < 3; c++) {
        const v = Array.from({ length: 64 * 64 }, (_, p) => a.rgba[4 * p + c]);
        const mean = v.reduce((s, x) => s + x, 0) / v.length;
        const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
        expect(sd, `channel ${c} standard deviation`).toBeGreaterThan(20);
      }
      // The two images differ by float32 rounding only: at most one level per channel.
      let worst = 0;
      for (let i = 0; i < a.rgba.length; i++) worst = Math.max(worst, Math.abs(a.rgba[i] - b.rgba[i]));
      expect(worst).toBeLessThanOrEqual(1);
      // And both are the generator's float64 output for the z of that seed.
      const spec = MODELS.find((m) => m.name === r.model)!;
      const ref = modelReference(spec, modelInputs(spec, r.seed));
      for (const [way, out] of [['tfjs', r.tfjs], ['ours', r.ours]] as const) {
        const e = relError(out, ref);
        expect(e.rel, `${way}: first worst index ${e.at}: got ${e.got}, float64 ${e.ref}`).toBeLessThanOrEqual(TOLERANCE);
      }
      const summary = await page.$eval('#model-summary', (el) => el.textContent ?? '');
      expect(summary).toMatch(/faster with registerWithTfjs/);
      expect(summary).toContain('✓');
      expect(errors.filter((e) => e.startsWith('[page error]'))).toEqual([]);
    });
  });
});
