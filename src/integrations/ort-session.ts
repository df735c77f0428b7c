/**
 * `webgpu-convtranspose/ort`: an ONNX model on ONNX Runtime Web with its ConvTranspose nodes run by this
 * library, behind InferenceSession's surface, so that swapping it in is a one-line change:
 *
 *   import * as ort from 'onnxruntime-web/webgpu';
 *   import { createOrtSession } from 'webgpu-convtranspose/ort';
 *   const session = await createOrtSession(ort, modelBytesOrUrl);   // was: ort.InferenceSession.create(...)
 *   const outputs = await session.run({ input: tensor });
 *
 * ORT is not imported here: the caller passes its module, so onnxruntime-web stays the application's choice.
 * The model is decoded with protobufjs (ort/onnx-model.ts), cut into ORT segments and our layers
 * (ort/partition.ts), each segment re-encoded as a model (ort/segment.ts) and run by ORT on WebGPU; our layers
 * run on ORT's own GPUDevice (`await ort.env.webgpu.device`), between the segments, on GPU buffers: no tensor
 * crosses to the CPU between two steps. docs/ort.md says how, and what stays with ORT.
 */
// The library through its main entry: in the build this stays an import of dist/webgpu-convtranspose.js (vite.config.ts).
import { createConvTranspose, shapeFromChannelsFirst, PATH_OPTIONS, type ConvTransposeLayer, type PathOption } from '../index';
import { decodeModel, encodeModel, ONNX_TYPES, ORT_TYPE_NAMES, declared, type OnnxModel } from './ort/onnx-model';
import { hereValues, partition, undeclaredConvTransposeInputs, type HereStep, type OrtPlanNode } from './ort/partition';
import { identityModel, segmentModel, type TensorType } from './ort/segment';
import { cutMs, layerMs, ortStepMs, verdictOf } from './ort/measure';
import type { OrtInferenceSessionLike, OrtLike, OrtTensorLike } from './ort/ort-types';

export type { OrtPlanNode } from './ort/partition';

export type { OrtInferenceSessionLike, OrtLike, OrtTensorLike } from './ort/ort-types';

/** Options of {@link createOrtSession}. */
export interface OrtSessionOptions {
  /** Which of our paths the ConvTranspose layers use (default `auto`). */
  path?: PathOption;
  /** `auto` only: time close paths once per device and problem (default true). */
  tune?: boolean;
  /**
   * The cost model's threshold: a ConvTranspose whose input shape is known from the model and which does fewer
   * FLOPs than this stays with ORT, as a cut (one more ORT run) would cost more than it gains (default 5e5;
   * 0 cuts at every ConvTranspose that can run here).
   */
  minFlops?: number;
  /**
   * Measure before cutting (default true): for each ConvTranspose at or above `minFlops` whose input shape is
   * known, ORT's kernels for it (run alone) are timed against our layer plus one cut, and the node runs here only
   * when that is faster. The plan gives the times. false: the `minFlops` threshold alone decides. Has no effect
   * with `minFlops: 0`, which cuts at every ConvTranspose that can run here.
   */
  measure?: boolean;
  /**
   * Hand tensors over channels-last at the cuts between ORT's segments and our layers (default true): ORT's
   * WebGPU provider runs its convolutions channels-last, and a Transpose at each end of a segment lets ORT's
   * optimizer cancel its own layout Transposes there (ort/partition.ts: channelsLastCuts). false: NCHW at
   * every cut, as the model's tensors are.
   */
  channelsLast?: boolean;
  /**
   * ORT's session options, for every segment. `executionProviders` defaults to `['webgpu']` (our layers need
   * ORT's WebGPU device); `preferredOutputLocation` says where the outputs the caller gets live, `cpu`
   * (default) or `gpu-buffer`, as ORT's does. Segments hand each other GPU buffers whatever it says.
   */
  sessionOptions?: { executionProviders?: unknown[]; preferredOutputLocation?: 'cpu' | 'gpu-buffer' | Record<string, 'cpu' | 'gpu-buffer'>; [other: string]: unknown };
}

