/**
 * ONNX models built in code for the ORT entry (webgpu-convtranspose/ort): the test models of test/ort.test.ts and
 * the benchmark's (bench/ort-models.ts), built in code with seeded random weights (no downloads) and
 * encoded with the entry's own protobufjs schema (plain ORT decoding the same bytes checks the field numbers).
 * Each records its ConvTranspose nodes (weights, attributes, the activation we should fuse) so that the test
 * can hold every one of them to the float64 reference.
 */
import { encodeModel, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from '../src/integrations/ort/onnx-model';
import { toHalfBits } from '../src/half';
import type { ConvTransposeAttributes } from '../src/shape';
import type { Activation } from '../src/activation';
import { mulberry32 } from './random';

/** `n` uniform values in [-1, 1) from `seed` (test/support/random.ts's randomData). */
export function randomData(seed: number, n: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

export interface Feed { type: 'float32' | 'float16'; data: Float32Array | Uint16Array; dims: number[] }

/** A ConvTranspose of a test model: what the float64 reference needs, and the tensors around it. */
export interface CtSpec {
  node: string;
  input: string;
  /** Its output, or the fused activation's. */
  output: string;
  weight: Float32Array;
  weightShape: number[];
  bias: Float32Array | null;
  attributes: ConvTransposeAttributes;
  activation: Activation | null;
}

export interface TestModel {
  name: string;
  bytes: Uint8Array;
  feeds: Record<string, Feed>;
  /** More feeds to run (another batch size). */
  moreFeeds?: Record<string, Feed>[];
  cts: CtSpec[];
  /** Nodes that must run here / stay with ORT (by the plan). */
  here: string[];
  ort: string[];
  dataType: 'float32' | 'float16';
  /** Compare with plain ORT (float16 models: with the reference only). */
  vsOrt: boolean;
}

type AttrValue = number | number[] | string | { f: number } | { t: OnnxTensor };
const FLOAT = 1, FLOAT16 = 10, INT64 = 7;

function attr(name: string, v: AttrValue): OnnxAttribute {
  if (typeof v === 'number') return { name, type: 2, i: v };
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if ('t' in v) return { name, type: 4, t: v.t };
  return { name, type: 1, f: v.f };
}

function le(data: Float32Array | Uint16Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  data.forEach((v: number | bigint, i: number) => {
    if (data instanceof Float32Array) view.setFloat32(4 * i, v as number, true);
    else if (data instanceof Uint16Array) view.setUint16(2 * i, v as number, true);
    else view.setBigInt64(8 * i, v as bigint, true);
  });
  return out;
}

export function tensor(name: string, dims: number[], data: Float32Array | Uint16Array | BigInt64Array): OnnxTensor {
  const data_type = data instanceof Float32Array ? FLOAT : data instanceof Uint16Array ? FLOAT16 : INT64;
  return { name, dims, data_type, raw_data: le(data) };
}

const valueInfo = (name: string, elemType: number, dims: (number | string)[]): OnnxValueInfo =>
  ({ name, type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } } });

const halfBits = (d: Float32Array) => Uint16Array.from(d, toHalfBits);

