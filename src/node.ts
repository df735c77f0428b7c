/**
 * `webgpu-convtranspose/node`: a GPUDevice in Node from Dawn (the `webgpu` npm package, an optional peer
 * dependency, loaded on first call). Kept apart from the main entry so browser bundles never see `webgpu`.
 */

/** Options of {@link nodeDevice}. */
export interface NodeDeviceOptions {
  /** Dawn options for the `webgpu` package's `create()`, e.g. `['backend=vulkan']`. Default none. */
  dawnOptions?: string[];
  /** Adapter request. Default `{ powerPreference: 'high-performance' }`. */
  adapter?: GPURequestAdapterOptions;
  /**
   * Device request, or a function of the adapter that returns it (to ask for what the adapter offers). Default:
   * the adapter's largest storage-buffer binding and buffer sizes, as `getDevice()`.
   */
  device?: GPUDeviceDescriptor | ((adapter: GPUAdapter) => GPUDeviceDescriptor);
  /** Define the WebGPU globals (`GPUBufferUsage`, `GPUMapMode`, ...) on `globalThis` where missing. Default true. */
  globals?: boolean;
  /**
   * Set `navigator.gpu` to Dawn's `GPU` object where it is missing (Node has none): TF.js's and ONNX Runtime
   * Web's WebGPU backends look for WebGPU there. Default false.
   */
  navigator?: boolean;
}

/** The subset of the `webgpu` package this module uses. */
interface DawnModule {
  create(options: string[]): GPU;
  globals: object;
}

/**
 * Each device's `GPU` object (Dawn's instance), held for as long as the device is reachable. Dawn for Node
 * crashes the process (futex / pthread mutex assertions, segfaults) in the first call that waits on an event
 * (createComputePipelineAsync, mapAsync, popErrorScope) once the `GPU` object from `create()` has been
 * garbage-collected, which happens within milliseconds when nothing holds it.
 */
const instances = new WeakMap<GPUDevice, GPU>();

const SWIFTSHADER_HINT =
  'On a machine without a GPU driver, Dawn can use SwiftShader (software Vulkan) from Debian\'s chromium package ' +
  '(apt-get install chromium): start Node with LD_LIBRARY_PATH=/usr/lib/chromium ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (LD_LIBRARY_PATH is read at process start, so it ' +
  'must be set before Node starts). With a GPU, install its Vulkan driver and the Vulkan loader (Debian: libvulkan1).';

/**
 * A GPUDevice from Dawn for Node. Requires the `webgpu` package (`npm install webgpu`). Throws an Error that
 * says what to install or set when the package is missing or Dawn finds no adapter. The device keeps Dawn's
 * instance alive; call `device.destroy()` when done.
 */
export async function nodeDevice(options: NodeDeviceOptions = {}): Promise<GPUDevice> {
  let dawn: DawnModule;
  try {
    // Loaded here, not imported at the top, so a missing package becomes this error (external in vite.config.ts).
    dawn = (await import('webgpu')) as DawnModule;
  } catch (e) {
    throw new Error(
      'nodeDevice: cannot load the `webgpu` package (Dawn for Node), which provides WebGPU in Node. ' +
      `Install it next to webgpu-convtranspose: npm install webgpu. (${e instanceof Error ? e.message : String(e)})`,
      { cause: e },
    );
  }
  if (options.globals ?? true) {
    for (const [key, value] of Object.entries(dawn.globals)) {
      if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, writable: true, configurable: true });
    }
  }
  const gpu = dawn.create(options.dawnOptions ?? []);
  const adapter = await gpu.requestAdapter(options.adapter ?? { powerPreference: 'high-performance' });
  if (!adapter) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
    const shown = ['LD_LIBRARY_PATH', 'VK_ICD_FILENAMES'].map((k) => `${k}=${env[k] ?? '(unset)'}`).join(' ');
    throw new Error(`nodeDevice: Dawn (the \`webgpu\` package) found no WebGPU adapter (now ${shown}). ${SWIFTSHADER_HINT}`);
  }
  const descriptor = typeof options.device === 'function' ? options.device(adapter) : options.device;
  const device = await adapter.requestDevice(descriptor ?? {
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  instances.set(device, gpu);
  if (options.navigator) {
    const g = globalThis as { navigator?: { gpu?: GPU } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, writable: true, configurable: true });
    else if (!g.navigator.gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, writable: true, configurable: true });
  }
  return device;
}
