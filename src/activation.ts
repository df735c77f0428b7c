/**
 * Fused activations: applied to `sum + bias` before the store, on every path (the shared epilogue,
 * wgsl/epilogue.wgsl) and in the float64 CPU references, with the same definitions. These are the
 * activations WebNN, ONNX and TF.js fuse into their convolutions. Each spelling takes its own names and
 * defaults, resolved here to one form:
 *
 * - the core (`convTranspose`, `createConvTranspose`): `relu`, `relu6` (= clamp to [0, 6]), `sigmoid`, `tanh`,
 *   `gelu` (exact, with erf), `leakyRelu` (alpha 0.01), `elu` (alpha 1), `hardSigmoid` (alpha 0.2, beta 0.5:
 *   max(0, min(1, alpha*x + beta))), `clamp` (min -Infinity, max +Infinity), by name or as `{ name, ...parameters }`;
 * - the TF.js spelling: TF.js's fused activations (tf.fused.conv2d): `linear` (none), `relu`, `relu6`, `elu`
 *   (alpha 1), `leakyrelu` (alpha `leakyreluAlpha`, default 0.2, as tf.leakyRelu), `sigmoid`; `prelu` needs
 *   per-channel weights, which the epilogue does not take;
 * - the WebNN spelling: WebNN's operators and their MLOptions: `relu`, `sigmoid`, `tanh`, `gelu`, `leakyRelu`
 *   ({ alpha } 0.01), `elu` ({ alpha } 1), `hardSigmoid` ({ alpha, beta } 0.2, 0.5), `clamp` ({ minValue,
 *   maxValue } -Infinity, +Infinity).
 */

/** An activation by name (defaults below), or with its parameters. */
export type Activation =
  | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'gelu' | 'leakyRelu' | 'elu' | 'hardSigmoid'
  | { name: 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'gelu' }
  | { name: 'leakyRelu'; alpha?: number }
  | { name: 'clamp'; min?: number; max?: number }
  | { name: 'elu'; alpha?: number }
  | { name: 'hardSigmoid'; alpha?: number; beta?: number };

/** The resolved form: the shader's ACT code and its two parameters. */
export interface ResolvedActivation {
  readonly name: 'none' | 'relu' | 'leakyRelu' | 'clamp' | 'sigmoid' | 'tanh' | 'elu' | 'hardSigmoid' | 'gelu';
  /** ACT override of epilogue.wgsl. */
  readonly code: number;
  /** alpha / min, beta / max (clamp), as the shader reads them from the uniform. */
  readonly a: number;
  readonly b: number;
}

/** The ACT override's code of each resolved activation: the one list (wgsl/snippets.ts generates the WGSL constants from it). */
export const ACTIVATION_CODES = { none: 0, relu: 1, leakyRelu: 2, clamp: 3, sigmoid: 4, tanh: 5, elu: 6, hardSigmoid: 7, gelu: 8 } as const satisfies Record<ResolvedActivation['name'], number>;
const CODES = ACTIVATION_CODES;
const NAMES = ['relu', 'relu6', 'leakyRelu', 'clamp', 'sigmoid', 'tanh', 'elu', 'hardSigmoid', 'gelu'];

/** No activation. */
export const NO_ACTIVATION: ResolvedActivation = { name: 'none', code: CODES.none, a: 0, b: 0 };