/** Builds one graph. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly inits: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  readonly cts: CtSpec[] = [];
  readonly feeds: Record<string, Feed> = {};
  private seed: number;
  constructor(seed: number, readonly dataType: 'float32' | 'float16' = 'float32') { this.seed = seed; }

  /** A graph input with random data for its feed (dims: numbers; a string marks a symbolic dim, fed as `feedDims`). */
  input(name: string, dims: (number | string)[], feedDims?: number[]): string {
    const elem = this.dataType === 'float16' ? FLOAT16 : FLOAT;
    this.inputs.push(valueInfo(name, elem, dims));
    const fd = feedDims ?? (dims as number[]);
    const data = randomData(this.seed++, fd.reduce((a, b) => a * b, 1));
    this.feeds[name] = this.dataType === 'float16' ? { type: 'float16', data: halfBits(data), dims: fd } : { type: 'float32', data, dims: fd };
    return name;
  }

  output(name: string): void {
    this.outputs.push({ name });
  }

  /** A random initializer scaled by `scale` (float32; float16 models store it as float16). */
  init(name: string, dims: number[], scale = 1, data?: Float32Array): string {
    const d = data ?? randomData(this.seed++, dims.reduce((a, b) => a * b, 1)).map((v) => v * scale);
    this.inits.push(tensor(name, dims, this.dataType === 'float16' ? halfBits(d) : d));
    return name;
  }

  ints(name: string, values: number[]): string {
    this.inits.push(tensor(name, [values.length], BigInt64Array.from(values.map(BigInt))));
    return name;
  }

  node(op: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name = outputs[0]): string {
    this.nodes.push({ input: inputs, output: outputs, name, op_type: op, attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)) });
    return outputs[0];
  }

  /**
   * A ConvTranspose node named `name` (output `name`), weight `[cin, coutG, ...k]` and bias as initializers (or
   * the weight as a Constant node), followed by `act` (a node of its own, which we should fuse).
   */
  ct(name: string, x: string, o: {
    cin: number; coutG: number; k: number[]; group?: number; bias?: boolean; attrs?: Record<string, number[] | number | string>;
    act?: { op: 'Relu' | 'Sigmoid' | 'Tanh' } | { op: 'LeakyRelu'; alpha: number } | { op: 'Clip'; min: number; max: number };
    constantNode?: boolean; fuse?: boolean;
  }): string {
    const group = o.group ?? 1;
    const wShape = [o.cin, o.coutG, ...o.k];
    const fan = o.cin / group * o.k.reduce((a, b) => a * b, 1);
    const w = randomData(this.seed++, wShape.reduce((a, b) => a * b, 1)).map((v) => v * 1.5 / Math.sqrt(fan));
    const wq = this.dataType === 'float16' ? Float32Array.from(halfBits(w), (h) => halfValue(h)) : w;
    const wName = `${name}.weight`;
    if (o.constantNode) this.node('Constant', [], [wName], { value: { t: tensor('', wShape, this.dataType === 'float16' ? halfBits(w) : w) } }, `${name}.const`);
    else this.init(wName, wShape, 1, w);
    const inputs = [x, wName];
    let bias: Float32Array | null = null;
    if (o.bias !== false) {
      const b = randomData(this.seed++, o.coutG * group).map((v) => v * 0.1);
      bias = this.dataType === 'float16' ? Float32Array.from(halfBits(b), (h) => halfValue(h)) : b;
      inputs.push(this.init(`${name}.bias`, [o.coutG * group], 1, b));
    }
    const attrs = { kernel_shape: o.k, ...(group > 1 ? { group } : {}), ...o.attrs };
    this.node('ConvTranspose', inputs, [name], attrs, name);
    let out = name;
    let activation: Activation | null = null;
    if (o.act) {
      out = `${name}.${o.act.op.toLowerCase()}`;
      if (o.act.op === 'LeakyRelu') { this.node('LeakyRelu', [name], [out], { alpha: { f: o.act.alpha } }); activation = { name: 'leakyRelu', alpha: Math.fround(o.act.alpha) }; }
      else if (o.act.op === 'Clip') {
        const lo = this.init(`${out}.min`, [], 1, Float32Array.of(o.act.min)), hi = this.init(`${out}.max`, [], 1, Float32Array.of(o.act.max));
        this.node('Clip', [name, lo, hi], [out]);
        activation = { name: 'clamp', min: o.act.min, max: o.act.max };
      } else { this.node(o.act.op, [name], [out]); activation = o.act.op === 'Relu' ? 'relu' : o.act.op === 'Sigmoid' ? 'sigmoid' : 'tanh'; }
    }
    const attributes: ConvTransposeAttributes = { ...(group > 1 ? { group } : {}) };
    for (const [k, v] of Object.entries(o.attrs ?? {})) (attributes as Record<string, unknown>)[k] = v;
    this.cts.push({
      node: name, input: x, output: o.fuse === false ? name : out, weight: wq, weightShape: wShape, bias, attributes,
      activation: o.fuse === false ? null : activation,
    });
    return out;
  }

  model(opset = 17, extra: Partial<OnnxModel> = {}): OnnxModel {
    return {
      ir_version: 8, producer_name: 'webgpu-convtranspose tests', opset_import: [{ domain: '', version: opset }], functions: [],
      graph: { name: 'test', node: this.nodes, initializer: this.inits, sparse_initializer: [], input: this.inputs, output: this.outputs, value_info: [] },
      ...extra,
    };
  }

  bytes(opset = 17): Uint8Array {
    return encodeModel(this.model(opset));
  }
}

