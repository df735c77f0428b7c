/**
 * The graph cut: which ConvTranspose nodes run here (constant weights, a type and rank we run, worth a cut) and
 * the steps the model then runs as, in topological order: ORT segments (runs of ORT's nodes) and our layers.
 * A tensor that crosses a cut is an output of the step that makes it and an input of every later step that
 * reads it, however many cuts it skips (U-Net skips).
 */
// Through the main entry, as ort-session.ts: the build keeps it an import of dist/webgpu-convtranspose.js.
import { flopsOf, resolveConvTranspose, type Activation, type ConvTransposeAttributes } from '../../index';
import {
  attribute, declared, intsOf, stringOf, tensorValues, ONNX_TYPES,
  type ConstantValues, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxTensor,
} from './onnx-model';

/** The highest opset of the default domain ('' or 'ai.onnx') this entry knows (ONNX 1.20). */
export const MAX_OPSET = 25;
/** Domains ORT Web runs besides the default one. */
const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft', 'com.ms.internal.nhwc', 'ai.onnx.preview.training']);
/**
 * Ops ORT's WebGPU provider runs channels-last (its layout pass moves them to the NHWC domain and transposes
 * around them): a segment with one of them has Transposes at its ends that a channels-last cut cancels.
 */
const CHANNELS_LAST_OPS = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']);
/** Activations fused into our pass. */
const FUSABLE = new Set(['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Clip']);

/** One ConvTranspose node in the plan: where it runs and why. */
export interface OrtPlanNode {
  /** The node's name (or `ConvTranspose#<index>` for an unnamed one). */
  readonly node: string;
  readonly runs: 'here' | 'ort';
  readonly reason: string;
  /** The activation node fused into our pass, if any (`Relu 'r1'`). */
  readonly fused?: string;
}

/** A ConvTranspose that runs here. */
export interface HereStep {
  readonly kind: 'here';
  readonly name: string;
  readonly input: string;
  /** What the step writes: the ConvTranspose's output, or the fused activation's. */
  readonly output: string;
  readonly weight: ConstantValues & { type: 'float32' | 'float16' };
  readonly weightShape: readonly number[];
  readonly bias: (ConstantValues & { type: 'float32' | 'float16' }) | null;
  readonly attributes: ConvTransposeAttributes;
  readonly activation: Activation | null;
  readonly dataType: 'float32' | 'float16';
  /** The ONNX nodes the step replaces (the Constant nodes only it reads, the ConvTranspose, the fused activation). */
  readonly nodes: readonly OnnxNode[];
  /** The input's shape when the model or ORT's shape inference gives it in full, and the FLOPs then. */
  readonly inputShape: readonly number[] | null;
  /** The output's shape when the input's is known (it types the ORT segments that read it). */
  readonly outputShape: readonly number[] | null;
  readonly flops: number | null;
  /**
   * The step reads and writes channels-last copies of its tensors (channelsLastName), which the ORT segments
   * around it make and take through Transpose nodes that ORT's layout pass cancels (channelsLastCuts).
   */
  readonly channelsLast: boolean;
}

/** A run of ORT's nodes. */
export interface OrtStep {
  readonly kind: 'ort';
  readonly nodes: readonly OnnxNode[];
  /** Transpose nodes added at the segment's ends for channels-last cuts: before its nodes, and after them. */
  readonly before?: readonly OnnxNode[];
  readonly after?: readonly OnnxNode[];
  /** Tensors it reads from graph inputs or earlier steps. */
  readonly inputs: readonly string[];
  /** Tensors it makes that later steps or the caller read. */
  readonly outputs: readonly string[];
}

export type Step = HereStep | OrtStep;

export interface Partition {
  readonly steps: readonly Step[];
  readonly plan: readonly OrtPlanNode[];
  /** Why the model runs whole with ORT (no cut), or null. */
  readonly whole: string | null;
}

