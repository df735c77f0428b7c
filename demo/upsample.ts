/**
 * The demo's 2× up-sampling, through the library's public API (createConvTranspose on caller-owned buffers):
 * three ways to double a picture, each a chain of transposed convolutions, and the overlap-count map of each,
 * which is the same chain run on an all-ones input with all-ones weights.
 */
import { createConvTranspose, type ConvTransposeLayer, type PathOption } from '../src/index';

/** One transposed convolution of a chain: square kernel, per-channel (depthwise) weights. */
export interface Stage {
  k: number;
  stride: number;
  padding: number;
  outputPadding: number;
  /** The k×k weights, row-major, used for every channel. */
  weights: number[];
}

/** A way to up-sample 2×, as a chain of stages. */
export interface Kernel {
  id: 'k3s2' | 'k4s2' | 'resize-conv';
  title: string;
  /** What to look for, in a sentence or two (HTML). */
  note: string;
  /** The stages for an input `edge` cells larger on every side than the picture (see edgePad). */
  stages(edge: number): Stage[];
}

const constant = (k: number, v: number) => new Array<number>(k * k).fill(v);
const outer = (f: number[]) => f.flatMap((a) => f.map((b) => a * b));

/**
 * The three kernels. With an input padded by `edge` cells per side, the padding grows by `stride·edge` so the
 * output stays exactly twice the picture and lines up with it.
 */
export const KERNELS: readonly Kernel[] = [
  {
    id: 'k3s2',
    title: 'k = 3, stride 2',
    note: 'Kernel size 3 is not a multiple of stride 2: odd output rows get taps from two input rows, even rows from one. ' +
      'With equal weights (4/9, so the average gain is 1) every other pixel is up to 4× brighter: a checkerboard.',
    stages: (e) => [{ k: 3, stride: 2, padding: 1 + 2 * e, outputPadding: 1, weights: constant(3, 4 / 9) }],
  },
  {
    id: 'k4s2',
    title: 'k = 4, stride 2',
    note: 'Kernel size 4 is a multiple of stride 2: every output pixel gets exactly 2×2 taps. ' +
      'With bilinear weights (outer product of [1, 3, 3, 1] / 4) this is bilinear up-sampling, and no checkerboard.',
    stages: (e) => [{ k: 4, stride: 2, padding: 1 + 2 * e, outputPadding: 0, weights: outer([0.25, 0.75, 0.75, 0.25]) }],
  },
  {
    id: 'resize-conv',
    title: 'resize, then 3×3 convolution',
    note: 'Nearest-neighbour resize (itself a transposed convolution: k = 2, stride 2, weights 1, no overlap), ' +
      'then a stride-1 3×3 blur ([1, 2, 1] / 4 outer product). Every output pixel gets 9 taps: no checkerboard by construction.',
    stages: (e) => [
      { k: 2, stride: 2, padding: 0, outputPadding: 0, weights: constant(2, 1) },
      { k: 3, stride: 1, padding: 1 + 2 * e, outputPadding: 0, weights: outer([0.25, 0.5, 0.25]) },
    ],
  },
];

const STORAGE = 0x80, COPY_SRC = 0x04, COPY_DST = 0x08, MAP_READ = 0x01;

/** A chain of prepared layers with its buffers: input → [intermediates] → output. */
export class Chain {
  private constructor(
    readonly device: GPUDevice,
    readonly layers: ConvTransposeLayer[],
    private readonly buffers: GPUBuffer[],
  ) {}

  /** Prepares the stages for `channels` channels (depthwise) on a size×size input with `path`. */
  static async build(device: GPUDevice, stages: readonly Stage[], channels: number, size: number, path: PathOption, ones = false): Promise<Chain> {
    const layers: ConvTransposeLayer[] = [];
    const buffers: GPUBuffer[] = [];
    try {
      let shape = [1, channels, size, size];
      for (const [i, s] of stages.entries()) {
        const w = new Float32Array(channels * s.k * s.k);
        for (let c = 0; c < channels; c++) w.set(ones ? constant(s.k, 1) : s.weights, c * s.k * s.k);
        const layer = await createConvTranspose(device, {
          inputShape: shape, weight: { data: w, shape: [channels, 1, s.k, s.k] }, groups: channels,
          stride: s.stride, padding: s.padding, outputPadding: s.outputPadding, path, label: `demo stage ${i}`,
        });
        layers.push(layer);
        if (i === 0) buffers.push(device.createBuffer({ label: 'demo input', size: layer.inputBytes, usage: STORAGE | COPY_DST }));
        buffers.push(device.createBuffer({ label: `demo output ${i}`, size: layer.outputBytes, usage: STORAGE | COPY_SRC }));
        shape = [...layer.outputShape];
      }
      return new Chain(device, layers, buffers);
    } catch (e) {
      for (const l of layers) l.destroy();
      for (const b of buffers) b.destroy();
      throw e;
    }
  }

