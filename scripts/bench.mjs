// Headless benchmark: drives bench/index.html in headless Chromium (the same page you can open with
// `npm run dev` at /bench/index.html), shows progress on stderr, prints the table on stdout.
//
//   npm run bench                                   whole suite
//   npm run bench -- --layers dcgan-g2,unet-up      some layers
//   npm run bench -- --impls phase,auto,gather      some implementations (default: all)
//   npm run bench -- --models dcgan-64,unet-decoder some models of the models section (default: all)
//   npm run bench -- --no-models                    layers only, no models section
//   npm run bench -- --models-only                  the models section only (no ceiling, no layers)
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
    models: { type: 'string' },
    'no-models': { type: 'boolean' },
    'models-only': { type: 'boolean' },
    json: { type: 'string' },
    markdown: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
  process.exit(0);
}

if (args['no-models'] && (args['models-only'] || args.models)) {
  process.stderr.write('--no-models cannot go with --models or --models-only\n');
  process.exit(2);
}
if (args['models-only'] && (args.layers || args.impls)) {
  process.stderr.write('--models-only cannot go with --layers or --impls\n');
  process.exit(2);
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
  const { adapter, layers: all, models: allModels } = await page.evaluate(() => window.benchApi.init());
  const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
  const layers = args['models-only'] ? [] : args.layers ? list(args.layers) : all;
  const unknown = layers.filter((l) => !all.includes(l));
  if (unknown.length) throw new Error(`unknown layer(s) ${unknown.join(', ')}; known: ${all.join(', ')}`);
  const models = args['no-models'] ? [] : args.models ? list(args.models) : allModels;
  const unknownModels = models.filter((m) => !allModels.includes(m));
  if (unknownModels.length) throw new Error(`unknown model(s) ${unknownModels.join(', ')}; known: ${allModels.join(', ')}`);
  log(`adapter: ${adapter}`);
  // The ceiling only scales the layers' % columns.
  if (layers.length) log(await page.evaluate(() => window.benchApi.ceiling()));
  for (const [i, name] of layers.entries()) {
    log(`layer ${i + 1}/${layers.length}: ${name}`);
    const impls = args.impls ? args.impls.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    await page.evaluate((n, i) => window.benchApi.runLayer(n, i), name, impls);
  }
  for (const [i, name] of models.entries()) {
    log(`model ${i + 1}/${models.length}: ${name}`);
    await page.evaluate((n) => window.benchApi.runModel(n), name);
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
    const command = ['npm run bench --', ...(args.layers ? ['--layers', args.layers] : []), ...(args.impls ? ['--impls', args.impls] : []),
      ...(args.models ? ['--models', args.models] : []), ...(args['no-models'] ? ['--no-models'] : []), ...(args['models-only'] ? ['--models-only'] : []), '--markdown', args.markdown].join(' ');
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
