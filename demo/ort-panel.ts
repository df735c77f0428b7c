/**
 * The demo's ONNX panel: the benchmark's DCGAN generator as an ONNX model (bench/ort-models.ts, seeded
 * weights, built in code), run on this page's GPU by ONNX Runtime Web alone and through `createOrtSession`
 * (ORT plus our ConvTranspose layers): the plan, both median timings (upload to read-back, alternated passes)
 * and the largest difference between the outputs. ORT and the model are loaded on the first click.
 */
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

/** What one click produced (also window.demo.ort's result, for a headless check). */
export interface OrtPanelResult { model: string; ortMs: number; oursMs: number; runs: number; maxAbsDiff: number; plan: string }

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export function setupOrtPanel(root: HTMLElement): { run(model?: string): Promise<OrtPanelResult> } {
  root.innerHTML = '<p><button>run it both ways</button> <span class="status"></span></p><pre></pre>';
  const button = root.querySelector('button')!;
  const status = root.querySelector('.status')!;
  const out = root.querySelector('pre')!;
  /** `model`: a name of bench/ort-models.ts (the button runs the DCGAN generator). */
  const run = async (model = 'dcgan-64'): Promise<OrtPanelResult> => {
    const ort = await import('onnxruntime-web/webgpu');
    ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
    ort.env.wasm.numThreads = 1;
    const { createOrtSession } = await import('../src/integrations/ort-session');
    const { benchOrtModels } = await import('../bench/ort-models');
    const m = benchOrtModels().find((x) => x.name === model);
    if (!m) throw new Error(`model: unknown ${model}; known: ${benchOrtModels().map((x) => x.name).join(', ')}`);
    const feeds = () => Object.fromEntries(Object.entries(m.feeds).map(([k, f]) => [k, new ort.Tensor(f.type, f.data, f.dims)]));
    status.textContent = 'preparing: ORT alone and ORT + ours (first runs compile shaders)…';
    const plain = await ort.InferenceSession.create(m.bytes, { executionProviders: ['webgpu'] });
    const ours = await createOrtSession(ort, m.bytes);
    try {
      const pass = async (s: { run(f: Record<string, unknown>): Promise<Record<string, { data: unknown }>>; outputNames: readonly string[] }) => {
        const t0 = performance.now();
        const r = await s.run(feeds());
        return { ms: performance.now() - t0, y: r[s.outputNames[0]].data as Float32Array };
      };
      await pass(plain);
      await pass(ours as never);
      const ms = { ort: [] as number[], ours: [] as number[] };
      let a: ArrayLike<number> = [], b: ArrayLike<number> = [];
      for (let round = 0; round < 6; round++) {
        status.textContent = `round ${round + 1} of 6…`;
        for (const way of round % 2 ? ['ours', 'ort'] as const : ['ort', 'ours'] as const) {
          const r = await pass(way === 'ort' ? plain : ours as never);
          ms[way].push(r.ms);
          if (way === 'ort') a = r.y; else b = r.y;
        }
      }
      const maxAbsDiff = Array.from(a).reduce((mx, v, i) => Math.max(mx, Math.abs(v - b[i])), 0);
      const result = { model: m.name, ortMs: median(ms.ort), oursMs: median(ms.ours), runs: 6, maxAbsDiff, plan: ours.plan.toString() };
      out.textContent = `${m.name}: ORT Web alone ${result.ortMs.toFixed(1)} ms, with createOrtSession ${result.oursMs.toFixed(1)} ms ` +
        `(${(result.ortMs / result.oursMs).toFixed(2)}×; medians of 6, upload to read-back); largest difference ${maxAbsDiff.toExponential(1)}\n\n${result.plan}`;
      status.textContent = 'done';
      return result;
    } finally {
      await ours.release();
      await plain.release();
    }
  };
  button.addEventListener('click', () => {
    button.disabled = true;
    run().catch((e: Error) => { status.textContent = `error: ${e.message}`; }).finally(() => { button.disabled = false; });
  });
  return { run };
}
