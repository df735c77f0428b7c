/**
 * createOrtSession (webgpu-convtranspose/ort) in headless Chromium (test/ort/index.html): ONNX models built
 * in code (test/ort/models.ts) through plain ONNX Runtime Web and through ours, on every path: outputs within
 * the float32 tolerance of plain ORT, every ConvTranspose run here within tolerance of the float64 reference
 * (float16: the float16 tolerance), the plan's choices, the fall-backs, the bad models' errors, outputs on the
 * GPU when asked, and 1000 runs with no buffer left behind and bitwise identical outputs.
 */
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserSession, type BrowserSession } from '../scripts/browser.mjs';
import { PATH_OPTIONS } from '../src/index';
import type { Check, ModelResult, OrtHarness } from './ort/harness';

let session: BrowserSession;
let page: Page;
let modelNames: string[] = [];
let fallbackNames: string[] = [];

type Win = Window & { ortHarness: OrtHarness };

beforeAll(async () => {
  session = await startBrowserSession({ log: (m) => process.stderr.write(`${m}\n`) });
  page = await session.open('test/ort/index.html');
  await page.waitForFunction(() => (window as unknown as Partial<Win>).ortHarness !== undefined, { timeout: 120_000 });
  const { ok, info } = await page.evaluate(() => (window as unknown as Win).ortHarness.init());
  if (!ok) throw new Error(`ORT test page: no WebGPU: ${info}`);
  modelNames = await page.evaluate(() => (window as unknown as Win).ortHarness.modelNames());
  fallbackNames = await page.evaluate(() => (window as unknown as Win).ortHarness.fallbackNames());
});
afterAll(async () => { await session?.close(); });

const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);

function expectModel(r: ModelResult) {
  const where = `${r.name} [${r.path}]`;
  if (r.error) expect.fail(`${where}: threw ${r.error}\nplan:\n${r.plan}`);
  expect(r.checks.length, where).toBeGreaterThan(2);
  expect(failed(r.checks), `${where}\nplan:\n${r.plan}`).toEqual([]);
}

describe('createOrtSession: test models vs plain ORT and the float64 reference', () => {
  it('has at least 10 models', () => { expect(modelNames.length).toBeGreaterThanOrEqual(10); });
  it.each([...PATH_OPTIONS])('path %s', async (path) => {
    for (const name of modelNames) expectModel(await page.evaluate((n, p) => (window as unknown as Win).ortHarness.runModel(n, p), name, path));
  }, 400_000);
});