export interface PartitionOptions {
  /** Cuts between an ORT segment and our layer hand tensors over channels-last (default true): channelsLastCuts. */
  readonly channelsLast?: boolean;
  /** Below this many FLOPs (for a known input shape) a ConvTranspose stays with ORT: its cut costs more than it gains. */
  readonly minFlops: number;
  /** Shapes known beyond the model's declarations (ORT's shape inference), by tensor name. */
  readonly shapes?: ReadonlyMap<string, readonly (number | string)[]>;
  /** Decisions made by measuring (ort-session.ts), by node name: they replace the cost model's for those nodes. */
  readonly verdicts?: ReadonlyMap<string, { readonly runs: 'here' | 'ort'; readonly reason: string }>;
}

/** The data inputs of the model's ConvTranspose nodes whose shape the model does not declare in full. */
export function undeclaredConvTransposeInputs(graph: OnnxGraph): string[] {
  const declaredShapes = new Map([...graph.input, ...graph.value_info].map((v) => [v.name, declared(v).shape]));
  return graph.node
    .filter((n) => n.op_type === 'ConvTranspose' && ((n.domain ?? '') === '' || n.domain === 'ai.onnx'))
    .map((n) => n.input[0])
    .filter((x) => !declaredShapes.get(x)?.every((d) => typeof d === 'number'));
}

/** FLOPs for people: 32 FLOP, 1.5 kFLOP, 2.3 MFLOP, 4.1 GFLOP. */
function showFlops(f: number): string {
  const [scale, unit] = f >= 1e9 ? [1e9, 'GFLOP'] : f >= 1e6 ? [1e6, 'MFLOP'] : f >= 1e3 ? [1e3, 'kFLOP'] : [1, 'FLOP'];
  return `${Number((f / scale).toPrecision(3))} ${unit}`;
}

const nodeName = (n: OnnxNode, i: number) => n.name || `${n.op_type}#${i}`;
const describe = (n: OnnxNode, i: number) => `node '${nodeName(n, i)}' (${n.op_type})`;

/** Refuses what no runtime could run: unknown opsets (naming the first node that uses one). */
function checkOpsets(model: OnnxModel, graph: OnnxGraph): void {
  const opsets = new Map<string, number>();
  for (const o of model.opset_import) opsets.set(o.domain === 'ai.onnx' ? '' : o.domain ?? '', Number(o.version));
  const functions = new Set((model.functions as { domain?: string; name?: string }[]).map((f) => `${f.domain ?? ''}:${f.name}`));
  graph.node.forEach((n, i) => {
    const domain = n.domain === 'ai.onnx' ? '' : n.domain ?? '';
    if (functions.has(`${n.domain ?? ''}:${n.op_type}`)) return;
    const version = opsets.get(domain);
    if (version === undefined) throw new Error(`model: ${describe(n, i)} uses domain '${domain}', which the model's opset_import does not list`);
    if (!KNOWN_DOMAINS.has(domain)) throw new Error(`model: ${describe(n, i)} uses domain '${domain}' (opset ${version}), an opset ONNX Runtime Web does not know`);
    if (domain === '' && (version < 1 || version > MAX_OPSET)) throw new Error(`model: ${describe(n, i)}: opset ${version} of the default domain is unknown (known: 1 to ${MAX_OPSET})`);
  });
}

/** The graph's nodes in topological order (ONNX requires it; a model that breaks it is sorted, stably). */
function topological(graph: OnnxGraph): number[] {
  const available = new Set<string>(['', ...graph.input.map((v) => v.name), ...graph.initializer.map((t) => t.name ?? '')]);
  const order: number[] = [];
  const pending = graph.node.map((_, i) => i);
  while (pending.length > 0) {
    const k = pending.findIndex((i) => graph.node[i].input.every((name) => available.has(name)));
    if (k < 0) {
      const n = graph.node[pending[0]];
      throw new Error(`model: ${describe(n, pending[0])} reads '${n.input.find((name) => !available.has(name))}', which no node, input or initializer makes (or the graph has a cycle)`);
    }
    const [i] = pending.splice(k, 1);
    order.push(i);
    for (const o of graph.node[i].output) available.add(o);
  }
  return order;
}

/** Whether a node holds a subgraph (If, Loop, Scan), whose outer-scope reads a cut would have to track. */
const hasSubgraph = (n: OnnxNode) => n.attribute.some((a) => a.g || (a.graphs?.length ?? 0) > 0);

