/**
 * The shared WGSL snippets and what each one needs: the uniform fields it reads (by name), the snippets whose
 * declarations it uses (composed before it) and the storage bindings it reads or writes. A kernel asks for
 * snippets by name (KernelDef.snippets); wgsl/compose.ts checks the kernel against these declarations, and
 * test/wgsl-snippets.test.ts checks the declarations against the WGSL text, so neither can drift.
 */
import common from './common.wgsl?raw';
import taps from './taps.wgsl?raw';
import epilogue from './epilogue.wgsl?raw';
import phases from './phases.wgsl?raw';
import block from './block.wgsl?raw';
import input from './input.wgsl?raw';
import inputF16 from './input_f16.wgsl?raw';
import { ACTIVATION_CODES } from '../../activation';

/** A snippet a kernel may ask for. */
export type Snippet = 'taps' | 'phases' | 'epilogue' | 'block';

export interface SnippetDef {
  readonly name: string;
  readonly code: string;
  /** Uniform fields it reads (`P.name`). */
  readonly fields: readonly string[];
  /** Snippets it uses declarations of; common.wgsl's are always there. */
  readonly needs: readonly Snippet[];
  /** Storage bindings it reads or writes. */
  readonly bindings: readonly string[];
}

/** `ACT_RELU` for `relu`: the WGSL constant of an activation code. */
export function actConstantName(name: string): string {
  return `ACT_${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** epilogue.wgsl's ACT codes, generated from src/activation.ts (its one source). */
const actConstants = Object.entries(ACTIVATION_CODES).map(([name, code]) => `const ${actConstantName(name)} = ${code}u;`).join('\n');

/** common.wgsl: composed into every kernel, so every kernel must declare what it reads. */
export const COMMON_SNIPPET: SnippetDef = { name: 'common', code: common, fields: ['xStride', 'yStride', 'io'], needs: [], bindings: [] };

/** The x readers, composed into the kernels that bind the input: float32, or packed float16 pairs. */
export const INPUT_SNIPPETS: Readonly<Record<'float32' | 'float16', SnippetDef>> = {
  float32: { name: 'input', code: input, fields: [], needs: [], bindings: ['x'] },
  float16: { name: 'input_f16', code: inputF16, fields: [], needs: [], bindings: ['x'] },
};

export const SNIPPETS: Readonly<Record<Snippet, SnippetDef>> = {
  taps: {
    name: 'taps', code: taps, needs: [], bindings: [],
    fields: ['padBegin', 'gcdSD', 'tapStep', 'invDil', 'dilation', 'stride', 'inSize', 'kernel', 'inStep'],
  },
  phases: { name: 'phases', code: phases, fields: ['phases', 'phaseFirsts', 'phaseTaps', 'chanG'], needs: ['taps'], bindings: [] },
  epilogue: { name: 'epilogue', code: `${actConstants}\n\n${epilogue}`, fields: ['act'], needs: [], bindings: ['y'] },
  block: { name: 'block', code: block, fields: ['yStride', 'chanG'], needs: ['epilogue'], bindings: ['w', 'bias'] },
};