  get outputShape(): readonly number[] {
    return this.layers[this.layers.length - 1].outputShape;
  }

  /** The paths that ran, e.g. `phase` or `gather + gather`. */
  get paths(): string {
    return this.layers.map((l) => l.path).join(' + ');
  }

  write(data: Float32Array): void {
    this.device.queue.writeBuffer(this.buffers[0], 0, data as Float32Array<ArrayBuffer>);
  }

  /** Encodes every stage into one command buffer, submits, and waits for the GPU. */
  async run(): Promise<void> {
    const encoder = this.device.createCommandEncoder({ label: 'demo chain' });
    this.layers.forEach((l, i) => l.encode(encoder, this.buffers[i], this.buffers[i + 1]));
    this.device.queue.submit([encoder.finish()]);
    await this.device.queue.onSubmittedWorkDone();
  }

  /** Reads the last output back. */
  async read(): Promise<Float32Array> {
    const out = this.buffers[this.buffers.length - 1];
    const bytes = this.layers[this.layers.length - 1].outputBytes;
    const staging = this.device.createBuffer({ label: 'demo readback', size: bytes, usage: MAP_READ | COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(out, 0, staging, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const data = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    return data;
  }

  destroy(): void {
    for (const l of this.layers) l.destroy();
    for (const b of this.buffers) b.destroy();
  }
}

/** The picture padded by `edge` cells per side, repeating its border pixels (NCHW planes). */
export function edgePad(x: Float32Array, channels: number, size: number, edge: number): Float32Array {
  if (edge === 0) return x;
  const p = size + 2 * edge;
  const out = new Float32Array(channels * p * p);
  for (let c = 0; c < channels; c++) for (let y = 0; y < p; y++) for (let xx = 0; xx < p; xx++) {
    const sy = Math.min(size - 1, Math.max(0, y - edge)), sx = Math.min(size - 1, Math.max(0, xx - edge));
    out[(c * p + y) * p + xx] = x[(c * size + sy) * size + sx];
  }
  return out;
}

/** One kernel's result on the picture. */
export interface UpsampleResult {
  kernel: Kernel['id'];
  /** RGB planes, [3, 2S, 2S]. */
  image: Float32Array;
  /** Taps reaching each output pixel, [2S, 2S]. */
  overlap: Float32Array;
  /** The path(s) that ran. */
  paths: string;
  /** Output side (2S). */
  size: number;
}

/** Up-samples the picture with one kernel on `path`, and computes its overlap-count map with the same chain. */
export async function upsample(device: GPUDevice, picture: Float32Array, size: number, kernel: Kernel, path: PathOption, edge: number): Promise<UpsampleResult> {
  const inSize = size + 2 * edge;
  const stages = kernel.stages(edge);
  const image = await Chain.build(device, stages, 3, inSize, path);
  const counts = await Chain.build(device, stages, 1, inSize, path, true);
  try {
    image.write(edgePad(picture, 3, size, edge));
    await image.run();
    counts.write(new Float32Array(inSize * inSize).fill(1));
    await counts.run();
    const out = image.outputShape;
    if (out[2] !== 2 * size || out[3] !== 2 * size) throw new Error(`${kernel.id}: output is ${out[2]}×${out[3]}, expected ${2 * size}×${2 * size}`);
    return { kernel: kernel.id, image: await image.read(), overlap: await counts.read(), paths: image.paths, size: 2 * size };
  } finally {
    image.destroy();
    counts.destroy();
  }
}

/** Median wall-clock ms of `run` (after one warm-up), over at least `minRuns` runs and up to `maxMs`. */
export async function timeChain(chain: Chain, minRuns = 5, maxMs = 400, maxRuns = 50): Promise<number> {
  await chain.run();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxRuns && (samples.length < minRuns || performance.now() - start < maxMs)) {
    const t0 = performance.now();
    await chain.run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