/** A float32 scalar from a constant (Clip's min and max, LeakyRelu-like parameters). */
function scalar(v: ConstantValues | string | undefined): number | string {
  if (v === undefined || typeof v === 'string') return v ?? 'not a constant';
  if (v.data.length !== 1) return `${v.data.length} values`;
  if (v.type === 'float16') {
    const h = v.data[0], e = (h >> 10) & 31, m = h & 1023, s = h & 0x8000 ? -1 : 1;
    return s * (e === 0 ? m * 2 ** -24 : e === 31 ? (m ? NaN : Infinity) : (1 + m / 1024) * 2 ** (e - 15));
  }
  return v.data[0];
}

/** Splits the model into steps. Throws for models no runtime could run (with the node's name). */
export function partition(model: OnnxModel, options: PartitionOptions): Partition {
  const graph = model.graph!;
  checkOpsets(model, graph);
  for (const t of graph.initializer) {
    if (t.data_location === 1 || (t.external_data?.length ?? 0) > 0) {
      throw new Error(`model: initializer '${t.name}' has external data (data_location EXTERNAL); createOrtSession takes a self-contained model: save it with its weights inside (onnx.save_model(..., save_as_external_data=False))`);
    }
  }
  const order = topological(graph);
  const graphInputs = new Set(graph.input.map((v) => v.name));
  const graphOutputs = new Set(graph.output.map((v) => v.name));
  // Constants: initializers that are not also graph inputs (those the caller may override), and Constant nodes.
  const constants = new Map<string, OnnxTensor>();
  for (const t of graph.initializer) if (!graphInputs.has(t.name ?? '')) constants.set(t.name ?? '', t);
  const constantNode = new Map<string, number>();
  graph.node.forEach((n, i) => {
    const value = attribute(n, 'value');
    if (n.op_type === 'Constant' && (n.domain ?? '') === '' && value?.t) {
      constants.set(n.output[0], { ...value.t, name: n.output[0] });
      constantNode.set(n.output[0], i);
    }
  });
  const consumers = new Map<string, number[]>();
  graph.node.forEach((n, i) => n.input.forEach((name) => { if (name) consumers.set(name, [...(consumers.get(name) ?? []), i]); }));
  const shapes = new Map<string, (number | string)[] | undefined>();
  for (const v of [...graph.input, ...graph.value_info]) shapes.set(v.name, declared(v).shape);
  for (const [name, shape] of options.shapes ?? []) if (!shapes.get(name)?.every((d) => typeof d === 'number')) shapes.set(name, [...shape]);

  const plan: OrtPlanNode[] = [];
  const here = new Map<number, HereStep>();
  const absorbed = new Set<number>();
  const subgraphs = graph.node.filter(hasSubgraph);
  const whole = subgraphs.length > 0
    ? `the graph has subgraphs (${subgraphs.map((n) => `${n.op_type} '${n.name ?? ''}'`).join(', ')}): the model runs whole with ORT`
    : null;

  for (const i of order) {
    const n = graph.node[i];
    if (n.op_type !== 'ConvTranspose' || (n.domain ?? '') !== '' && n.domain !== 'ai.onnx') continue;
    const name = nodeName(n, i);
    const stay = (reason: string) => plan.push({ node: name, runs: 'ort', reason });
    const [x, w, b] = n.input;
    // A bad ConvTranspose is the model's error, whoever would run it.
    const group = Number(attribute(n, 'group')?.i ?? 1);
    const wt = constants.get(w);
    const wShape = wt ? (wt.dims ?? []).map(Number) : declared(graph.input.find((v) => v.name === w) ?? graph.value_info.find((v) => v.name === w)).shape;
    if (wShape && typeof wShape[0] === 'number') {
      if (!Number.isInteger(group) || group < 1) throw new Error(`model: ${describe(n, i)}: group ${group} is not a positive integer`);
      if (wShape[0] % group !== 0) throw new Error(`model: ${describe(n, i)}: weight shape [${wShape}] contradicts group ${group}: its first axis (input channels, ${wShape[0]}) is not a multiple of the group`);
      const xs = shapes.get(x);
      if (xs && typeof xs[1] === 'number' && xs[1] !== wShape[0]) throw new Error(`model: ${describe(n, i)}: weight shape [${wShape}] contradicts the input's ${xs[1]} channels (shape [${xs}])`);
      const ks = intsOf(attribute(n, 'kernel_shape'));
      if (ks && ks.join() !== wShape.slice(2).join()) throw new Error(`model: ${describe(n, i)}: kernel_shape [${ks}] contradicts weight shape [${wShape}]`);
    }
    if (whole) { stay('the model runs whole with ORT (subgraphs)'); continue; }
    if (!wt) { stay(`its weight '${w}' is ${graphInputs.has(w) ? 'a graph input' : 'computed in the graph'}, not a constant`); continue; }
    if (b && !constants.has(b)) { stay(`its bias '${b}' is not a constant`); continue; }
    const weight = tensorValues(wt);
    if (typeof weight === 'string' || weight.type === 'int') { stay(`weight: ${typeof weight === 'string' ? weight : 'integer data'}`); continue; }
    const bias = b ? tensorValues(constants.get(b)!) : null;
    if (typeof bias === 'string' || bias?.type === 'int') { stay(`bias: ${typeof bias === 'string' ? bias : 'integer data'}`); continue; }
    const attributes: ConvTransposeAttributes = { group };
    const autoPad = stringOf(attribute(n, 'auto_pad'));
    if (autoPad !== undefined && autoPad !== 'NOTSET') attributes.auto_pad = autoPad as ConvTransposeAttributes['auto_pad'];
    for (const key of ['strides', 'pads', 'dilations', 'output_padding', 'output_shape', 'kernel_shape'] as const) {
      const v = intsOf(attribute(n, key));
      if (v && v.length > 0) (attributes as Record<string, number[]>)[key] = v;
    }
    const shape = wt.dims!.map(Number);
    // The attributes are checked against the weight now (input channels from the weight, one spatial cell
    // stands in for the input): what the core refuses, ORT keeps.
    const xs = shapes.get(x);
    const known = xs?.every((d): d is number => typeof d === 'number') ? xs : null;
    let flops: number | null = null;
    let outputShape: number[] | null = null;
    try {
      const probe = known ?? [1, shape[0], ...shape.slice(2).map(() => 8)];
      const r = resolveConvTranspose(probe, shape, bias ? [bias.data.length] : null, attributes);
      if (known) { flops = flopsOf(r); outputShape = [...r.outputShape]; }
    } catch (e) {
      stay(`the core refuses its attributes: ${(e as Error).message}`);
      continue;
    }
    if (flops !== null && flops < options.minFlops) {
      stay(`cost model: ${showFlops(flops)}, under minFlops (${showFlops(options.minFlops)}): one cut (an extra ORT run and a pass of ours) costs more than it gains`);
      continue;
    }
    const verdict = options.verdicts?.get(name);
    if (verdict?.runs === 'ort') { stay(verdict.reason); continue; }
    // A following activation, when this node is its only producer and it is this node's only consumer.
    let output = n.output[0];
    let activation: Activation | null = null;
    let fused: string | undefined;
    const readers = consumers.get(output) ?? [];
    if (readers.length === 1 && !graphOutputs.has(output)) {
      const j = readers[0], a = graph.node[j];
      if (FUSABLE.has(a.op_type) && ((a.domain ?? '') === '' || a.domain === 'ai.onnx') && a.input[0] === output) {
        let act: Activation | null = null;
        let refused: string | null = null;
        if (a.op_type === 'Relu') act = 'relu';
        else if (a.op_type === 'Sigmoid') act = 'sigmoid';
        else if (a.op_type === 'Tanh') act = 'tanh';
        else if (a.op_type === 'LeakyRelu') act = { name: 'leakyRelu', alpha: attribute(a, 'alpha')?.f ?? 0.01 };
        else {
          // Clip: min and max as attributes (opset < 11) or constant inputs.
          const bound = (k: 1 | 2, attr: 'min' | 'max', none: number) => {
            const viaAttr = attribute(a, attr);
            if (viaAttr) return viaAttr.f ?? none;
            const input = a.input[k];
            if (!input) return none;
            const c = constants.get(input);
            return scalar(c ? tensorValues(c) : undefined);
          };
          const lo = bound(1, 'min', -Infinity), hi = bound(2, 'max', Infinity);
          if (typeof lo === 'number' && typeof hi === 'number') act = { name: 'clamp', min: lo, max: hi };
          else refused = `Clip's bounds: ${typeof lo === 'string' ? lo : hi}`;
        }
        if (act !== null) {
          activation = act;
          output = a.output[0];
          absorbed.add(j);
          fused = `${a.op_type} '${nodeName(a, j)}'`;
        } else if (refused) fused = undefined;
      }
    }
    const reason = verdict?.reason ?? (flops === null
      ? 'its input shape is known only at run time: runs here (layers are made per input shape)'
      : `cost model: ${showFlops(flops)}, at least minFlops (${showFlops(options.minFlops)})`);
    plan.push({ node: name, runs: 'here', reason, ...(fused ? { fused } : {}) });
    const producers = n.input.map((input) => constantNode.get(input)).filter((j): j is number => j !== undefined).map((j) => graph.node[j]);
    here.set(i, {
      kind: 'here', name, input: x, output, weight, weightShape: shape, bias: bias as HereStep['bias'], attributes, activation,
      dataType: weight.type, nodes: [...producers, n, ...(activation ? [graph.node[readers[0]]] : [])], inputShape: known as number[] | null, outputShape, flops,
      channelsLast: false,
    });
  }

  if (here.size === 0) {
    return { steps: [{ kind: 'ort', nodes: graph.node, inputs: graph.input.map((v) => v.name), outputs: graph.output.map((v) => v.name) }], plan, whole };
  }
  // Constant nodes whose every reader runs here are not needed by ORT.
  for (const [out, i] of constantNode) {
    const readers = consumers.get(out) ?? [];
    if (!graphOutputs.has(out) && readers.length > 0 && readers.every((j) => here.has(j) && graph.node[j].input[0] !== out)) absorbed.add(i);
  }
  // Steps in topological order; ORT nodes between two of ours form one segment.
  const groups: (number[] | HereStep)[] = [];
  for (const i of order) {
    if (absorbed.has(i)) continue;
    const step = here.get(i);
    if (step) { groups.push(step); continue; }
    const last = groups[groups.length - 1];
    if (Array.isArray(last)) last.push(i);
    else groups.push([i]);
  }
  // What each step reads at run time (ours: only its data input; weights are ours already). Initializers go
  // into every segment that reads them; Constant nodes' outputs are tensors like any other.
  const initializers = new Set(graph.initializer.map((t) => t.name ?? '').filter((name) => !graphInputs.has(name)));
  const reads = groups.map((g) => Array.isArray(g)
    ? [...new Set(g.flatMap((i) => graph.node[i].input).filter((name) => name && !initializers.has(name)))]
    : [g.input]);
  const steps: Step[] = groups.map((g, k) => {
    if (!Array.isArray(g)) return g;
    const made = new Set(g.flatMap((i) => graph.node[i].output));
    const later = new Set(reads.slice(k + 1).flat());
    return {
      kind: 'ort',
      nodes: g.map((i) => graph.node[i]),
      inputs: reads[k].filter((name) => !made.has(name)),
      outputs: [...made].filter((name) => name && (later.has(name) || graphOutputs.has(name))),
    };
  });
  const kept = steps.filter((s) => s.kind === 'here' || s.outputs.length > 0);
  return { steps: options.channelsLast === false ? kept : channelsLastCuts(kept, graphOutputs), plan, whole: null };
}

