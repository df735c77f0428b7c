/**
 * The demo's model panel ("A model that gets faster"): the bench's DCGAN generator (bench/models.ts), written
 * with TF.js layers, run on this page's GPU in plain TF.js WebGPU and with `registerWithTfjs`; the two 64×64
 * images side by side, the two timings and the largest difference between the outputs. TF.js is loaded on the
 * first click, so the rest of the page does not wait for it.
 */
import { MODELS, convTransposesOf, modelInputs, type ModelSpec } from '../bench/models';
import type { ModelPair } from '../bench/model-bench';
import { TOLERANCE } from '../bench/report';
import { escapeHtml } from './draw';

/** What one click produced. */
export interface ModelPanelResult {
  model: string;
  /** Seed of z (each click draws a new one). */
  seed: number;
  /** Median ms of one forward pass (upload, predict, read-back) each way, and the passes timed each way. */
  tfjsMs: number;
  oursMs: number;
  runs: number;
  /** Largest |ours − plain| over the output, and that over max|plain|. */
  maxAbsDiff: number;
  relDiff: number;
  tolerance: number;
  /** Transposed convolutions per pass, and how many of them our layers ran. */
  convTransposes: number;
  oursCalls: number;
  /** Our layers' paths (auto's choices). */
  paths: string;
  /** The two outputs, NHWC [1, 64, 64, 3], in tanh's range [-1, 1]. */
  tfjs: number[];
  ours: number[];
}

/** The panel's hook for the headless test (window.demo.model). */
export interface ModelPanelApi {
  /** `idle`, `preparing` (first click: TF.js, the model, both kernels), `running`, `done`, or `error: ...`. */
  state: string;
  /** Generates one image both ways (what the button does); `seed` picks z. */
  generate(seed?: number): Promise<ModelPanelResult>;
  last: ModelPanelResult | null;
}

/** The generator the panel runs: the bench's batch-1 DCGAN. */
const SPEC: ModelSpec = MODELS.find((m) => m.kind === 'dcgan' && m.batch === 1)!;
/** Passes timed each way per click (alternated). */
const ROUNDS = 3;

/** tanh's [-1, 1] to a byte, as the canvases show it. */
export const toByte = (v: number) => Math.round(Math.max(0, Math.min(1, (v + 1) / 2)) * 255);

/** Draws an NHWC [h, w, 3] image with values in [-1, 1] into a canvas of the same pixel size. */
function drawImage(canvas: HTMLCanvasElement, hwc: Float32Array, w: number, h: number): void {
  canvas.width = w;
  canvas.height = h;
  const img = new ImageData(w, h);
  for (let p = 0; p < w * h; p++) {
    for (let c = 0; c < 3; c++) img.data[4 * p + c] = toByte(hwc[3 * p + c]);
    img.data[4 * p + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(img, 0, 0);
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));

/** Fills `root` with the panel and wires its button; returns the test hook. */
export function setupModelPanel(root: HTMLElement, device: GPUDevice): ModelPanelApi {
  root.innerHTML = `
    <div class="controls"><button id="model-generate">Generate an image both ways</button>
      <span id="model-status" class="status">${escapeHtml(SPEC.name)}: TF.js loads on the first click.</span></div>
    <div class="row">
      <figure><canvas id="model-tfjs" class="big"></canvas><figcaption>TF.js WebGPU: <b id="model-tfjs-ms">–</b></figcaption></figure>
      <figure><canvas id="model-ours" class="big"></canvas><figcaption>TF.js WebGPU + <code>registerWithTfjs</code>: <b id="model-ours-ms">–</b></figcaption></figure>
      <div id="model-summary" class="explain" style="flex: 1; min-width: 16rem"></div>
    </div>`;
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector(`#${id}`) as T;
  const button = $<HTMLButtonElement>('model-generate');
  let pair: Promise<ModelPair> | null = null;
  let seed = 0;

  const api: ModelPanelApi = {
    state: 'idle',
    last: null,
    async generate(nextSeed = ++seed) {
      button.disabled = true;
      try {
        const m = await import('../bench/model-bench');
        if (!pair) {
          api.state = 'preparing';
          $('model-status').textContent = 'loading TF.js, building the model, compiling TF.js\'s pipelines and preparing ours…';
          pair = m.openModelPair(device, SPEC);
          pair.catch(() => { pair = null; }); // the next click tries again
        }
        const p = await pair;
        api.state = 'running';
        $('model-status').textContent = `generating: ${ROUNDS} passes each way, alternated…`;
        const t = await m.timePair(p, modelInputs(SPEC, nextSeed), { warmupRuns: 0, minRuns: ROUNDS, maxRuns: ROUNDS, minMs: 0, maxMs: Infinity, floorRuns: ROUNDS });
        const { maxAbsDiff, relDiff } = m.compareOutputs(t.outputs);
        const paths = Object.entries(p.registration.stats.paths).map(([path, n]) => `${path} ×${n}`).join(', ');
        const result: ModelPanelResult = {
          model: SPEC.name, seed: nextSeed, tfjsMs: t.tfjsMs, oursMs: t.oursMs, runs: t.runs, maxAbsDiff, relDiff, tolerance: TOLERANCE,
          convTransposes: convTransposesOf(SPEC), oursCalls: t.oursCallsPerPass, paths, tfjs: Array.from(t.outputs.tfjs), ours: Array.from(t.outputs.ours),
        };
        drawImage($('model-tfjs'), t.outputs.tfjs, 64, 64);
        drawImage($('model-ours'), t.outputs.ours, 64, 64);
        $('model-tfjs-ms').textContent = `${ms(t.tfjsMs)} ms`;
        $('model-ours-ms').textContent = `${ms(t.oursMs)} ms`;
        const ok = relDiff <= TOLERANCE && result.oursCalls === result.convTransposes;
        $('model-summary').innerHTML = `
          <p><b>${(t.tfjsMs / t.oursMs).toFixed(2)}×</b> faster with <code>registerWithTfjs(tf)</code>: median of ${t.runs} forward passes each way
             (z of seed ${nextSeed} uploaded, <code>model.predict</code>, <code>await y.data()</code>).</p>
          <p>Largest difference between the two outputs: ${maxAbsDiff.toExponential(1)} (relative ${relDiff.toExponential(1)},
             tolerance ${TOLERANCE}) ${ok ? '✓' : '<span class="fail">✗</span>'}.</p>
          <p>Our layers ran ${result.oursCalls} of the ${result.convTransposes} transposed convolutions per pass (${escapeHtml(paths)});
             batch norm, ReLU and tanh are TF.js's in both.</p>
          <p class="share">${escapeHtml(SPEC.name)}: z (100) → dense → 4×4×${SPEC.width} → four conv2dTranspose k4 s2 → 64×64×3, seeded untrained weights
             (smooth colour fields with texture, not a face).</p>`;
        $('model-status').textContent = `done; on the first click, preparing our layers (registerWithTfjs, until ready()) took ${ms(p.setupMs)} ms.`;
        api.last = result;
        api.state = 'done';
        return result;
      } catch (e) {
        api.state = `error: ${(e as Error).message}`;
        $('model-status').textContent = `failed: ${(e as Error).message}`;
        throw e;
      } finally {
        button.disabled = false;
      }
    },
  };
  button.addEventListener('click', () => { api.generate().catch(() => {}); });
  return api;
}
