// Headless benchmark: drives bench/index.html in headless Chromium (the same page you can open with
// `npm run dev` at /bench/index.html), shows progress on stderr, prints the table on stdout.
//
//   npm run bench                                   whole suite
//   npm run bench -- --layers dcgan-g2,unet-up      some layers
//   npm run bench -- --impls phase,auto,gather      some implementations (default: all)
//   npm run bench -- --json out.json                also write the results as JSON
//   npm run bench -- --markdown bench/RESULTS.md    also write the Markdown page (how RESULTS.md is made)
//
// Plain .mjs on purpose: Node 20 cannot run TypeScript, and all the TypeScript runs in the page.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startBrowserSession } from './browser.mjs';

const { values: args } = parseArgs({
  options: {
    layers: { type: 'string' },
    impls: { type: 'string' },
    json: { type: 'string' },
    markdown: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
  process.exit(0);
}

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (msg) => process.stderr.write(`[${elapsed()}] ${msg}\n`);

const session = await startBrowserSession({ log });
let exitCode = 0;
try {
  const page = await session.open('/bench/index.html');
  await page.exposeFunction('__benchProgress', (msg) => log(`  ${msg}`));
  await page.waitForFunction(() => window.benchApi !== undefined, { timeout: 120_000 });
  const { adapter, layers: all } = await page.evaluate(() => window.benchApi.init());
  const layers = args.layers ? args.layers.split(',').map((s) => s.trim()).filter(Boolean) : all;
  const unknown = layers.filter((l) => !all.includes(l));
  if (unknown.length) throw new Error(`unknown layer(s) ${unknown.join(', ')}; known: ${all.join(', ')}`);
  log(`adapter: ${adapter}`);
  log(await page.evaluate(() => window.benchApi.ceiling()));
  for (const [i, name] of layers.entries()) {
    log(`layer ${i + 1}/${layers.length}: ${name}`);
    const impls = args.impls ? args.impls.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    await page.evaluate((n, i) => window.benchApi.runLayer(n, i), name, impls);
  }
  const report = await page.evaluate(() => window.benchApi.report());
  process.stdout.write(await page.evaluate(() => window.benchApi.text()) + '\n');
  const wallSeconds = (Date.now() - started) / 1000;
  log(`whole run: ${wallSeconds.toFixed(0)} s`);
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ ...report, wallSeconds }, null, 2) + '\n');
    log(`wrote ${args.json}`);
  }
  if (args.markdown) {
    const command = ['npm run bench --', ...(args.layers ? ['--layers', args.layers] : []), ...(args.impls ? ['--impls', args.impls] : []), '--markdown', args.markdown].join(' ');
    const browser = await session.browser.version();
    writeFileSync(args.markdown, await page.evaluate((meta) => window.benchApi.markdown(meta), { command, browser, wallSeconds }));
    log(`wrote ${args.markdown}`);
  }
  if (!report.passed) {
    log('FAILED: some implementation failed or is outside the tolerance (see the notes column)');
    exitCode = 1;
  }
} catch (e) {
  log(`bench failed: ${e instanceof Error ? e.stack ?? e.message : e}`);
  exitCode = 1;
} finally {
  await session.close();
}
process.exit(exitCode);
