/**
 * Composition of WGSL. Each kernel is one real `.wgsl` file (its body); what kernels share is written once in
 * this folder and put in front of the body here, the only place shader text is joined: the uniform struct and
 * the binding declarations (both generated from the kernel's descriptor, so WGSL and TS cannot disagree on
 * them), the common helpers, the x reader for the layer's storage type, and the parts the kernel asks for.
 */
import common from './common.wgsl?raw';
import taps from './taps.wgsl?raw';
import epilogue from './epilogue.wgsl?raw';
import phases from './phases.wgsl?raw';
import block from './block.wgsl?raw';
import input from './input.wgsl?raw';
import inputF16 from './input_f16.wgsl?raw';
import { uniformStruct } from '../uniforms';
import type { BindingDef, KernelDef, WgslPart } from '../kernels/kernel';

const PARTS: Record<WgslPart, string> = { taps, phases, epilogue, block };

const composed = new WeakMap<KernelDef, Map<boolean, string>>();

/** The WGSL declaration of a storage binding; `input` is x, as float32 or as packed float16 words. */
function declaration(b: BindingDef, i: number, halfInput: boolean): string {
  const type = b.type === 'input' ? (halfInput ? 'array<u32>' : 'array<f32>') : b.type;
  return `@group(0) @binding(${i + 1}) var<storage, ${b.access}> ${b.name}: ${type};`;
}

/**
 * The full WGSL of a kernel: generated uniform struct and bindings, common helpers, the x reader (when it binds
 * the input; the packed float16 one for `halfInput`), requested parts, then the body.
 */
export function composeShader(kernel: KernelDef, halfInput = false): string {
  let byStorage = composed.get(kernel);
  if (!byStorage) composed.set(kernel, (byStorage = new Map()));
  let code = byStorage.get(halfInput);
  if (code === undefined) {
    const readsInput = kernel.bindings.some((b) => b.type === 'input');
    code = [
      `// ${kernel.name}${halfInput ? ' (float16 x)' : ''}: composed by src/gpu/wgsl/compose.ts`,
      uniformStruct(kernel.fields),
      '@group(0) @binding(0) var<uniform> P: Params;',
      kernel.bindings.map((b, i) => declaration(b, i, halfInput)).join('\n'),
      common,
      ...(readsInput ? [halfInput ? inputF16 : input] : []),
      ...kernel.parts.map((p) => PARTS[p]),
      kernel.body,
    ].join('\n\n');
    byStorage.set(halfInput, code);
  }
  return code;
}
