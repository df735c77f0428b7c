/**
 * The one front door for options. One table lists every option of every entry point: its check (whose error
 * names the option), its default, and the entry points that take it. `checkOptions` checks an options object
 * against it once per call, refusing keys the entry point does not take (naming the spelling or form they
 * belong to), and returns the options normalised, so nothing downstream checks them again.
 *
 * A spelling's attributes (PyTorch/ONNX for the core, TF.js's, WebNN's) are listed too, for the keys; their
 * values are checked together by the spelling's mapping (resolveConvTranspose, mapTfjs*, mapWebnn*), since
 * they depend on each other and on the shapes. Pure: no WebGPU.
 */
import { resolveActivation, resolveTfjsActivation, resolveWebnnActivation, type ResolvedActivation } from './activation';
import { checkDataType, type DataType } from './half';
import { checkDataLayout, checkFilterLayout, type DataLayout, type FilterLayout } from './layout';
import { checkPathOption, type PathOption } from './gpu/kernels/registry';
import type { AdapterClass } from './gpu/plan/context';
import type { BiasLike } from './tensor';
import { describeValue } from './tensor';

/** Every entry point: each spelling's one-shot form and prepared form. */
export const ENTRY_POINTS = [
  'convTranspose', 'createConvTranspose',
  'tfjsConv2dTranspose', 'createTfjsConv2dTranspose', 'tfjsConv3dTranspose', 'createTfjsConv3dTranspose',
  'webnnConvTranspose2d', 'createWebnnConvTranspose2d',
] as const;
export type EntryPoint = (typeof ENTRY_POINTS)[number];

const CORE: readonly EntryPoint[] = ['convTranspose', 'createConvTranspose'];
const TFJS_2D: readonly EntryPoint[] = ['tfjsConv2dTranspose', 'createTfjsConv2dTranspose'];
const TFJS: readonly EntryPoint[] = [...TFJS_2D, 'tfjsConv3dTranspose', 'createTfjsConv3dTranspose'];
const WEBNN: readonly EntryPoint[] = ['webnnConvTranspose2d', 'createWebnnConvTranspose2d'];
const ONE_SHOT: readonly EntryPoint[] = ['convTranspose', 'tfjsConv2dTranspose', 'tfjsConv3dTranspose', 'webnnConvTranspose2d'];
const PREPARED: readonly EntryPoint[] = ['createConvTranspose', 'createTfjsConv2dTranspose', 'createTfjsConv3dTranspose', 'createWebnnConvTranspose2d'];
const ALL: readonly EntryPoint[] = ENTRY_POINTS;

/**
 * One option of some entry points. `attribute`: a spelling's attribute, checked by its mapping; `tensor`: a
 * tensor or shape the entry point resolves (createConvTranspose's inputShape and weight, every form's bias);
 * `run`: how and where the convolution runs, checked here.
 */
export interface OptionSpec {
  readonly name: string;
  readonly kind: 'attribute' | 'tensor' | 'run';
  readonly entries: readonly EntryPoint[];
  /** Checks a given value (not undefined) and returns it normalised; throws an error that names the option. */
  readonly check?: (value: unknown) => unknown;
  /** The value when the option is absent (or undefined). */
  readonly default?: unknown;
}

const attributes = (entries: readonly EntryPoint[], names: readonly string[]): OptionSpec[] =>
  names.map((name) => ({ name, kind: 'attribute', entries }));

function checkDevice(v: unknown): GPUDevice {
  if (typeof (v as GPUDevice | null)?.createBuffer !== 'function') throw new TypeError(`device: expected a GPUDevice, got ${describeValue(v)}`);
  return v as GPUDevice;
}

function checkAdapterClass(v: unknown): AdapterClass {
  if (v !== 'cpu' && v !== 'gpu') throw new TypeError(`adapterClass: expected 'cpu' or 'gpu', got ${JSON.stringify(v)}`);
  return v;
}

function checkConfig(v: unknown): object {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`config: expected an object (a configuration of the path's family), got ${describeValue(v)}`);
  return v;
}

/**
 * The table, in the order error messages list an entry point's keys: the spelling's attributes, its tensors,
 * then how it runs. A name may have a row per spelling when the spellings mean different things by it.
 */
