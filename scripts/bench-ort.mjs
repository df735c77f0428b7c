// ONNX models on ONNX Runtime Web alone and with createOrtSession (webgpu-convtranspose/ort), headless:
// drives bench/ort.html in headless Chromium (SwiftShader where there is no GPU), prints a table on stdout.
//
//   npm run bench:ort                             every model of bench/ort-models.ts, then the cost of one cut
//   npm run bench:ort -- --models dcgan-64,...    some models
//   npm run bench:ort -- --json out.json          also write the results as JSON
import { writeFileSync } from 'node:fs';
import { startBrowserSession } from './browser.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const session = await startBrowserSession({ log: (m) => process.stderr.write(`${m}\n`) });
try {
  const page = await session.open('bench/ort.html');
  await page.waitForFunction(() => window.ortBench !== undefined, { timeout: 180_000 });
  const init = await page.evaluate(() => window.ortBench.init());
  if (!init.ok) throw new Error(`bench/ort.html: no WebGPU: ${init.info}`);
  process.stderr.write(`${init.info}\n`);
  const names = opt('--models')?.split(',').filter(Boolean) ?? init.models;
  const results = [];
  for (const name of names) {
    process.stderr.write(`model ${name}: ORT alone and ORT + ours, alternated...\n`);
    const r = await page.evaluate((n) => window.ortBench.benchModel(n), name);
    process.stderr.write(`${r.plan}\n`);
    results.push(r);
  }
  const cut = await page.evaluate(() => window.ortBench.cutCost());
  const rows = [['model', 'ORT ms', 'ORT+ours ms', 'speed-up', 'here', 'ORT runs', 'rounds', 'max |diff|', 'setup ms'],
    ...results.map((r) => [r.name, r.ortMs.toFixed(1), r.oursMs.toFixed(1), `${r.speedup.toFixed(2)}×`, String(r.here), String(r.ortRuns), String(r.rounds), `${r.maxDiff.toExponential(1)} (of ${r.scale.toFixed(2)})`, r.setupMs.toFixed(0)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  console.log(`${init.info}\n`);
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log(`\none cut (an identity segment: one more ORT run, GPU tensor in and out): median ${cut.medianMs.toFixed(2)} ms, min ${cut.minMs.toFixed(2)} ms over ${cut.runs} runs`);
  console.log('ms: median model latency, upload to read-back; alternated rounds.');
  const json = opt('--json');
  if (json) writeFileSync(json, JSON.stringify({ adapter: init.info, results, cut }, null, 2));
} finally {
  await session.close();
}