function halfValue(h: number): number {
  const e = (h >> 10) & 31, m = h & 1023, s = h & 0x8000 ? -1 : 1;
  return s * (e === 0 ? m * 2 ** -24 : e === 31 ? (m ? NaN : Infinity) : (1 + m / 1024) * 2 ** (e - 15));
}

/** BatchNormalization with random positive variance. */
export function batchNorm(g: GraphBuilder, name: string, x: string, c: number): string {
  g.init(`${name}.scale`, [c], 0.5);
  g.init(`${name}.b`, [c], 0.1);
  g.init(`${name}.mean`, [c], 0.1);
  g.inits.push(tensor(`${name}.var`, [c], Float32Array.from({ length: c }, (_, i) => 0.5 + (i % 5) * 0.2)));
  return g.node('BatchNormalization', [x, `${name}.scale`, `${name}.b`, `${name}.mean`, `${name}.var`], [name]);
}

/** GELU spelled with Erf (x·½·(1 + erf(x/√2))), as exporters write it before opset 20. */
export function gelu(g: GraphBuilder, name: string, x: string): string {
  g.inits.push(tensor(`${name}.sqrt2`, [], Float32Array.of(Math.SQRT2)), tensor(`${name}.one`, [], Float32Array.of(1)), tensor(`${name}.half`, [], Float32Array.of(0.5)));
  g.node('Div', [x, `${name}.sqrt2`], [`${name}.d`]);
  g.node('Erf', [`${name}.d`], [`${name}.e`]);
  g.node('Add', [`${name}.e`, `${name}.one`], [`${name}.a`]);
  g.node('Mul', [x, `${name}.a`], [`${name}.m`]);
  return g.node('Mul', [`${name}.m`, `${name}.half`], [name]);
}

/** A channel LayerNorm (SAM's LayerNorm2d): NCHW → NHWC, LayerNormalization on the last axis, back. */
export function layerNorm2d(g: GraphBuilder, name: string, x: string, c: number): string {
  g.node('Transpose', [x], [`${name}.t`], { perm: [0, 2, 3, 1] });
  g.init(`${name}.scale`, [c], 0.5);
  g.init(`${name}.bias`, [c], 0.1);
  g.node('LayerNormalization', [`${name}.t`, `${name}.scale`, `${name}.bias`], [`${name}.n`], { axis: -1, epsilon: { f: 1e-5 } });
  return g.node('Transpose', [`${name}.n`], [name], { perm: [0, 3, 1, 2] });
}

export function conv(g: GraphBuilder, name: string, x: string, cin: number, cout: number, k: number[], attrs: Record<string, number[] | number> = {}): string {
  g.init(`${name}.w`, [cout, cin, ...k], 1 / Math.sqrt(cin * k.reduce((a, b) => a * b, 1)));
  g.init(`${name}.b`, [cout], 0.1);
  return g.node('Conv', [x, `${name}.w`, `${name}.b`], [name], { kernel_shape: k, ...attrs });
}

export function finish(name: string, g: GraphBuilder, extra: Partial<TestModel> = {}, opset = 17): TestModel {
  return {
    name, bytes: g.bytes(opset), feeds: g.feeds, cts: g.cts, here: g.cts.map((c) => c.node), ort: [], dataType: g.dataType, vsOrt: true, ...extra,
  };
}

/** DCGAN generator: z → ConvTranspose k4 (s1, then s2 p1) with BatchNorm and Relu, Tanh last (fused). */
function dcgan(): TestModel {
  const g = new GraphBuilder(101);
  let x = g.input('z', [1, 16, 1, 1]);
  x = g.ct('ct1', x, { cin: 16, coutG: 32, k: [4, 4], bias: false });
  x = g.node('Relu', [batchNorm(g, 'bn1', x, 32)], ['relu1']);
  x = g.ct('ct2', x, { cin: 32, coutG: 16, k: [4, 4], bias: false, attrs: { strides: [2, 2], pads: [1, 1, 1, 1] } });
  x = g.node('Relu', [batchNorm(g, 'bn2', x, 16)], ['relu2']);
  x = g.ct('ct3', x, { cin: 16, coutG: 3, k: [4, 4], attrs: { strides: [2, 2], pads: [1, 1, 1, 1] }, act: { op: 'Tanh' } });
  g.output(x);
  return finish('dcgan-generator', g);
}

