/**
 * The library's import graph: no cycle (type-only imports count: they are edges a reader follows too), and no
 * import from the library out of src/ (into the benchmark, the tests or the demo); packages are fine.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The relative specifiers a module imports or re-exports (static `import`/`export ... from`, and `import()`). */
export function specifiers(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
    found.push(m[1] ?? m[2] ?? m[3]);
  }
  return found;
}

function resolveModule(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null; // a package
  const base = resolve(dirname(from), spec.replace(/\?raw$/, ''));
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${relative(root, from)}: cannot resolve ${spec}`);
}

/** A cycle of the graph, as a list of modules, or null. */
export function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

describe('the import graph of src/', () => {
  const graph = new Map<string, string[]>();
  const outside: string[] = [];
  for (const file of files(src)) {
    const targets = specifiers(readFileSync(file, 'utf8')).map((s) => resolveModule(file, s)).filter((t): t is string => t !== null);
    for (const t of targets) if (!t.startsWith(src)) outside.push(`${relative(root, file)} -> ${relative(root, t)}`);
    graph.set(file, targets.filter((t) => t.endsWith('.ts')));
  }

  it('has no cycle', () => {
    const cycle = findCycle(graph);
    expect(cycle && cycle.map((f) => relative(root, f)).join(' -> ')).toBeNull();
  });

  it('imports nothing outside src/ but packages', () => {
    expect(outside).toEqual([]);
  });

  it('the checks can fail: a cycle and imports of every form are found', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b']], ['b', []]]))).toBeNull();
    expect(specifiers("import type { X } from './x';\nexport { y } from '../y';\nconst z = await import('./z');\nimport w from './w.wgsl?raw';"))
      .toEqual(['./x', '../y', './z', './w.wgsl?raw']);
  });
});
