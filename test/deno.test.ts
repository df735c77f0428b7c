/**
 * Deno tier: the built package in Deno (the pinned npm package `deno`; WebGPU built in, on wgpu, WGSL compiled by
 * Naga), installed into a throw-away app as a user has it. test/deno/conformance.mjs runs every conformance
 * fixture through every path on a device with the spec's default limits, and the prepared form of every path,
 * against the float64 CPU reference. The README's Deno examples run in test/readme.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../scripts/browser.mjs';
import { denoEnv, findDeno } from '../scripts/deno.mjs';
import { nodeApp } from './support/readme';

let work: string;
let app: string;

/** Runs test/deno/conformance.mjs in the app with Deno; returns its exit status and both streams. */
function runConformance(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(findDeno(), ['run', '--allow-read', 'conformance.mjs', projectRoot, ...args], { cwd: app, env: denoEnv(), encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'webgpu-convtranspose-deno-'));
  app = nodeApp(work);
  copyFileSync(join(projectRoot, 'test/deno/conformance.mjs'), join(app, 'conformance.mjs'));
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
});