export const OPTION_SPECS: readonly OptionSpec[] = [
  ...attributes(CORE, ['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'outputSize']), // PyTorch
  ...attributes(CORE, ['strides', 'pads', 'dilations', 'group', 'output_padding', 'output_shape', 'auto_pad', 'kernel_shape']), // ONNX
  ...attributes(TFJS, ['dataFormat', 'dilations']),
  ...attributes(TFJS_2D, ['dimRoundingMode']),
  ...attributes(WEBNN, ['padding', 'strides', 'dilations', 'outputPadding', 'outputSizes', 'groups', 'inputLayout', 'filterLayout', 'autoPad']),
  { name: 'inputShape', kind: 'tensor', entries: ['createConvTranspose'] },
  { name: 'weight', kind: 'tensor', entries: ['createConvTranspose'] },
  { name: 'bias', kind: 'tensor', entries: ALL, default: null },
  {
    name: 'filterLayout', kind: 'run', entries: CORE, default: 'iohw',
    check: (v) => { checkFilterLayout(v); return v; },
  },
  {
    name: 'inputLayout', kind: 'run', entries: CORE, default: 'nchw',
    check: (v) => { checkDataLayout(v); return v; },
  },
  { name: 'path', kind: 'run', entries: ALL, default: 'auto', check: (v) => { checkPathOption(v); return v; } },
  { name: 'config', kind: 'run', entries: ALL, check: checkConfig },
  { name: 'device', kind: 'run', entries: ONE_SHOT, check: checkDevice },
  { name: 'adapterClass', kind: 'run', entries: ALL, check: checkAdapterClass },
  {
    name: 'tune', kind: 'run', entries: ALL, default: true,
    check: (v) => { if (typeof v !== 'boolean') throw new TypeError(`tune: expected a boolean, got ${JSON.stringify(v)}`); return v; },
  },
  // Each spelling takes its own activations (activation.ts); TF.js's leakyrelu alpha is an option of its own.
  { name: 'activation', kind: 'run', entries: CORE, check: resolveActivation },
  { name: 'activation', kind: 'run', entries: TFJS },
  { name: 'leakyreluAlpha', kind: 'run', entries: TFJS },
  { name: 'activation', kind: 'run', entries: WEBNN, check: resolveWebnnActivation },
  { name: 'dataType', kind: 'run', entries: ALL, default: 'float32', check: (v) => { checkDataType(v); return v; } },
  {
    name: 'finiteWeights', kind: 'run', entries: PREPARED,
    check: (v) => { if (typeof v !== 'boolean') throw new TypeError(`finiteWeights: expected a boolean, got ${describeValue(v)}`); return v; },
  },
  {
    name: 'label', kind: 'run', entries: PREPARED, default: 'convtranspose',
    check: (v) => { if (typeof v !== 'string') throw new TypeError(`label: expected a string, got ${describeValue(v)}`); return v; },
  },
];

/** The keys `entry` takes, in the table's order. */
export function acceptedKeys(entry: EntryPoint): string[] {
  return [...new Set(OPTION_SPECS.filter((s) => s.entries.includes(entry)).map((s) => s.name))];
}

/** The spelling's attributes `entry` takes (checked by its mapping), in the table's order. */
export function attributeKeys(entry: EntryPoint): string[] {
  return [...new Set(OPTION_SPECS.filter((s) => s.kind === 'attribute' && s.entries.includes(entry)).map((s) => s.name))];
}

/** The `run` keys every one of `entries` takes (what the TF.js and WebNN spellings share), in the table's order. */
function sharedRunKeys(entries: readonly EntryPoint[]): string[] {
  return acceptedKeys(entries[0]).filter((k) => entries.every((e) => OPTION_SPECS.some((s) => s.name === k && s.kind === 'run' && s.entries.includes(e))));
}

/** How the TF.js and WebNN one-shot forms run (path, device, ...), and their prepared forms': from the table. */
export const RUN_KEYS: readonly string[] = sharedRunKeys(['tfjsConv2dTranspose', 'tfjsConv3dTranspose', 'webnnConvTranspose2d']);
export const LAYER_KEYS: readonly string[] = sharedRunKeys(['createTfjsConv2dTranspose', 'createTfjsConv3dTranspose', 'createWebnnConvTranspose2d']);

/** An options object checked against the table: the run options normalised, the rest as given. */
export interface CheckedOptions {
  /** The spelling's attributes as given (only keys the entry point takes), for its mapping to check. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** createConvTranspose's, unchecked: resolved with the weight (problem.ts). */
  readonly inputShape?: unknown;
  readonly weight?: unknown;
  /** Unchecked: resolved with the output channels and the data type (problem.ts). */
  readonly bias: BiasLike | null;
  /** The core's; the other spellings' mappings give theirs. */
  readonly filterLayout: FilterLayout;
  readonly inputLayout: DataLayout;
  readonly path: PathOption;
  readonly config?: object;
  readonly device?: GPUDevice;
  readonly adapterClass?: AdapterClass;
  readonly tune: boolean;
  /** Resolved with the spelling's names and defaults. */
  readonly activation: ResolvedActivation;
  readonly dataType: DataType;
  readonly label: string;
  /** Prepared forms: whether the kernels may assume finite weights (undefined: decided from the weights). */
  readonly finiteWeights?: boolean;
}

/** What an entry point calls its options argument. */
const ARGUMENT: Partial<Record<EntryPoint, string>> = {
  tfjsConv2dTranspose: 'opts', createTfjsConv2dTranspose: 'opts', tfjsConv3dTranspose: 'opts', createTfjsConv3dTranspose: 'opts',
};

/**
 * Throws a TypeError for the first key of `options` that `allowed` does not list: with the entry point's hint
 * when the key is another spelling's or form's (`hints`), else listing what the entry point takes. A key counts
 * even when its value is undefined: a foreign spelling is never silently dropped.
 */
export function checkKeys(entry: string, options: object, allowed: readonly string[], hints: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const hint = Object.prototype.hasOwnProperty.call(hints, key) ? hints[key] : undefined;
    throw new TypeError(hint
      ? `${key}: ${entry} does not take ${JSON.stringify(key)}: ${hint}`
      : `${key}: unknown option of ${entry}; it takes ${allowed.join(', ')}`);
  }
}

/** Throws unless `v` is a plain options object (or undefined: then `{}`). */
export function optionsObject(name: string, v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`${name}: expected an options object, got ${describeValue(v)}`);
  }
  return v as Record<string, unknown>;
}

