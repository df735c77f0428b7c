/**
 * Composition of WGSL. Each kernel is one real `.wgsl` file (its body); what kernels share is written once in
 * this folder as snippets (snippets.ts) and put in front of the body here, the only place shader text is
 * joined: the uniform struct and the binding declarations (both generated from the kernel's descriptor, so WGSL
 * and TS cannot disagree on them), common.wgsl, the x reader for the layer's storage type, and the snippets the
 * kernel asks for, each checked against what it declares it needs.
 */
import { uniformStruct } from '../uniforms';
import type { BindingDef, KernelDef } from '../kernels/kernel';
import { COMMON_SNIPPET, INPUT_SNIPPETS, SNIPPETS, type SnippetDef } from './snippets';

const composed = new WeakMap<KernelDef, Map<boolean, string>>();

/** The WGSL declaration of a storage binding; `input` is x, as float32 or as packed float16 words. */
function declaration(b: BindingDef, i: number, halfInput: boolean): string {
  const type = b.type === 'input' ? (halfInput ? 'array<u32>' : 'array<f32>') : b.type;
  return `@group(0) @binding(${i + 1}) var<storage, ${b.access}> ${b.name}: ${type};`;
}

/** The snippets composed into a kernel, in order. */
export function snippetsOf(kernel: KernelDef, halfInput = false): SnippetDef[] {
  const readsInput = kernel.bindings.some((b) => b.type === 'input');
  return [COMMON_SNIPPET, ...(readsInput ? [INPUT_SNIPPETS[halfInput ? 'float16' : 'float32']] : []), ...kernel.snippets.map((s) => SNIPPETS[s])];
}

/**
 * Throws unless every snippet of the kernel comes after the snippets it needs and the kernel declares the uniform
 * fields and bindings the snippet reads.
 */
export function checkSnippets(kernel: KernelDef): void {
  const fields = new Set(kernel.fields.map((f) => f.name));
  const bindings = new Set(kernel.bindings.map((b) => b.name));
  const before = new Set<string>();
  for (const s of snippetsOf(kernel)) {
    const where = `kernel '${kernel.name}': snippet '${s.name}'`;
    for (const n of s.needs) if (!before.has(n)) throw new Error(`${where} needs snippet '${n}' before it in the kernel's snippets`);
    for (const f of s.fields) if (!fields.has(f)) throw new Error(`${where} reads uniform field ${f}, which the kernel does not declare`);
    for (const b of s.bindings) if (!bindings.has(b)) throw new Error(`${where} uses binding ${b}, which the kernel does not declare`);
    before.add(s.name);
  }
}

/**
 * The full WGSL of a kernel: generated uniform struct and bindings, common.wgsl, the x reader (when it binds
 * the input; the packed float16 one for `halfInput`), requested snippets, then the body.
 */
export function composeShader(kernel: KernelDef, halfInput = false): string {
  let byStorage = composed.get(kernel);
  if (!byStorage) {
    checkSnippets(kernel);
    composed.set(kernel, (byStorage = new Map()));
  }
  let code = byStorage.get(halfInput);
  if (code === undefined) {
    code = [
      `// ${kernel.name}${halfInput ? ' (float16 x)' : ''}: composed by src/gpu/wgsl/compose.ts`,
      uniformStruct(kernel.fields),
      '@group(0) @binding(0) var<uniform> P: Params;',
      kernel.bindings.map((b, i) => declaration(b, i, halfInput)).join('\n'),
      ...snippetsOf(kernel, halfInput).map((s) => s.code),
      kernel.body,
    ].join('\n\n');
    byStorage.set(halfInput, code);
  }
  return code;
}