/** The name of a tensor's channels-last copy at a cut. */
export const channelsLastName = (name: string) => `${name}::channels-last`;

/** The tensors a step reads and writes at run time: its ONNX tensors, or their channels-last copies. */
export function hereValues(step: HereStep): { reads: string; writes: string } {
  return step.channelsLast ? { reads: channelsLastName(step.input), writes: channelsLastName(step.output) } : { reads: step.input, writes: step.output };
}

/** Transpose permutations of a rank: channels to last ([0, 2, ..., r-1, 1]) and back ([0, r-1, 1, ..., r-2]). */
function perms(rank: number): { toLast: number[]; toFirst: number[] } {
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2);
  return { toLast: [0, ...spatial, 1], toFirst: [0, rank - 1, ...spatial.map((a) => a - 1)] };
}

const transposeNode = (input: string, output: string, perm: number[]): OnnxNode => ({
  input: [input], output: [output], name: `${output}/transpose`, op_type: 'Transpose', domain: '',
  attribute: [{ name: 'perm', type: 7, ints: perm }],
});

/**
 * Channels-last cuts. ORT's WebGPU provider runs Conv (and ConvTranspose, pooling, ...) channels-last and, in
 * a segment fed NCHW tensors, transposes them at the segment's ends; on a CPU adapter such a Transpose costs as
 * much as the convolution it serves. A layer of ours whose input an ORT segment makes, and whose output only
 * ORT segments read (not the caller), runs channels-last instead (the library's inputLayout 'nhwc'): the
 * segment before it ends with a Transpose to channels-last, the segments after it begin with one back, and
 * ORT's transpose optimizer cancels each against its own layout Transposes, so neither side transposes at all.
 * Where ORT has nothing to cancel them with, each costs one Transpose: the measured whole-model check
 * (ort-session.ts) keeps a cut only when it wins.
 */
