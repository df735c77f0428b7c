/**
 * Compute pipelines, compiled once per device and compile-time facts (kernel, storage type of x, override
 * constants), never per shape: shapes travel in the uniform. The bind group layout comes from the kernel's
 * descriptor (binding 0 the uniform, then its storage bindings in order), so a bind group is made by name and
 * never depends on what a compiler kept. Held in a WeakMap so a dropped device takes its pipelines with it.
 */
import { compileComputePipeline } from './compile';
import { composeShader } from './wgsl/compose';
import { stageName, type KernelDef, type Stage } from './kernels/kernel';

export interface Compiled {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

const cache = new WeakMap<GPUDevice, Map<string, Promise<Compiled>>>();
const layouts = new WeakMap<GPUDevice, Map<KernelDef, GPUBindGroupLayout>>();

function layoutOf(device: GPUDevice, kernel: KernelDef): GPUBindGroupLayout {
  let perDevice = layouts.get(device);
  if (!perDevice) layouts.set(device, (perDevice = new Map()));
  let layout = perDevice.get(kernel);
  if (!layout) {
    const compute = 0x4; // GPUShaderStage.COMPUTE, spelled out for runtimes without the global
    layout = device.createBindGroupLayout({
      label: `convtranspose/${kernel.name}`,
      entries: [
        { binding: 0, visibility: compute, buffer: { type: 'uniform' } },
        ...kernel.bindings.map((b, i) => ({ binding: i + 1, visibility: compute, buffer: { type: b.access === 'read' ? 'read-only-storage' as const : 'storage' as const } })),
      ],
    });
    perDevice.set(kernel, layout);
  }
  return layout;
}

/** The pipeline of a stage on `device`, compiled on first use (off the hot path), with its bind group layout. */
export function getPipeline(device: GPUDevice, stage: Pick<Stage, 'kernel' | 'halfInput' | 'overrides'>): Promise<Compiled> {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const name = stageName(stage);
  const key = `${name}|${JSON.stringify(stage.overrides)}`;
  let compiled = perDevice.get(key);
  if (!compiled) {
    const label = `convtranspose/${name}`;
    const layout = layoutOf(device, stage.kernel);
    const module = device.createShaderModule({ label, code: composeShader(stage.kernel, stage.halfInput) });
    compiled = compileComputePipeline(device, {
      label, layout: device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main', constants: { ...stage.overrides } },
    }).then((pipeline) => ({ pipeline, layout }));
    compiled.catch(() => perDevice.delete(key));
    perDevice.set(key, compiled);
  }
  return compiled;
}