/** U-Net decoder: an encoder's skips (one of them a graph input) concatenated after each ConvTranspose. */
function unet(): TestModel {
  const g = new GraphBuilder(202);
  const x = g.input('x', [1, 4, 16, 16]);
  const a = g.node('Relu', [conv(g, 'enc1', x, 4, 8, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] })], ['a']);
  const b = g.node('Relu', [conv(g, 'enc2', a, 8, 16, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] })], ['b']);
  const u1 = g.ct('up1', b, { cin: 16, coutG: 8, k: [2, 2], attrs: { strides: [2, 2] } });
  const c1 = g.node('Concat', [u1, a], ['cat1'], { axis: 1 });
  const d1 = g.node('Relu', [conv(g, 'dec1', c1, 16, 8, [3, 3], { pads: [1, 1, 1, 1] })], ['d1']);
  const u2 = g.ct('up2', d1, { cin: 8, coutG: 4, k: [2, 2], attrs: { strides: [2, 2] } });
  const c2 = g.node('Concat', [u2, x], ['cat2'], { axis: 1 });
  g.output(conv(g, 'head', c2, 8, 2, [1, 1]));
  return finish('unet-decoder', g);
}

/** SAM-style mask-decoder tail: ConvTranspose k2 s2, LayerNorm2d, GELU, ConvTranspose k2 s2, GELU. */
function sam(): TestModel {
  const g = new GraphBuilder(303);
  let x = g.input('embeddings', [1, 16, 8, 8]);
  x = g.ct('upscale1', x, { cin: 16, coutG: 8, k: [2, 2], attrs: { strides: [2, 2] } });
  x = gelu(g, 'gelu1', layerNorm2d(g, 'ln', x, 8));
  x = g.ct('upscale2', x, { cin: 8, coutG: 4, k: [2, 2], attrs: { strides: [2, 2] } });
  g.output(gelu(g, 'gelu2', x));
  return finish('sam-mask-decoder-tail', g);
}

/** HiFi-GAN block: LeakyRelu, ConvTranspose1d k = 2s, and a dilated Conv1d residual (two readers: no fusion). */
function hifigan(): TestModel {
  const g = new GraphBuilder(404);
  let x = g.input('mel', [1, 16, 32]);
  x = g.node('LeakyRelu', [x], ['lrelu0'], { alpha: { f: 0.1 } });
  const up = g.ct('ups0', x, { cin: 16, coutG: 8, k: [8], attrs: { strides: [4], pads: [2, 2] } });
  const r = g.node('LeakyRelu', [up], ['lrelu1'], { alpha: { f: 0.1 } });
  const c = conv(g, 'res.conv', r, 8, 8, [3], { dilations: [3], pads: [3, 3] });
  g.output(g.node('Add', [up, c], ['out']));
  return finish('hifigan-block', g);
}

/** A depthwise ConvTranspose1d with output_padding 1 (TTS decoders, Kokoro), ReLU fused, then a 1×1 Conv. */
function depthwise(): TestModel {
  const g = new GraphBuilder(505);
  const x = g.input('x', [1, 8, 20]);
  const y = g.ct('dw', x, { cin: 8, coutG: 1, k: [3], group: 8, attrs: { strides: [2], pads: [1, 1], output_padding: [1] }, act: { op: 'Relu' } });
  g.output(conv(g, 'pw', y, 8, 4, [1]));
  return finish('depthwise-1d-output-padding', g);
}

/** EnCodec-style: ConvTranspose1d with pads 0 and the padding removed by a Slice. */
function encodec(): TestModel {
  const g = new GraphBuilder(606);
  const x = g.node('Elu', [g.input('codes', [1, 8, 16])], ['elu']);
  const y = g.ct('convtr', x, { cin: 8, coutG: 4, k: [8], attrs: { strides: [4] } });
  g.output(g.node('Slice', [y, g.ints('starts', [2]), g.ints('ends', [-2]), g.ints('axes', [2])], ['sliced']));
  return finish('encodec-slice', g);
}

