// bench/RESULTS-GPU.md from the files of one GPU run (bench/gpu/run-gpu.sh; docs/testing.md, "On a real GPU"):
// device, driver, date; per list of layers (native, scaled, real models) our kernel time from GPU timestamps (auto, with the
// path it chose, and the best of our paths), cuDNN fp32, the ratio, the share of the measured FMA ceiling, TF.js
// WebGPU's latency and throughput and ours over them, geomeans; and a line per target of issue 15.
//
//   node scripts/gpu-report.mjs DIR [--out FILE]     DIR holds info.json, suite-native.json, suite-scaled.json,
//                                                    suite-models.json, cudnn.json, gemm.jsonl (any may be missing); default
//                                                    --out bench/RESULTS-GPU.md, `--out -` prints it
//
// Older runs (bench JSON with `ms` instead of latencyMs, no throughput, no info.json) are read as far as they go.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

/** The targets of issue 15, item 5. */
export const TARGETS = {
  cudnnGeomean: 1.0,
  cudnnFloor: 0.5,
  densePctFma: 60,
  tfjsSpeedup: 3,
};

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);

/** The files of a run directory. */
export function readRun(dir) {
  const gemmFile = join(dir, 'gemm.jsonl');
  const gemm = existsSync(gemmFile)
    ? readFileSync(gemmFile, 'utf8').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l))
    : [];
  return {
    info: readJson(join(dir, 'info.json')),
    native: readJson(join(dir, 'suite-native.json')),
    scaled: readJson(join(dir, 'suite-scaled.json')),
    models: readJson(join(dir, 'suite-models.json')),
    cudnn: readJson(join(dir, 'cudnn.json')),
    gemm,
  };
}

export const geomean = (values) => {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  return v.length ? Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length) : null;
};

const latencyOf = (r) => r?.latencyMs ?? r?.ms ?? null;
const throughputOf = (r) => r?.throughputMs ?? null;
/** A row that ran and is right (its note names no failure). */
const ok = (r) => r && latencyOf(r) !== null && !/ERROR|failed/.test(r.note ?? '');
/** Our path rows and auto (no variants: channels-last, activation, float16 have other work). */
const isOurPath = (r) => r.gpuMs !== null && r.gpuMs !== undefined && !/[/+]/.test(r.impl);

/** Whether a layer is dense: one group, at least 16 channels in and out (what the FMA target is about). */
function isDense(summary, rows) {
  const cin = summary.spec?.Cin ?? summary.inputShape?.[1], cout = summary.spec?.Cout ?? summary.outputShape?.[1];
  // Older reports carry no spec: TF.js's n/a note names the groups.
  const g = summary.spec?.g ?? Number(rows.map((r) => r.note?.match(/groups=(\d+)/)?.[1]).find(Boolean) ?? 1);
  return g === 1 && cin >= 16 && cout >= 16;
}