/** Which ConvTranspose nodes run here, which stay with ORT and why, and the steps the model runs as. */
export interface OrtPlan {
  readonly nodes: readonly OrtPlanNode[];
  /** The steps in order: `ort(<n> nodes)` or `here(<node>)` (`here(<node>, channels-last)` at a channels-last cut). */
  readonly steps: readonly string[];
  /** Why nothing was cut, or null. */
  readonly whole: string | null;
  /** The measured check of the cut model against ORT alone (the whole model, best of 3 each), or null when not made. */
  readonly model: string | null;
  /** The plan as lines of text. */
  toString(): string;
}

/** Counts: what each run runs (nodes here and by ORT), and totals. */
export interface OrtSessionStats {
  /** Runs so far. */
  runs: number;
  /** Per run: ConvTranspose nodes run here (activations fused into them counted in `fused`), nodes run by ORT, ORT runs. */
  readonly perRun: { here: number; fused: number; ort: number; ortRuns: number };
  /** Prepared layers held now (one per ConvTranspose node and input shape). */
  layers: number;
}

/** InferenceSession's surface, with the plan and the counts. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly plan: OrtPlan;
  readonly stats: OrtSessionStats;
  /** As InferenceSession.run: feeds by input name; the outputs by name (all of them, or those of `fetches`). */
  run(feeds: Record<string, OrtTensorLike>, options?: object): Promise<Record<string, OrtTensorLike>>;
  run(feeds: Record<string, OrtTensorLike>, fetches: readonly string[], options?: object): Promise<Record<string, OrtTensorLike>>;
  /** Releases ORT's sessions and frees our layers and buffers. Idempotent. */
  release(): Promise<void>;
}

/**
 * How much faster than ORT alone the whole cut model must run to be kept: a cut that only ties gains nothing and
 * may lose, since a best of 3 on this check is within a few percent of the median a caller sees.
 */
const CUT_MARGIN = 0.05;

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

