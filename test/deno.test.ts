/**
 * Deno tier: the built package in Deno (the pinned npm package `deno`; WebGPU built in, on wgpu, WGSL compiled by
 * Naga), installed into a throw-away app as a user has it. test/deno/conformance.mjs runs every conformance
 * fixture through every path on a device with the spec's default limits, and the prepared form of every path,
 * against the float64 CPU reference; test/deno/family-checks.mjs runs every kernel family's checks
 * (test/browser/family-checks.ts, bundled here with the library's sources) on such a device. The README's Deno
 * examples run in test/readme.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../scripts/browser.mjs';
import { denoEnv, findDeno } from '../scripts/deno.mjs';
import { nodeApp } from './support/readme';

let work: string;
let app: string;

/** Runs a script of test/deno in the app with Deno; returns its exit status and both streams. */
function runDeno(script: string, ...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(findDeno(), ['run', '--allow-read', '--sloppy-imports', script, ...args], { cwd: app, env: denoEnv(), encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}
const runConformance = (...args: string[]) => runDeno('conformance.mjs', projectRoot, ...args);
const runFamilyChecks = (...args: string[]) => runDeno('family-checks.mjs', 'family/family-checks.js', ...args);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'webgpu-convtranspose-deno-'));
  app = nodeApp(work);
  for (const script of ['conformance.mjs', 'family-checks.mjs']) copyFileSync(join(projectRoot, 'test/deno', script), join(app, script));
  // The family checks with the library's sources in one ES module: Deno cannot import the WGSL files `?raw`.
  await build({
    configFile: false, logLevel: 'warn',
    build: { lib: { entry: join(projectRoot, 'test/browser/family-checks.ts'), formats: ['es'], fileName: () => 'family-checks.js' }, outDir: join(app, 'family'), emptyOutDir: true, minify: false, target: 'es2022' },
  });
}, 180_000);
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

describe('Deno', () => {
  it('is the pinned version', () => {
    const pinned = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).devDependencies.deno;
    const r = spawnSync(findDeno(), ['--version'], { encoding: 'utf8', env: denoEnv() });
    expect(r.stdout).toContain(`deno ${pinned} `);
  });

  it('every conformance fixture through every path (spec default limits), and the prepared form, match the CPU reference', () => {
    const { status, output } = runConformance();
    if (status !== 0) expect.fail(`deno conformance.mjs exited ${status}:\n${output}`);
    expect(output).toMatch(/deno: \d{3} fixtures through .*auto.*: \d+ passed, 0 failed/);
  }, 300_000);

  it('fails, naming case, path, index and values, on a fixture with a wrong expected value', () => {
    const fixtures = join(work, 'wrong');
    mkdirSync(fixtures);
    const wrong = {
      name: 'worked example, one value changed', dims: 2, attrs: { strides: [1, 1] }, bias: null,
      input: { shape: [1, 1, 2, 2], data: [2, 3, 1, 3] }, weight: { shape: [1, 1, 3, 3], data: [0, 1, 1, 0, 1, 0, 1, 0, 1] },
      expected: { shape: [1, 1, 4, 4], data: [0, 2, 5, 3, 0, 3, 7, 3, 2, 4, 6, 3, 1, 3, 1, 3] },
    };
    writeFileSync(join(fixtures, 'wrong.json'), JSON.stringify([wrong]));
    const { status, output } = runConformance(fixtures);
    expect(status).toBe(1);
    expect(output).toContain('FAIL wrong.json: worked example, one value changed [gather] vs expected: first bad index 10: got 5, expected 6');
    expect(output).not.toMatch(/vs CPU reference: first bad/);
  }, 300_000);

  it('every family: its rules, its GPU candidates and its examples at the kernels\' edges, channels-last, float16, an activation, an infinite weight (spec default limits)', () => {
    const { status, output } = runFamilyChecks();
    if (status !== 0) expect.fail(`deno family-checks.mjs exited ${status}:\n${output}`);
    const m = /deno family checks: 9 edge cases, (\d+) checks: \1 passed, 0 failed/.exec(output);
    expect(m, output).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(100);
  }, 300_000);

  it('the family checks fail, naming check and values, on a wrong reference', () => {
    const { status, output } = runFamilyChecks('--case', '3-D', '--fault', 'reference-without-bias');
    expect(status).toBe(1);
    expect(output).toMatch(/^FAIL 3-D: gather \{.*\}: first bad index \d+: got \S+, expected \S+$/m);
    expect(output).toMatch(/deno family checks: 1 edge cases, (\d+) checks: 0 passed, \1 failed/);
  }, 300_000);
});
