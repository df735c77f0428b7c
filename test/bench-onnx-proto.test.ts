// The benchmark hands ONNX Runtime a model built by bench/onnx-proto.ts. These tests check the wire format on
// known bytes, then let ONNX Runtime itself (its wasm CPU provider, in Node) parse and run the model and compare
// with the float64 scatter reference: a wrong field number or attribute would make ORT reject the model or
// compute something else.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { ProtoWriter, convTransposeModel, MODEL_INPUT, MODEL_OUTPUT } from '../bench/onnx-proto';
import { resolveConvTranspose } from '../src/shape';
import { scatterReference } from '../src/reference';

describe('ProtoWriter', () => {
  it('encodes varints, strings and packed ints as protobuf does', () => {
    expect([...new ProtoWriter().int(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
    expect([...new ProtoWriter().int(2, 300).finish()]).toEqual([0x10, 0xac, 0x02]);
    expect([...new ProtoWriter().int(1, -1).finish()]).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect([...new ProtoWriter().string(2, 'testing').finish()]).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    expect([...new ProtoWriter().packedInts(4, [3, 270, 86942]).finish()]).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
    expect(() => new ProtoWriter().int(1, 0.5)).toThrow(RangeError);
  });
});

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 1073741824 - 1;
  }
  return out;
}

describe('convTransposeModel', () => {
  const cases = [
    { name: 'stride 2, pads, bias', x: [1, 3, 4, 5], w: [3, 2, 3, 3], s: [2, 2], p: [1, 1], op: [1, 0], d: [1, 1], g: 1, bias: true },
    { name: 'groups, dilation, asymmetric stride', x: [2, 4, 3, 3], w: [4, 1, 2, 3], s: [1, 3], p: [0, 1], op: [0, 2], d: [2, 1], g: 4, bias: false },
  ];
  for (const c of cases) {
    it(`runs in ONNX Runtime and matches the scatter reference: ${c.name}`, async () => {
      const r = resolveConvTranspose(c.x, c.w, c.bias ? [c.w[1] * c.g] : null, {
        stride: c.s, padding: c.p, outputPadding: c.op, dilation: c.d, groups: c.g,
      });
      const x = seeded(c.x.reduce((a, b) => a * b), 1);
      const w = seeded(c.w.reduce((a, b) => a * b), 2);
      const b = c.bias ? seeded(r.outChannels, 3) : null;
      const model = convTransposeModel({
        inputShape: c.x, outputShape: r.outputShape, weight: { data: w, shape: c.w }, bias: b,
        strides: c.s, pads: [...c.p, ...c.p], dilations: c.d, outputPadding: c.op, group: c.g,
      });
      const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
      try {
        const out = await session.run({ [MODEL_INPUT]: new ort.Tensor('float32', x, c.x) });
        const y = out[MODEL_OUTPUT];
        expect(y.dims).toEqual(r.outputShape);
        const ref = scatterReference(r, x, w, b);
        const got = y.data as Float32Array;
        let maxErr = 0;
        for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - ref[i]));
        expect(maxErr).toBeLessThan(1e-5);
      } finally {
        await session.release();
      }
    });
  }
});