/** One table's numbers: a row per layer of the suite. */
export function layerRows(suite, cudnn) {
  if (!suite) return [];
  const ceiling = suite.ceiling ? (suite.ceiling.gpuGflops ?? suite.ceiling.gflops) : null;
  const anchor = new Map((cudnn?.layers ?? []).map((c) => [c.layer, c]));
  return suite.layers.map((l) => {
    const rows = suite.results.filter((r) => r.layer === l.layer);
    const auto = rows.find((r) => r.impl === 'auto' && ok(r));
    const ours = rows.filter((r) => ok(r) && isOurPath(r)).sort((a, b) => a.gpuMs - b.gpuMs);
    const best = ours[0] ?? null;
    const tfjs = rows.find((r) => r.impl === 'tfjs-webgpu');
    const tfjsOk = ok(tfjs) ? tfjs : null;
    const c = anchor.get(l.layer);
    const autoGpu = auto?.gpuMs ?? null;
    const chose = auto?.plan?.path ?? auto?.note?.match(/auto → (\S+)/)?.[1] ?? null;
    const pct = (ms) => (ceiling && ms ? (100 * l.flops) / ms / 1e6 / ceiling : null);
    const ratio = (a, b) => (a !== null && a !== undefined && b ? a / b : null);
    return {
      layer: l.layer, N: l.outputShape?.[0] ?? l.spec?.N, dense: isDense(l, rows), flops: l.flops,
      autoGpuMs: autoGpu, chose, config: auto?.plan?.config ?? null,
      bestGpuMs: best?.gpuMs ?? null, bestImpl: best?.impl ?? null,
      cudnnMs: c?.fp32_ms ?? null,
      cudnnVsAuto: ratio(c?.fp32_ms, autoGpu), cudnnVsBest: ratio(c?.fp32_ms, best?.gpuMs),
      pctFmaAuto: pct(autoGpu), pctFmaBest: pct(best?.gpuMs),
      tfjsLatencyMs: tfjsOk ? latencyOf(tfjsOk) : null, autoLatencyMs: auto ? latencyOf(auto) : null,
      tfjsThroughputMs: tfjsOk ? throughputOf(tfjsOk) : null, autoThroughputMs: auto ? throughputOf(auto) : null,
      latencySpeedup: tfjsOk && auto ? ratio(latencyOf(tfjsOk), latencyOf(auto)) : null,
      throughputSpeedup: tfjsOk && auto ? ratio(throughputOf(tfjsOk), throughputOf(auto)) : null,
      tfjsNote: tfjsOk ? '' : tfjs?.note ?? 'no tfjs-webgpu row',
    };
  });
}

