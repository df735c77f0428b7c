/**
 * The ORT entry's model handling in Node, no GPU: decoding and re-encoding with protobufjs, the partition
 * (which nodes run here, the steps, the tensors that cross cuts, fusion), segment models, the refusals, and
 * the README's model file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../scripts/browser.mjs';
import { decodeModel, encodeModel } from '../src/integrations/ort/onnx-model';
import { hereValues, partition, type HereStep, type OrtStep } from '../src/integrations/ort/partition';
import { segmentModel } from '../src/integrations/ort/segment';
import { verdictOf } from '../src/integrations/ort/measure';
import { benchOrtModels } from '../bench/ort-models';
import { badModels, exampleModel, smallModel, subgraphModel, testModels } from '../bench/onnx-models';

const byName = new Map(testModels().map((m) => [m.name, m]));
const cut = (name: string, minFlops = 0, channelsLast = true) => partition(decodeModel(byName.get(name)!.bytes), { minFlops, channelsLast });

describe('ONNX decoding and encoding (protobufjs)', () => {
  it('re-encodes every test model to the same model', () => {
    for (const m of testModels()) {
      const decoded = decodeModel(m.bytes);
      expect(decodeModel(encodeModel(decoded)), m.name).toEqual(decoded);
    }
  });
  it('refuses truncated bytes and bytes that hold no graph', () => {
    const bytes = byName.get('dcgan-generator')!.bytes;
    expect(() => decodeModel(bytes.slice(0, bytes.length - 7))).toThrow(/^model: the bytes are not a complete ONNX model/);
    expect(() => decodeModel(new Uint8Array(0))).toThrow(/^model: .*no graph/);
  });
});

describe('partition', () => {
  it('cuts each test model where its ConvTransposes run here, with the expected plan', () => {
    for (const m of testModels()) {
      const p = partition(decodeModel(m.bytes), { minFlops: 0 });
      expect(p.plan.filter((n) => n.runs === 'here').map((n) => n.node).sort(), m.name).toEqual([...m.here].sort());
      expect(p.plan.filter((n) => n.runs === 'ort').map((n) => n.node).sort(), m.name).toEqual([...m.ort].sort());
    }
  });
  it('U-Net: a skip tensor leaves the first segment and enters the last; a graph input is read where needed', () => {
    const steps = cut('unet-decoder', 0, false).steps;
    expect(steps.map((s) => s.kind)).toEqual(['ort', 'here', 'ort', 'here', 'ort']);
    const [first, , middle, , last] = steps as OrtStep[];
    expect(first.outputs).toEqual(expect.arrayContaining(['a', 'b']));
    expect(middle.inputs).toEqual(expect.arrayContaining(['up1', 'a']));
    expect(last.inputs).toEqual(expect.arrayContaining(['up2', 'x']));
    expect(first.inputs).toEqual(['x']);
  });
  it('channels-last cuts: a layer between ORT segments reads and writes channels-last copies, made and taken by Transposes', () => {
    const steps = cut('unet-decoder').steps;
    const [first, up1, middle, up2, last] = steps as [OrtStep, HereStep, OrtStep, HereStep, OrtStep];
    expect([up1.channelsLast, up2.channelsLast]).toEqual([true, true]);
    expect(hereValues(up1)).toEqual({ reads: `${up1.input}::channels-last`, writes: `${up1.output}::channels-last` });
    // The NCHW tensor leaves the first segment only where something still reads it (the skip 'a' does).
    expect(first.outputs).toEqual(expect.arrayContaining(['a', `${up1.input}::channels-last`]));
    expect(first.outputs).not.toContain(up1.input);
    expect(first.after!.map((n) => [n.op_type, n.input[0], n.output[0], n.attribute[0].ints])).toEqual([['Transpose', up1.input, `${up1.input}::channels-last`, [0, 2, 3, 1]]]);
    expect(middle.inputs).toEqual(expect.arrayContaining([`${up1.output}::channels-last`, 'a']));
    expect(middle.before!.map((n) => [n.op_type, n.input[0], n.output[0], n.attribute[0].ints])).toEqual([['Transpose', `${up1.output}::channels-last`, up1.output, [0, 3, 1, 2]]]);
    expect(last.inputs).toEqual(expect.arrayContaining([`${up2.output}::channels-last`, 'x']));
    // A 1-D layer transposes with rank-3 permutations.
    const hifi = partition(decodeModel(benchOrtModels().find((m) => m.name === 'hifigan-upsampler')!.bytes), { minFlops: 0 }).steps;
    const ends = hifi.flatMap((s) => (s.kind === 'ort' ? [...s.before ?? [], ...s.after ?? []] : []));
    expect(ends.map((n) => n.attribute[0].ints)).toEqual([[0, 2, 1], [0, 2, 1], [0, 2, 1], [0, 2, 1]]);
    // Not at the model's ends (DCGAN's first layer reads the latent, its last writes the image), nor next to a
    // segment ORT runs channels-first (DCGAN's BatchNormalization and Relu: there the Transposes would be new
    // work); and not at all when asked.
    const dcgan = cut('dcgan-generator').steps.filter((s): s is HereStep => s.kind === 'here');
    expect(dcgan.map((s) => [s.name, s.channelsLast])).toEqual([['ct1', false], ['ct2', false], ['ct3', false]]);
    const withConv = cut('unet-decoder', 0, false).steps.filter((s): s is HereStep => s.kind === 'here');
    expect(withConv.map((s) => s.channelsLast)).toEqual([false, false]);
  });
  it('fuses an activation only when it is the only reader and the ConvTranspose output is not a graph output', () => {
    const fused = (name: string) => Object.fromEntries(cut(name).plan.map((n) => [n.node, n.fused ?? null]));
    expect(fused('dcgan-generator')).toEqual({ ct1: null, ct2: null, ct3: "Tanh 'ct3.tanh'" });
    expect(fused('hifigan-block')).toEqual({ ups0: null });
    expect(fused('auto-pad-dilations-clip')).toEqual({ same_upper: null, same_lower: "Clip 'same_lower.clip'" });
    expect(fused('output-shape-groups-graph-output')).toEqual({ grouped: "LeakyRelu 'grouped.leakyrelu'", valid: null });
  });
  it('a weight from a Constant node runs here and the Constant is left out of the ORT segments', () => {
    const steps = cut('auto-pad-dilations-clip').steps;
    expect(steps.flatMap((s) => (s.kind === 'ort' ? s.nodes.map((n) => n.op_type) : []))).not.toContain('Constant');
  });
  it('says why a node stays with ORT: the cost model, a graph-input weight, subgraphs', () => {
    const small = partition(decodeModel(smallModel().bytes), { minFlops: 2e6 });
    expect(small.plan[0]).toMatchObject({ node: 'tiny', runs: 'ort' });
    expect(small.plan[0].reason).toMatch(/cost model: 288 FLOP, under minFlops \(2 MFLOP\)/);
    expect(cut('weight-is-graph-input').plan.find((n) => n.node === 'dynamic')?.reason).toMatch(/weight 'w' is a graph input/);
    const sub = partition(decodeModel(subgraphModel().bytes), { minFlops: 0 });
    expect(sub.whole).toMatch(/subgraphs \(If 'if'\)/);
    expect(sub.steps).toHaveLength(1);
  });
  it('measured verdicts replace the cost model: a node measured slower here stays with ORT, its activation with it', () => {
    const m = decodeModel(byName.get('dcgan-generator')!.bytes);
    const verdicts = new Map([
      ['ct3', verdictOf(2, 1.5, 1)],
      ['ct1', verdictOf(40, 3, 1)],
    ]);
    const p = partition(m, { minFlops: 0, verdicts });
    expect(p.plan.find((n) => n.node === 'ct3')).toEqual({ node: 'ct3', runs: 'ort', reason: 'measured: ORT 2 ms ≤ here 1.5 ms + one cut 1 ms: the cut would cost more than it gains' });
    expect(p.plan.find((n) => n.node === 'ct1')).toMatchObject({ node: 'ct1', runs: 'here', reason: 'measured: ORT 40 ms > here 3 ms + one cut 1 ms' });
    // ct3 and its Tanh are ORT's again: the last segment ends with them.
    const last = p.steps[p.steps.length - 1] as OrtStep;
    expect(last.nodes.map((n) => n.op_type).slice(-2)).toEqual(['ConvTranspose', 'Tanh']);
    expect(verdictOf(null, 3, 1, 'no shader-f16')).toEqual({ runs: 'here', reason: 'measured: here 3 ms; ORT could not run it alone (no shader-f16)' });
  });
  it('a step knows the nodes it replaces and, for a known input shape, its output shape', () => {
    const p = partition(decodeModel(byName.get('dcgan-generator')!.bytes), { minFlops: 0 });
    const ct3 = p.steps.find((s) => s.kind === 'here' && s.name === 'ct3');
    expect(ct3 && ct3.kind === 'here' && ct3.nodes.map((n) => n.op_type)).toEqual(['ConvTranspose', 'Tanh']);
    const first = p.steps.find((s) => s.kind === 'here');
    expect(first && first.kind === 'here' && first.inputShape && first.outputShape).toBeTruthy();
  });
  it('refuses bad models, naming the node', () => {
    for (const b of badModels()) {
      expect(() => partition(decodeModel(b.bytes), { minFlops: 0 }), b.name).toThrow(b.error);
    }
  });
  it('re-encodes a segment with the initializers it uses, typed inputs and untyped outputs', () => {
    const m = decodeModel(byName.get('unet-decoder')!.bytes);
    const p = partition(m, { minFlops: 0, channelsLast: false });
    const step = p.steps[2] as OrtStep;
    const seg = decodeModel(segmentModel(m, step, 2, new Map([['up1', { elemType: 1 }], ['a', { elemType: 1 }]])));
    expect(seg.graph!.input.map((v) => [v.name, v.type?.tensor_type?.elem_type])).toEqual([['up1', 1], ['a', 1]]);
    expect(seg.graph!.initializer.map((t) => t.name).sort()).toEqual(['dec1.b', 'dec1.w']);
    expect(seg.graph!.output.map((v) => v.name)).toEqual(['d1']);
    expect(seg.opset_import).toEqual(m.opset_import);
    // Channels-last: the segment's input is the copy, its first node the Transpose back.
    const cl = partition(m, { minFlops: 0 }).steps[2] as OrtStep;
    const clSeg = decodeModel(segmentModel(m, cl, 2, new Map([['up1::channels-last', { elemType: 1 }], ['a', { elemType: 1 }]])));
    expect(clSeg.graph!.input.map((v) => v.name)).toEqual(['up1::channels-last', 'a']);
    expect(clSeg.graph!.node[0]).toMatchObject({ op_type: 'Transpose', input: ['up1::channels-last'], output: ['up1'] });
  });
});

it('demo/models/upsample2x.onnx (the README\'s model) is exampleModel()', () => {
  const file = readFileSync(join(projectRoot, 'demo/models/upsample2x.onnx'));
  expect(Buffer.from(exampleModel()).equals(file)).toBe(true);
});
