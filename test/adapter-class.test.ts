// How plans classify the device's adapter (src/gpu/plan/context.ts: adapterClassOf), from `device.adapterInfo` as
// each implementation fills it. No GPU here: devices are stand-ins holding only that.
import { describe, expect, it } from 'vitest';
import { adapterClassOf } from '../src/gpu/plan/context';

const deviceWith = (info: Partial<GPUAdapterInfo> | undefined) =>
  ({ adapterInfo: info && { vendor: '', architecture: '', device: '', description: '', ...info } }) as unknown as GPUDevice;

describe('adapterClassOf', () => {
  it('Firefox on lavapipe: an empty info but isFallbackAdapter, a CPU', () => {
    expect(adapterClassOf(deviceWith({ isFallbackAdapter: true }))).toBe('cpu');
  });
  it('Dawn on SwiftShader and Deno on llvmpipe: named, and a fallback adapter', () => {
    expect(adapterClassOf(deviceWith({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true }))).toBe('cpu');
    expect(adapterClassOf(deviceWith({ vendor: '65541', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', isFallbackAdapter: true }))).toBe('cpu');
  });
  it('a CPU driver named in the info without the flag (implementations before isFallbackAdapter)', () => {
    expect(adapterClassOf(deviceWith({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe('cpu');
    expect(adapterClassOf(deviceWith({ description: 'Microsoft Basic Render Driver (WARP)' }))).toBe('cpu');
  });
  it('a GPU: not a fallback adapter, a GPU\'s names; or no info at all', () => {
    expect(adapterClassOf(deviceWith({ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false }))).toBe('gpu');
    expect(adapterClassOf(deviceWith({ isFallbackAdapter: false }))).toBe('gpu');
    expect(adapterClassOf(deviceWith(undefined))).toBe('gpu');
  });
});
