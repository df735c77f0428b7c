/** Our GPU paths (and `auto`), run through the public API on caller-owned buffers, with per-pass timestamp queries. */
import { createConvTranspose, fromHalfBits, toHalfBits, type Activation, type DataLayout, type DataType, type PathOption } from '../src/index';
import { createBuffer, MAX_TIMED_PASSES, readBuffer, PassTimer, Usage } from './buffers';
import type { Prepared, Preparer } from './implementation';
import { attributesOf } from './problem';

/** Options of a variant of one of our paths: channels-last data, a fused activation, float16 storage. */
export interface OurVariant {
  inputLayout?: DataLayout;
  activation?: Activation;
  dataType?: DataType;
}

/** Channels-first data [N][C][S] as channels-last [N][S][C], or back (`back`). Outside the timed runs. */
function transposeChannels(data: Float32Array, N: number, C: number, S: number, back = false): Float32Array {
  const out = new Float32Array(data.length);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let s = 0; s < S; s++) {
    const first = (n * C + c) * S + s, last = (n * S + s) * C + c;
    if (back) out[first] = data[last];
    else out[last] = data[first];
  }
  return out;
}

/** A preparer for one of our paths (with a variant's options). */
export function oursPreparer(path: PathOption, variant: OurVariant = {}): Preparer {
  return async (device, problem): Promise<Prepared> => {
    const last = variant.inputLayout === 'nhwc';
    const [N, Cin, ...inSpatial] = problem.inputShape;
    const S = inSpatial.reduce((a, b) => a * b, 1);
    const layer = await createConvTranspose(device, {
      inputShape: last ? [N, ...inSpatial, Cin] : problem.inputShape,
      inputLayout: variant.inputLayout,
      activation: variant.activation,
      dataType: variant.dataType,
      weight: { data: problem.w, shape: problem.weightShape },
      bias: null,
      path,
      label: `bench ${problem.spec.name} ${path}`,
      ...attributesOf(problem.spec),
    });
    const half = variant.dataType === 'float16';
    const x = last ? transposeChannels(problem.x, N, Cin, S) : problem.x;
    // float16: the input's bit patterns (rounded to nearest even), padded to whole words.
    const data = half ? Uint16Array.from({ length: layer.inputBytes / 2 }, (_, i) => (i < x.length ? toHalfBits(x[i]) : 0)) : x;
    const input = createBuffer(device, { label: 'bench input', bytes: layer.inputBytes, usage: Usage.STORAGE, data });
    const output = createBuffer(device, { label: 'bench output', bytes: layer.outputBytes, usage: Usage.STORAGE | Usage.COPY_SRC });
    const timer = PassTimer.supported(device) ? new PassTimer(device, MAX_TIMED_PASSES) : null;
    return {
      async run() {
        const encoder = device.createCommandEncoder();
        layer.encode(encoder, input, output);
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
      },
      async runBatch(count, timed) {
        // One command buffer, one pass per call (each with its timestamps while the timer has room).
        const encoder = device.createCommandEncoder();
        for (let i = 0; i < count; i++) layer.encode(encoder, input, output, timed ? timer?.next() : undefined);
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
      },
      async output() {
        const bytes = await readBuffer(device, output, layer.outputBytes);
        const r = layer.resolved;
        const y = half ? Float32Array.from(new Uint16Array(bytes, 0, r.outputShape.reduce((a, b) => a * b, 1)), fromHalfBits) : new Float32Array(bytes);
        return last ? transposeChannels(y, r.batch, r.outChannels, r.outSpatial.reduce((a, b) => a * b, 1), true) : y;
      },
      gpuMs: timer ? () => timer.durationsMs() : undefined,
      note: path === 'auto' ? `auto → ${layer.path}` : undefined,
      plan: { path: layer.path, config: { ...layer.config }, dispatches: layer.dispatches.map((d) => ({ shader: d.shader, constants: { ...d.constants }, workgroups: [...d.workgroups] })), chunks: layer.chunks },
      activation: variant.activation,
      half: half ? { bytes: layer.inputBytes + 4 * problem.w.length + layer.outputBytes } : undefined,
      destroy() {
        layer.destroy();
        input.destroy();
        output.destroy();
        timer?.destroy();
      },
    };
  };
}
