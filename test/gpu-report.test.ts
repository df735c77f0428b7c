// scripts/gpu-report.mjs (bench/RESULTS-GPU.md from a GPU run's files) on made-up runs shaped like the kit's
// output, and on the older format (bench JSON with `ms`, no throughput, no info.json): what it picks as our
// time, the ratios, geomeans and every target's verdict.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { geomean, gpuReport, layerRows, readRun, targetLines } from '../scripts/gpu-report.mjs';
import { projectRoot } from '../scripts/browser.mjs';

type Row = Record<string, unknown>;
const row = (layer: string, impl: string, o: Row = {}): Row => ({
  layer, impl, latencyMs: 1, latencyMinMs: 1, throughputMs: 0.5, batch: 20, gpuMs: null, relErr: 1e-7, note: '', ...o,
});
const spec = (name: string, N: number, Cin: number, Cout: number, g = 1) => ({ name, N, Cin, Cout, H: 8, W: 8, k: [4, 4], s: [2, 2], p: [1, 1], op: [0, 0], d: [1, 1], g });

/** A suite of two layers: `dense` (256→128) and `thin` (64→3), each 1e10 flops. */
function suite(suffix: string, N: number, over: { autoGpu: [number, number]; tfjs: [number, number][] }): Row {
  const layers = [spec(`dense${suffix}`, N, 256, 128), spec(`thin${suffix}`, N, 64, 3)];
  const results = layers.flatMap((l, i) => [
    row(l.name, 'gather', { gpuMs: 9, note: 'ERROR: rel err above 0.0001', relErr: 1 }), // wrong: never our best
    row(l.name, 'phase', { gpuMs: over.autoGpu[i] * 0.8, plan: { path: 'phase', config: {}, dispatches: [], chunks: 1 } }),
    row(l.name, 'auto', { gpuMs: over.autoGpu[i], latencyMs: 0.2, throughputMs: 0.1, note: 'auto → tiled', plan: { path: 'tiled', config: { BM: 64 }, dispatches: [], chunks: 1 } }),
    row(l.name, 'auto/f16', { gpuMs: 0.001 }), // a variant: other work, never our best
    row(l.name, 'tfjs-webgpu', { latencyMs: over.tfjs[i][0], throughputMs: over.tfjs[i][1] }),
  ]);
  return {
    date: '2027-01-02T03:04:05.000Z', runtime: 'Node v20, Dawn', versions: { 'webgpu-convtranspose': '0.1.0' },
    adapter: { vendor: 'nvidia', device: 'test-gpu', description: 'NVIDIA: 999.1', features: ['timestamp-query'] },
    ceiling: { gflops: 1e4, gpuGflops: 2e4, gbps: 1000, gpuGbps: 1100, copy: { bytes: 2 * 2 ** 30 } },
    rounds: { warmMs: 200, minRounds: 10, minMs: 1000, maxRounds: 50, maxMs: 6000, floorRounds: 3, batch: 20, batchMaxMs: 500 },
    results, passed: true, wallSeconds: 42,
    // 1e10 flops in 1 ms is 1e4 GFLOP/s: 50% of the 2e4 GFLOP/s GPU-time ceiling.
    layers: layers.map((l) => ({ layer: l.name, spec: l, inputShape: [N, l.Cin, 8, 8], outputShape: [N, l.Cout, 16, 16], flops: 1e10 })),
  };
}

const cudnn = (pairs: [string, number][]) => ({ device: 'Test GPU', torch: '9.9', cudnn: 99, layers: pairs.map(([layer, fp32_ms]) => ({ layer, fp32_ms })) });