describe('createOrtSession: what stays with ORT, and bad models', () => {
  it('a model with an If runs whole with ORT; a ConvTranspose too small for a cut stays with ORT (default minFlops)', async () => {
    for (const name of fallbackNames) expectModel(await page.evaluate((n) => (window as unknown as Win).ortHarness.runModel(n, 'auto', 5e5), name));
  });
  it('the cost model sees the shapes ORT infers: the DCGAN test model\'s layers are all under the default minFlops', async () => {
    const plan = await page.evaluate(() => (window as unknown as Win).ortHarness.planOf('dcgan-generator'));
    expect(plan.steps).toEqual(['ort(8 nodes)']);
    // ct2's input shape is not declared in the model: ORT's shape inference gives [1, 32, 4, 4].
    expect(plan.nodes.find((n) => n.node === 'ct2')?.reason).toMatch(/^cost model: 262 kFLOP, under minFlops \(500 kFLOP\)/);
  });
  it('measures before it cuts (default): each ConvTranspose over minFlops runs here exactly when ours plus one cut beat ORT\'s kernels, then the whole cut model is checked against ORT alone, as the plan says', async () => {
    const measured: string[] = [];
    for (const name of ['sam-mask-decoder-tail', 'float16-2200-outputs']) {
      // minFlops 1: every node is measured (these test models are small).
      const plan = await page.evaluate((n) => (window as unknown as Win).ortHarness.planOf(n, 1), name);
      const check = /^measured, the whole model: (cut ([\d.]+) ms < ORT alone ([\d.]+) ms less 5%|ORT alone ([\d.]+) ms less 5% ≤ cut ([\d.]+) ms|ORT alone could not run it)/.exec(plan.whole ?? plan.model ?? '');
      const uncut = !!check?.[4];
      // A cut is kept only when it beats ORT alone by 5% (the times are shown to 3 digits: 1% either side).
      if (check?.[2]) expect(Number(check[2]), plan.model!).toBeLessThan(0.96 * Number(check[3]));
      if (uncut) expect(Number(check![5]), plan.whole!).toBeGreaterThanOrEqual(0.94 * Number(check![4]));
      for (const n of plan.nodes) {
        const times = /^measured: ORT ([\d.]+) ms ([>≤]) here ([\d.]+) ms \+ one cut ([\d.]+) ms/.exec(n.reason);
        const noOrt = /^measured: here [\d.]+ ms; ORT could not run it alone/.test(n.reason);
        expect(times || noOrt, `${name} ${n.node}: ${n.reason}`).toBeTruthy();
        const wanted = times ? (Number(times[3]) + Number(times[4]) < Number(times[1]) ? 'here' : 'ort') : 'here';
        if (times) expect(times[2], n.reason).toBe(wanted === 'here' ? '>' : '≤');
        // The whole-model check moves every node back to ORT when ORT alone was faster.
        expect(n.runs, `${name} ${n.node}: ${n.reason} (${plan.whole ?? plan.model})`).toBe(uncut ? 'ort' : wanted);
        if (uncut && wanted === 'here') expect(n.reason).toMatch(/but the model as a whole ran faster uncut$/);
        measured.push(`${name}/${n.node}`);
      }
      // The check is made when some node was measured to run here (these models have static float inputs).
      if (plan.nodes.some((n) => /^measured: (ORT [\d.]+ ms >|here)/.test(n.reason))) expect(check, `${name}: ${plan.whole ?? plan.model}`).toBeTruthy();
      if (uncut) expect(plan.steps).toEqual([`ort(${plan.steps[0].match(/\d+/)![0]} nodes)`]);
    }
    expect(measured.length).toBeGreaterThanOrEqual(3);
  });
  it('refuses truncated bytes, an unknown opset, a weight that contradicts its group and external data, naming the node; and bad arguments', async () => {
    const checks = await page.evaluate(() => (window as unknown as Win).ortHarness.badModelChecks());
    expect(checks.length).toBeGreaterThanOrEqual(9);
    expect(failed(checks)).toEqual([]);
  });
  it('keeps outputs on the GPU when asked (preferredOutputLocation: gpu-buffer)', async () => {
    expect(failed(await page.evaluate(() => (window as unknown as Win).ortHarness.gpuOutputs()))).toEqual([]);
  });
});

describe('plain ORT Web on a 3-D ConvTranspose', () => {
  it('places it on its WebGPU execution provider (1.31: the session log\'s node placements)', async () => {
    const lines: string[] = [];
    const listen = (m: { text(): string }) => { if (/placed on \[/.test(m.text())) lines.push(m.text().replace(/^.*\] /, '')); };
    page.on('console', listen);
    try {
      await page.evaluate(() => (window as unknown as Win).ortHarness.verboseSession('convtranspose-3d'));
      await page.evaluate(() => 0); // console events sent before this reply are in by now
    } finally {
      page.off('console', listen);
    }
    expect(lines.join('\n')).toMatch(/All nodes placed on \[WebGpuExecutionProvider\]/);
  });
});

describe('createOrtSession: 1000 runs', () => {
  it('leave no buffer behind and give bitwise identical outputs', async () => {
    const checks = await page.evaluate(() => (window as unknown as Win).ortHarness.leakCheck('depthwise-1d-output-padding', 1000));
    expect(failed(checks)).toEqual([]);
  }, 600_000);
});
