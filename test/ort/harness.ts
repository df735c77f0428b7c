/**
 * In-page side of test/ort.test.ts: the test models (test/ort/models.ts) on plain ONNX Runtime Web (WebGPU)
 * and through createOrtSession, their outputs compared, and each ConvTranspose that runs here held to the
 * float64 reference on the tensors it read and wrote inside the model (the model with those tensors added
 * as graph outputs).
 */
import * as ort from 'onnxruntime-web/webgpu';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { createOrtSession, type OrtSession, type OrtTensorLike } from '../../src/integrations/ort-session';
import { decodeModel, encodeModel } from '../../src/integrations/ort/onnx-model';
import { resolveConvTranspose, scatterReference, resolveActivation, applyActivation, fromHalfBits, type PathOption } from '../../src/index';
import { compare, compareHalf, type Comparison } from '../support/compare';
import { badModels, GraphBuilder, smallModel, subgraphModel, testModels, type Feed, type TestModel } from '../../bench/onnx-models';

ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
// Threads need cross-origin isolation, which the dev server does not set up.
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const models = new Map<string, TestModel>([...testModels(), subgraphModel(), smallModel()].map((m) => [m.name, m]));

export interface Check { name: string; ok: boolean; detail: string }
export interface ModelResult { name: string; path: string; error: string | null; checks: Check[]; plan: string; ms: Record<string, number> }

const toTensor = (f: Feed) => new ort.Tensor(f.type, f.data, f.dims);
const feedsOf = (fs: Record<string, Feed>) => Object.fromEntries(Object.entries(fs).map(([k, f]) => [k, toTensor(f)]));

/** A tensor's values as numbers (float16 widened from its bits). */
async function values(t: OrtTensorLike | ort.Tensor): Promise<Float64Array> {
  const data = (t.location === 'cpu' ? t.data : await t.getData()) as ArrayLike<number>;
  return t.type === 'float16' && data instanceof Uint16Array ? Float64Array.from(data, fromHalfBits) : Float64Array.from(data as ArrayLike<number>);
}

const detail = (c: Comparison) => (c.ok ? `max abs err ${c.maxAbsErr.toExponential(2)}` : `first mismatch at index ${c.firstBad?.index}: got ${c.firstBad?.got}, expected ${c.firstBad?.expected} (max abs err ${c.maxAbsErr})`);

const plainOutputs = new Map<string, Promise<Float64Array[][]>>();

/** Plain ORT's outputs for each feed set of a model (cached). */
function plain(m: TestModel): Promise<Float64Array[][]> {
  let p = plainOutputs.get(m.name);
  if (!p) {
    p = (async () => {
      const s = await ort.InferenceSession.create(m.bytes, { executionProviders: ['webgpu'] });
      const all: Float64Array[][] = [];
      for (const fs of [m.feeds, ...(m.moreFeeds ?? [])]) {
        const out = await s.run(feedsOf(fs));
        all.push(await Promise.all(s.outputNames.map((n) => values(out[n]))));
      }
      await s.release();
      return all;
    })();
    plainOutputs.set(m.name, p);
  }
  return p;
}

/** The model with each ConvTranspose's input and output (its fused activation's) as graph outputs too. */
function inspected(m: TestModel): Uint8Array {
  const model = decodeModel(m.bytes);
  const g = model.graph!;
  const have = new Set([...g.input.map((v) => v.name), ...g.output.map((v) => v.name)]);
  for (const ct of m.cts) for (const name of [ct.input, ct.output]) if (!have.has(name)) { g.output.push({ name }); have.add(name); }
  return encodeModel(model);
}

