/**
 * The adapter's ceiling, measured on the spot with two tiny kernels: FMA throughput (GFLOP/s) and a buffer
 * copy (GB/s). Every layer's result is shown as a percentage of these, so numbers from different machines
 * (or from SwiftShader on 2 cores) can be read against what that adapter can do at all.
 */
import fmaSource from './ceiling_fma.wgsl?raw';
import copySource from './ceiling_copy.wgsl?raw';
import { createBuffer, PassTimer, Usage } from './buffers';
import { timeRuns, median, type TimingOptions } from './timing';

/** What the ceiling kernels measured. Rates use the wall-clock median, like every layer's GFLOP/s. */
export interface Ceiling {
  /** FMA throughput, GFLOP/s (an FMA counts as 2 flops). */
  gflops: number;
  /** Copy bandwidth, GB/s (bytes read + bytes written). */
  gbps: number;
  /** The same from timestamp queries, where the device has them. */
  gpuGflops: number | null;
  gpuGbps: number | null;
  fma: { invocations: number; iterations: number; flops: number; ms: number };
  copy: { bytes: number; ms: number; kernel: 'strided' | 'blocked'; stridedMs: number; blockedMs: number };
}

/** Options of {@link measureCeiling}. */
export interface CeilingOptions {
  /** Each kernel is grown until one run takes at least this long, so launch overhead is negligible. Default 50. */
  targetMs?: number;
  /**
   * Bytes per copy buffer to start from. Default 32 MiB. Doubled until one copy takes targetMs, up to the
   * device's binding limit (maxStorageBufferBindingSize, maxBufferSize): a fast GPU needs gigabytes.
   */
  copyBytes?: number;
  timing?: TimingOptions;
}

const FMA_WORKGROUP = 64;
const FMA_FLOPS_PER_ITERATION = 8 * 4 * 2; // 8 chains · vec4 · (mul + add)
const COPY_WORKGROUP = 256;

/** One dispatch of the kernel, submitted and waited for; timestamps written when `writes` is given. */
async function dispatchOnce(device: GPUDevice, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, workgroups: number, writes?: GPUComputePassTimestampWrites) {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass({ timestampWrites: writes });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(workgroups);
  pass.end();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
}

async function timeKernel(device: GPUDevice, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, workgroups: number, timing?: TimingOptions) {
  const timer = PassTimer.supported(device) ? new PassTimer(device, 200) : null;
  const result = await timeRuns(
    (slot) => dispatchOnce(device, pipeline, bindGroup, workgroups, slot === null ? undefined : timer?.writes(slot)),
    timing,
  );
  const gpu = timer ? median(await timer.durationsMs(result.samplesMs.length)) : null;
  timer?.destroy();
  return { ms: result.medianMs, gpuMs: gpu };
}

/** Runs once and returns the wall time: used to size the kernels. */
async function onceMs(device: GPUDevice, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, workgroups: number): Promise<number> {
  const t0 = performance.now();
  await dispatchOnce(device, pipeline, bindGroup, workgroups);
  return performance.now() - t0;
}

/** The FMA kernel on 64 Ki invocations, with its iteration count settable. */
async function fmaKernel(device: GPUDevice) {
  const module = device.createShaderModule({ label: 'ceiling_fma', code: fmaSource });
  const pipeline = await device.createComputePipelineAsync({ label: 'ceiling_fma', layout: 'auto', compute: { module, entryPoint: 'main' } });
  const invocations = 64 * 1024;
  const params = new ArrayBuffer(16);
  const uniform = createBuffer(device, { label: 'ceiling_fma params', bytes: 16, usage: Usage.UNIFORM | Usage.COPY_DST });
  const out = createBuffer(device, { label: 'ceiling_fma out', bytes: invocations * 16, usage: Usage.STORAGE });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: uniform } }, { binding: 1, resource: { buffer: out } }],
  });
  return {
    pipeline, bindGroup, invocations, workgroups: invocations / FMA_WORKGROUP,
    setIterations(n: number) {
      const v = new DataView(params);
      v.setUint32(0, n, true);
      v.setFloat32(4, 0.999, true);
      v.setFloat32(8, 0.001, true);
      device.queue.writeBuffer(uniform, 0, params);
    },
    destroy() {
      uniform.destroy();
      out.destroy();
    },
  };
}

/** FMA throughput: 64 Ki invocations, iterations doubled until a run takes `targetMs`. */
async function measureFma(device: GPUDevice, targetMs: number, timing?: TimingOptions) {
  const k = await fmaKernel(device);
  try {
    let iterations = 16;
    k.setIterations(iterations);
    await onceMs(device, k.pipeline, k.bindGroup, k.workgroups); // compile and first-dispatch costs
    while (iterations < 1 << 20) {
      k.setIterations(iterations);
      if ((await onceMs(device, k.pipeline, k.bindGroup, k.workgroups)) >= targetMs) break;
      iterations *= 2;
    }
    const { ms, gpuMs } = await timeKernel(device, k.pipeline, k.bindGroup, k.workgroups, timing);
    const flops = k.invocations * iterations * FMA_FLOPS_PER_ITERATION;
    return { invocations: k.invocations, iterations, flops, ms, gpuMs };
  } finally {
    k.destroy();
  }
}

/**
 * Sustained GPU work: the FMA kernel, each run sized from the measured ceiling to take about 10 ms, dispatched
 * and waited for until `ms` went by. Raises a GPU's clocks before work whose timing matters (auto's tuning
 * while a layer is set up).
 */