async function modelBytes(model: unknown): Promise<Uint8Array> {
  if (model instanceof Uint8Array) return model;
  if (model instanceof ArrayBuffer) return new Uint8Array(model);
  if (typeof model === 'string' || model instanceof URL) {
    const response = await fetch(model).catch((e: Error) => { throw new Error(`model: could not fetch ${String(model)}: ${e.message}`); });
    if (!response.ok) throw new Error(`model: fetching ${String(model)} gave HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  throw new TypeError(`model: expected ONNX bytes (Uint8Array, ArrayBuffer) or a URL, got ${model === null ? 'null' : typeof model}`);
}

function checkOrt(ort: unknown): asserts ort is OrtLike {
  const o = ort as Partial<OrtLike> | null;
  if (!o || typeof o.InferenceSession?.create !== 'function' || typeof o.Tensor?.fromGpuBuffer !== 'function' || !o.env?.webgpu) {
    throw new TypeError('ort: expected the onnxruntime-web module (import * as ort from \'onnxruntime-web/webgpu\'), 1.2x or later');
  }
}

function checkOptions(options: unknown): Required<Pick<OrtSessionOptions, 'path' | 'tune' | 'minFlops' | 'measure' | 'channelsLast'>> & Pick<OrtSessionOptions, 'sessionOptions'> {
  if (options === null || typeof options !== 'object') throw new TypeError(`options: expected an object, got ${options === null ? 'null' : typeof options}`);
  const o = options as OrtSessionOptions;
  const known = ['path', 'tune', 'minFlops', 'measure', 'channelsLast', 'sessionOptions'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new TypeError(`options: unknown option '${k}'; known: ${known.join(', ')}`);
  const { path = 'auto', tune = true, minFlops = 5e5, measure = true, channelsLast = true, sessionOptions } = o;
  if (!(PATH_OPTIONS as readonly unknown[]).includes(path)) throw new RangeError(`path: expected one of ${PATH_OPTIONS.join(', ')}, got ${JSON.stringify(path)}`);
  if (typeof tune !== 'boolean') throw new TypeError(`tune: expected a boolean, got ${typeof tune}`);
  if (typeof measure !== 'boolean') throw new TypeError(`measure: expected a boolean, got ${typeof measure}`);
  if (typeof channelsLast !== 'boolean') throw new TypeError(`channelsLast: expected a boolean, got ${typeof channelsLast}`);
  if (typeof minFlops !== 'number' || !(minFlops >= 0)) throw new RangeError(`minFlops: expected a number ≥ 0, got ${String(minFlops)}`);
  if (sessionOptions !== undefined && (sessionOptions === null || typeof sessionOptions !== 'object')) throw new TypeError('sessionOptions: expected an object (ORT\'s session options)');
  const where = sessionOptions?.preferredOutputLocation;
  const locations = where === undefined ? [] : typeof where === 'string' ? [where] : Object.values(where);
  for (const l of locations) if (l !== 'cpu' && l !== 'gpu-buffer') throw new RangeError(`sessionOptions.preferredOutputLocation: expected 'cpu' or 'gpu-buffer', got ${JSON.stringify(l)}`);
  return { path, tune, minFlops, measure, channelsLast, sessionOptions };
}

/** Bytes of a CPU tensor's data, padded to a multiple of 4 (writeBuffer's rule). */
function hostBytes(t: OrtTensorLike): Uint8Array {
  const d = t.data as ArrayBufferView;
  const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  if (bytes.length % 4 === 0) return bytes;
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  return padded;
}

/** Reads one of our output buffers back (what ORT's getData() calls for a tensor we made). */
async function download(device: GPUDevice, buffer: GPUBuffer, bytes: number, type: 'float32' | 'float16', dims: readonly number[]): Promise<Float32Array | Uint16Array> {
  const staging = device.createBuffer({ label: 'ort download', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const data = staging.getMappedRange().slice(0);
    const count = dims.reduce((a, b) => a * b, 1);
    return type === 'float16' ? new Uint16Array(data, 0, count) : new Float32Array(data, 0, count);
  } finally {
    staging.destroy();
  }
}

/**
 * The shapes of the ConvTranspose inputs the model does not declare, from ORT's shape inference: a session of
 * the model with those tensors as extra outputs, on ORT's CPU provider (it is never run, and it leaves ORT's
 * WebGPU device alone), whose outputMetadata gives them. Empty when the model declares them all, or when ORT
 * cannot make that session: the cost model then treats those shapes as unknown.
 */
async function inferredShapes(ort: OrtLike, model: OnnxModel): Promise<Map<string, (number | string)[]>> {
  const graph = model.graph!;
  const wanted = undeclaredConvTransposeInputs(graph).filter((name) => !graph.output.some((v) => v.name === name));
  const shapes = new Map<string, (number | string)[]>();
  if (wanted.length === 0) return shapes;
  try {
    const probe = encodeModel({ ...model, graph: { ...graph, output: [...graph.output, ...wanted.map((name) => ({ name }))] } });
    const s = await ort.InferenceSession.create(probe, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
    for (const m of s.outputMetadata ?? []) if (wanted.includes(m.name) && m.shape && m.shape.length > 0) shapes.set(m.name, [...m.shape]);
    await s.release();
  } catch {
    // No inference: the shapes stay unknown, and the plan says so.
  }
  return shapes;
}

/**
 * Creates a session for an ONNX model (bytes or a URL) that runs its ConvTranspose nodes with this library
 * and everything else with ONNX Runtime Web, on ORT's WebGPU device. Throws for a model that cannot run
 * (truncated bytes, an unknown opset, a ConvTranspose whose weight contradicts its group: the error names the
 * node) and for bad arguments (naming them).
 */
export async function createOrtSession(ort: OrtLike, model: Uint8Array | ArrayBuffer | string | URL, options: OrtSessionOptions = {}): Promise<OrtSession> {
  checkOrt(ort);
  const o = checkOptions(options);
  const bytes = await modelBytes(model);
  const decoded = decodeModel(bytes);
  const shapes = o.minFlops > 0 ? await inferredShapes(ort, decoded) : undefined;
  let cut = partition(decoded, { minFlops: o.minFlops, shapes, channelsLast: o.channelsLast });
  const graph = decoded.graph!;
  const initializerNames = new Set(graph.initializer.map((t) => t.name ?? ''));
  const inputNames = graph.input.map((v) => v.name).filter((n) => !initializerNames.has(n));
  const outputNames = graph.output.map((v) => v.name);
  const where = o.sessionOptions?.preferredOutputLocation;
  const locationOf = (name: string) => (typeof where === 'string' ? where : where?.[name] ?? 'cpu');
  const base = { executionProviders: ['webgpu'], ...o.sessionOptions };

  // Our layers, per node and input shape, on ORT's device.
  let device: GPUDevice | null = null;
  const layers = new Map<string, Promise<ConvTransposeLayer>>();
  const stats: OrtSessionStats = { runs: 0, layers: 0, perRun: { here: 0, fused: 0, ort: 0, ortRuns: 0 } };
  // Keyed by node and layout, then input shape (`layout|dims`; the first part is JSON, so a '|' in a name is safe).
  const layoutKey = (step: HereStep) => JSON.stringify([step.name, step.channelsLast]);
  const layerFor = (step: HereStep, dims: readonly number[]) => {
    const key = `${layoutKey(step)}|${dims.join(',')}`;
    let layer = layers.get(key);
    if (!layer) {
      layer = createConvTranspose(device!, {
        inputShape: dims, weight: { data: step.weight.data, shape: step.weightShape }, bias: step.bias?.data ?? null,
        ...step.attributes, activation: step.activation, dataType: step.dataType, path: o.path, tune: o.tune, label: `ort ${step.name}`,
        inputLayout: step.channelsLast ? 'nhwc' : 'nchw',
      }).catch((e: Error) => { layers.delete(key); throw new Error(`node '${step.name}' (ConvTranspose) on input [${dims}]: ${e.message}`); });
      layers.set(key, layer);
      layer.then(() => { stats.layers++; }, () => {});
    }
    return layer;
  };
  const dropLayers = async (keep: (key: string) => boolean) => {
    for (const [key, layer] of [...layers]) {
      if (keep(key)) continue;
      layers.delete(key);
      await layer.then((l) => { l.destroy(); stats.layers--; }, () => {});
    }
  };

  // ORT 1.31 makes its WebGPU device when its first WebGPU session is created, and destroys it when its last
  // session is released: a one-node session of ORT's holds it while the cuts are measured, and for the
  // session's life when the model is all ours.
  let holder: OrtInferenceSessionLike | null = null;
  const takeDevice = async () => {
    try {
      holder ??= await ort.InferenceSession.create(identityModel(), base);
    } catch (e) {
      throw new Error(`ort: could not start ORT's WebGPU provider: ${(e as Error).message}`);
    }
    const d = (await ort.env.webgpu.device) as GPUDevice | null;
    if (!d || typeof d.createBuffer !== 'function') {
      throw new Error('ort: ORT has no WebGPU device (env.webgpu.device); sessionOptions.executionProviders must include \'webgpu\'');
    }
    return d;
  };
  const dropHolder = async () => { const h = holder; holder = null; await h?.release(); };
  const sessions: (OrtInferenceSessionLike | null)[] = [];
  const releaseAll = async () => {
    await dropLayers(() => false);
    for (const s of sessions) await s?.release();
    await dropHolder();
  };
  try {
    const measured = cut.steps.filter((s): s is HereStep => s.kind === 'here' && s.inputShape !== null);
    if (o.measure && o.minFlops > 0 && measured.length > 0) {
      // Measured cuts: ORT's kernels for each node against our layer plus one cut (ort/measure.ts).
      device = await takeDevice();
      const cost = await cutMs(ort, device, base);
      const verdicts = new Map<string, { runs: 'here' | 'ort'; reason: string }>();
      for (const step of measured) {
        const oursMs = await layerMs(device, await layerFor(step, shapeFromChannelsFirst(step.inputShape!, step.channelsLast ? 'nhwc' : 'nchw', false)));
        let ortMs: number | null = null;
        let error: string | undefined;
        try { ortMs = await ortStepMs(ort, device, decoded, step, base); } catch (e) { error = (e as Error).message.split('\n')[0]; }
        verdicts.set(step.name, verdictOf(ortMs, oursMs, cost, error));
      }
      cut = partition(decoded, { minFlops: o.minFlops, shapes, verdicts, channelsLast: o.channelsLast });
      // The layers measured in the layout the final cut runs them in stay.
      const kept = new Set(cut.steps.filter((s): s is HereStep => s.kind === 'here').map(layoutKey));
      await dropLayers((key) => kept.has(key.slice(0, key.lastIndexOf('|'))));
    }

    // ORT's sessions, in order: each segment's input types come from the graph or from the steps before it.
    const types = new Map<string, TensorType>();
    for (const v of [...graph.input, ...graph.value_info]) {
      const d = declared(v);
      if (d.elemType) types.set(v.name, { elemType: d.elemType, shape: d.shape });
    }
    for (const [k, step] of cut.steps.entries()) {
      if (step.kind === 'here') {
        // By type only: given static shapes, ORT's layout pass turns more of a segment channels-last and adds
        // Transposes at its ends, which made the segments slower (measured: a DCGAN's cut model 7× slower).
        types.set(hereValues(step).writes, { elemType: step.dataType === 'float16' ? ONNX_TYPES.float16 : ONNX_TYPES.float });
        sessions.push(null);
        continue;
      }
      const whole = cut.steps.length === 1; // nothing cut: ORT runs the model's own bytes
      const session = await ort.InferenceSession.create(whole ? bytes : segmentModel(decoded, step, k, types), {
        ...base, preferredOutputLocation: whole ? where ?? 'cpu' : 'gpu-buffer',
      }).catch((e: Error) => {
        const names = step.nodes.map((n) => `'${n.name ?? n.op_type}'`);
        throw new Error(`${whole ? 'model' : `model: ORT segment ${k} (nodes ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`}: ORT could not create its session: ${e.message}`);
      });
      sessions.push(session);
      for (const m of session.outputMetadata ?? []) {
        const elemType = Number(Object.entries(ORT_TYPE_NAMES).find(([, name]) => name === m.type)?.[0]);
        if (m.isTensor && elemType) types.set(m.name, { elemType });
      }
    }
    if (cut.steps.some((s) => s.kind === 'here')) {
      device ??= await takeDevice();
      // The holder stays only when no session of ORT's holds the device.
      if (sessions.some((s) => s)) await dropHolder();
    } else await dropHolder();
  } catch (e) {
    await releaseAll();
    throw e;
  }
  // Where each tensor is last read, so that intermediates are freed right after; the counts; the plan. Set
  // again if the whole-model check below finds the model faster uncut.
  const lastRead = new Map<string, number>();
  let plan!: OrtPlan;
  let modelCheck: string | null = null;
  const adopt = () => {
    const hereSteps = cut.steps.filter((s): s is HereStep => s.kind === 'here');
    lastRead.clear();
    cut.steps.forEach((s, k) => (s.kind === 'ort' ? s.inputs : [hereValues(s).reads]).forEach((name) => lastRead.set(name, k)));
    stats.perRun.here = hereSteps.length;
    stats.perRun.fused = hereSteps.filter((s) => s.activation).length;
    stats.perRun.ort = cut.steps.reduce((a, s) => a + (s.kind === 'ort' ? s.nodes.length : 0), 0);
    stats.perRun.ortRuns = sessions.filter((s) => s).length;
    plan = {
      nodes: cut.plan,
      steps: cut.steps.map((s) => (s.kind === 'ort' ? `ort(${s.nodes.length} nodes)` : `here(${s.name}${s.channelsLast ? ', channels-last' : ''})`)),
      whole: cut.whole,
      model: modelCheck,
      toString() {
        return [
          `steps: ${this.steps.join(' → ')}`,
          ...(this.whole ? [this.whole] : this.model ? [this.model] : []),
          ...this.nodes.map((n) => `${n.node}: ${n.runs === 'here' ? 'here' : 'ORT'}${n.fused ? ` (+ ${n.fused})` : ''}: ${n.reason}`),
        ].join('\n');
      },
    };
  };
  adopt();
  let released = false;

  /** Runs one of our steps: its input on the GPU (uploaded when the caller fed a CPU tensor), our pass, a GPU tensor out. */
  const runHere = async (step: HereStep, x: OrtTensorLike): Promise<OrtTensorLike> => {
    const want = step.dataType;
    if (x.type !== want) throw new TypeError(`node '${step.name}' (ConvTranspose): input '${step.input}' is ${x.type}, the weights are ${want}`);
    const layer = await layerFor(step, x.dims);
    const dev = device!;
    let upload: GPUBuffer | null = null;
    let input: GPUBuffer;
    if (x.location === 'gpu-buffer') input = x.gpuBuffer as GPUBuffer;
    else {
      const data = hostBytes(x);
      upload = dev.createBuffer({ label: `ort ${step.name} input`, size: Math.max(data.length, layer.inputBytes), usage: USAGE() });
      dev.queue.writeBuffer(upload, 0, data);
      input = upload;
    }
    const output = dev.createBuffer({ label: `ort ${step.name} output`, size: layer.outputBytes, usage: USAGE() });
    const encoder = dev.createCommandEncoder({ label: `ort ${step.name}` });
    try {
      layer.encode(encoder, input, output);
    } catch (e) {
      output.destroy();
      upload?.destroy();
      throw e;
    }
    dev.queue.submit([encoder.finish()]);
    // Destroying after submit is fine: WebGPU keeps a buffer alive for the work already submitted.
    upload?.destroy();
    return ort.Tensor.fromGpuBuffer(output, { dataType: want, dims: layer.outputShape, download: () => download(dev, output, layer.outputBytes, want, layer.outputShape), dispose: () => output.destroy() });
  };

  async function run(feeds: Record<string, OrtTensorLike>, fetchesOrOptions?: readonly string[] | object, maybeOptions?: object): Promise<Record<string, OrtTensorLike>> {
    if (released) throw new Error('run: the session was released');
    if (!feeds || typeof feeds !== 'object') throw new TypeError('feeds: expected an object of tensors by input name');
    const fetches = Array.isArray(fetchesOrOptions) ? fetchesOrOptions as readonly string[] : outputNames;
    const runOptions = Array.isArray(fetchesOrOptions) ? maybeOptions : fetchesOrOptions;
    for (const name of inputNames) if (!(name in feeds)) throw new Error(`feeds: input '${name}' is missing (inputs: ${inputNames.join(', ')})`);
    for (const name of fetches) if (!outputNames.includes(name)) throw new Error(`fetches: '${name}' is not an output of the model (outputs: ${outputNames.join(', ')})`);
    if (cut.steps.length === 1 && sessions[0]) {
      // Nothing cut: ORT runs the model as it is.
      stats.runs++;
      return sessions[0]!.run(feeds, runOptions);
    }
    const values = new Map<string, OrtTensorLike>();
    const ours = new Set<OrtTensorLike>();
    const free = (k: number) => {
      for (const [name, t] of values) {
        if ((lastRead.get(name) ?? -1) <= k && !outputNames.includes(name) && ours.has(t)) { t.dispose(); ours.delete(t); values.delete(name); }
      }
    };
    try {
      for (const [k, step] of cut.steps.entries()) {
        const read = (name: string) => values.get(name) ?? feeds[name];
        if (step.kind === 'here') {
          const { reads, writes } = hereValues(step);
          const y = await runHere(step, read(reads));
          values.set(writes, y);
          ours.add(y);
        } else {
          const stepFeeds: Record<string, OrtTensorLike> = {};
          for (const name of step.inputs) { const t = read(name); if (t) stepFeeds[name] = t; }
          const result = await sessions[k]!.run(stepFeeds, runOptions);
          for (const name of step.outputs) { values.set(name, result[name]); ours.add(result[name]); }
          for (const [name, t] of Object.entries(result)) if (!step.outputs.includes(name)) t.dispose();
        }
        free(k);
      }
      const out: Record<string, OrtTensorLike> = {};
      for (const name of fetches) {
        const t = values.get(name) ?? feeds[name];
        if (locationOf(name) === 'cpu' && t.location === 'gpu-buffer') {
          // getData(true) downloads and frees the GPU copy.
          const data = await t.getData(true);
          out[name] = new ort.Tensor(t.type, data, t.dims);
        } else out[name] = t;
        ours.delete(t);
      }
      stats.runs++;
      return out;
    } finally {
      for (const t of ours) t.dispose();
    }
  }

  if (o.measure && o.minFlops > 0 && cut.steps.some((s) => s.kind === 'here')) {
    try {
      await checkWholeModel();
    } catch (e) {
      await releaseAll();
      throw e;
    }
  }

  /**
   * The measured check of the whole cut: the model run through the cut and by ORT alone (its own bytes, one
   * session), alternated, best of 3 each after a warm-up, on zero inputs of the declared shapes. The cut stays
   * only when it is faster: a cut also costs what no single node shows (ORT's layout Transposes at the
   * segments' ends, fusions lost across a cut). Made only when every input has a static shape and a float type.
   */
  async function checkWholeModel(): Promise<void> {
    const feeds: Record<string, OrtTensorLike> = {};
    for (const name of inputNames) {
      const d = declared(graph.input.find((v) => v.name === name));
      const shape = d.shape;
      if (!shape || !shape.every((n): n is number => typeof n === 'number') || (d.elemType !== ONNX_TYPES.float && d.elemType !== ONNX_TYPES.float16)) return;
      const count = shape.reduce((a, b) => a * b, 1);
      feeds[name] = new ort.Tensor(d.elemType === ONNX_TYPES.float ? 'float32' : 'float16', d.elemType === ONNX_TYPES.float ? new Float32Array(count) : new Uint16Array(count), shape);
    }
    const ms = (v: number) => `${Number(v.toPrecision(3))} ms`;
    const time = async (go: () => Promise<Record<string, OrtTensorLike>>) => {
      const t0 = performance.now();
      const out = await go();
      await device!.queue.onSubmittedWorkDone();
      const ms = performance.now() - t0;
      for (const t of Object.values(out)) if (t.location === 'gpu-buffer') t.dispose();
      return ms;
    };
    let whole: OrtInferenceSessionLike | null = null;
    try {
      whole = await ort.InferenceSession.create(bytes, { ...base, preferredOutputLocation: where ?? 'cpu' });
      await whole.run(feeds);
    } catch (e) {
      // ORT alone cannot run the model here (float16 kernels on an adapter without shader-f16, say): the cut stays.
      await whole?.release();
      modelCheck = `measured, the whole model: ORT alone could not run it (${(e as Error).message.split('\n')[0]}); the cut stays`;
      adopt();
      return;
    }
    let cutMs = Infinity, wholeMs = Infinity;
    for (let i = 0; i < 4; i++) {
      const c = await time(() => run(feeds));
      const w = await time(() => whole!.run(feeds));
      if (i > 0) { cutMs = Math.min(cutMs, c); wholeMs = Math.min(wholeMs, w); }
    }
    stats.runs = 0;
    if (cutMs < (1 - CUT_MARGIN) * wholeMs) {
      await whole.release();
      modelCheck = `measured, the whole model: cut ${ms(cutMs)} < ORT alone ${ms(wholeMs)} less ${CUT_MARGIN * 100}% (best of 3 each)`;
      adopt();
      return;
    }
    // ORT alone is faster: its session of the whole model replaces the cut.
    await dropLayers(() => false);
    for (const s of sessions) await s?.release();
    sessions.length = 0;
    sessions.push(whole);
    await dropHolder();
    cut = {
      steps: [{ kind: 'ort', nodes: graph.node, inputs: graph.input.map((v) => v.name), outputs: outputNames }],
      plan: cut.plan.map((n) => (n.runs === 'here' ? { node: n.node, runs: 'ort', reason: `${n.reason}; but the model as a whole ran faster uncut` } : n)),
      whole: `measured, the whole model: ORT alone ${ms(wholeMs)} less ${CUT_MARGIN * 100}% ≤ cut ${ms(cutMs)} (best of 3 each): the model runs whole with ORT`,
    };
    adopt();
  }

  return {
    inputNames, outputNames, stats,
    get plan() { return plan; },
    run: run as OrtSession['run'],
    async release() {
      if (released) return;
      released = true;
      // Our layers first: their buffers live on ORT's device, which ORT destroys with its last session.
      await releaseAll();
    },
  };
}

