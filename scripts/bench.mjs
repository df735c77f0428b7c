// Headless benchmark: drives bench/index.html in headless Chromium or Firefox (the same page you can open with
// `npm run dev` at /bench/index.html), or with --node runs the same suite in Node on Dawn; shows progress on
// stderr, prints the table on stdout.
//
//   npm run bench                                   whole suite, in Chromium
//   npm run bench -- --browser firefox              in Firefox (wgpu; its WebGPU prefs set, see scripts/browser.mjs)
//   npm run bench -- --layers dcgan-g2,unet-up      some layers
//   npm run bench -- --layers-file FILE.json        the layers of another file (bench/layers.json's format; an
//                                                   entry's refN: the batch of distinct data, tiled up to N)
//   npm run bench -- --layers-file bench/layers-models.json
//                                                   the layers of real models (Kokoro, SpeechT5, DPT, SNAC,
//                                                   MusicGen), reported grouped by model
//   npm run bench -- --impls phase,auto,gather      some implementations (default: all)
//   npm run bench -- --models dcgan-64,unet-decoder some TF.js models of the models section (default: all)
//   npm run bench -- --onnx sam-upscaling,...       some ONNX models of the models section, on ORT Web alone and
//                                                   through createOrtSession (default: all; naming only --models
//                                                   or only --onnx runs only that list)
//   npm run bench -- --no-onnx                      no ONNX models
//   npm run bench -- --no-models                    layers only, no models section
//   npm run bench -- --models-only                  the models section only (no ceiling, no layers, no training)
//   npm run bench -- --training dcgan-32-train       some GANs of the training section (default: all)
//   npm run bench -- --no-training                  no training section
//   npm run bench -- --training-only                the training section only
//   npm run bench -- --rounds minRounds=3,batch=20  how layers are timed (bench/rounds.ts: warmMs, minRounds,
//                                                   minMs, maxRounds, maxMs, floorRounds, batch, batchMaxMs)
//   npm run bench -- --json out.json                also write the results as JSON
//   npm run bench -- --markdown bench/RESULTS.md    also write the Markdown page (how RESULTS.md is made)
//   npm run bench -- --node [options]               in Node on Dawn (the `webgpu` package) instead of Chromium:
//                                                   builds .bench-out/bench-node.mjs (npm run bench:node-bundle)
//                                                   and runs it, on SwiftShader unless VK_ICD_FILENAMES or
//                                                   VK_DRIVER_FILES already choose a Vulkan driver
//   npm run bench -- --node --ort-wasm FILE         ORT's wasm binary (default: beside the bundle, else from
//                                                   node_modules/onnxruntime-web)
//
// Plain .mjs on purpose: Node 20 cannot run TypeScript; the TypeScript runs in the page or in the Node bundle.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot, startBrowserSession } from './browser.mjs';
import { list, modelLists, parseBenchArgs, parseRounds, readLayersFile, shownCommand, usage } from './bench-args.mjs';

