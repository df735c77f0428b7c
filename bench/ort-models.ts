/**
 * The benchmark's ONNX models for ONNX Runtime Web (the models section of `npm run bench`; `npm run bench:ort` runs them alone): the test models' shapes at sizes
 * where the transposed convolutions carry weight, built in code with seeded weights (bench/onnx-models.ts).
 */
import { batchNorm, conv, finish, gelu, GraphBuilder, layerNorm2d, type TestModel } from './onnx-models';

/** DCGAN generator, 64×64: z 64 → ConvTranspose k4 to 4×4×256, three k4 s2 p1 with BatchNorm and Relu, Tanh. */
function dcgan(): TestModel {
  const g = new GraphBuilder(11);
  let x = g.input('z', [1, 64, 1, 1]);
  x = g.ct('ct1', x, { cin: 64, coutG: 256, k: [4, 4], bias: false });
  x = g.node('Relu', [batchNorm(g, 'bn1', x, 256)], ['relu1']);
  const s2 = { strides: [2, 2], pads: [1, 1, 1, 1] };
  x = g.ct('ct2', x, { cin: 256, coutG: 128, k: [4, 4], bias: false, attrs: s2 });
  x = g.node('Relu', [batchNorm(g, 'bn2', x, 128)], ['relu2']);
  x = g.ct('ct3', x, { cin: 128, coutG: 64, k: [4, 4], bias: false, attrs: s2 });
  x = g.node('Relu', [batchNorm(g, 'bn3', x, 64)], ['relu3']);
  x = g.ct('ct4', x, { cin: 64, coutG: 32, k: [4, 4], bias: false, attrs: s2 });
  x = g.node('Relu', [batchNorm(g, 'bn4', x, 32)], ['relu4']);
  g.output(g.ct('ct5', x, { cin: 32, coutG: 3, k: [4, 4], attrs: s2, act: { op: 'Tanh' } }));
  return finish('dcgan-64', g);
}

/** U-Net decoder: two k2 s2 up-samplings, each concatenated with an encoder skip, 3×3 convolutions. */
function unet(): TestModel {
  const g = new GraphBuilder(12);
  const x = g.input('x', [1, 16, 64, 64]);
  const a = g.node('Relu', [conv(g, 'enc1', x, 16, 32, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] })], ['a']);
  const b = g.node('Relu', [conv(g, 'enc2', a, 32, 64, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] })], ['b']);
  const u1 = g.ct('up1', b, { cin: 64, coutG: 32, k: [2, 2], attrs: { strides: [2, 2] } });
  const d1 = g.node('Relu', [conv(g, 'dec1', g.node('Concat', [u1, a], ['cat1'], { axis: 1 }), 64, 32, [3, 3], { pads: [1, 1, 1, 1] })], ['d1']);
  const u2 = g.ct('up2', d1, { cin: 32, coutG: 16, k: [2, 2], attrs: { strides: [2, 2] } });
  g.output(conv(g, 'head', g.node('Concat', [u2, x], ['cat2'], { axis: 1 }), 32, 4, [1, 1]));
  return finish('unet-decoder', g);
}

/** SAM's mask-decoder up-scaling: ConvTranspose k2 s2, LayerNorm2d, GELU, ConvTranspose k2 s2, GELU. */
function sam(): TestModel {
  const g = new GraphBuilder(13);
  let x = g.input('embeddings', [1, 128, 32, 32]);
  x = g.ct('upscale1', x, { cin: 128, coutG: 32, k: [2, 2], attrs: { strides: [2, 2] } });
  x = gelu(g, 'gelu1', layerNorm2d(g, 'ln', x, 32));
  x = g.ct('upscale2', x, { cin: 32, coutG: 16, k: [2, 2], attrs: { strides: [2, 2] } });
  g.output(gelu(g, 'gelu2', x));
  return finish('sam-upscaling', g);
}

/** HiFi-GAN generator start: Conv1d k7, two up-samplings (k16 s8, k4 s2... k = 2s) with LeakyRelu and a dilated residual. */
function hifigan(): TestModel {
  const g = new GraphBuilder(14);
  let x = conv(g, 'pre', g.input('mel', [1, 80, 64]), 80, 256, [7], { pads: [3, 3] });
  x = g.node('LeakyRelu', [x], ['l0'], { alpha: { f: 0.1 } });
  x = g.ct('ups0', x, { cin: 256, coutG: 128, k: [16], attrs: { strides: [8], pads: [4, 4] } });
  const r = conv(g, 'res0', g.node('LeakyRelu', [x], ['l1'], { alpha: { f: 0.1 } }), 128, 128, [3], { dilations: [3], pads: [3, 3] });
  x = g.node('LeakyRelu', [g.node('Add', [x, r], ['res0.out'])], ['l2'], { alpha: { f: 0.1 } });
  x = g.ct('ups1', x, { cin: 128, coutG: 64, k: [16], attrs: { strides: [8], pads: [4, 4] } });
  g.output(g.node('Tanh', [conv(g, 'post', g.node('LeakyRelu', [x], ['l3'], { alpha: { f: 0.1 } }), 64, 1, [7], { pads: [3, 3] })], ['audio']));
  return finish('hifigan-upsampler', g);
}

/** EnCodec-style decoder step: ELU, ConvTranspose1d k8 s4 pads 0, the padding sliced off. */
function encodec(): TestModel {
  const g = new GraphBuilder(15);
  const x = g.node('Elu', [g.input('codes', [1, 256, 128])], ['elu']);
  const y = g.ct('convtr', x, { cin: 256, coutG: 128, k: [8], attrs: { strides: [4] } });
  g.output(g.node('Slice', [y, g.ints('starts', [2]), g.ints('ends', [-2]), g.ints('axes', [2])], ['sliced']));
  return finish('encodec-decoder-step', g);
}

/** A depthwise ConvTranspose1d with output_padding 1 (TTS decoders), ReLU fused, a 1×1 Conv. */
function depthwise(): TestModel {
  const g = new GraphBuilder(16);
  const y = g.ct('dw', g.input('x', [1, 256, 512]), { cin: 256, coutG: 1, k: [3], group: 256, attrs: { strides: [2], pads: [1, 1], output_padding: [1] }, act: { op: 'Relu' } });
  g.output(conv(g, 'pw', y, 256, 128, [1]));
  return finish('tts-depthwise-1d', g);
}

/** 3-D: ConvTranspose3d k3 s2 p1 output_padding 1, Relu, a 1×1×1 Conv. */
function conv3d(): TestModel {
  const g = new GraphBuilder(17);
  const y = g.ct('ct3d', g.input('volume', [1, 32, 8, 8, 8]), { cin: 32, coutG: 16, k: [3, 3, 3], attrs: { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], output_padding: [1, 1, 1] }, act: { op: 'Relu' } });
  g.output(conv(g, 'head', y, 16, 4, [1, 1, 1]));
  return finish('convtranspose-3d', g);
}

export function benchOrtModels(): TestModel[] {
  return [dcgan(), unet(), sam(), hifigan(), encodec(), depthwise(), conv3d()];
}
