// The command line of `npm run bench`, shared by the headless driver (scripts/bench.mjs) and the Node entry
// (bench/node.ts, which the driver runs with --node and which pack.sh carries to a GPU machine as one file).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

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
  rounds: { type: 'string' },
  'ort-wasm': { type: 'string' },
  json: { type: 'string' },
  markdown: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** Layer fields every entry of a layers file has (`refN` is optional). */
const NUMBERS = ['N', 'Cin', 'Cout', 'H', 'W', 'g'];
const PAIRS = ['k', 's', 'p', 'op', 'd'];
/** RoundsOptions keys (bench/rounds.ts) that --rounds may set. */
export const ROUNDS_KEYS = ['warmMs', 'minRounds', 'minMs', 'maxRounds', 'maxMs', 'floorRounds', 'batch', 'batchMaxMs'];

/** Parses argv; throws an Error that names the offending flag. */
export function parseBenchArgs(argv) {
  const { values } = parseArgs({ args: argv, options: BENCH_OPTIONS, strict: true });
  if (values.browser !== undefined && !['chromium', 'firefox'].includes(values.browser)) throw new Error(`--browser: chromium or firefox, got ${values.browser}`);
  if (values.browser && values.node) throw new Error('--browser cannot go with --node (the Node bench runs on Dawn, no browser)');
  if (values['no-models'] && (values['models-only'] || values.models)) throw new Error('--no-models cannot go with --models or --models-only');
  if (values['models-only'] && (values.layers || values.impls || values['layers-file'])) throw new Error('--models-only cannot go with --layers, --layers-file or --impls');
  return values;
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

/** The layers of a layers file (bench/layers.json's format, optionally with `refN`), checked field by field. */
export function readLayersFile(file) {
  let json;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`--layers-file ${file}: ${e.message}`);
  }
  if (!Array.isArray(json?.layers) || json.layers.length === 0) throw new Error(`--layers-file ${file}: expected { "layers": [ ... ] } with at least one layer`);
  const names = new Set();
  for (const [i, l] of json.layers.entries()) {
    const where = `--layers-file ${file}: layers[${i}]${typeof l?.name === 'string' ? ` (${l.name})` : ''}`;
    if (typeof l?.name !== 'string' || !l.name) throw new Error(`${where}: name: expected a non-empty string`);
    if (names.has(l.name)) throw new Error(`${where}: name: ${l.name} appears twice`);
    names.add(l.name);
    for (const k of NUMBERS) if (!Number.isInteger(l[k]) || l[k] < 1) throw new Error(`${where}: ${k}: expected a positive integer, got ${JSON.stringify(l[k])}`);
    for (const k of PAIRS) if (!Array.isArray(l[k]) || l[k].length !== 2 || !l[k].every(Number.isInteger)) throw new Error(`${where}: ${k}: expected two integers, got ${JSON.stringify(l[k])}`);
    if (l.refN !== undefined && !(Number.isInteger(l.refN) && l.refN >= 1 && l.N % l.refN === 0)) throw new Error(`${where}: refN: expected a positive integer that divides N = ${l.N}, got ${JSON.stringify(l.refN)}`);
  }
  return json.layers;
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