describe('gpu-report', () => {
  it('our time: auto and the best right path by GPU timestamps (never a wrong row or a variant); ratios over cuDNN and TF.js', () => {
    const rows = layerRows(suite('', 1, { autoGpu: [1, 0.5], tfjs: [[1, 0.6], [0.4, 0.2]] }), cudnn([['dense', 2], ['thin', 0.25]]));
    expect(rows.map((r) => [r.layer, r.dense, r.chose, r.autoGpuMs, r.bestImpl, r.bestGpuMs])).toEqual([
      ['dense', true, 'tiled', 1, 'phase', 0.8], ['thin', false, 'tiled', 0.5, 'phase', 0.4]]);
    expect(rows[0].cudnnVsAuto).toBe(2);
    expect(rows[1].cudnnVsAuto).toBe(0.5);
    expect(rows[0].cudnnVsBest).toBe(2.5);
    expect(rows[0].pctFmaAuto).toBeCloseTo(50); // 1e10 flops in 1 ms over a 2e4 GFLOP/s GPU-time ceiling
    expect(rows[0].latencySpeedup).toBeCloseTo(5);
    expect(rows[0].throughputSpeedup).toBeCloseTo(6);
    expect(rows[1].latencySpeedup).toBeCloseTo(2);
    expect(geomean([2, 0.5, null])).toBeCloseTo(1);
  });

  it('says met only when every part is met, and names the layer that misses', () => {
    const good = layerRows(suite('', 1, { autoGpu: [0.1, 0.1], tfjs: [[1, 1], [1, 1]] }), cudnn([['dense', 0.2], ['thin', 0.2], ['dense-x64', 0.2], ['thin-x64', 0.2]]));
    const goodScaled = layerRows(suite('-x64', 64, { autoGpu: [0.1, 0.1], tfjs: [[1, 1], [1, 1]] }), cudnn([['dense-x64', 0.2], ['thin-x64', 0.2]]));
    const verdicts = (lines: [string, string, string][]) => lines.map(([, , v]) => v);
    // dense-x64 at 0.1 ms: 1e10 flops / 0.1 ms = 1e5 GFLOP/s, 500% of the ceiling (made-up numbers).
    expect(verdicts(targetLines(good, goodScaled))).toEqual(['met', 'met', 'met']);
    const slowScaled = layerRows(suite('-x64', 64, { autoGpu: [1, 0.1], tfjs: [[0.4, 1], [1, 1]] }), cudnn([['dense-x64', 0.2], ['thin-x64', 0.2]]));
    const lines = targetLines(good, slowScaled);
    expect(verdicts(lines)).toEqual(['missed', 'missed', 'missed']);
    expect(lines[0][1]).toMatch(/scaled: auto geomean 0\.(63|64)×, lowest 0\.20× \(dense-x64\)/);
    expect(lines[1][1]).toMatch(/dense-x64 50\.0%/);
    expect(lines[1][1]).not.toMatch(/thin-x64/); // not dense
    expect(lines[2][1]).toMatch(/latency: lowest 2\.00× \(dense-x64\), below 3× on 1 of 4; throughput: lowest 10\.00× \(dense\), all 4 at or above/);
  });

  it('writes the page from a run directory: device, driver, date, both tables with geomeans, the targets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpu-report-'));
    writeFileSync(join(dir, 'info.json'), JSON.stringify({ date: '2027-01-02T00:00:00Z', gpu: 'Test GPU 9000', driver: '999.1.2', clockSmMHz: '1980 MHz', clockSmMaxMHz: '1980 MHz' }));
    writeFileSync(join(dir, 'suite-native.json'), JSON.stringify(suite('', 1, { autoGpu: [1, 0.5], tfjs: [[1, 0.6], [0.4, 0.2]] })));
    writeFileSync(join(dir, 'suite-scaled.json'), JSON.stringify(suite('-x64', 64, { autoGpu: [1, 0.5], tfjs: [[1, 0.6], [0.4, 0.2]] })));
    writeFileSync(join(dir, 'cudnn.json'), JSON.stringify(cudnn([['dense', 2], ['thin', 0.25], ['dense-x64', 2], ['thin-x64', 0.25]])));
    writeFileSync(join(dir, 'gemm.jsonl'), '{"M":256,"N":256,"K":256,"BM":64,"BN":64,"BK":16,"TM":4,"TN":4,"ms":0.1,"tflops":0.34,"err":1e-7}\n');
    const out = join(dir, 'RESULTS-GPU.md');
    const r = spawnSync(process.execPath, [join(projectRoot, 'scripts/gpu-report.mjs'), dir, '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/- Device: Test GPU 9000; driver 999\.1\.2/);
    expect(md).toMatch(/- Date: 2027-01-02T00:00:00Z/);
    expect(md).toMatch(/FMA 10 TFLOP\/s \(GPU time 20\), copy 1000 GB\/s \(GPU time 1100\) over 1024 MiB/);
    expect(md).toMatch(/## Native layers[\s\S]*\| dense \| 1 \| 1 \(tiled\) \| 0\.8 \(phase\) \| 2 \| 2\.00× \| 2\.50× \| 50\.0% \| 1 \| 0\.2 \| 5\.00× \| 0\.6 \| 0\.1 \| 6\.00× \|/);
    expect(md).toMatch(/\| thin \| 1 \| 0\.5 \(tiled\) \| 0\.4 \(phase\) \| 0\.25 \| 0\.50× \| 0\.63× \| 100\.0% · \|/);
    expect(md).toMatch(/\| \*\*geomean\*\* \|  \|  \|  \|  \| 1\.00× \|/);
    expect(md).toMatch(/## Scaled layers[\s\S]*dense-x64/);
    expect(md).toMatch(/≥ 1\.0× cuDNN fp32 geomean, no layer below 0\.5× \| native: auto geomean 1\.00×, lowest 0\.50× \(thin\)/);
    expect(md).toMatch(/\| 256×256×256 \| 64×64×16, 4×4 \| 0\.1 \| 0\.34 \|/);
    expect(readRun(dir).gemm).toHaveLength(1);
  });

  it('reads an older run: `ms` for latency, no throughput (that target not measured), device and driver from the adapter', () => {
    const old = suite('', 1, { autoGpu: [1, 0.5], tfjs: [[1, 0.6], [0.4, 0.2]] });
    old.results = (old.results as Row[]).map(({ latencyMs, throughputMs, latencyMinMs, batch, plan, ...r }) => ({ ...r, ms: latencyMs }));
    delete old.rounds;
    const md = gpuReport({ info: null, native: old, scaled: null, cudnn: null, gemm: [] });
    expect(md).toMatch(/- Device: nvidia test-gpu; driver 999\.1/);
    expect(md).toMatch(/an older run/);
    expect(md).toMatch(/\| dense \| 1 \| 1 \(tiled\) \|.*\| 5\.00× \| n\/a \| n\/a \| n\/a \|/);
    expect(md).toMatch(/throughput: not measured/);
    expect(md).toMatch(/cuDNN fp32 geomean.*\| native: not measured \| not measured \|/);
  });
});