export async function keepBusy(device: GPUDevice, ms: number, ceiling: Ceiling): Promise<void> {
  const k = await fmaKernel(device);
  try {
    k.setIterations(Math.max(16, Math.round((ceiling.fma.iterations * 10) / Math.max(ceiling.fma.ms, 1e-3))));
    const t0 = performance.now();
    do await dispatchOnce(device, k.pipeline, k.bindGroup, k.workgroups);
    while (performance.now() - t0 < ms);
  } finally {
    k.destroy();
  }
}

/** The copy kernel's pipeline for one entry point. */
function copyPipeline(device: GPUDevice, entryPoint: 'strided' | 'blocked'): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label: 'ceiling_copy', code: copySource });
  return device.createComputePipelineAsync({ label: `ceiling_copy ${entryPoint}`, layout: 'auto', compute: { module, entryPoint } });
}

/** The copy buffers' size: `start` bytes doubled (the last step clamped to `limit`) until one copy takes `targetMs`. */
export async function sizeCopy(start: number, limit: number, targetMs: number, copyMs: (bytes: number) => Promise<number>): Promise<number> {
  let bytes = Math.min(start, limit);
  for (;;) {
    if (bytes >= limit || (await copyMs(bytes)) >= targetMs) return bytes;
    bytes = Math.min(2 * bytes, limit);
  }
}

/** Wall ms of one copy of `bytes` with the strided kernel (after one untimed run: first touch of the buffers). */
async function copyOnceMs(device: GPUDevice, bytes: number): Promise<number> {
  const run = copyRun(device, await copyPipeline(device, 'strided'), bytes, 'strided');
  try {
    await onceMs(device, run.pipeline, run.bindGroup, run.workgroups);
    return await onceMs(device, run.pipeline, run.bindGroup, run.workgroups);
  } finally {
    run.destroy();
  }
}

/** Buffers and bind group for one copy of `bytes` with the given entry point. */
function copyRun(device: GPUDevice, pipeline: GPUComputePipeline, bytes: number, entryPoint: 'strided' | 'blocked') {
  const count = Math.floor(bytes / 16);
  const block = 256;
  const workgroups = entryPoint === 'strided'
    ? Math.min(4096, Math.ceil(count / COPY_WORKGROUP))
    : Math.ceil(count / (block * COPY_WORKGROUP));
  const params = new Uint32Array([count, workgroups * COPY_WORKGROUP, block, 0]);
  const uniform = createBuffer(device, { label: 'ceiling_copy params', bytes: 16, usage: Usage.UNIFORM, data: params });
  const src = createBuffer(device, { label: 'ceiling_copy src', bytes: count * 16, usage: Usage.STORAGE });
  const dst = createBuffer(device, { label: 'ceiling_copy dst', bytes: count * 16, usage: Usage.STORAGE });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: uniform } },
      { binding: 1, resource: { buffer: src } },
      { binding: 2, resource: { buffer: dst } },
    ],
  });
  return {
    pipeline, bindGroup, workgroups, count,
    destroy() {
      uniform.destroy();
      src.destroy();
      dst.destroy();
    },
  };
}

/** Copy bandwidth: one dispatch copies a `bytes`-sized buffer into another, with the given entry point. */
async function measureCopy(device: GPUDevice, bytes: number, entryPoint: 'strided' | 'blocked', timing?: TimingOptions) {
  const run = copyRun(device, await copyPipeline(device, entryPoint), bytes, entryPoint);
  try {
    await onceMs(device, run.pipeline, run.bindGroup, run.workgroups);
    const { ms, gpuMs } = await timeKernel(device, run.pipeline, run.bindGroup, run.workgroups, timing);
    return { bytes: run.count * 16 * 2, ms, gpuMs, entryPoint };
  } finally {
    run.destroy();
  }
}

/** Measures both ceilings on `device`. */
export async function measureCeiling(device: GPUDevice, options: CeilingOptions = {}): Promise<Ceiling> {
  const targetMs = options.targetMs ?? 50;
  const fma = await measureFma(device, targetMs, options.timing);
  // Whole vec4s of both workgroup shapes' strides.
  const limit = Math.floor(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) / 4096) * 4096;
  const copyBytes = await sizeCopy(options.copyBytes ?? 32 * 2 ** 20, limit, targetMs, (bytes) => copyOnceMs(device, bytes));
  // The faster of the two access patterns is the ceiling (see bench/ceiling_copy.wgsl for why there are two).
  const strided = await measureCopy(device, copyBytes, 'strided', options.timing);
  const blocked = await measureCopy(device, copyBytes, 'blocked', options.timing);
  const copy = strided.ms <= blocked.ms ? strided : blocked;
  return {
    gflops: fma.flops / fma.ms / 1e6,
    gbps: copy.bytes / copy.ms / 1e6,
    gpuGflops: fma.gpuMs ? fma.flops / fma.gpuMs / 1e6 : null,
    gpuGbps: copy.gpuMs ? copy.bytes / copy.gpuMs / 1e6 : null,
    fma: { invocations: fma.invocations, iterations: fma.iterations, flops: fma.flops, ms: fma.ms },
    copy: { bytes: copy.bytes, ms: copy.ms, kernel: copy.entryPoint, stridedMs: strided.ms, blockedMs: blocked.ms },
  };
}
