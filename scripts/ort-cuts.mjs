#!/usr/bin/env node
// What a cut's layout costs: each named ONNX model of bench/ort-models.ts (default: all) run by ORT Web alone,
// cut with NCHW tensors at every cut, and cut with channels-last cuts where the rule makes them
// (bench/ort-cuts.ts), alternated, in headless Chromium. Usage: node scripts/ort-cuts.mjs [--rounds N] [model ...]
import { parseArgs } from 'node:util';
import { startBrowserSession } from './browser.mjs';

const { values, positionals } = parseArgs({ options: { rounds: { type: 'string', default: '6' } }, allowPositionals: true });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: expected a positive integer, got ${values.rounds}`);
const session = await startBrowserSession({ log: (m) => console.error(m) });
try {
  const page = await session.open('/bench/index.html');
  await page.waitForFunction(() => window.benchApi !== undefined, { timeout: 120_000 });
  await page.evaluate(() => window.benchApi.init());
  const names = positionals.length ? positionals : await page.evaluate(async () => (await import('/bench/ort-bench.ts')).ORT_MODEL_NAMES);
  const ms = (v) => v.toFixed(1);
  console.log('| model | ORT alone | NCHW cuts | channels-last cuts | channels-last layers |\n|---|---|---|---|---|');
  for (const name of names) {
    const r = await page.evaluate((n, k) => import('/bench/ort-cuts.ts').then((m) => m.cutLayouts(n, k)), name, rounds);
    console.log(`| ${r.name} | ${ms(r.median.ort)} | ${ms(r.median.nchw)} | ${ms(r.median.channelsLast)} | ${r.channelsLast.join(', ') || 'none'} |`);
  }
  console.log(`\nmedian ms of ${rounds} alternated rounds, upload to read-back`);
} finally {
  await session.close();
}
