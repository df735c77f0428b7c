// `npm run bench -- --node` end to end, cheaply: the Node bundle (.bench-out/bench-node.mjs, built as
// `npm run bench:node-bundle` builds it) copied into an empty folder with only node_modules/webgpu beside it (as
// on a GPU machine), run on one small layer from a layers file with refN, in Node on Dawn (SwiftShader here):
// every implementation has its row, each that runs with latency and throughput and within the tolerance, ours
// with GPU time and what runs. ORT's rows are n/a here with the reason (its wasm is not beside the bundle): its
// first run in Node on SwiftShader compiles for about a minute; `npm run bench -- --node` runs it (the wasm
// is found in node_modules).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../scripts/browser.mjs';
import { buildNodeBundle, nodeBenchEnv } from '../scripts/bench.mjs';
import { IMPLEMENTATIONS } from '../bench/implementation';
import { isOurs, toleranceOf, type BenchReport } from '../bench/report';
import { PATH_OPTIONS } from '../src/index';

const LAYER = { name: 'tiny-node', N: 4, Cin: 8, Cout: 8, H: 5, W: 6, k: [4, 4], s: [2, 2], p: [1, 1], op: [0, 0], d: [1, 1], g: 1, refN: 2 };

describe('bench --node (the bundle, on Dawn)', () => {
  let app: string;
  let report: BenchReport & { wallSeconds: number; runtime: string };
  let stderr = '';

  beforeAll(async () => {
    const bundle = await buildNodeBundle();
    app = mkdtempSync(join(tmpdir(), 'bench-node-'));
    mkdirSync(join(app, 'node_modules'));
    cpSync(bundle, join(app, 'bench-node.mjs'));
    symlinkSync(join(projectRoot, 'node_modules', 'webgpu'), join(app, 'node_modules', 'webgpu'), 'dir');
    writeFileSync(join(app, 'layers.json'), JSON.stringify({ layers: [LAYER] }));
    const r = spawnSync(process.execPath, ['bench-node.mjs', '--layers-file', 'layers.json', '--no-models', '--json', 'out.json',
      '--rounds', 'warmMs=50,minRounds=2,minMs=0,maxRounds=2'], { cwd: app, env: nodeBenchEnv(), encoding: 'utf8', timeout: 170_000 });
    stderr = r.stderr;
    if (r.status !== 0) throw new Error(`bench-node.mjs exited with ${r.status}:\n${r.stderr}\n${r.stdout}`);
    report = JSON.parse(readFileSync(join(app, 'out.json'), 'utf8'));
  }, 180_000);
  afterAll(() => { if (app) rmSync(app, { recursive: true, force: true }); });

  it('runs on the adapter it names, with timestamps, and says how it timed', () => {
    expect(report.adapter.features).toContain('timestamp-query');
    expect(report.runtime).toMatch(/^Node v\d+.*Dawn \(webgpu [\d.]+\).*timestamp_quantization/);
    expect(report.rounds).toMatchObject({ minRounds: 2, maxRounds: 2, batch: 20 });
    expect(report.ceiling?.gflops).toBeGreaterThan(0);
    expect(stderr).toMatch(/tiny-node: float64 CPU reference \(2 of 4 items, repeated\)/);
  });

  it('has a row for every implementation: latency, throughput, K, within the tolerance; ours with GPU ms and the plan', () => {
    expect(report.results.map((r) => r.impl)).toEqual(IMPLEMENTATIONS);
    for (const r of report.results) {
      if (r.impl === 'ort-webgpu') {
        expect(r.latencyMs, r.impl).toBeNull();
        expect(r.note).toMatch(/^n\/a: ORT's wasm binary \(ort-wasm-simd-threaded\.asyncify\.wasm\) not found/);
        continue;
      }
      expect(r.note, r.impl).not.toMatch(/failed|ERROR/);
      expect(r.latencyMs, r.impl).toBeGreaterThan(0);
      expect(r.latencyMinMs!, r.impl).toBeLessThanOrEqual(r.latencyMs!);
      expect(r.throughputMs, r.impl).toBeGreaterThan(0);
      expect(r.batch, r.impl).toBeGreaterThanOrEqual(1);
      expect(r.runs, r.impl).toBe(2);
      expect(r.relErr!, r.impl).toBeLessThanOrEqual(toleranceOf(r.impl));
      if (isOurs(r.impl)) {
        expect(r.gpuMs, r.impl).toBeGreaterThan(0);
        expect(r.plan?.dispatches.length, r.impl).toBeGreaterThan(0);
        expect(PATH_OPTIONS, r.impl).toContain(r.plan!.path);
      } else {
        expect(r.gpuMs, r.impl).toBeNull();
      }
    }
    const auto = report.results.find((r) => r.impl === 'auto')!;
    expect(auto.note).toBe(`auto → ${auto.plan!.path}`);
    expect(report.layers[0]).toMatchObject({ layer: 'tiny-node', outputShape: [4, 8, 10, 12] });
    expect(report.passed).toBe(true);
  });
});
