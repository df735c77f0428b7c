/** The compile policy (src/gpu/compile.ts) on fake devices: which call it makes, and how failures surface. */
import { afterEach, describe, expect, it } from 'vitest';
import { compileComputePipeline, setCompileMode } from '../src/gpu/compile';

interface FakeOptions {
  async?: boolean;
  throws?: Error;
  scopeError?: 'validation' | 'internal';
}

/** A device whose createComputePipeline can throw or leave an error in a scope; counts calls and scopes. */
function fakeDevice(o: FakeOptions = {}) {
  const calls: string[] = [];
  const scopes: string[] = [];
  const pipeline = { label: 'fake' } as unknown as GPUComputePipeline;
  const device = {
    calls,
    scopes,
    pushErrorScope(filter: string) { scopes.push(filter); },
    popErrorScope() {
      const filter = scopes.pop();
      if (filter === undefined) return Promise.reject(new Error('popErrorScope: stack empty'));
      return Promise.resolve(filter === o.scopeError ? { message: `bad shader (${filter})` } : null);
    },
    createComputePipeline() {
      calls.push('sync');
      if (o.throws) throw o.throws;
      if (o.scopeError) return { label: 'invalid' };
      return pipeline;
    },
    ...(o.async === false ? {} : { createComputePipelineAsync() { calls.push('async'); return Promise.resolve(pipeline); } }),
  };
  return { device: device as unknown as GPUDevice & { calls: string[]; scopes: string[] }, pipeline };
}

const descriptor = { label: 'convtranspose/test', layout: 'auto', compute: { module: {} as GPUShaderModule, entryPoint: 'main' } } as GPUComputePipelineDescriptor;

afterEach(() => setCompileMode('async'));

describe('compileComputePipeline', () => {
  it('compiles asynchronously by default', async () => {
    const { device, pipeline } = fakeDevice();
    await expect(compileComputePipeline(device, descriptor)).resolves.toBe(pipeline);
    expect(device.calls).toEqual(['async']);
  });

  it("compiles synchronously under setCompileMode('sync'), inside balanced error scopes", async () => {
    setCompileMode('sync');
    const { device, pipeline } = fakeDevice();
    await expect(compileComputePipeline(device, descriptor)).resolves.toBe(pipeline);
    expect(device.calls).toEqual(['sync']);
    expect(device.scopes).toEqual([]);
  });

  it('falls back to the synchronous call on a device without createComputePipelineAsync', async () => {
    const { device } = fakeDevice({ async: false });
    await compileComputePipeline(device, descriptor);
    expect(device.calls).toEqual(['sync']);
  });

  it.each(['validation', 'internal'] as const)('rejects, naming the pipeline, on a %s error', async (scopeError) => {
    setCompileMode('sync');
    const { device } = fakeDevice({ scopeError });
    const p = compileComputePipeline(device, descriptor);
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toThrow(`compiling compute pipeline "convtranspose/test": ${scopeError} error: bad shader (${scopeError})`);
    expect(device.scopes).toEqual([]);
  });

  it('turns a synchronous exception into a rejection', async () => {
    setCompileMode('sync');
    const { device } = fakeDevice({ throws: new TypeError('compute.module: expected a GPUShaderModule') });
    let p: Promise<GPUComputePipeline> | undefined;
    expect(() => { p = compileComputePipeline(device, descriptor); }).not.toThrow();
    await expect(p).rejects.toThrow('compiling compute pipeline "convtranspose/test": compute.module: expected a GPUShaderModule');
    expect(device.scopes).toEqual([]);
  });

  it('names the pipeline when the async compile rejects (a GPUPipelineError: a DOMException, with an empty stack in Firefox)', async () => {
    const failure = new DOMException('Shader validation error: Function [19] \'f\' is invalid', 'OperationError');
    const device = { createComputePipelineAsync: () => Promise.reject(failure) } as unknown as GPUDevice;
    const p = compileComputePipeline(device, descriptor);
    await expect(p).rejects.toThrow(`compiling compute pipeline "convtranspose/test": OperationError: Shader validation error: Function [19] 'f' is invalid`);
    await expect(p).rejects.toSatisfy((e: Error) => e instanceof Error && e.cause === failure);
  });

  it('rejects an unknown mode', () => {
    expect(() => setCompileMode('eager' as never)).toThrow(TypeError);
  });
});