/** Where Dawn finds SwiftShader on a machine without a GPU driver (Debian's chromium package). */
export const SWIFTSHADER_ENV = { LD_LIBRARY_PATH: '/usr/lib/chromium', VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' };
export const NODE_BUNDLE = join(projectRoot, '.bench-out', 'bench-node.mjs');

/** Builds .bench-out/bench-node.mjs (bench/node.vite.config.ts). */
export async function buildNodeBundle() {
  const { build } = await import('vite');
  await build({ configFile: join(projectRoot, 'bench', 'node.vite.config.ts'), logLevel: 'warn' });
  return NODE_BUNDLE;
}

/** The environment of the Node bench: SwiftShader unless a Vulkan driver is already chosen (as run.sh does on a GPU machine). */
export function nodeBenchEnv(env = process.env) {
  return env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES ? { ...env } : { ...env, ...SWIFTSHADER_ENV };
}

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (msg) => process.stderr.write(`[${elapsed()}] ${msg}\n`);

/** --node: build the bundle, run it in a child node with the rest of the arguments. */
async function runNode(argv) {
  log('building .bench-out/bench-node.mjs');
  const bundle = await buildNodeBundle();
  const rest = argv.filter((a) => a !== '--node');
  const child = spawn(process.execPath, [bundle, ...rest], { cwd: projectRoot, env: nodeBenchEnv(), stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/**
 * Calls `window.benchApi[method](...args)` in the page and waits for its promise without holding one CDP call
 * open for it: a big layer (a vocoder's 40000-sample upsampler, every implementation, on a busy CPU adapter) can
 * take longer than the protocol timeout. The call starts in one short evaluate; short evaluates poll its outcome.
 */
async function inPage(page, method, ...args) {
  await page.evaluate((method, args) => {
    window.__benchStep = null;
    window.benchApi[method](...args).then(
      () => { window.__benchStep = { ok: true }; },
      (e) => { window.__benchStep = { ok: false, message: e instanceof Error ? e.message : String(e) }; });
  }, method, args);
  for (;;) {
    const outcome = await page.evaluate(() => window.__benchStep);
    if (outcome) {
      if (!outcome.ok) throw new Error(outcome.message);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The page in the headless browser (--browser, default Chromium). */
async function runPage(args) {
  const rounds = parseRounds(args.rounds);
  const fileLayers = args['layers-file'] ? readLayersFile(args['layers-file']) : null;
  const session = await startBrowserSession({ log, browser: args.browser ?? 'chromium' });
  let exitCode = 0;
  try {
    const page = await session.open('/bench/index.html');
    await page.exposeFunction('__benchProgress', (msg) => log(`  ${msg}`));
    await page.waitForFunction(() => window.benchApi !== undefined, { timeout: 120_000 });
    const { adapter, layers: builtIn, models: allModels, trainings: allTrainings, onnxModels: allOnnx } = await page.evaluate(() => window.benchApi.init());
    const all = fileLayers ? fileLayers.map((l) => l.name) : builtIn;
    const only = args['models-only'] || args['training-only'];
    const layers = only ? [] : args.layers ? list(args.layers) : all;
    const unknown = layers.filter((l) => !all.includes(l));
    if (unknown.length) throw new Error(`unknown layer(s) ${unknown.join(', ')}; known: ${all.join(', ')}`);
    const { models, onnx } = modelLists(args, allModels, allOnnx);
    const unknownOnnx = onnx.filter((m) => !allOnnx.includes(m));
    if (unknownOnnx.length) throw new Error(`unknown ONNX model(s) ${unknownOnnx.join(', ')}; known: ${allOnnx.join(', ')}`);
    const trainings = args['no-training'] || args['models-only'] ? [] : args.training ? list(args.training) : allTrainings;
    const unknownTrainings = trainings.filter((t) => !allTrainings.includes(t));
    if (unknownTrainings.length) throw new Error(`unknown training(s) ${unknownTrainings.join(', ')}; known: ${allTrainings.join(', ')}`);
    const unknownModels = models.filter((m) => !allModels.includes(m));
    if (unknownModels.length) throw new Error(`unknown model(s) ${unknownModels.join(', ')}; known: ${allModels.join(', ')}`);
    log(`${session.browserName} ${await session.browser.version()}, adapter: ${adapter}`);
    await page.evaluate((r) => window.benchApi.setRounds(r), rounds);
    // The ceiling only scales the layers' % columns.
    if (layers.length) log(await page.evaluate(() => window.benchApi.ceiling()));
    const impls = args.impls ? list(args.impls) : undefined;
    for (const [i, name] of layers.entries()) {
      log(`layer ${i + 1}/${layers.length}: ${name}`);
      const layer = fileLayers ? fileLayers.find((l) => l.name === name) : name;
      await inPage(page, 'runLayer', layer, impls);
    }
    for (const [i, name] of models.entries()) {
      log(`model ${i + 1}/${models.length}: ${name}`);
      await inPage(page, 'runModel', name);
    }
    if (onnx.length) {
      log('ONNX models: what one cut costs');
      await inPage(page, 'onnxCut');
    }
    for (const [i, name] of onnx.entries()) {
      log(`ONNX model ${i + 1}/${onnx.length}: ${name} (ORT Web alone and createOrtSession, alternated)`);
      await inPage(page, 'runOnnxModel', name);
    }
    for (const [i, name] of trainings.entries()) {
      log(`training ${i + 1}/${trainings.length}: ${name}`);
      await inPage(page, 'runTraining', name);
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
      const command = shownCommand('npm run bench --', process.argv.slice(2));
      const browser = await session.browser.version();
      writeFileSync(args.markdown, await page.evaluate((meta) => window.benchApi.markdown(meta), { command, browser, wallSeconds }));
      log(`wrote ${args.markdown}`);
    }
    if (!report.passed) {
      log('FAILED: some implementation failed or is outside the tolerance (see the notes column)');
      exitCode = 1;
    }
  } finally {
    await session.close();
  }
  return exitCode;
}

// Run as a script (npm run bench), not when a test imports the helpers above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let exitCode;
  try {
    const args = parseBenchArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(usage(readFileSync(new URL(import.meta.url), 'utf8')));
      process.exit(0);
    }
    if (args['ort-wasm'] && !args.node) throw new Error('--ort-wasm goes with --node (the page gets ORT\'s wasm from the dev server)');
    exitCode = args.node ? await runNode(process.argv.slice(2)) : await runPage(args);
  } catch (e) {
    log(`bench failed: ${e instanceof Error ? e.stack ?? e.message : e}`);
    exitCode = 1;
  }
  process.exit(exitCode);
}