async function runModel(name: string, path: PathOption, minFlops = 0): Promise<ModelResult> {
  const m = models.get(name)!;
  const checks: Check[] = [];
  const check = (what: string, ok: boolean, d = '') => checks.push({ name: what, ok, detail: d });
  let session: OrtSession | null = null;
  const ms: Record<string, number> = {};
  let t = performance.now();
  const lap = (what: string) => { const now = performance.now(); ms[what] = Math.round(now - t); t = now; };
  try {
    const expected = m.vsOrt ? await plain(m) : null;
    lap('plain');
    session = await createOrtSession(ort, inspected(m), { path, minFlops });
    lap('create');
    for (const n of m.here) check(`plan: ${n} runs here`, session.plan.nodes.some((p) => p.node === n && p.runs === 'here'), session.plan.toString());
    for (const n of m.ort) check(`plan: ${n} stays with ORT`, session.plan.nodes.some((p) => p.node === n && p.runs === 'ort'), session.plan.toString());
    check('stats: nodes run here per run', session.stats.perRun.here === m.here.length, JSON.stringify(session.stats));
    const outputNames = decodeModel(m.bytes).graph!.output.map((v) => v.name);
    for (const [k, fs] of [m.feeds, ...(m.moreFeeds ?? [])].entries()) {
      const feeds = feedsOf(fs);
      const out = await session.run(feeds);
      for (const [i, n] of outputNames.entries()) {
        if (out[n].location !== 'cpu') check(`output ${n} on the CPU`, false, out[n].location);
        const got = await values(out[n]);
        if (expected) {
          const c = compare(got, expected[k][i]);
          check(`feeds ${k}: output ${n} vs plain ORT`, c.ok, detail(c));
        }
      }
      for (const ct of m.cts) {
        if (!m.here.includes(ct.node)) continue;
        const x = await values(out[ct.input] ?? feeds[ct.input]);
        const dims = (out[ct.input] ?? feeds[ct.input]).dims;
        const r = resolveConvTranspose(dims, ct.weightShape, ct.bias ? [ct.bias.length] : null, ct.attributes);
        // float16: the step's input as float16 (what our layer reads), the reference in float64.
        const ref = applyActivation(scatterReference(r, x, ct.weight, ct.bias), resolveActivation(ct.activation));
        const got = await values(out[ct.output]);
        const c = m.dataType === 'float16' ? compareHalf(got, ref) : compare(got, ref);
        check(`feeds ${k}: ${ct.node} vs the float64 reference`, c.ok && got.length === ref.length, `${got.length} vs ${ref.length} values; ${detail(c)}`);
      }
      for (const t of Object.values(out)) t.dispose();
      lap(`run${k}`);
    }
    if (m.moreFeeds) check('a layer per input shape', session.stats.layers === m.here.length * (1 + m.moreFeeds.length), `${session.stats.layers} layers`);
    return { name, path, error: null, checks, plan: session.plan.toString(), ms };
  } catch (e) {
    return { name, path, error: (e as Error).stack ?? String(e), checks, plan: session?.plan.toString() ?? '', ms };
  } finally {
    await session?.release();
  }
}

/** The bad models: each refused with its error. */
async function badModelChecks(): Promise<Check[]> {
  const checks: Check[] = [];
  for (const b of badModels()) {
    let message = '(no error)';
    try {
      const s = await createOrtSession(ort, b.bytes);
      await s.release();
    } catch (e) {
      message = (e as Error).message;
    }
    checks.push({ name: b.name, ok: b.error.test(message), detail: message });
  }
  for (const [what, call, re] of [
    ['ort', () => createOrtSession({} as never, new Uint8Array(1)), /^ort: /],
    ['model', () => createOrtSession(ort, 42 as never), /^model: /],
    ['path', () => createOrtSession(ort, models.get('depthwise-1d-output-padding')!.bytes, { path: 'fast' as never }), /^path: /],
    ['minFlops', () => createOrtSession(ort, models.get('depthwise-1d-output-padding')!.bytes, { minFlops: -1 }), /^minFlops: /],
    ['channelsLast', () => createOrtSession(ort, models.get('depthwise-1d-output-padding')!.bytes, { channelsLast: 'yes' as never }), /^channelsLast: expected a boolean/],
    ['unknown option', () => createOrtSession(ort, models.get('depthwise-1d-output-padding')!.bytes, { paht: 'auto' } as never), /options: unknown option 'paht'/],
  ] as const) {
    let message = '(no error)';
    try { await (call as () => Promise<unknown>)(); } catch (e) { message = (e as Error).message; }
    checks.push({ name: `argument ${what}`, ok: re.test(message), detail: message });
  }
  return checks;
}

/**
 * `runs` runs of a model with every buffer on ORT's device counted: no buffer of ours left after each run
 * (beyond the layers'), no growth of ORT's, outputs bitwise identical run to run, none left after release().
 */