/** Parameter `key` of an activation given as an object: a number (not NaN), or `fallback` when absent. */
function numberParameter(spec: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = spec[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`activation.${key}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * An activation the core and WebNN both name, with its parameters from `spec` and their shared defaults
 * (leakyRelu alpha 0.01, elu alpha 1, hardSigmoid alpha 0.2 and beta 0.5, clamp -Infinity to +Infinity);
 * `clampKeys` are the spelling's names of clamp's bounds.
 */
function withParameters(name: string, spec: Readonly<Record<string, unknown>>, [minKey, maxKey]: readonly [string, string]): ResolvedActivation {
  const num = (key: string, fallback: number): number => numberParameter(spec, key, fallback);
  switch (name) {
    case 'leakyRelu': return { name: 'leakyRelu', code: CODES.leakyRelu, a: num('alpha', 0.01), b: 0 };
    case 'elu': return { name: 'elu', code: CODES.elu, a: num('alpha', 1), b: 0 };
    case 'hardSigmoid': return { name: 'hardSigmoid', code: CODES.hardSigmoid, a: num('alpha', 0.2), b: num('beta', 0.5) };
    case 'clamp': {
      const lo = num(minKey, -Infinity), hi = num(maxKey, Infinity);
      if (lo > hi) throw new RangeError(`activation.${minKey}: must not exceed ${maxKey} (${lo} > ${hi})`);
      return { name: 'clamp', code: CODES.clamp, a: lo, b: hi };
    }
    default: return { name: name as ResolvedActivation['name'], code: CODES[name as keyof typeof CODES], a: 0, b: 0 };
  }
}

/**
 * Checks the core's `activation` option and resolves its defaults: leakyRelu alpha 0.01, elu alpha 1,
 * hardSigmoid alpha 0.2 and beta 0.5, clamp min -Infinity and max +Infinity, relu6 = clamp(0, 6).
 */
export function resolveActivation(value: unknown): ResolvedActivation {
  if (value === undefined || value === null) return NO_ACTIVATION;
  const spec = typeof value === 'string' ? { name: value } : value;
  if (!spec || typeof spec !== 'object' || typeof (spec as { name?: unknown }).name !== 'string' || !NAMES.includes((spec as { name: string }).name)) {
    throw new TypeError(`activation: expected one of ${NAMES.join(', ')} (a name, or { name, ...parameters }), got ${JSON.stringify(value)}`);
  }
  const s = spec as Record<string, unknown> & { name: string };
  const allowed: Record<string, string[]> = { leakyRelu: ['alpha'], elu: ['alpha'], hardSigmoid: ['alpha', 'beta'], clamp: ['min', 'max'] };
  for (const key of Object.keys(s)) {
    if (key !== 'name' && !(allowed[s.name] ?? []).includes(key)) throw new TypeError(`activation.${key}: ${s.name} takes ${(allowed[s.name] ?? []).join(', ') || 'no parameters'}`);
  }
  if (s.name === 'relu6') return { name: 'clamp', code: CODES.clamp, a: 0, b: 6 };
  return withParameters(s.name, s, ['min', 'max']);
}

/** TF.js's fused activations (tfjs-core fused_types.ts `Activation`). */
export type TfjsActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'leakyrelu' | 'sigmoid';
const TFJS_NAMES: readonly string[] = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid'];

/** What a name of another spelling is called in TF.js's, for the error message. */
function tfjsHint(v: unknown): string {
  if (v === 'prelu') return ": 'prelu' takes per-channel weights (preluActivationWeights), which the fused epilogue does not; apply tf.prelu to the result";
  if (typeof v === 'string' && TFJS_NAMES.includes(v.toLowerCase())) return ` (TF.js spells it in lower case, ${JSON.stringify(v.toLowerCase())}${v.toLowerCase() === 'leakyrelu' ? ', with leakyreluAlpha' : ''})`;
  if (v !== null && typeof v === 'object') return " (TF.js's fused ops take the name only; leakyrelu's alpha is the option leakyreluAlpha)";
  return '';
}

/**
 * Checks the TF.js spelling's `activation` (a name of TF.js's fused activations) and resolves it with TF.js's
 * defaults: `leakyrelu` takes `leakyreluAlpha` (default 0.2, as tf.leakyRelu), `elu` has alpha 1, `relu6` is
 * clamp(0, 6), `linear` is none. `leakyreluAlpha` is only taken with `leakyrelu`.
 */
export function resolveTfjsActivation(value: unknown, leakyreluAlpha?: unknown): ResolvedActivation {
  if (leakyreluAlpha !== undefined && (typeof leakyreluAlpha !== 'number' || Number.isNaN(leakyreluAlpha))) {
    throw new TypeError(`leakyreluAlpha: expected a number, got ${JSON.stringify(leakyreluAlpha)}`);
  }
  if (leakyreluAlpha !== undefined && value !== 'leakyrelu') {
    throw new TypeError(`leakyreluAlpha: only taken with activation 'leakyrelu', got activation ${JSON.stringify(value)}`);
  }
  if (value === undefined || value === null || value === 'linear') return NO_ACTIVATION;
  if (typeof value !== 'string' || !TFJS_NAMES.includes(value)) {
    throw new TypeError(`activation: expected one of ${TFJS_NAMES.join(', ')} (TF.js's fused activations), got ${JSON.stringify(value)}${tfjsHint(value)}`);
  }
  switch (value) {
    case 'leakyrelu': return { name: 'leakyRelu', code: CODES.leakyRelu, a: (leakyreluAlpha as number | undefined) ?? 0.2, b: 0 };
    case 'relu6': return { name: 'clamp', code: CODES.clamp, a: 0, b: 6 };
    case 'elu': return { name: 'elu', code: CODES.elu, a: 1, b: 0 };
    default: return { name: value as 'relu' | 'sigmoid', code: CODES[value as 'relu' | 'sigmoid'], a: 0, b: 0 };
  }
}

/** WebNN's activation operators the epilogue runs, by name or as `{ name, ...MLOptions }`. */
export type WebnnActivation =
  | 'relu' | 'sigmoid' | 'tanh' | 'gelu' | 'leakyRelu' | 'elu' | 'hardSigmoid' | 'clamp'
  | { name: 'relu' | 'sigmoid' | 'tanh' | 'gelu' }
  | { name: 'leakyRelu'; alpha?: number }
  | { name: 'elu'; alpha?: number }
  | { name: 'hardSigmoid'; alpha?: number; beta?: number }
  | { name: 'clamp'; minValue?: number; maxValue?: number };
const WEBNN_NAMES = ['relu', 'sigmoid', 'tanh', 'gelu', 'leakyRelu', 'elu', 'hardSigmoid', 'clamp'];
const WEBNN_PARAMETERS: Record<string, string[]> = { leakyRelu: ['alpha'], elu: ['alpha'], hardSigmoid: ['alpha', 'beta'], clamp: ['minValue', 'maxValue'] };

/**
 * Checks the WebNN spelling's `activation` (a WebNN operator, with its MLOptions names) and resolves it with
 * WebNN's defaults: leakyRelu alpha 0.01, elu alpha 1, hardSigmoid alpha 0.2 and beta 0.5, clamp minValue
 * -Infinity and maxValue +Infinity.
 */
export function resolveWebnnActivation(value: unknown): ResolvedActivation {
  if (value === undefined || value === null) return NO_ACTIVATION;
  const spec = typeof value === 'string' ? { name: value } : value;
  const name = (spec as { name?: unknown } | null)?.name;
  if (!spec || typeof spec !== 'object' || typeof name !== 'string' || !WEBNN_NAMES.includes(name)) {
    const hint = name === 'relu6' || value === 'relu6' ? " (WebNN has no relu6: { name: 'clamp', minValue: 0, maxValue: 6 })"
      : typeof name === 'string' && WEBNN_NAMES.some((n) => n.toLowerCase() === name.toLowerCase()) ? ` (WebNN spells it ${JSON.stringify(WEBNN_NAMES.find((n) => n.toLowerCase() === name.toLowerCase()))})` : '';
    throw new TypeError(`activation: expected one of ${WEBNN_NAMES.join(', ')} (WebNN operators; a name, or { name, ...options }), got ${JSON.stringify(value)}${hint}`);
  }
  const s = spec as Record<string, unknown>;
  const allowed = WEBNN_PARAMETERS[name] ?? [];
  for (const key of Object.keys(s)) {
    if (key === 'name' || allowed.includes(key)) continue;
    const hint = name === 'clamp' && (key === 'min' || key === 'max') ? ` (WebNN's MLClampOptions spells it ${key}Value)` : '';
    throw new TypeError(`activation.${key}: WebNN's ${name} takes ${allowed.join(', ') || 'no options'}${hint}`);
  }
  return withParameters(name, s, ['minValue', 'maxValue']);
}

/** erf in float64: its Maclaurin series below 3, the continued fraction of erfc above (both to ~1e-15). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x, sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(ax) = exp(-ax²)/√π · 1/(ax + 1/2/(ax + 1/(ax + 3/2/(ax + ...)))), evaluated from the tail.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** The activation of one value, in float64, with the shader's definitions. */
export function activate(act: ResolvedActivation, v: number): number {
  switch (act.name) {
    case 'none': return v;
    case 'relu': return v < 0 ? 0 : v; // NaN stays NaN
    case 'leakyRelu': return v < 0 ? act.a * v : v;
    case 'clamp': return Number.isNaN(v) ? v : Math.min(Math.max(v, act.a), act.b);
    case 'sigmoid': return 1 / (1 + Math.exp(-v));
    case 'tanh': return Math.tanh(v);
    case 'elu': return v < 0 ? act.a * (Math.exp(v) - 1) : v;
    case 'hardSigmoid': return Number.isNaN(v) ? v : Math.min(Math.max(act.a * v + act.b, 0), 1);
    case 'gelu': return 0.5 * v * (1 + erf(v / Math.SQRT2));
  }
}

/** Applies an activation in place to a float64 result (the CPU references' last step). */
export function applyActivation(out: Float64Array, act: ResolvedActivation): Float64Array {
  if (act.name !== 'none') for (let i = 0; i < out.length; i++) out[i] = activate(act, out[i]);
  return out;
}