/** 3-D: ConvTranspose3d k3 s2 p1 output_padding 1 with Relu fused, then a Mul. */
function conv3d(): TestModel {
  const g = new GraphBuilder(707);
  const x = g.input('volume', [1, 4, 4, 4, 4]);
  const y = g.ct('ct3d', x, { cin: 4, coutG: 4, k: [3, 3, 3], attrs: { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], output_padding: [1, 1, 1] }, act: { op: 'Relu' } });
  g.output(g.node('Mul', [y, g.init('gain', [1, 4, 1, 1, 1], 1)], ['scaled']));
  return finish('convtranspose-3d', g);
}

/** float16, more than 2048 outputs along an axis (onnxruntime#28976), a Sigmoid fused. */
function half(): TestModel {
  const g = new GraphBuilder(808, 'float16');
  const x = g.input('audio', [1, 2, 1100]);
  g.output(g.ct('up', x, { cin: 2, coutG: 2, k: [4], attrs: { strides: [2], pads: [1, 1] }, act: { op: 'Sigmoid' } }));
  return finish('float16-2200-outputs', g, { vsOrt: false });
}

/** A dynamic batch: run with N = 1 and N = 3; a LeakyRelu fused. */
function dynamicBatch(): TestModel {
  const g = new GraphBuilder(909);
  const x = g.input('x', ['N', 8, 6, 6], [1, 8, 6, 6]);
  const y = g.ct('up', x, { cin: 8, coutG: 4, k: [3, 3], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, act: { op: 'LeakyRelu', alpha: 0.2 } });
  g.output(conv(g, 'out', y, 4, 2, [1, 1]));
  const m = finish('dynamic-batch', g);
  m.moreFeeds = [{ x: { type: 'float32', data: randomData(910, 3 * 8 * 36), dims: [3, 8, 6, 6] } }];
  return m;
}

/** auto_pad SAME_UPPER and SAME_LOWER, dilations, asymmetric strides, Clip fused, a weight from a Constant node. */
function autoPad(): TestModel {
  const g = new GraphBuilder(1010);
  const x = g.input('x', [1, 4, 5, 7]);
  const a = g.ct('same_upper', x, { cin: 4, coutG: 6, k: [3, 3], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] } });
  const b = g.node('Add', [a, g.init('shift', [1, 6, 1, 1], 0.2)], ['shifted']);
  const c = g.ct('same_lower', b, { cin: 6, coutG: 4, k: [2, 3], constantNode: true, attrs: { auto_pad: 'SAME_LOWER', strides: [2, 1], dilations: [1, 2] }, act: { op: 'Clip', min: 0, max: 0.6 } });
  g.output(g.node('Mul', [c, g.init('gain', [1], 1)], ['y']));
  return finish('auto-pad-dilations-clip', g);
}

/** output_shape with groups and VALID, LeakyRelu fused; the ConvTranspose output also a graph output (a second ConvTranspose then not fused). */
function outputShape(): TestModel {
  const g = new GraphBuilder(1111);
  const x = g.input('x', [1, 6, 5, 5]);
  const a = g.ct('grouped', x, { cin: 6, coutG: 2, k: [3, 3], group: 3, attrs: { strides: [2, 2], output_shape: [10, 10] }, act: { op: 'LeakyRelu', alpha: 0.05 } });
  const b = g.ct('valid', a, { cin: 6, coutG: 3, k: [2, 2], attrs: { auto_pad: 'VALID', strides: [2, 2] } });
  g.output(b);
  g.output(g.node('Sigmoid', [b], ['valid.sigmoid']));
  return finish('output-shape-groups-graph-output', g);
}

/** Fall-back: a ConvTranspose whose weight is a graph input stays with ORT; the other runs here. */
function weightInput(): TestModel {
  const g = new GraphBuilder(1212);
  const x = g.input('x', [1, 4, 6, 6]);
  g.input('w', [4, 4, 3, 3]);
  const a = g.node('ConvTranspose', [x, 'w'], ['dynamic'], { strides: [2, 2], pads: [1, 1, 1, 1] }, 'dynamic');
  g.output(g.ct('constant', g.node('Relu', [a], ['r']), { cin: 4, coutG: 2, k: [2, 2], attrs: { strides: [2, 2] } }));
  return { ...finish('weight-is-graph-input', g), ort: ['dynamic'] };
}

