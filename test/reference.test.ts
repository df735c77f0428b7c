import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConvTranspose, sizeOf } from '../src/shape';
import { cpuReference, matrixReference, scatterReference, zeroInsertReference, type ReferenceMethod } from '../src/reference';
import { compare, describeMismatch } from './support/compare';
import { isErrorCase, onnxAttrs, skipReason, type CaseJson, type NumericCaseJson } from './support/conformance';
import { randomCases, randomData, SWEEP_FEATURES } from './support/random';

const METHODS: ReferenceMethod[] = ['scatter', 'matrix', 'zero-insert'];

function expectClose(name: string, method: string, got: ArrayLike<number>, want: ArrayLike<number>, abs = 1e-9, rel = 1e-9) {
  const c = compare(got, want, abs, rel);
  if (!c.ok) expect.fail(describeMismatch(name, method, c));
}

describe('CPU references', () => {
  it('reproduce the worked example (2x2 input, 3x3 kernel, stride 1, padding 0)', () => {
    const r = resolveConvTranspose([1, 1, 2, 2], [1, 1, 3, 3], null, { stride: 1, padding: 0 });
    const x = [2, 3, 1, 3];
    const w = [0, 1, 1, 0, 1, 0, 1, 0, 1];
    const want = [0, 2, 5, 3, 0, 3, 7, 3, 2, 4, 5, 3, 1, 3, 1, 3];
    expect(r.outputShape).toEqual([1, 1, 4, 4]);
    for (const m of METHODS) expect(Array.from(cpuReference(m, r, x, w))).toEqual(want);
  });

  it('agree on the 5x5 input 1..25, 3x3 kernel, stride 2, padding 1 (9x9 output)', () => {
    const r = resolveConvTranspose([1, 1, 5, 5], [1, 1, 3, 3], null, { stride: 2, padding: 1 });
    expect(r.outputShape).toEqual([1, 1, 9, 9]);
    const x = Array.from({ length: 25 }, (_, i) => i + 1);
    const w = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const s = scatterReference(r, x, w);
    // Hand-checked cells: (0,0) gets only x(0,0)·w(1,1); (1,1) gets x(0,0)w(2,2)+x(0,1)w(2,0)+x(1,0)w(0,2)+x(1,1)w(0,0).
    expect(s[0]).toBe(1 * 5);
    expect(s[10]).toBe(1 * 9 + 2 * 7 + 6 * 3 + 7 * 1);
    expectClose('5x5 stride 2', 'matrix', matrixReference(r, x, w), s, 0, 0);
    expectClose('5x5 stride 2', 'zero-insert', zeroInsertReference(r, x, w), s, 0, 0);
  });

  const sweep = randomCases(300, 99);
  it('sweep covers every edge', () => {
    const seen = new Set(sweep.flatMap((c) => c.features));
    expect(SWEEP_FEATURES.filter((f) => !seen.has(f))).toEqual([]);
  });
  it.each(sweep.map((c) => [c.name, c] as const))('agree: %s', (_, c) => {
    const resolved = resolveConvTranspose(c.inputShape, c.weightShape, null, c.attrs);
    const x = randomData(c.seed, sizeOf(c.inputShape));
    const w = randomData(c.seed + 1, sizeOf(c.weightShape));
    const b = c.bias ? randomData(c.seed + 2, resolved.outChannels) : null;
    const s = scatterReference(resolved, x, w, b);
    expectClose(c.name, 'matrix', matrixReference(resolved, x, w, b), s);
    expectClose(c.name, 'zero-insert', zeroInsertReference(resolved, x, w, b), s);
  });

  it('matrix reference refuses sizes above its bound with a clear error', () => {
    const r = resolveConvTranspose([1, 64, 32, 32], [64, 64, 4, 4], null, { stride: 2, padding: 1 });
    expect(() => matrixReference(r, new Float32Array(sizeOf(r.inputShape)), new Float32Array(sizeOf(r.weightShape)))).toThrow(/^matrix reference: Cᵀ would have/);
  });
});

describe('CPU references on the conformance fixtures', () => {
  const dir = join(import.meta.dirname, 'fixtures/conformance');
  const cases = readdirSync(dir).filter((f) => f.endsWith('.json'))
    .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as CaseJson[]).map((c) => ({ f, c })))
    .filter(({ c }) => !isErrorCase(c) && !skipReason(c)) as { f: string; c: NumericCaseJson }[];
  it.each(cases.map(({ f, c }) => [`${f}: ${c.name}`, c] as const))('%s', (name, c) => {
    const r = resolveConvTranspose(c.input.shape, c.weight.shape, c.bias?.shape, onnxAttrs(c.attrs));
    const x = Float32Array.from(c.input.data);
    const w = Float32Array.from(c.weight.data);
    const b = c.bias ? Float32Array.from(c.bias.data) : null;
    for (const m of METHODS) {
      if (m === 'matrix' && sizeOf(r.inputShape) * sizeOf(r.outputShape) > 2 ** 22) continue;
      expectClose(name, m, cpuReference(m, r, x, w, b), c.expected.data, 1e-4, 1e-4);
    }
  });
});
