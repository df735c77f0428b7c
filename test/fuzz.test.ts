/**
 * The fuzz command (scripts/fuzz.mjs): its shrinker in Node, and in CI a small fixed-seed slice in headless
 * Chromium on every path variant (must pass), plus a run against a deliberately wrong reference (must fail,
 * report the first bad element and shrink the case to the smallest one that still fails).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonical, caseSize, resolveCase, shrink, shrinkCandidates, type FuzzCase } from './support/fuzz';
import { fromRandomCase } from './support/fuzz';
import { randomCases } from './support/random';
import { VARIANT_NAMES } from './support/variants';

const root = join(import.meta.dirname, '..');
const fuzz = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/fuzz.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });

describe('shrinker', () => {
  const sweep = randomCases(150, 31337, { specialShare: 0.3 }).map(fromRandomCase);

  it('keeps the problem when it rewrites the attributes in explicit form', () => {
    for (const c of sweep) {
      const r = resolveCase(c)!, q = resolveCase(canonical(c))!;
      expect([q.outputShape, q.padsBegin, q.strides, q.dilations], JSON.stringify(c)).toEqual([r.outputShape, r.padsBegin, r.strides, r.dilations]);
    }
  });

  it('proposes only valid cases, each different from the one it shrinks', () => {
    for (const c of sweep.slice(0, 60)) {
      const from = canonical(c);
      for (const next of shrinkCandidates(from)) {
        expect(resolveCase(next), JSON.stringify(next)).not.toBeNull();
        expect(JSON.stringify(next)).not.toBe(JSON.stringify(from));
      }
    }
  });

  it('shrinks to the smallest case that still fails, keeping what the failure needs', async () => {
    // A made-up failure: a 2-D case with stride >= 2 along W, kernel >= 3 along W, a bias and an Inf in the weights.
    const fails = async (f: FuzzCase) => {
      const r = resolveCase(f)!;
      return r.dims === 2 && r.strides[1] >= 2 && r.kernel[1] >= 3 && f.bias && (f.specials?.weight ?? 0) > 0;
    };
    const start: FuzzCase = {
      inputShape: [3, 6, 5, 7], weightShape: [6, 4, 4, 5], bias: true, seed: 5, specials: { seed: 9, input: 2, weight: 3, bias: 1 },
      attrs: { stride: [3, 4], padding: [1, 2], outputPadding: [1, 1], groups: 2, dilation: [1, 2] },
    };
    expect(await fails(start)).toBe(true);
    const { smallest, steps } = await shrink(start, fails);
    expect(await fails(smallest)).toBe(true);
    expect(steps).toBeGreaterThan(5);
    expect(smallest).toEqual({
      inputShape: [1, 1, 1, 1], weightShape: [1, 1, 1, 3], bias: true, seed: 5, specials: { seed: 9, input: 0, weight: 1, bias: 0 },
      attrs: { strides: [1, 2], dilations: [1, 1], pads: [0, 0, 0, 0] },
    });
    expect(caseSize(smallest)).toBeLessThan(caseSize(start) / 20);
  });
});

describe('npm run fuzz', () => {
  it('a fixed-seed slice of 40 cases passes on every path variant', () => {
    const run = fuzz('--cases', '40', '--seed', '7', '--special-share', '0.5');
    const out = run.stdout.trim().split('\n');
    expect(out.at(-1), run.stdout + run.stderr).toMatch(/^\d+ passed, 0 failed$/);
    expect(Number(out.at(-1)!.split(' ')[0])).toBe(40 * VARIANT_NAMES.length);
    expect(run.stdout).toMatch(/largest abs error per path/);
    expect(run.status, run.stderr).toBe(0);
  });

  it('against a wrong reference: reports each failure, shrinks it, and exits non-zero', () => {
    const run = fuzz('--cases', '6', '--seed', '3', '--paths', 'gather,zero-insert', '--shrink', '1', '--fault', 'reference-without-bias');
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^FAIL #\d+ \[gather\] in=\[[\d,]+\] w=\[[\d,]+\] .* \+bias .*: first bad index \d+: got \S+, expected \S+/m);
    // The failure needs a bias and nothing else: the smallest failing case is a 1-element problem with a bias.
    expect(run.stdout).toMatch(/^SHRUNK #\d+ \[gather\] in \d+ steps .* in=\[1,1,1\] w=\[1,1,1\] \{"strides":\[1\],"dilations":\[1\],"pads":\[0,0\]\} \+bias /m);
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, [1-9]\d* failed$/);
  });
});
