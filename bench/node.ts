/**
 * The benchmark in Node, on Dawn (the `webgpu` package): the same suite as the page (bench/suite.ts), with the
 * device from nodeDevice(). Built into one file, .bench-out/bench-node.mjs (`npm run bench:node-bundle`; only
 * `webgpu` stays outside), which `npm run bench -- --node` runs here and ../shared/gpu/pack.sh carries to a GPU
 * machine. Usage: node .bench-out/bench-node.mjs [the options of scripts/bench.mjs]. Dawn's Vulkan driver is
 * chosen by the environment at process start (SwiftShader: LD_LIBRARY_PATH=/usr/lib/chromium
 * VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeDevice } from '../src/node';
import { BenchSession, LAYERS } from './suite';
import { IMPLEMENTATIONS, type ImplName } from './implementation';
import { MODELS } from './models';
import { reportMarkdown, reportText } from './report';
import { ORT_WASM_FILE, setOrtWasm } from './impl-ort';
import type { LayerSpec } from './problem';
import benchSource from '../scripts/bench.mjs?raw';
import { list, parseBenchArgs, parseRounds, readLayersFile, shownCommand, usage } from '../scripts/bench-args.mjs';

/** Dawn toggles: exact timestamps (Dawn otherwise rounds them to 65.5 µs). */
export const DAWN_OPTIONS = ['disable-dawn-features=timestamp_quantization'];

const started = performance.now();
const log = (msg: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

/**
 * ONNX Runtime Web's threaded wasm build keeps its heap in a SharedArrayBuffer, and Dawn for Node's
 * queue.writeBuffer rejects a view of one ("Invalid argument"): such writes go through a copy.
 */
function copySharedWrites(device: GPUDevice): void {
  const proto = Object.getPrototypeOf(device.queue) as GPUQueue;
  const write = proto.writeBuffer;
  if ((write as { shared?: boolean }).shared) return;
  const patched = function (this: GPUQueue, buffer: GPUBuffer, offset: number, data: BufferSource | SharedArrayBuffer, dataOffset?: number, size?: number) {
    if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
      const unit = (data as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
      const first = dataOffset ?? 0;
      const count = size ?? data.byteLength / unit - first;
      const copy = new Uint8Array(data.buffer, data.byteOffset + first * unit, count * unit).slice();
      return write.call(this, buffer, offset, copy);
    }
    return write.call(this, buffer, offset, data as BufferSource, dataOffset, size);
  };
  proto.writeBuffer = Object.assign(patched, { shared: true }) as GPUQueue['writeBuffer'];
}

/** ORT's wasm binary: --ort-wasm FILE, else beside this file, else in onnxruntime-web from the working directory. */
function findOrtWasm(given: string | undefined): { binary: Uint8Array } | { missing: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromModules = () => {
    try {
      return createRequire(join(process.cwd(), 'noop.js')).resolve(`onnxruntime-web/${ORT_WASM_FILE}`);
    } catch {
      return null;
    }
  };
  const candidates = given ? [given] : [join(here, ORT_WASM_FILE), fromModules()];
  for (const file of candidates) if (file && existsSync(file)) return { binary: new Uint8Array(readFileSync(file)) };
  const tried = given ? [given] : [join(here, ORT_WASM_FILE), `onnxruntime-web/${ORT_WASM_FILE} from ${process.cwd()}`];
  return { missing: `ORT's wasm binary (${ORT_WASM_FILE}) not found (tried ${tried.join(', ')}); pass --ort-wasm FILE` };
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(usage(benchSource));
    return 0;
  }
  const rounds = parseRounds(args.rounds);
  const fileLayers: LayerSpec[] | null = args['layers-file'] ? readLayersFile(args['layers-file']) : null;
  const known = fileLayers ?? LAYERS;
  const names = args['models-only'] ? [] : args.layers ? list(args.layers) : known.map((l) => l.name);
  const unknown = names.filter((n) => !known.some((l) => l.name === n));
  if (unknown.length) throw new Error(`unknown layer(s) ${unknown.join(', ')}; known: ${known.map((l) => l.name).join(', ')}`);
  const impls = (args.impls ? list(args.impls) : IMPLEMENTATIONS) as ImplName[];
  const badImpls = impls.filter((i) => !IMPLEMENTATIONS.includes(i));
  if (badImpls.length) throw new Error(`unknown implementation(s) ${badImpls.join(', ')}; known: ${IMPLEMENTATIONS.join(', ')}`);
  const models = args['no-models'] ? [] : args.models ? list(args.models) : MODELS.map((m) => m.name);
  const badModels = models.filter((m) => !MODELS.some((s) => s.name === m));
  if (badModels.length) throw new Error(`unknown model(s) ${badModels.join(', ')}; known: ${MODELS.map((m) => m.name).join(', ')}`);

  setOrtWasm(findOrtWasm(args['ort-wasm']));
  const device = await nodeDevice({
    dawnOptions: DAWN_OPTIONS,
    navigator: true, // TF.js's and ORT's WebGPU backends look for navigator.gpu
    device: (adapter) => ({
      requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      },
    }),
  });
  copySharedWrites(device);
  const dawnVersion = (() => {
    try {
      return JSON.parse(readFileSync(createRequire(import.meta.url).resolve('webgpu/package.json'), 'utf8')).version as string;
    } catch {
      return '?';
    }
  })();
  const runtime = `Node ${process.version}, Dawn (webgpu ${dawnVersion}), ${DAWN_OPTIONS.join(' ')}`;
  const session = await BenchSession.open({ device, rounds, userAgent: runtime });
  const { vendor, architecture, description } = session.adapter;
  log(`adapter: ${[vendor, architecture, description].filter(Boolean).join(' / ')}; features: ${session.adapter.features.join(', ')}`);
  log(`limits: maxStorageBufferBindingSize ${device.limits.maxStorageBufferBindingSize}, maxBufferSize ${device.limits.maxBufferSize}`);
  if (names.length) {
    log('ceiling (FMA and copy kernels)');
    await session.measureCeiling();
  }
  const command = shownCommand('npm run bench -- --node', process.argv.slice(2));
  const writeJson = () => {
    if (args.json) writeFileSync(args.json, JSON.stringify({ ...session.report(), wallSeconds: (performance.now() - started) / 1000, command, runtime }, null, 2) + '\n');
  };
  for (const [i, name] of names.entries()) {
    log(`layer ${i + 1}/${names.length}: ${name}`);
    await session.runLayer(known.find((l) => l.name === name)!, (msg) => log(`  ${msg}`), impls);
    writeJson(); // after every layer, so a run cut short by a timeout still leaves what it measured
  }
  for (const [i, name] of models.entries()) {
    log(`model ${i + 1}/${models.length}: ${name}`);
    await session.runModel(MODELS.find((m) => m.name === name)!);
  }
  const report = session.report();
  process.stdout.write(reportText(report) + '\n');
  const wallSeconds = (performance.now() - started) / 1000;
  if (args.json) {
    writeJson();
    log(`wrote ${args.json}`);
  }
  if (args.markdown) {
    writeFileSync(args.markdown, reportMarkdown(report, { command, browser: runtime, wallSeconds }));
    log(`wrote ${args.markdown}`);
  }
  device.destroy();
  if (!report.passed) log('FAILED: some implementation failed or is outside the tolerance (see the notes column)');
  return report.passed ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  log(`bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