const f = (v, digits = 3) => (v === null || v === undefined ? 'n/a' : v >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(digits))));
const x = (v) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(2)}×`);
const pctText = (v) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(1)}%`);
const table = (rows) => [`| ${rows[0].join(' | ')} |`, `|${rows[0].map(() => '---').join('|')}|`, ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** The Markdown table of one list, geomeans last. */
export function layerTable(rows) {
  const head = ['layer', 'N', 'auto GPU ms (chose)', 'best of ours GPU ms', 'cuDNN fp32 ms', 'cuDNN / auto', 'cuDNN / best', '% FMA (auto)',
    'TF.js latency ms', 'auto latency ms', 'latency ×', 'TF.js throughput ms', 'auto throughput ms', 'throughput ×'];
  const body = rows.map((r) => [
    r.layer, String(r.N ?? '?'), `${f(r.autoGpuMs)} (${r.chose ?? '?'})`, r.bestImpl ? `${f(r.bestGpuMs)} (${r.bestImpl})` : 'n/a',
    f(r.cudnnMs), x(r.cudnnVsAuto), x(r.cudnnVsBest), pctText(r.pctFmaAuto) + (r.dense ? '' : ' ·'),
    f(r.tfjsLatencyMs), f(r.autoLatencyMs), x(r.latencySpeedup), f(r.tfjsThroughputMs), f(r.autoThroughputMs), x(r.throughputSpeedup),
  ]);
  const g = (key) => x(geomean(rows.map((r) => r[key])));
  body.push(['**geomean**', '', '', '', '', g('cudnnVsAuto'), g('cudnnVsBest'), '', '', '', g('latencySpeedup'), '', '', g('throughputSpeedup')]);
  return table([head, ...body]);
}

const lowest = (rows, key) => rows.filter((r) => r[key] !== null).sort((a, b) => a[key] - b[key])[0] ?? null;

/** The targets of issue 15 as [target, result, verdict] lines. */
export function targetLines(native, scaled) {
  const lists = [['native', native], ['scaled', scaled]].filter(([, rows]) => rows.length);
  const lines = [];
  // cuDNN: auto (what users get) is judged; the best of our paths is shown beside it.
  {
    const parts = [], verdicts = [];
    for (const [name, rows] of lists) {
      const gm = geomean(rows.map((r) => r.cudnnVsAuto)), low = lowest(rows, 'cudnnVsAuto');
      const gmBest = geomean(rows.map((r) => r.cudnnVsBest)), lowBest = lowest(rows, 'cudnnVsBest');
      if (gm === null) { parts.push(`${name}: not measured`); verdicts.push(null); continue; }
      parts.push(`${name}: auto geomean ${x(gm)}, lowest ${x(low.cudnnVsAuto)} (${low.layer}); best of ours ${x(gmBest)}, lowest ${lowBest ? `${x(lowBest.cudnnVsBest)} (${lowBest.layer})` : 'n/a'}`);
      verdicts.push(gm >= TARGETS.cudnnGeomean && low.cudnnVsAuto >= TARGETS.cudnnFloor);
    }
    lines.push([`≥ ${TARGETS.cudnnGeomean.toFixed(1)}× cuDNN fp32 geomean, no layer below ${TARGETS.cudnnFloor}×`, parts.join('; '), verdict(verdicts)]);
  }
  {
    const dense = scaled.filter((r) => r.dense);
    const measured = dense.filter((r) => r.pctFmaAuto !== null);
    const low = lowest(measured, 'pctFmaAuto');
    lines.push([`dense scaled layers ≥ ${TARGETS.densePctFma}% of the FMA ceiling`,
      measured.length ? `auto: ${measured.map((r) => `${r.layer} ${pctText(r.pctFmaAuto)}`).join(', ')}; lowest ${low.layer}` : 'not measured',
      verdict(measured.length ? [measured.every((r) => r.pctFmaAuto >= TARGETS.densePctFma)] : [null])]);
  }
  {
    const parts = [], verdicts = [];
    for (const key of ['latencySpeedup', 'throughputSpeedup']) {
      const what = key === 'latencySpeedup' ? 'latency' : 'throughput';
      const rows = lists.flatMap(([name, rs]) => rs.filter((r) => r.tfjsLatencyMs !== null).map((r) => ({ ...r, list: name })));
      const measured = rows.filter((r) => r[key] !== null);
      if (!measured.length) { parts.push(`${what}: not measured`); verdicts.push(null); continue; }
      const low = lowest(measured, key);
      const below = measured.filter((r) => r[key] < TARGETS.tfjsSpeedup);
      parts.push(`${what}: lowest ${x(low[key])} (${low.layer})${below.length ? `, below ${TARGETS.tfjsSpeedup}× on ${below.length} of ${measured.length}` : `, all ${measured.length} at or above`}`);
      verdicts.push(measured.length === rows.length ? below.length === 0 : below.length === 0 ? null : false);
    }
    lines.push([`≥ ${TARGETS.tfjsSpeedup}× TF.js WebGPU on every layer in latency and throughput (where TF.js runs the layer)`, parts.join('; '), verdict(verdicts)]);
  }
  return lines;
}

/** met when every part is met; missed when one is missed; else not measured. */
function verdict(parts) {
  if (parts.some((p) => p === false)) return 'missed';
  if (parts.length && parts.every((p) => p === true)) return 'met';
  return 'not measured';
}

/** The whole page. */
export function gpuReport(run, { command = 'node scripts/gpu-report.mjs DIR' } = {}) {
  const suite = run.native ?? run.scaled ?? run.models;
  if (!suite) throw new Error('gpu-report: none of suite-native.json, suite-scaled.json, suite-models.json is there');
  const description = suite.adapter?.description ?? '';
  const device = run.info?.gpu || run.cudnn?.device || [suite.adapter?.vendor, suite.adapter?.device].filter(Boolean).join(' ');
  const driver = run.info?.driver || description.match(/(\d+\.\d+(?:\.\d+)*)/)?.[1] || 'unknown';
  const date = run.info?.date ?? suite.date;
  const native = layerRows(run.native, run.cudnn), scaled = layerRows(run.scaled, run.cudnn), models = layerRows(run.models, run.cudnn);
  const c = suite.ceiling;
  const copyMiB = c ? c.copy.bytes / 2 / 2 ** 20 : null;
  const roundsText = suite.rounds
    ? `warm-up ≥ ${suite.rounds.warmMs} ms, interleaved rounds (≥ ${suite.rounds.minRounds} and ${suite.rounds.minMs} ms, ≤ ${suite.rounds.maxRounds}; past ${suite.rounds.maxMs} ms stop after ${suite.rounds.floorRounds}), K = ${suite.rounds.batch}`
    : 'one implementation at a time, one waited call at a time (no warm-up rounds, no throughput: an older run)';
  const lines = [
    '# Results on a GPU',
    '',
    `Made by \`${command}\` from the files of one run of the GPU kit (\`bench/gpu/run-gpu.sh\`, see docs/testing.md, "On a real GPU"); nothing here is hand-edited.`,
    '',
    `- Device: ${device}; driver ${driver}; adapter: ${[suite.adapter?.vendor, suite.adapter?.device, description].filter(Boolean).join(' / ')}`,
    `- Date: ${date}`,
    `- Runtime: ${suite.runtime ?? suite.adapter?.userAgent ?? '?'}${run.info?.clockSmMaxMHz ? `; SM clock ${run.info.clockSmMHz} of ${run.info.clockSmMaxMHz} when the run began` : ''}`,
    `- Versions: ${Object.entries(suite.versions ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}${run.cudnn ? `; PyTorch ${run.cudnn.torch}, cuDNN ${run.cudnn.cudnn}` : ''}`,
    `- Ceiling (\`bench/ceiling.ts\`): ${c ? `FMA ${f(c.gflops / 1000)} TFLOP/s${c.gpuGflops ? ` (GPU time ${f(c.gpuGflops / 1000)})` : ''}, copy ${f(c.gbps)} GB/s${c.gpuGbps ? ` (GPU time ${f(c.gpuGbps)})` : ''} over ${f(copyMiB)} MiB` : 'not measured'}`,
    `- Timing: ${roundsText}. Our kernel time is the median of GPU timestamps around each pass${suite.rounds ? ' of the timed batches' : ''}; cuDNN's is CUDA events over 50 back-to-back calls (fp32, TF32 off, \`cudnn_anchor.py\`). "cuDNN / auto" above 1: ours is faster. TF.js "×" = TF.js ms / auto ms.`,
    `- % FMA: useful flops / our GPU time as a share of the FMA ceiling's GPU-time rate; "·" marks layers that are not dense (groups > 1, or fewer than 16 channels in or out).`,
    '',
    '## Targets (issue 15)',
    '',
    table([['target', 'result', 'verdict'], ...targetLines(native, scaled).map(([t, r, v]) => [t, r, v === 'met' ? '**met**' : v === 'missed' ? '**missed**' : v])]),
    '',
  ];
  for (const [title, rows, s] of [['Native layers (bench/layers.json)', native, run.native], ['Scaled layers (layers-scaled.json)', scaled, run.scaled], ['Real-model layers (bench/layers-models.json)', models, run.models]]) {
    if (!s) continue;
    lines.push(`## ${title}`, '', layerTable(rows), '');
    const notes = rows.filter((r) => r.tfjsNote).map((r) => `- ${r.layer}: TF.js ${r.tfjsNote}`);
    const failed = s.results.filter((r) => /ERROR|failed/.test(r.note ?? '')).map((r) => `- ${r.layer} ${r.impl}: ${r.note}`);
    if (notes.length || failed.length) lines.push(...notes, ...failed, '');
    lines.push(`${s.wallSeconds ? `Wall time of the run: ${f(s.wallSeconds)} s; a` : 'A'}ll rows within tolerance: ${s.passed ? 'yes' : '**no**'}.`, '');
  }
  if (run.gemm.length) {
    lines.push('## Tiled SGEMM through WebGPU (gemm-ceiling.mjs, a yardstick)', '',
      table([['M×N×K', 'tile BM×BN×BK, TM×TN', 'ms', 'TFLOP/s', 'err'], ...run.gemm.map((g) => [`${g.M}×${g.N}×${g.K}`, `${g.BM}×${g.BN}×${g.BK}, ${g.TM}×${g.TN}`, f(g.ms), f(g.tflops), String(g.err)])]), '');
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string', default: 'bench/RESULTS-GPU.md' } }, allowPositionals: true });
  if (positionals.length !== 1) {
    process.stderr.write('usage: node scripts/gpu-report.mjs DIR [--out FILE|-]\n');
    process.exit(2);
  }
  const md = gpuReport(readRun(positionals[0]), { command: `node scripts/gpu-report.mjs ${positionals[0]}` }) + '\n';
  if (values.out === '-') process.stdout.write(md);
  else {
    writeFileSync(values.out, md);
    process.stderr.write(`wrote ${values.out}\n`);
  }
}
