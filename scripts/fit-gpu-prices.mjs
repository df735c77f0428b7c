#!/usr/bin/env node
// node scripts/fit-gpu-prices.mjs KERNELS.json... [--layers LAYERS.json...]
// Fits the cost model's `gpu` prices (src/gpu/plan/cost.ts) to measured kernel times: each record of a kernels
// file (bench output: layer, path, gpuMedMs, dispatches with their override constants, as in
// ../shared/gpu/h200-2026-12-04/kernels-*.json) is turned back into its family's configuration, its work is
// counted by the family (work()), and non-negative least squares on relative error gives one price per work
// count plus a fixed cost per dispatch (a vec4 FMA held to at least 4 / --fma-ceiling FLOP/s: the measured FMA
// ceiling, 40 TFLOP/s on the H200, so the fit cannot price FMAs below what the hardware does), for each candidate occupancy target (the invocations a dispatch needs to
// fill the GPU, plan/gpu-fill.ts: GPU_FILL_INVOCATIONS); the target with the least error wins. Prints the prices and each
// record's fitted/measured ratio.
import { readFileSync } from 'node:fs';
import { createServer } from 'vite';

const args = process.argv.slice(2).filter((a) => a !== '--');
const li = args.indexOf('--layers');
const kernelFiles = li < 0 ? args : args.slice(0, li);
const layerFiles = li < 0 ? ['../shared/layers.json', '../shared/gpu/layers-scaled.json'] : args.slice(li + 1);
const ci = process.argv.indexOf('--fma-ceiling');
const fmaCeiling = ci < 0 ? 40e12 : Number(process.argv[ci + 1]); // FLOP/s
if (ci >= 0) kernelFiles.splice(kernelFiles.indexOf('--fma-ceiling'), 2);
if (kernelFiles.length === 0) {
  console.error('usage: node scripts/fit-gpu-prices.mjs KERNELS.json... [--layers LAYERS.json...]');
  process.exit(2);
}

