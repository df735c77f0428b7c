/**
 * How a compute pipeline is compiled. The one place that chooses between createComputePipelineAsync and
 * createComputePipeline, so a runtime where one of them is broken is handled here and nowhere else.
 *
 * Policy: asynchronous everywhere by default (it keeps compilation off the caller's thread in browsers), with
 * `setCompileMode('sync')` as an escape hatch, and the synchronous call used on its own when a device has no
 * createComputePipelineAsync at all.
 *
 * Why not "synchronous in Node": the crash seen with Dawn for Node (the `webgpu` package: futex / pthread
 * mutex assertions, segfaults, in createComputePipelineAsync) is not a broken async compile. It happens when
 * the `GPU` object returned by `create()` has been garbage-collected while its device is still in use, as in
 * `await (await create([]).requestAdapter()).requestDevice()`: V8's first scavenge (tens of ms in) frees it.
 * From then on every call that waits on Dawn's event processing crashes the process: createComputePipelineAsync,
 * but equally mapAsync, popErrorScope and onSubmittedWorkDone (checked with `node --expose-gc` and a forced gc()).
 * createComputePipeline only looked healthy because it waits on nothing, so compiling synchronously would move
 * the crash to the next mapAsync, not remove it. Keeping the `GPU` object alive for the device's lifetime fixes
 * all of them, async compiles included (repeated runs, concurrent compiles): `nodeDevice()` from
 * `webgpu-convtranspose/node` does that (src/node.ts), and the README's Node section uses it.
 */

/** `async`: createComputePipelineAsync (default). `sync`: createComputePipeline inside error scopes. */
export type CompileMode = 'async' | 'sync';

let mode: CompileMode = 'async';

/**
 * Chooses how the package compiles its compute pipelines, for every device, from the next compile on
 * (pipelines already compiled stay cached). `sync` is for runtimes whose createComputePipelineAsync is
 * missing or broken; it blocks the calling thread while the driver compiles.
 */
export function setCompileMode(next: CompileMode): void {
  if (next !== 'async' && next !== 'sync') throw new TypeError(`setCompileMode: expected 'async' or 'sync', got ${JSON.stringify(next)}`);
  mode = next;
}

/** Compiles `descriptor` on `device`; rejects (never throws synchronously) when compilation fails. */
export function compileComputePipeline(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
  if (mode === 'async' && typeof device.createComputePipelineAsync === 'function') {
    // The rejection is a GPUPipelineError (a DOMException: in Firefox with an empty stack), so it becomes an
    // Error that names the pipeline, as the sync mode's does.
    const what = `compiling compute pipeline ${JSON.stringify(descriptor.label ?? '')}`;
    const named = (e: unknown) => new Error(`${what}: ${e instanceof Error || e instanceof DOMException ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    try {
      return device.createComputePipelineAsync(descriptor).catch((e: unknown) => { throw named(e); });
    } catch (e) {
      return Promise.reject(named(e));
    }
  }
  return compileSync(device, descriptor);
}

/**
 * createComputePipeline reports failure through the device's error scopes (an invalid pipeline, no exception),
 * so it runs inside a validation and an internal scope, and a captured error becomes a rejection, as the async
 * call would give. A synchronous exception (a malformed descriptor) becomes a rejection too.
 */
async function compileSync(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
  const what = `compiling compute pipeline ${JSON.stringify(descriptor.label ?? '')}`;
  device.pushErrorScope('internal');
  device.pushErrorScope('validation');
  let pipeline: GPUComputePipeline | undefined;
  let thrown: unknown;
  try {
    pipeline = device.createComputePipeline(descriptor);
  } catch (e) {
    thrown = e;
  }
  const validation = await device.popErrorScope();
  const internal = await device.popErrorScope();
  if (thrown !== undefined) throw new Error(`${what}: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
  const error = validation ?? internal;
  if (error) throw new Error(`${what}: ${validation ? 'validation' : 'internal'} error: ${error.message}`);
  return pipeline!;
}
