/**
 * TF.js WebGPU with our kernel registered (`registerWithTfjs(tf)` from `webgpu-convtranspose/tfjs`): the same
 * `tf.conv2dTranspose` calls as the tfjs-webgpu peer, on the same shared device, with TF.js's
 * `Conv2DBackpropInput` replaced by our layer, which reads and writes TF.js's NHWC tensors directly. What an
 * unchanged TF.js model gets from the one line. Registered for this layer's measurement only, so the plain peer stays plain.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerWithTfjs } from '../src/integrations/tfjs-kernel';
import type { Prepared, Preparer } from './implementation';
import { tfjsPreparer, useTfjsOn } from './impl-tfjs';

const KERNEL = 'Conv2DBackpropInput';

/**
 * The tfjs-webgpu peer's set-up, run with the registration active; the first run prepares our layer. The suite
 * interleaves implementations, so the registered kernel is swapped in around this row's calls only and TF.js's
 * own kernel is in place for every other row.
 */
export const tfjsOursPreparer: Preparer = async (device, problem) => {
  await useTfjsOn(device);
  const original = tf.getKernel(KERNEL, 'webgpu')!;
  const registration = registerWithTfjs(tf);
  const ours = tf.getKernel(KERNEL, 'webgpu')!;
  const use = (kernel: tf.KernelConfig) => {
    tf.unregisterKernel(KERNEL, 'webgpu');
    tf.registerKernel(kernel);
  };
  const withOurs = async (step: () => Promise<void>) => {
    use(ours);
    try {
      await step();
    } finally {
      use(original);
    }
  };
  try {
    const plain = await tfjsPreparer(device, problem);
    if ('unsupported' in plain) {
      registration.unregister();
      return plain;
    }
    // The first call runs TF.js's kernel while ours is prepared; from the next one on, ours runs.
    await plain.run();
    await registration.ready();
    use(original);
    const calls = () => registration.stats.ours;
    const prepared: Prepared = {
      run: () => withOurs(() => plain.run()),
      runBatch: (count, timed) => withOurs(() => plain.runBatch(count, timed)),
      output: () => plain.output(),
      get note() {
        const { reasons, paths } = registration.stats;
        const fellBack = Object.entries(reasons).filter(([r]) => r !== 'preparing').map(([r, n]) => `${n}× TF.js kernel: ${r}`);
        return [`ours: ${calls()} calls (${Object.keys(paths).join(', ') || 'no layer'})`, ...fellBack].join('; ');
      },
      async destroy() {
        await plain.destroy();
        use(ours); // unregister() puts TF.js's kernel back only where its own is in place
        registration.unregister();
      },
    };
    return prepared;
  } catch (e) {
    if (tf.getKernel(KERNEL, 'webgpu') !== ours) use(ours);
    registration.unregister();
    throw e;
  }
};