const server = await createServer({ logLevel: 'error', server: { middlewareMode: true, hmr: false, watch: null }, appType: 'custom' });
try {
  const { resolveConvTranspose } = await server.ssrLoadModule('/src/shape.ts');
  const { familyOf } = await server.ssrLoadModule('/src/gpu/kernels/registry.ts');
  const { makeContext } = await server.ssrLoadModule('/src/gpu/plan/context.ts');
  const { PRICE_NAMES } = await server.ssrLoadModule('/src/gpu/plan/cost.ts');

  const specs = new Map(layerFiles.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')).layers.map((l) => [l.name, l])));
  const limits = { maxWorkgroupsPerDimension: 65535, maxBindingBytes: 2 ** 31 - 4, maxBufferBytes: 2 ** 31 - 4, storageOffsetAlignment: 256, maxWorkgroupStorageBytes: 32768, maxInvocationsPerWorkgroup: 1024, maxWorkgroupSizeX: 1024 };
  /** The configuration a record's dispatches show. */
  const configOf = (path, dispatches) => {
    const c = dispatches[path === 'zero-insert' ? 1 : 0].constants;
    if (path === 'phase') return dispatches[0].shader.startsWith('phase-narrow') ? { kernel: 'narrow' } : { kernel: 'gemm', px: c.PX, ocv: c.OCV, ksplit: c.KSPLIT };
    if (path === 'gather' || path === 'zero-insert') return { ocv: c.OCV };
    throw new Error(`no configuration reader for path ${path}`);
  };

  const rows = [];
  const seen = new Set();
  for (const file of kernelFiles) {
    for (const rec of JSON.parse(readFileSync(file, 'utf8'))) {
      const path = rec.chose ?? rec.path;
      const key = `${rec.layer}|${path}|${JSON.stringify(rec.dispatches)}`;
      if (seen.has(key) || !(rec.gpuMedMs > 0)) continue;
      seen.add(key);
      const s = specs.get(rec.layer);
      if (!s) throw new Error(`${rec.layer}: not in ${layerFiles.join(', ')}`);
      const r = resolveConvTranspose([s.N, s.Cin, s.H, s.W], [s.Cin, s.Cout / s.g, ...s.k], null, { stride: s.s, padding: s.p, outputPadding: s.op, dilation: s.d, groups: s.g });
      const ctx = makeContext(r, { limits, adapter: 'gpu' });
      const stages = familyOf(path).work(ctx, configOf(path, rec.dispatches));
      rows.push({ name: `${rec.layer} ${path} ${JSON.stringify(configOf(path, rec.dispatches))}`, stages, t: rec.gpuMedMs });
    }
  }
  // Features: each price's count over the stage's occupancy, summed over stages, then the dispatch count.
  const features = (stages, target) => [...PRICE_NAMES.map((name) => stages.reduce((sum, w) => sum + w[name] / Math.min(1, w.invocations / target), 0)), stages.length];
  const n = PRICE_NAMES.length + 1;
  /** Non-negative least squares on relative error, by cyclic coordinate descent on scaled columns. */
  const fit = (target) => {
    const X = rows.map((r) => features(r.stages, target));
    const A = X.map((x, i) => x.map((v) => v / rows[i].t));
    const resid = rows.map(() => -1); // As·beta - 1
    const scale = Array.from({ length: n }, (_, j) => Math.sqrt(A.reduce((sum, a) => sum + a[j] * a[j], 0)) || 1);
    const As = A.map((a) => a.map((v, j) => v / scale[j]));
    // Lower bounds (scaled): the FMA price, from the ceiling (8 FLOP per vec4 FMA, in ms).
    const low = new Array(n).fill(0);
    low[PRICE_NAMES.indexOf('fmas')] = (8 / fmaCeiling) * 1e3 * scale[PRICE_NAMES.indexOf('fmas')];
    const beta = [...low];
    for (let i = 0; i < As.length; i++) resid[i] += As[i].reduce((sum, v, j) => sum + v * beta[j], 0);
    for (let it = 0; it < 20000; it++) {
      let moved = 0;
      for (let j = 0; j < n; j++) {
        let g = 0, h = 0;
        for (let i = 0; i < As.length; i++) { g += As[i][j] * resid[i]; h += As[i][j] * As[i][j]; }
        if (h === 0) continue;
        const next = Math.max(low[j], beta[j] - g / h);
        const d = next - beta[j];
        if (d !== 0) { for (let i = 0; i < As.length; i++) resid[i] += As[i][j] * d; beta[j] = next; moved += Math.abs(d); }
      }
      if (moved < 1e-12) break;
    }
    const prices = beta.map((b, j) => b / scale[j]);
    const ratios = rows.map((r, i) => ({ name: r.name, t: r.t, ratio: X[i].reduce((sum, v, j) => sum + v * prices[j], 0) / r.t }));
    const error = ratios.reduce((sum, r) => sum + Math.log(r.ratio) ** 2, 0);
    return { target, prices, ratios, error };
  };
  const fits = [2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144].map(fit);
  for (const f of fits) console.log(`target ${f.target}: squared log error ${f.error.toFixed(2)}`);
  const best = fits.reduce((a, b) => (b.error < a.error ? b : a));
  console.log(`best target ${best.target}; prices (ms per unit):`);
  [...PRICE_NAMES, 'dispatch'].forEach((name, j) => console.log(`  ${name}: ${best.prices[j].toExponential(3)}`));
  const ratios = [...best.ratios].sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)));
  for (const r of ratios) console.log(`${r.ratio.toFixed(2)}  ${r.t.toFixed(4)} ms  ${r.name}`);
  const within = (f) => ratios.filter((r) => r.ratio <= f && r.ratio >= 1 / f).length;
  console.log(`${rows.length} records: ${within(1.25)} within 25%, ${within(1.5)} within 50%, ${within(2)} within 2x; worst ${ratios[0].ratio.toFixed(2)} (${ratios[0].name})`);
} finally {
  await server.close();
}