function channelsLastCuts(steps: readonly Step[], graphOutputs: ReadonlySet<string>): Step[] {
  const producer = new Map<string, Step>();
  for (const s of steps) if (s.kind === 'ort') for (const name of s.outputs) producer.set(name, s);
  const readsOf = (s: Step) => (s.kind === 'ort' ? s.inputs : [s.input]);
  // Only between segments that ORT runs channels-last: elsewhere the Transposes would be new work, not cancelled.
  const runsChannelsLast = (s: Step | undefined) =>
    s?.kind === 'ort' && s.nodes.some((n) => CHANNELS_LAST_OPS.has(n.op_type) && ((n.domain ?? '') === '' || n.domain === 'ai.onnx'));
  const out = steps.map((s, k): Step => {
    if (s.kind !== 'here' || graphOutputs.has(s.output) || !runsChannelsLast(producer.get(s.input))) return s;
    const readers = steps.slice(k + 1).filter((r) => readsOf(r).includes(s.output));
    return readers.length > 0 && readers.every(runsChannelsLast) ? { ...s, channelsLast: true } : s;
  });
  const channelsLast = out.filter((s): s is HereStep => s.kind === 'here' && s.channelsLast);
  // The rank of each tensor a channels-last step reads (made channels-last after its segment) or writes (made
  // NCHW again before each segment that reads it).
  const toLast = new Map(channelsLast.map((s) => [s.input, s.weightShape.length]));
  const fromLast = new Map(channelsLast.map((s) => [s.output, s.weightShape.length]));
  // A segment keeps an NCHW output only where something still reads it.
  const stillRead = new Set<string>(graphOutputs);
  for (const s of out) for (const name of s.kind === 'here' ? [hereValues(s).reads] : s.inputs) if (!fromLast.has(name)) stillRead.add(name);
  return out.map((s) => {
    if (s.kind !== 'ort') return s;
    const after = s.outputs.filter((name) => toLast.has(name)).map((name) => transposeNode(name, channelsLastName(name), perms(toLast.get(name)!).toLast));
    const before = s.inputs.filter((name) => fromLast.has(name)).map((name) => transposeNode(channelsLastName(name), name, perms(fromLast.get(name)!).toFirst));
    if (after.length === 0 && before.length === 0) return s;
    return {
      ...s, before, after,
      inputs: s.inputs.map((name) => (fromLast.has(name) ? channelsLastName(name) : name)),
      outputs: [...s.outputs.filter((name) => stillRead.has(name)), ...after.map((n) => n.output[0])],
    };
  });
}

export { ONNX_TYPES };