/** Where the keys of the other form of the same spelling belong (the entry point's own hints come first). */
function formHints(entry: EntryPoint): Record<string, string> {
  const prepared = PREPARED.includes(entry);
  const preparedForms = (entry.startsWith('tfjs') || entry.startsWith('createTfjs')) ? 'the prepared forms (createTfjsConv2dTranspose, createTfjsConv3dTranspose) take'
    : entry.includes('Webnn') || entry.startsWith('webnn') ? 'the prepared form (createWebnnConvTranspose2d) takes' : 'the prepared form (createConvTranspose) takes';
  return prepared
    ? { device: `the prepared form takes the device as its first argument (${entry}(device, ...))` }
    : { label: `only ${preparedForms} a label` };
}

/** Where keys of the other spellings belong, for the core's entry points. */
function coreHints(entry: EntryPoint): Record<string, string> {
  const TFJS_USE = "is TF.js's spelling: use tfjsConv2dTranspose (or tfjsConv3dTranspose) for it";
  const WEBNN_USE = "is WebNN's spelling: use webnnConvTranspose2d for it";
  const oneShot = entry === 'convTranspose';
  return {
    dataFormat: `${TFJS_USE}; ${entry} spells the data layout inputLayout: 'nchw' or 'nhwc'`,
    pad: `${TFJS_USE}; PyTorch spells it padding, ONNX pads`,
    outputShape: `${TFJS_USE}; PyTorch spells it outputSize, ONNX output_shape`,
    dimRoundingMode: TFJS_USE,
    leakyreluAlpha: `${TFJS_USE}; ${entry} takes activation: { name: 'leakyRelu', alpha }`,
    outputSizes: `${WEBNN_USE}; PyTorch spells it outputSize, ONNX output_shape`,
    autoPad: `${WEBNN_USE}; ONNX spells it auto_pad`,
    data_format: `TF (Python) spelling; ${entry} spells the data layout inputLayout: 'nchw' or 'nhwc'`,
    ...(oneShot ? {
      inputShape: 'convTranspose takes the input tensor as its first argument; inputShape is the prepared form\'s (createConvTranspose)',
      weight: 'convTranspose takes the weight tensor as its second argument; an options weight is the prepared form\'s (createConvTranspose)',
    } : {
      input: 'the prepared form takes the input shape (inputShape) and runs on GPU buffers given to layer.encode/run',
    }),
  };
}

/** The hints of keys `entry` does not take: `own` (the spelling's), then the other form's, then the core's. */
export function hintsFor(entry: EntryPoint, own: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...(CORE.includes(entry) ? coreHints(entry) : {}), ...formHints(entry), ...own };
}

/**
 * Checks an entry point's options object once against the table and returns them normalised: keys it does not
 * take are refused (with `hints`, see hintsFor), every run option is checked and defaulted, the spelling's
 * attributes are passed on as given for its mapping.
 */
export function checkOptions(entry: EntryPoint, given: unknown, hints: Readonly<Record<string, string>> = hintsFor(entry)): CheckedOptions {
  const o = optionsObject(ARGUMENT[entry] ?? 'options', given);
  checkKeys(entry, o, acceptedKeys(entry), hints);
  const attrs: Record<string, unknown> = {};
  const out: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    if (!spec.entries.includes(entry)) continue;
    const has = Object.prototype.hasOwnProperty.call(o, spec.name);
    const v = o[spec.name];
    if (spec.kind === 'attribute') {
      if (has) attrs[spec.name] = v;
    } else {
      out[spec.name] = v === undefined ? spec.default : spec.check ? spec.check(v) : v;
    }
  }
  // Checks across options.
  if (TFJS.includes(entry)) out.activation = resolveTfjsActivation(o.activation, o.leakyreluAlpha);
  if (out.activation === undefined) out.activation = resolveActivation(undefined);
  if (out.config !== undefined && out.path === 'auto') {
    throw new TypeError("config: configures one path's kernels: give a path by name with it, not 'auto'");
  }
  return { filterLayout: 'iohw', inputLayout: 'nchw', ...out, attributes: attrs } as unknown as CheckedOptions;
}