async function leakCheck(name: string, runs: number): Promise<Check[]> {
  const m = models.get(name)!;
  const session = await createOrtSession(ort, m.bytes, { minFlops: 0 });
  const device = (await ort.env.webgpu.device) as GPUDevice;
  const live = new Set<GPUBuffer>();
  const create = device.createBuffer;
  device.createBuffer = function (d: GPUBufferDescriptor) {
    const b = create.call(this, d);
    live.add(b);
    const destroy = b.destroy;
    b.destroy = function () { live.delete(b); destroy.call(this); };
    return b;
  };
  const checks: Check[] = [];
  try {
    const first = async () => {
      const out = await session.run(feedsOf(m.feeds));
      const bytes = new Uint8Array(((out[session.outputNames[0]].data) as Float32Array).buffer.slice(0));
      for (const t of Object.values(out)) t.dispose();
      return bytes;
    };
    const reference = await first();
    for (let i = 0; i < 3; i++) await first();
    const before = live.size;
    let differ = -1;
    for (let i = 0; i < runs; i++) {
      const b = await first();
      if (differ < 0 && (b.length !== reference.length || b.some((v, j) => v !== reference[j]))) differ = i;
    }
    // Per-run buffers of ours (a step's output, an uploaded feed, a read-back); the layers' own stay until release().
    const ours = [...live].filter((b) => /^ort .* (input|output)$|^ort download$/.test(b.label));
    checks.push({ name: `${runs} runs: no new buffers on ORT's device`, ok: live.size <= before, detail: `${before} before, ${live.size} after` });
    checks.push({ name: `${runs} runs: none of ours live between runs`, ok: ours.length === 0, detail: ours.map((b) => b.label).join(', ') });
    checks.push({ name: `${runs} runs: bitwise identical outputs`, ok: differ < 0, detail: differ < 0 ? '' : `run ${differ} differs` });
    checks.push({ name: 'the layer\'s buffers exist (the filter above sees ours)', ok: [...live].some((b) => b.label.startsWith('ort ')), detail: '' });
    checks.push({ name: 'runs here', ok: session.stats.perRun.here > 0 && session.stats.runs === runs + 4, detail: JSON.stringify(session.stats) });
  } finally {
    await session.release();
    await session.release();
    device.createBuffer = create;
  }
  checks.push({ name: 'release() twice: no layer left', ok: session.stats.layers === 0, detail: `${session.stats.layers}` });
  return checks;
}

/** Outputs kept on the GPU when asked (`preferredOutputLocation: 'gpu-buffer'`), as ORT does. */
async function gpuOutputs(): Promise<Check[]> {
  const m = models.get('depthwise-1d-output-padding')!;
  const session = await createOrtSession(ort, m.bytes, { minFlops: 0, sessionOptions: { preferredOutputLocation: 'gpu-buffer' } });
  try {
    const out = await session.run(feedsOf(m.feeds));
    const t = out[session.outputNames[0]];
    const location = t.location;
    const c = compare(await values(t), (await plain(m))[0][0]);
    t.dispose();
    return [{ name: 'gpu-buffer output', ok: location === 'gpu-buffer', detail: location }, { name: 'gpu-buffer output vs plain ORT', ok: c.ok, detail: detail(c) }];
  } finally {
    await session.release();
  }
}

/**
 * Plain ORT on a model with its session log at the verbose level, which includes the "Node placements" ORT
 * writes while it assigns the graph's nodes to its execution providers (ORT logs to the console; the test
 * reads the page's console).
 */
async function verboseSession(name: string): Promise<void> {
  const m = models.get(name)!;
  const level = ort.env.logLevel;
  ort.env.logLevel = 'verbose';
  try {
    const s = await ort.InferenceSession.create(m.bytes, { executionProviders: ['webgpu'], logSeverityLevel: 0, logVerbosityLevel: 0 });
    await s.run(feedsOf(m.feeds));
    await s.release();
  } finally {
    ort.env.logLevel = level;
  }
}

/** The plan createOrtSession makes for a model with the default options (or another minFlops). */
async function planOf(name: string, minFlops?: number): Promise<{ nodes: { node: string; runs: string; reason: string }[]; steps: readonly string[]; whole: string | null; model: string | null }> {
  const session = await createOrtSession(ort, models.get(name)!.bytes, minFlops === undefined ? {} : { minFlops });
  try {
    return { nodes: session.plan.nodes.map((n) => ({ ...n })), steps: [...session.plan.steps], whole: session.plan.whole, model: session.plan.model };
  } finally {
    await session.release();
  }
}

async function init(): Promise<{ ok: boolean; info: string }> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return { ok: false, info: 'navigator.gpu has no adapter' };
  // ORT destroys its device (and its compiled shaders) when its last session is released: one session held
  // for the page's life keeps them, so each model compiles ORT's shaders once, not once per path.
  const g = new GraphBuilder(1);
  g.output(g.node('Identity', [g.input('x', [1])], ['y']));
  await ort.InferenceSession.create(g.bytes(), { executionProviders: ['webgpu'] });
  return { ok: true, info: `onnxruntime-web ${ort.env.versions.web}` };
}

export const harness = {
  init, runModel, badModelChecks, leakCheck, gpuOutputs, verboseSession, planOf,
  modelNames: () => testModels().map((m) => m.name),
  fallbackNames: () => [subgraphModel().name, smallModel().name],
};
export type OrtHarness = typeof harness;
(window as unknown as { ortHarness: OrtHarness }).ortHarness = harness;
document.getElementById('status')!.textContent = 'ready';
