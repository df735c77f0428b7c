/** Getting a GPUDevice when the caller does not bring one, and knowing when a device is lost. */

let shared: Promise<GPUDevice> | null = null;
let sharedDevice: GPUDevice | null = null;

/** Devices whose `lost` promise has resolved, with its info. */
const lostInfo = new WeakMap<GPUDevice, GPUDeviceLostInfo>();
/** Shared devices on which destroy() was called: known lost at once, before `lost` resolves. */
const destroyed = new WeakSet<GPUDevice>();
const watched = new WeakSet<GPUDevice>();

/**
 * The package's default device: the high-performance adapter's device with its largest storage-buffer limits
 * and `timestamp-query` when offered. Created once and shared; a lost device is replaced on the next call
 * (a destroy() of the shared device counts at once, other losses once `device.lost` resolves).
 */
export function getDevice(): Promise<GPUDevice> {
  if (sharedDevice && isDeviceLost(sharedDevice)) {
    shared = null;
    sharedDevice = null;
  }
  if (!shared) {
    const request: Promise<GPUDevice> = requestDevice().then(
      (device) => {
        if (shared === request) sharedDevice = device;
        markDestroyOnCall(device);
        return device;
      },
      (e) => {
        if (shared === request) shared = null;
        throw e;
      },
    );
    shared = request;
  }
  return shared;
}

/** Starts following `device.lost` (idempotent), so that {@link isDeviceLost} knows once it resolves. */
export function watchDevice(device: GPUDevice): void {
  if (watched.has(device)) return;
  watched.add(device);
  device.lost.then((info) => { lostInfo.set(device, info); }, () => {});
}

/** Whether the device is known to be lost: its `lost` promise resolved, or the shared device was destroyed. */
export function isDeviceLost(device: GPUDevice): boolean {
  watchDevice(device);
  return lostInfo.has(device) || destroyed.has(device);
}

/** Why a device was lost: `device.lost`'s info, or a stand-in when destroy() was seen but `lost` is late. */
export interface DeviceLoss { readonly reason: string; readonly message: string }

/**
 * The device's loss as known right now, synchronously (for the hot path of a prepared layer): `device.lost`'s
 * info once it has resolved, or a stand-in when destroy() was seen on the shared device. Null otherwise.
 */
export function knownDeviceLoss(device: GPUDevice): DeviceLoss | null {
  watchDevice(device);
  return lostInfo.get(device) ?? (destroyed.has(device) ? { reason: 'destroyed', message: 'destroy() was called on the device' } : null);
}

/**
 * The device's loss: at once when known, else after waiting up to `waitMs` for `device.lost` (longer when
 * destroy() is known to have been called; with 0, no timer: only a `lost` that has already resolved counts).
 * Null when the device is not (yet) known to be lost.
 */
export async function deviceLostInfo(device: GPUDevice, waitMs: number): Promise<DeviceLoss | null> {
  watchDevice(device);
  const known = lostInfo.get(device);
  if (known) return known;
  const wasDestroyed = destroyed.has(device);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wait = wasDestroyed ? Math.max(waitMs, 2000) : waitMs;
  // With no wait, an already-resolved `lost` still wins the race: it comes first and settles first.
  const timeout = wait > 0 ? new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), wait); }) : Promise.resolve(null);
  try {
    const info = await Promise.race([device.lost, timeout]);
    return info ?? (wasDestroyed ? { reason: 'destroyed', message: 'destroy() was called on the device' } : null);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How long a failure that a loss may explain waits for `device.lost` before it is reported as it is: a read-back
 * that failed, or an error from the GPU. Firefox resolves `lost` on its next poll of its GPU process (about
 * 100 ms after the loss) and meanwhile reports the lost device's work as validation errors ("Buffer … is
 * invalid"), where the spec reports none.
 */
export const LOSS_WAIT_MS = 1000;

/** The error a call on a lost device rejects with, e.g. `convTranspose: the GPU device was lost (destroyed: …)`. */
export function deviceLostError(context: string, loss: DeviceLoss, cause?: unknown): Error {
  return new Error(`${context}: the GPU device was lost (${loss.reason ?? 'unknown'}: ${loss.message})`, cause === undefined ? undefined : { cause });
}

/** Marks the shared device lost synchronously when destroy() is called on it (`lost` resolves only later). */
function markDestroyOnCall(device: GPUDevice): void {
  watchDevice(device);
  const destroy = device.destroy;
  try {
    device.destroy = function (this: GPUDevice) {
      destroyed.add(device);
      return destroy.call(device);
    };
  } catch {
    // A non-extensible device object: its loss is then known when `lost` resolves.
  }
}

async function requestDevice(): Promise<GPUDevice> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    throw new Error(
      'WebGPU is not available: navigator.gpu is undefined. Use a browser with WebGPU on a secure context ' +
      '(https or http://localhost), or pass a GPUDevice (in Node, from the `webgpu` package) as `device`.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU is available but navigator.gpu.requestAdapter() returned no adapter');
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  return device;
}
