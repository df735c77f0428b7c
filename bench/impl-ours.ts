/** Our GPU paths (and `auto`), run through the public API on caller-owned buffers, with per-pass timestamp queries. */
import { createConvTranspose, type PathOption } from '../src/index';
import { createBuffer, readBuffer, PassTimer, Usage } from './buffers';
import type { Prepared, Preparer } from './implementation';
import { attributesOf } from './problem';
import { DEFAULT_TIMING } from './timing';

/** A preparer for one of our paths. */
export function oursPreparer(path: PathOption): Preparer {
  return async (device, problem): Promise<Prepared> => {
    const layer = await createConvTranspose(device, {
      inputShape: problem.inputShape,
      weight: { data: problem.w, shape: problem.weightShape },
      bias: null,
      path,
      label: `bench ${problem.spec.name} ${path}`,
      ...attributesOf(problem.spec),
    });
    const input = createBuffer(device, { label: 'bench input', bytes: layer.inputBytes, usage: Usage.STORAGE, data: problem.x });
    const output = createBuffer(device, { label: 'bench output', bytes: layer.outputBytes, usage: Usage.STORAGE | Usage.COPY_SRC });
    const timer = PassTimer.supported(device) ? new PassTimer(device, DEFAULT_TIMING.maxRuns) : null;
    return {
      async run(slot) {
        const encoder = device.createCommandEncoder();
        layer.encode(encoder, input, output, slot === null ? undefined : timer?.writes(slot));
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
      },
      async output() {
        return new Float32Array(await readBuffer(device, output, layer.outputBytes));
      },
      gpuMs: timer ? (count) => timer.durationsMs(count) : undefined,
      note: path === 'auto' ? `auto → ${layer.path}` : undefined,
      destroy() {
        layer.destroy();
        input.destroy();
        output.destroy();
        timer?.destroy();
      },
    };
  };
}
