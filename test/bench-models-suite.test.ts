// The real-model layers in the bench (bench/layers-models.json): the file matches shared/layers-models.json
// where it is present, every layer carries its model and source, and the report groups layers by model with a
// per-model table. Bookkeeping only: nothing is timed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import modelsJson from '../bench/layers-models.json';
import { readLayersFile } from '../scripts/bench-args.mjs';
import { checkLayers } from '../bench/layers-check.mjs';
import { layerGroups, modelSummaryRows, reportMarkdown, reportText, summarize, type BenchReport, type BenchResult, type LayerSummary } from '../bench/report';
import type { LayerSpec } from '../bench/problem';
import { MODEL_LAYERS, SUITES } from '../bench/suite';

const FILE = join(__dirname, '..', 'bench', 'layers-models.json');
const SHARED = join(__dirname, '..', '..', 'shared', 'layers-models.json');

describe('bench/layers-models.json', () => {
  it('passes the layers-file check; every layer names its model and source', () => {
    const layers = readLayersFile(FILE);
    expect(layers.length).toBeGreaterThanOrEqual(8);
    for (const l of layers) {
      expect(l.model, l.name).toMatch(/\S/);
      expect(l.source, l.name).toMatch(/\S/);
    }
    expect(MODEL_LAYERS.map((l) => l.name)).toEqual(layers.map((l) => l.name));
    expect(SUITES.models.layers).toBe(MODEL_LAYERS);
  });
  it.runIf(existsSync(SHARED))('has the shapes of shared/layers-models.json, layer for layer', () => {
    const shared = JSON.parse(readFileSync(SHARED, 'utf8')).layers as (LayerSpec & { model: string })[];
    const shape = ({ model: _m, source: _s, ...rest }: LayerSpec) => rest;
    expect(modelsJson.layers.map((l) => shape(l as LayerSpec))).toEqual(shared.map((l) => shape(l)));
    // Its model field is split into model and source here: nothing of it is lost.
    for (const [i, l] of shared.entries()) {
      const ours = modelsJson.layers[i];
      const words = (t: string) => t.toLowerCase().match(/[a-z0-9]+/g) ?? [];
      const have = new Set(words(`${ours.model} ${ours.source}`));
      for (const w of words(l.model)) expect(have.has(w), `${l.name}: ${w}`).toBe(true);
    }
  });
  it('the check rejects an empty model or source', () => {
    const l = { ...MODEL_LAYERS[0] };
    expect(() => checkLayers({ layers: [{ ...l, model: '' }] }, 'f.json')).toThrow(/layers\[0\] \(kokoro-gen-up2\): model: expected a non-empty string/);
    expect(() => checkLayers({ layers: [{ ...l, source: 3 }] }, 'f.json')).toThrow(/source: expected a non-empty string, got 3/);
  });
});

describe('the report grouped by model', () => {
  const row = (layer: string, impl: BenchResult['impl'], ms: number): BenchResult => ({
    layer, impl, latencyMs: ms, latencyMinMs: ms, throughputMs: ms, batch: 1, gpuMs: null, gflops: null, maxAbsErr: 0, relErr: 0, pctFma: null,
    gbps: null, pctCopy: null, runs: 3, note: impl === 'auto' ? 'auto → phase' : '', setupMs: null,
  });
  // Two models, the second's layers apart in the list: a group keeps first-appearance order.
  const layers: [string, string | undefined, number, number][] = [['a1', 'A', 1, 4], ['b1', 'B', 2, 4], ['a2', 'A', 3, 6]];
  const results = layers.flatMap(([name, , auto, peer]) => [row(name, 'auto', auto), row(name, 'tfjs-webgpu', peer), row(name, 'ort-webgpu', peer * 2)]);
  const summaries: LayerSummary[] = layers.map(([name, model]) => ({
    layer: name, spec: { ...MODEL_LAYERS[0], name, model, source: `${name} in its code` }, inputShape: [1], outputShape: [1], flops: 1, bytes: 1, referenceMs: 1,
    ...summarize(name, results),
  }));
  const report = {
    date: '', adapter: { vendor: 'v', architecture: '', device: '', description: '', features: [], userAgent: '' }, versions: {},
    timing: { warmupRuns: 1, warmupMs: 1, minRuns: 1, minMs: 1, maxRuns: 1, maxMs: 1, floorRuns: 1 }, tolerance: 1e-4, ceiling: null,
    results, layers: summaries, passed: true,
  } as BenchReport;

  it('groups in order of first appearance', () => {
    expect(layerGroups(report).map((g) => [g.model, g.layers.map((l) => l.layer)])).toEqual([['A', ['a1', 'a2']], ['B', ['b1']]]);
  });
  it('the per-model table: sums, ratio of sums, lowest and geomean speed-ups, then all layers', () => {
    const rows = modelSummaryRows(report);
    expect(rows[1]).toEqual(['A', '2', '4.00', '10.0', '2.50×', '2.00×', '2.83×']);
    expect(rows[2]).toEqual(['B', '1', '2.00', '4.00', '2.00×', '2.00×', '2.00×']);
    expect(rows[3][0]).toBe('all layers');
    expect(rows[3][4]).toBe('2.33×');
  });
  it('text and Markdown show one table per model, the sources and the per-model table', () => {
    const text = reportText(report);
    expect(text).toMatch(/model: A\n.*\n.*\na1 .*\na2 /);
    expect(text).toContain('per model');
    const md = reportMarkdown(report, { command: 'npm run bench -- --layers-file bench/layers-models.json', browser: 'test', wallSeconds: 1 });
    expect(md).toContain('### A');
    expect(md).toContain('- a2: a2 in its code');
    expect(md).toContain('### Per model');
    expect(md).toContain('- **geomean speed-up**: ');
  });
  it('a report without models keeps the one per-layer table', () => {
    const plain = { ...report, layers: summaries.map((l) => ({ ...l, spec: { ...l.spec!, model: undefined } })) };
    expect(layerGroups(plain)).toHaveLength(1);
    expect(reportText(plain)).not.toContain('per model');
  });
});
