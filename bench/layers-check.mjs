// The check of a layers file (bench/layers.json's format), pure so that the page (a file picked there) and the
// command line (scripts/bench-args.mjs, --layers-file) hold a file to the same rules. Plain .mjs: the command
// line runs in Node without a TypeScript step.

/** Layer fields every entry has. */
const NUMBERS = ['N', 'Cin', 'Cout', 'H', 'W', 'g'];
const PAIRS = ['k', 's', 'p', 'op', 'd'];
/** Optional text fields: the model a layer comes from (the report groups by it) and where it is in that model's code. */
const TEXTS = ['model', 'source'];

/** The layers of a parsed layers file, checked field by field; `where` names the file in errors. */
export function checkLayers(json, where) {
  if (!Array.isArray(json?.layers) || json.layers.length === 0) throw new Error(`${where}: expected { "layers": [ ... ] } with at least one layer`);
  const names = new Set();
  for (const [i, l] of json.layers.entries()) {
    const at = `${where}: layers[${i}]${typeof l?.name === 'string' ? ` (${l.name})` : ''}`;
    if (typeof l?.name !== 'string' || !l.name) throw new Error(`${at}: name: expected a non-empty string`);
    if (names.has(l.name)) throw new Error(`${at}: name: ${l.name} appears twice`);
    names.add(l.name);
    for (const k of NUMBERS) if (!Number.isInteger(l[k]) || l[k] < 1) throw new Error(`${at}: ${k}: expected a positive integer, got ${JSON.stringify(l[k])}`);
    for (const k of PAIRS) if (!Array.isArray(l[k]) || l[k].length !== 2 || !l[k].every(Number.isInteger)) throw new Error(`${at}: ${k}: expected two integers, got ${JSON.stringify(l[k])}`);
    for (const k of TEXTS) if (l[k] !== undefined && (typeof l[k] !== 'string' || !l[k])) throw new Error(`${at}: ${k}: expected a non-empty string, got ${JSON.stringify(l[k])}`);
    if (l.refN !== undefined && !(Number.isInteger(l.refN) && l.refN >= 1 && l.N % l.refN === 0)) throw new Error(`${at}: refN: expected a positive integer that divides N = ${l.N}, got ${JSON.stringify(l.refN)}`);
  }
  return json.layers;
}

/** The layers of a layers file's text. */
export function parseLayers(text, where) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: ${e.message}`);
  }
  return checkLayers(json, where);
}
