// The command line of `npm run bench`, shared by the headless driver (scripts/bench.mjs) and the Node entry
// (bench/node.ts, which the driver runs with --node and which pack.sh carries to a GPU machine as one file).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseLayers } from '../bench/layers-check.mjs';

/** The options, in node:util parseArgs form. */
export const BENCH_OPTIONS = {
  node: { type: 'boolean' },
  browser: { type: 'string' },
  layers: { type: 'string' },
  'layers-file': { type: 'string' },
  impls: { type: 'string' },
  models: { type: 'string' },
  'no-models': { type: 'boolean' },
  'models-only': { type: 'boolean' },
  onnx: { type: 'string' },
  'no-onnx': { type: 'boolean' },
  training: { type: 'string' },
  'no-training': { type: 'boolean' },
  'training-only': { type: 'boolean' },
  rounds: { type: 'string' },
  'ort-wasm': { type: 'string' },
  json: { type: 'string' },
  markdown: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** RoundsOptions keys (bench/rounds.ts) that --rounds may set. */
export const ROUNDS_KEYS = ['warmMs', 'minRounds', 'minMs', 'maxRounds', 'maxMs', 'floorRounds', 'batch', 'batchMaxMs'];

/** Parses argv; throws an Error that names the offending flag. */
export function parseBenchArgs(argv) {
  const { values } = parseArgs({ args: argv, options: BENCH_OPTIONS, strict: true });
  if (values.browser !== undefined && !['chromium', 'firefox'].includes(values.browser)) throw new Error(`--browser: chromium or firefox, got ${values.browser}`);
  if (values.browser && values.node) throw new Error('--browser cannot go with --node (the Node bench runs on Dawn, no browser)');
  if (values['no-models'] && (values['models-only'] || values.models)) throw new Error('--no-models cannot go with --models or --models-only');
  if (values['models-only'] && (values.layers || values.impls || values['layers-file'])) throw new Error('--models-only cannot go with --layers, --layers-file or --impls');
  if (values['training-only'] && (values.layers || values.impls || values['layers-file'] || values.models || values['models-only'])) throw new Error('--training-only cannot go with --layers, --layers-file, --impls, --models or --models-only');
  if (values['no-training'] && (values['training-only'] || values.training)) throw new Error('--no-training cannot go with --training or --training-only');
  if (values.onnx && (values['no-onnx'] || values['no-models'] || values['training-only'])) throw new Error('--onnx cannot go with --no-onnx, --no-models or --training-only');
  if (values.onnx && values.node) throw new Error('--onnx cannot go with --node (the ONNX models run in a browser: ORT Web\'s WebGPU provider)');
  return values;
}

/**
 * The models section's two lists: TF.js models (--models) and ONNX models (--onnx). Naming one list leaves the
 * other out; naming neither runs both whole; --no-models drops both, --no-onnx the ONNX models.
 */
export function modelLists(values, allModels, allOnnx) {
  if (values['no-models'] || values['training-only']) return { models: [], onnx: [] };
  const named = values.models !== undefined || values.onnx !== undefined;
  const models = values.models ? list(values.models) : named ? [] : allModels;
  const onnx = values['no-onnx'] ? [] : values.onnx ? list(values.onnx) : named ? [] : allOnnx;
  return { models, onnx };
}

/** A comma-separated list. */
export const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** `--rounds minRounds=3,maxMs=2000` as an options object. */
export function parseRounds(text) {
  const out = {};
  for (const part of list(text ?? '')) {
    const [key, value, extra] = part.split('=');
    if (!ROUNDS_KEYS.includes(key)) throw new Error(`--rounds: unknown key ${key}; known: ${ROUNDS_KEYS.join(', ')}`);
    const n = Number(value);
    if (extra !== undefined || value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`--rounds: ${key}: expected a number >= 0, got ${value}`);
    out[key] = n;
  }
  if (out.batch !== undefined && !(Number.isInteger(out.batch) && out.batch >= 1)) throw new Error(`--rounds: batch: expected a positive integer, got ${out.batch}`);
  return out;
}

/** The layers of a layers file (bench/layers.json's format, optionally with `refN`, `model`, `source`), checked field by field. */
export function readLayersFile(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`--layers-file ${file}: ${e.message}`);
  }
  return parseLayers(text, `--layers-file ${file}`);
}

/** The usage text: the `//` lines at the top of scripts/bench.mjs. */
export function usage(source) {
  return source.split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n';
}

/**
 * The command a report names, to make it again: `prefix` and the arguments, less --json and its file (a side
 * output, often a scratch path).
 */
export function shownCommand(prefix, argv) {
  return [prefix, ...argv.filter((a, i) => a !== '--json' && argv[i - 1] !== '--json' && !a.startsWith('--json='))].join(' ');
}