/** The models compared with plain ORT (and their ConvTransposes with the reference) on every path. */
export function testModels(): TestModel[] {
  return [dcgan(), unet(), sam(), hifigan(), depthwise(), encodec(), conv3d(), half(), dynamicBatch(), autoPad(), outputShape(), weightInput()];
}

/** A model with an If: the model runs whole with ORT. */
export function subgraphModel(): TestModel {
  const g = new GraphBuilder(1313);
  const x = g.input('x', [1, 4, 4, 4]);
  const y = g.ct('ct', x, { cin: 4, coutG: 2, k: [2, 2], attrs: { strides: [2, 2] } });
  const branch = (name: string, op: string) => ({
    name, node: [{ input: [y], output: [`${name}.out`], name: `${name}.op`, op_type: op, attribute: [] }], initializer: [], sparse_initializer: [],
    input: [], output: [{ name: `${name}.out`, type: { tensor_type: { elem_type: FLOAT } } }], value_info: [],
  });
  g.inits.push({ name: 'cond', dims: [], data_type: 9, raw_data: Uint8Array.of(1) });
  g.nodes.push({ input: ['cond'], output: ['chosen'], name: 'if', op_type: 'If', attribute: [{ name: 'then_branch', type: 5, g: branch('then', 'Relu') }, { name: 'else_branch', type: 5, g: branch('else', 'Sigmoid') }] });
  g.output('chosen');
  return { ...finish('if-subgraph', g), here: [], ort: ['ct'] };
}

/** A model whose ConvTranspose is too small for a cut (with the default minFlops). */
export function smallModel(): TestModel {
  const g = new GraphBuilder(1414);
  const y = g.ct('tiny', g.input('x', [1, 2, 3, 3]), { cin: 2, coutG: 2, k: [2, 2] });
  g.output(g.node('Relu', [y], ['out']));
  return { ...finish('tiny-stays-with-ort', g), here: [], ort: ['tiny'] };
}

/** Bad models, each with the text its error must contain. */
export function badModels(): { name: string; bytes: Uint8Array; error: RegExp }[] {
  const good = depthwise().bytes;
  const opset = new GraphBuilder(1515);
  opset.output(opset.ct('ct_new_opset', opset.input('x', [1, 2, 4]), { cin: 2, coutG: 2, k: [3] }));
  const group = new GraphBuilder(1616);
  group.output(group.ct('ct_bad_group', group.input('x', [1, 4, 5, 5]), { cin: 4, coutG: 2, k: [3, 3], group: 3 }));
  const external = new GraphBuilder(1717);
  external.output(external.ct('ct_external', external.input('x', [1, 2, 4]), { cin: 2, coutG: 2, k: [3] }));
  const ext = external.model();
  const w = ext.graph!.initializer[0];
  ext.graph!.initializer[0] = { name: w.name, dims: w.dims, data_type: 1, data_location: 1, external_data: [{ key: 'location', value: 'weights.bin' }] };
  return [
    { name: 'truncated bytes', bytes: good.slice(0, Math.floor(good.length * 0.6)), error: /not a complete ONNX model/ },
    { name: 'unknown opset', bytes: opset.bytes(99), error: /node 'ct_new_opset' \(ConvTranspose\).*opset 99/ },
    { name: 'weight contradicts group', bytes: group.bytes(), error: /node 'ct_bad_group' \(ConvTranspose\).*contradicts group 3/ },
    { name: 'external data', bytes: encodeModel(ext), error: /initializer 'ct_external.weight' has external data/ },
  ];
}

/**
 * The README's model, demo/models/upsample2x.onnx: x [1, 1, 2, 2] → ConvTranspose 'up' (k2 s2, weights 1: a
 * nearest 2× upsampling) → Add 0.5 → y. test/ort-partition.test.ts checks the file is these bytes.
 */
export function exampleModel(): Uint8Array {
  const g = new GraphBuilder(0);
  g.inputs.push(valueInfo('x', FLOAT, [1, 1, 2, 2]));
  g.inits.push(tensor('up.weight', [1, 1, 2, 2], Float32Array.of(1, 1, 1, 1)), tensor('half', [], Float32Array.of(0.5)));
  g.node('ConvTranspose', ['x', 'up.weight'], ['up'], { kernel_shape: [2, 2], strides: [2, 2] });
  g.output(g.node('Add', ['up', 'half'], ['y'], {}, 'shift'));
  return g.bytes();
}
