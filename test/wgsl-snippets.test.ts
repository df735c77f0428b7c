/**
 * The shared WGSL snippets against their declarations (src/gpu/wgsl/snippets.ts): a snippet reads exactly the
 * uniform fields, uses declarations of exactly the snippets, and touches exactly the bindings it declares; a
 * kernel body reads only the fields it declares and uses only the snippets composed into it. Then the composer's
 * own check (compose.ts: checkSnippets) on every kernel, and on kernels that break it.
 */
import { describe, expect, it } from 'vitest';
import { COMMON_SNIPPET, INPUT_SNIPPETS, SNIPPETS, type SnippetDef } from '../src/gpu/wgsl/snippets';
import { checkSnippets, composeShader, snippetsOf } from '../src/gpu/wgsl/compose';
import { GPU_PATHS, familyOf } from '../src/gpu/kernels/registry';
import { REDUCE } from '../src/gpu/kernels/stages/reduce';
import { PACK_F16 } from '../src/gpu/kernels/stages/pack-f16';
import type { KernelDef } from '../src/gpu/kernels/kernel';

const ALL: readonly SnippetDef[] = [COMMON_SNIPPET, INPUT_SNIPPETS.float32, INPUT_SNIPPETS.float16, ...Object.values(SNIPPETS)];
const KERNELS: readonly KernelDef[] = [...new Set([...GPU_PATHS.flatMap((p) => familyOf(p).kernels), REDUCE, PACK_F16])];
const BINDING_NAMES = new Set(KERNELS.flatMap((k) => k.bindings.map((b) => b.name)));

const code = (wgsl: string) => wgsl.replace(/\/\/[^\n]*/g, '');
const all = (wgsl: string, re: RegExp) => new Set([...code(wgsl).matchAll(re)].map((m) => m[1]));
/** Module-scope names a piece of WGSL declares (functions, types, constants, overrides). */
const declares = (wgsl: string) => all(wgsl, /\b(?:fn|alias|struct|const|override)\s+(\w+)/g);
/** Identifiers it uses, member names (after a dot) left out. */
const identifiers = (wgsl: string) => all(wgsl, /(?<![.\w])([A-Za-z_]\w*)/g);
const fieldsRead = (wgsl: string) => all(wgsl, /\bP\.(\w+)/g);
/** Storage bindings it indexes. */
const bindingsUsed = (wgsl: string) => new Set([...all(wgsl, /(?<![.\w])(\w+)\s*\[/g)].filter((n) => BINDING_NAMES.has(n)));

/** The snippets whose declarations `wgsl` uses, other than its own and common.wgsl's (always composed). */
function snippetsUsed(wgsl: string, self?: SnippetDef): Map<string, string[]> {
  const used = identifiers(wgsl);
  const own = declares(wgsl);
  const out = new Map<string, string[]>();
  for (const s of ALL) {
    if (s === self || s === COMMON_SNIPPET) continue;
    const names = [...declares(s.code)].filter((n) => used.has(n) && !own.has(n));
    if (names.length) out.set(s.name, names);
  }
  return out;
}

const sorted = (s: Iterable<string>) => [...s].sort();

/** What is wrong with a snippet's declaration, in words (empty: nothing). */
function snippetErrors(s: SnippetDef): string[] {
  const errors: string[] = [];
  const fields = fieldsRead(s.code);
  for (const f of fields) if (!s.fields.includes(f)) errors.push(`snippet '${s.name}' reads uniform field ${f} but does not declare it`);
  for (const f of s.fields) if (!fields.has(f)) errors.push(`snippet '${s.name}' declares uniform field ${f} but does not read it`);
  const used = snippetsUsed(s.code, s);
  for (const [name, names] of used) {
    if (!(s.needs as readonly string[]).includes(name)) errors.push(`snippet '${s.name}' uses ${names.join(', ')} of snippet '${name}' but does not declare it in needs`);
  }
  for (const n of s.needs) if (!used.has(n)) errors.push(`snippet '${s.name}' declares it needs snippet '${n}' but uses nothing of it`);
  const bindings = bindingsUsed(s.code);
  for (const b of bindings) if (!s.bindings.includes(b)) errors.push(`snippet '${s.name}' uses binding ${b} but does not declare it`);
  for (const b of s.bindings) if (!bindings.has(b)) errors.push(`snippet '${s.name}' declares binding ${b} but does not use it`);
  return errors;
}

describe('WGSL snippets declare what they need', () => {
  it.each(ALL.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    expect(snippetErrors(s)).toEqual([]);
  });

  it.each(KERNELS.map((k) => [k.name, k] as const))('kernel %s reads only its fields and uses only its snippets', (_name, k) => {
    const errors: string[] = [];
    const fields = new Set(k.fields.map((f) => f.name));
    for (const f of fieldsRead(k.body)) if (!fields.has(f)) errors.push(`reads uniform field ${f}, not in its fields`);
    const composed = new Set(snippetsOf(k).map((s) => s.name));
    for (const [name, names] of snippetsUsed(k.body)) {
      // The x readers are twins: a kernel composed with either uses the one it has.
      if (!composed.has(name) && !(name === 'input_f16' && composed.has('input'))) errors.push(`uses ${names.join(', ')} of snippet '${name}', not in its snippets`);
    }
    expect(errors).toEqual([]);
  });

  it('the lint finds a slip: an undeclared field, snippet and binding, and a stale declaration', () => {
    const slip: SnippetDef = { name: 'slip', code: 'fn f() -> f32 { return P.outSize.x + finish(vec4<f32>(0.0), w[0]).x; }', fields: ['inSize'], needs: [], bindings: [] };
    expect(snippetErrors(slip)).toEqual([
      "snippet 'slip' reads uniform field outSize but does not declare it",
      "snippet 'slip' declares uniform field inSize but does not read it",
      "snippet 'slip' uses finish of snippet 'epilogue' but does not declare it in needs",
      "snippet 'slip' uses binding w but does not declare it",
    ]);
  });
});

describe('composeShader checks the kernel against its snippets', () => {
  it.each(KERNELS.map((k) => [k.name, k] as const))('%s composes', (_name, k) => {
    expect(() => composeShader(k)).not.toThrow();
    if (k.bindings.some((b) => b.type === 'input')) expect(composeShader(k, true)).toContain('unpack2x16float');
  });

  const gather = familyOf('gather').kernels[0];
  it('refuses a snippet before the snippets it needs', () => {
    expect(() => checkSnippets({ ...gather, snippets: ['taps', 'block', 'epilogue'] }))
      .toThrow("kernel 'gather': snippet 'block' needs snippet 'epilogue' before it in the kernel's snippets");
  });
  it('refuses a kernel that lacks a field or binding a snippet reads', () => {
    expect(() => checkSnippets({ ...gather, fields: gather.fields.filter((f) => f.name !== 'gcdSD') }))
      .toThrow("kernel 'gather': snippet 'taps' reads uniform field gcdSD, which the kernel does not declare");
    expect(() => checkSnippets({ ...gather, bindings: gather.bindings.filter((b) => b.name !== 'bias') }))
      .toThrow("kernel 'gather': snippet 'block' uses binding bias, which the kernel does not declare");
  });
  it('gives the epilogue the ACT codes of src/activation.ts', () => {
    expect(SNIPPETS.epilogue.code).toMatch(/const ACT_LEAKY_RELU = 2u;/);
    expect(sorted(declares(SNIPPETS.epilogue.code)).filter((n) => n.startsWith('ACT_'))).toHaveLength(9);
  });
});
