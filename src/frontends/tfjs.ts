/**
 * TF.js spelling: `tf.conv2dTranspose(x, filter, outputShape, strides, pad, dimRoundingMode?)` and
 * `tf.conv3dTranspose(x, filter, outputShape, strides, pad)` as entry points of this library, mapped onto the
 * one resolved form of the core. (registerWithTfjs in src/tfjs.ts is a different feature: it swaps TF.js's own
 * kernel; these take typed arrays, like convTranspose().)
 *
 * TF.js defines a transposed convolution as the input gradient of a forward convolution whose *input* has
 * shape `outputShape`: `pad`, `strides` (and `dilations`) describe that forward convolution. So the padding of
 * the transposed convolution is derived exactly as tfjs-core derives the forward one, in
 * `conv_util.computeConv2DInfo` -> `getPadAndOutInfo` (2-D) and `computeConv3DInfo` -> `get3DPadAndOutInfo`
 * (3-D), tfjs-core 4.22 (src/ops/conv_util.ts); its kernels (`Conv2DBackpropInput`, e.g.
 * tfjs-backend-webgpu/src/kernels/Conv2DBackpropInput.ts) then use `filterSize - 1 - padInfo.top` as the
 * zero-insert padding, i.e. the scatter form `out[i*s - padInfo.top + k*d] += x[i] * filter[k]`:
 *
 *   - forward output size `o` and forward begin padding `top` per axis (`in` = outputShape's size there,
 *     `eff = (k - 1)*d + 1`):
 *     'same':   o = ceil(in / s), total = max(0, (o - 1)*s + eff - in), top = floor(total / 2)
 *               (3-D: no max(0, ...), as tfjs-core; a negative total gives a negative top, refused here)
 *     'valid':  o = ceil((in - eff + 1) / s), top = 0          (3-D: 'valid' is pad 0, the same size)
 *     number p: o = round((in - eff + 2p) / s + 1), top = p     (round = dimRoundingMode, default truncation;
 *               as tfjs-core's computeOutputShape2D, the width is computed with the filter *height* and the
 *               *height* stride too)
 *     explicit: o = round((in - eff + top + bottom) / s + 1), top/bottom (and left/right) as given
 *   - `x` must have exactly `o` cells along each spatial axis (TF.js does not check this and reads a part of a
 *     larger x, or past the end of a smaller one; here it is an error);
 *   - the transposed convolution then has pads_begin = top and an end that makes the output `in` cells long:
 *     end = (o - 1)*s + eff - top - in; a negative end (outputShape one or more cells longer than the scatter
 *     reaches) is the output_padding `-end`, always below the stride for a TF.js-derived shape.
 *
 * Layouts: the filter is TF.js's `[filterHeight, filterWidth, outDepth, inDepth]` (`[fD, fH, fW, outDepth,
 * inDepth]` in 3-D): the core's `hwoi`, permuted once when the layer is made. `dataFormat` 'NHWC' (TF.js's
 * only one, the default) or 'NCHW' maps onto the core's `inputLayout` 'nhwc'/'nchw': input and output stay in
 * that layout, read and written directly by the kernels, with no transpose pass.
 */
import { runProblem } from '../convTranspose';
import { checkDeviceArgument, createLayer } from '../gpu/create';
import type { ConvTransposeLayer } from '../gpu/layer';
import type { TfjsActivation } from '../activation';
import type { DataType } from '../half';
import { attributeKeys, checkOptions, hintsFor, type CheckedOptions, type EntryPoint } from '../options';
import { inputData, resolveProblem, weightShapeOf, type TensorNames } from '../problem';
import type { BiasLike, GpuTensor, HalfTensor, Tensor, TensorLike } from '../tensor';
import {
  checkKeys, intAtLeast, optionsObject, sameShape, shapeOf, show, tensorShape,
  type CoreMapping, type FrontendLayerOptions, type FrontendRunOptions,
} from './common';

/** TF.js's explicit padding, per axis of the data format: `[[0, 0], [top, bottom], [left, right], [0, 0]]` for NHWC. */
export type TfjsExplicitPadding = readonly [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];
/** `pad` of tf.conv2dTranspose: the forward convolution's padding. */
export type TfjsPad2d = 'same' | 'valid' | number | TfjsExplicitPadding;
/** `pad` of tf.conv3dTranspose. */
export type TfjsPad3d = 'same' | 'valid';
/** tf.conv2dTranspose's `dimRoundingMode`: how the forward output size of a numeric or explicit pad is rounded. */
export type TfjsDimRoundingMode = 'floor' | 'round' | 'ceil';

/** The TF.js options of {@link tfjsConv2dTranspose} beside the positional arguments. */
export interface TfjsConv2dTransposeAttributes {
  /** 'NHWC' (default; tf.conv2dTranspose's only format) or 'NCHW' (Conv2DBackpropInput's other one): x and the output. */
  dataFormat?: 'NHWC' | 'NCHW';
  /**
   * Dilations of the forward convolution, `number | [dH, dW]` (default 1). tf.conv2dTranspose has none (TF's
   * tf.nn.conv2d_transpose has); the pads are derived with the dilated filter size, as computeConv2DInfo does.
   */
  dilations?: number | readonly [number, number];
  /** tf.conv2dTranspose's sixth argument: rounds the forward output size for a numeric or explicit `pad`. */
  dimRoundingMode?: TfjsDimRoundingMode;
}

/** The TF.js options of {@link tfjsConv3dTranspose} beside the positional arguments. */
export interface TfjsConv3dTransposeAttributes {
  /** 'NDHWC' (default; tf.conv3dTranspose's only format) or 'NCDHW'. */
  dataFormat?: 'NDHWC' | 'NCDHW';
  /** Dilations of the forward convolution, `number | [dD, dH, dW]` (default 1; TF's tf.nn.conv3d_transpose). */
  dilations?: number | readonly [number, number, number];
}

/**
 * What the TF.js spelling adds to every form: `bias` (`[outDepth]`; TF.js's op has none, tf.fused.conv2d and
 * tf.layers add it) and a fused activation with TF.js's names and defaults (tf.fused.conv2d's `activation` and
 * `leakyreluAlpha`).
 */
export interface TfjsFusedOptions {
  bias?: BiasLike | null;
  /**
   * TF.js's fused activations: `linear` (default: none), `relu`, `relu6` (clamp to [0, 6]), `elu` (alpha 1),
   * `leakyrelu` (alpha `leakyreluAlpha`), `sigmoid`. (`prelu` takes per-channel weights, which the fused
   * epilogue does not; apply tf.prelu to the result.)
   */
  activation?: TfjsActivation | null;
  /** `leakyrelu`'s alpha (default 0.2, as tf.leakyRelu); only with activation `leakyrelu`. */
  leakyreluAlpha?: number;
}
/** `bias`, the fused activation and how it runs (see {@link FrontendRunOptions}, `dataType` included), with the TF.js options. */
export interface TfjsConv2dTransposeOptions extends TfjsConv2dTransposeAttributes, TfjsFusedOptions, FrontendRunOptions {}
export interface TfjsConv3dTransposeOptions extends TfjsConv3dTransposeAttributes, TfjsFusedOptions, FrontendRunOptions {}
export interface TfjsConv2dTransposeLayerOptions extends TfjsConv2dTransposeAttributes, TfjsFusedOptions, FrontendLayerOptions {}
export interface TfjsConv3dTransposeLayerOptions extends TfjsConv3dTransposeAttributes, TfjsFusedOptions, FrontendLayerOptions {}

/** The mapping of a TF.js call onto the core, with what TF.js derived on the way. */
export interface TfjsMapping extends CoreMapping {
  /** The forward convolution's padding as tfjs-core computes it (padInfo): `[begin, end]` per spatial axis. */
  readonly forwardPads: readonly (readonly [number, number])[];
  /** x's spatial size TF.js derives from outputShape: the forward convolution's output size. */
  readonly xSpatial: readonly number[];
}

const DATA_FORMATS = { 2: ['NHWC', 'NCHW'], 3: ['NDHWC', 'NCDHW'] } as const;
const ROUNDING = ['floor', 'round', 'ceil'] as const;

const PYTORCH = "is PyTorch's spelling: use convTranspose(input, weight, options) for it";
const ONNX = "is ONNX's spelling: use convTranspose(input, weight, options) for it";
/** Where a key that is not TF.js's belongs. */
function tfjsHints(dims: 2 | 3, entry: string, prepared: boolean): Record<string, string> {
  const positional = prepared
    ? `(${entry}(device, xShape, filter, outputShape, strides, pad, opts))`
    : `(${entry}(x, filter, outputShape, strides, pad, opts))`;
  return {
    outputShape: `outputShape is a positional argument ${positional}`,
    strides: `strides is a positional argument ${positional}`,
    pad: `pad is a positional argument ${positional}`,
    stride: `${PYTORCH}; TF.js takes strides as a positional argument ${positional}`,
    padding: `TF.js takes the padding as the positional argument pad ('same', 'valid'${dims === 2 ? ', a number or explicit pads' : ''}) ${positional}; padding is PyTorch's (convTranspose) or WebNN's (webnnConvTranspose2d) spelling`,
    outputPadding: `TF.js derives the output padding from outputShape; outputPadding is PyTorch's (convTranspose) or WebNN's (webnnConvTranspose2d) spelling`,
    dilation: `${PYTORCH}; TF spells it dilations`,
    groups: `tf.conv${dims}dTranspose has no groups; groups is PyTorch's (convTranspose) or WebNN's (webnnConvTranspose2d) spelling`,
    outputSize: `${PYTORCH}; TF.js takes outputShape as a positional argument ${positional}`,
    pads: ONNX, group: ONNX, output_padding: ONNX, output_shape: ONNX, auto_pad: ONNX, kernel_shape: `${ONNX}; TF.js takes the kernel size from the filter`,
    outputSizes: "is WebNN's spelling: use webnnConvTranspose2d for it",
    autoPad: "is WebNN's spelling: use webnnConvTranspose2d for it",
    inputLayout: `TF.js spells the data layout dataFormat: ${DATA_FORMATS[dims].map((f) => `'${f}'`).join(' or ')}; inputLayout is WebNN's (webnnConvTranspose2d) and convTranspose's spelling`,
    filterLayout: `${entry} takes the filter in TF.js's order [${dims === 3 ? 'filterDepth, ' : ''}filterHeight, filterWidth, outDepth, inDepth]; for other orders use convTranspose(input, weight, { filterLayout })`,
    data_format: `TF (Python) spelling; TF.js spells it dataFormat: ${DATA_FORMATS[dims].map((f) => `'${f}'`).join(' or ')}`,
    dilationRate: 'tf.layers spelling; the op spells it dilations',
    dilation_rate: 'Keras spelling; the op spells it dilations',
    leakyReluAlpha: 'TF.js spells it leakyreluAlpha (all lower case after leaky, as tf.fused.conv2d)',
    alpha: "TF.js's fused leakyrelu takes its alpha as leakyreluAlpha",
    ...(dims === 3 ? { dimRoundingMode: 'tf.conv3dTranspose has no dimRoundingMode (only tf.conv2dTranspose has)' } : {}),
    ...(prepared
      ? { device: `the prepared form takes the device as its first argument (${entry}(device, ...))` }
      : { label: 'only the prepared forms (createTfjsConv2dTranspose, createTfjsConv3dTranspose) take a label' }),
  };
}

function parseDataFormat(dims: 2 | 3, v: unknown): { channelsLast: boolean; dataFormat: string } {
  const formats: readonly string[] = DATA_FORMATS[dims];
  if (v === undefined) return { channelsLast: true, dataFormat: formats[0] };
  if (typeof v === 'string' && formats.includes(v)) return { channelsLast: v === formats[0], dataFormat: v };
  const hint = v === 'channelsLast' || v === 'channelsFirst' ? ` (${show(v)} is tf.layers' spelling; the op takes ${formats[v === 'channelsLast' ? 0 : 1]})`
    : typeof v === 'string' && formats.includes(v.toUpperCase()) ? ` (TF.js spells it in upper case, ${show(v.toUpperCase())}; lower case is WebNN's inputLayout)`
    : typeof v === 'string' && DATA_FORMATS[dims === 2 ? 3 : 2].includes(v as never) ? ` (${show(v)} is the ${dims === 2 ? '3-D' : '2-D'} format)` : '';
  throw new TypeError(`dataFormat: expected ${formats.map((f) => show(f)).join(' or ')}, got ${show(v)}${hint}`);
}

/** `number | [one per spatial axis]` of positive integers, as TF.js's parseTupleParam reads strides and dilations. */
function perAxis(name: string, v: unknown, dims: 2 | 3, fallback: number | undefined): number[] {
  if (v === undefined && fallback !== undefined) return new Array(dims).fill(fallback);
  const axes = dims === 2 ? '[height, width]' : '[depth, height, width]';
  if (typeof v === 'number') return new Array(dims).fill(intAtLeast(name, v, 1, 'a positive integer'));
  if (!Array.isArray(v)) throw new TypeError(`${name}: expected a positive integer or ${dims} of them ${axes}, got ${show(v)}`);
  if (v.length !== dims) {
    throw new RangeError(`${name}: expected a positive integer or ${dims} of them ${axes}, got ${v.length} values: ${show(v)}`);
  }
  return v.map((x, i) => intAtLeast(`${name}[${i}]`, x, 1, 'a positive integer'));
}

type ParsedPad = { kind: 'same' } | { kind: 'valid' } | { kind: 'number'; p: number } | { kind: 'explicit'; begin: number[]; end: number[] };

function parsePad(dims: 2 | 3, v: unknown, channelsLast: boolean, dataFormat: string): ParsedPad {
  if (v === 'same') return { kind: 'same' };
  if (v === 'valid') return { kind: 'valid' };
  const allowed = dims === 2 ? "'same', 'valid', a non-negative integer or explicit pads" : "'same' or 'valid' (tf.conv3dTranspose takes no other)";
  if (typeof v === 'string') {
    const lower = v.toLowerCase();
    const hint = lower === 'same' || lower === 'valid' ? ` (TF.js spells it in lower case, ${show(lower)}; ${show(v)} is TF (Python)'s spelling)`
      : lower === 'explicit' && dims === 2 ? ' (TF.js takes explicit pads as the array itself)' : '';
    throw new TypeError(`pad: expected ${allowed}, got ${show(v)}${hint}`);
  }
  if (dims === 3) throw new TypeError(`pad: expected ${allowed}, got ${show(v)}`);
  if (typeof v === 'number') return { kind: 'number', p: intAtLeast('pad', v, 0, `${allowed}`) };
  const form = channelsLast ? '[[0, 0], [top, bottom], [left, right], [0, 0]]' : '[[0, 0], [0, 0], [top, bottom], [left, right]]';
  if (!Array.isArray(v) || v.length !== 4 || !v.every((pair) => Array.isArray(pair) && pair.length === 2)) {
    throw new TypeError(`pad: expected ${allowed}; explicit pads for ${dataFormat} are ${form}, got ${show(v)}`);
  }
  const values = v.map((pair, a) => (pair as unknown[]).map((x, j) => intAtLeast(`pad[${a}][${j}]`, x, 0, 'a non-negative integer')));
  const spatialAxes = channelsLast ? [1, 2] : [2, 3];
  for (let a = 0; a < 4; a++) {
    if (!spatialAxes.includes(a) && (values[a][0] !== 0 || values[a][1] !== 0)) {
      throw new RangeError(`pad[${a}]: the ${a === 0 ? 'batch' : 'channel'} axis cannot be padded (explicit pads for ${dataFormat} are ${form}), got ${show(v)}`);
    }
  }
  return { kind: 'explicit', begin: spatialAxes.map((a) => values[a][0]), end: spatialAxes.map((a) => values[a][1]) };
}

/** tfjs-core's `round(value, roundingMode)` (conv_util.ts): truncation when no mode is given. */
function tfRound(value: number, mode: TfjsDimRoundingMode | undefined): number {
  if (mode === undefined) return Math.trunc(value);
  return mode === 'round' ? Math.round(value) : mode === 'ceil' ? Math.ceil(value) : Math.floor(value);
}

function mapTfjs(dims: 2 | 3, xShape: unknown, filterShape: unknown, outputShape: unknown, strides: unknown, pad: unknown, attrsGiven: unknown): TfjsMapping {
  const attrs = optionsObject('opts', attrsGiven);
  const entry = dims === 2 ? 'tfjsConv2dTranspose' : 'tfjsConv3dTranspose';
  checkKeys(dims === 2 ? 'mapTfjsConv2dTranspose' : 'mapTfjsConv3dTranspose', attrs, attributeKeys(entry), tfjsHints(dims, entry, false));
  return mapTfjsAttributes(dims, xShape, filterShape, outputShape, strides, pad, attrs);
}

/** The mapping of TF.js attributes whose keys are checked (by mapTfjs, or by the entry point's checkOptions). */
function mapTfjsAttributes(dims: 2 | 3, xShape: unknown, filterShape: unknown, outputShape: unknown, strides: unknown, pad: unknown, attrs: Readonly<Record<string, unknown>>): TfjsMapping {
  const op = dims === 2 ? 'tf.conv2dTranspose' : 'tf.conv3dTranspose';
  const { channelsLast, dataFormat } = parseDataFormat(dims, attrs.dataFormat);
  const spatialNames = dims === 2 ? ['height', 'width'] : ['depth', 'height', 'width'];
  const fmt = (batched: boolean, c: string) => {
    const sp = dims === 2 ? 'height, width' : 'depth, height, width';
    const body = channelsLast ? `${sp}, ${c}` : `${c}, ${sp}`;
    return batched ? `[batch, ${body}]` : `[${body}]`;
  };

  const filterLayoutText = `[${dims === 3 ? 'filterDepth, ' : ''}filterHeight, filterWidth, outDepth, inDepth]`;
  const f = shapeOf('filter', filterShape, [dims + 2], filterLayoutText);
  f.forEach((v, i) => { if (v < 1) throw new RangeError(`filter: every dimension must be at least 1, got ${v} at axis ${i} of ${show(f)} ${filterLayoutText}`); });
  const x = shapeOf('x', xShape, [dims + 2, dims + 1], `${fmt(true, 'inDepth')}, or ${fmt(false, 'inDepth')} for a batch of 1`);
  const out = shapeOf('outputShape', outputShape, [dims + 2, dims + 1], `${fmt(true, 'outDepth')}, or ${fmt(false, 'outDepth')}`);
  if (out.length !== x.length) {
    throw new RangeError(`outputShape: ${op} takes an outputShape of x's rank (${x.length}), got rank ${out.length}: ${show(out)}`);
  }
  const batched = x.length === dims + 2;
  const lead = batched ? 1 : 0;
  const channel = (s: number[]) => (channelsLast ? s[s.length - 1] : s[lead]);
  const spatial = (s: number[]) => (channelsLast ? s.slice(lead, s.length - 1) : s.slice(lead + 1));
  const kernel = f.slice(0, dims);
  const [outDepth, inDepth] = [f[dims], f[dims + 1]];
  if (channel(out) !== outDepth) {
    throw new RangeError(`outputShape: its depth (${channel(out)}, ${dataFormat}) must equal the filter's outDepth (filter.shape[${dims}] = ${outDepth}; filter ${filterLayoutText} = ${show(f)})`);
  }
  if (channel(x) !== inDepth) {
    throw new RangeError(`x: its depth (${channel(x)}, ${dataFormat}) must equal the filter's inDepth (filter.shape[${dims + 1}] = ${inDepth}; filter ${filterLayoutText} = ${show(f)})`);
  }
  if (batched && x[0] !== out[0]) throw new RangeError(`outputShape: its batch (${out[0]}) must equal x's batch (${x[0]})`);
  const inSpatial = spatial(out);
  inSpatial.forEach((v, a) => { if (v < 1) throw new RangeError(`outputShape: the ${spatialNames[a]} must be at least 1, got ${show(out)}`); });

  const s = perAxis('strides', strides, dims, undefined);
  const d = perAxis('dilations', attrs.dilations, dims, 1);
  const rounding = attrs.dimRoundingMode as TfjsDimRoundingMode | undefined;
  if (rounding !== undefined && !(ROUNDING as readonly unknown[]).includes(rounding)) {
    throw new TypeError(`dimRoundingMode: expected ${ROUNDING.map((m) => show(m)).join(', ')} or undefined, got ${show(rounding)}`);
  }
  const p = parsePad(dims, pad, channelsLast, dataFormat);
  if (rounding !== undefined && (p.kind === 'same' || p.kind === 'valid')) {
    // tfjs-core's checkPadOnDimRoundingMode.
    throw new TypeError(`dimRoundingMode: ${op} takes a dimRoundingMode only with a numeric or explicit pad, got pad ${show(pad)}`);
  }
  const eff = kernel.map((k, a) => (d[a] <= 1 ? k : k + (k - 1) * (d[a] - 1)));

  // The forward convolution's output size and padding, as tfjs-core computes them.
  const forwardPads: [number, number][] = [];
  const xSpatial: number[] = [];
  for (let a = 0; a < dims; a++) {
    const n = inSpatial[a];
    let o: number, top: number, bottom: number;
    if (p.kind === 'same') {
      o = Math.ceil(n / s[a]);
      const along = (o - 1) * s[a] + eff[a] - n;
      const total = dims === 2 ? Math.max(0, along) : along; // get3DPadAndOutInfo has no max(0, ...)
      top = Math.floor(total / 2); bottom = total - top;
    } else if (p.kind === 'valid') {
      top = 0; bottom = 0;
      o = dims === 2 ? Math.ceil((n - eff[a] + 1) / s[a]) : (n >= eff[a] ? Math.trunc((n - eff[a]) / s[a] + 1) : 0);
    } else if (p.kind === 'number') {
      top = p.p; bottom = p.p;
      // computeOutputShape2D(inShape, filterHeight, strideHeight, pad, roundingMode) sizes both axes with the
      // filter height and the height stride.
      o = tfRound((n - eff[0] + 2 * p.p) / s[0] + 1, rounding);
    } else {
      top = p.begin[a]; bottom = p.end[a];
      o = tfRound((n - eff[a] + top + bottom) / s[a] + 1, rounding);
    }
    forwardPads.push([top, bottom]);
    xSpatial.push(o);
  }
  const what = `${op}'s forward convolution of outputShape ${show(out)} (filter ${show(kernel)}, strides ${show(s)}${d.some((v) => v > 1) ? `, dilations ${show(d)}` : ''}, pad ${show(pad)}${rounding ? `, dimRoundingMode ${show(rounding)}` : ''})`;
  xSpatial.forEach((o, a) => {
    if (o < 1) throw new RangeError(`outputShape: ${what} has no output along the ${spatialNames[a]} (${o}); no x maps onto this outputShape`);
  });
  const xs = spatial(x);
  if (!sameShape(xs, xSpatial)) {
    const a = xs.findIndex((v, i) => v !== xSpatial[i]);
    const quirk = p.kind === 'number' && a > 0 && (eff[a] !== eff[0] || s[a] !== s[0])
      ? ` (with a numeric pad tfjs-core sizes the ${spatialNames[a]} with the filter height and the height stride, as TF.js does)` : '';
    throw new RangeError(`x: ${what} has ${show(xSpatial)} cells (${spatialNames.join(' x ')}), so x must have them; got ${show(xs)} (${spatialNames[a]} ${xs[a]}, expected ${xSpatial[a]}${quirk}) in x ${show(x)}`);
  }
  forwardPads.forEach(([top], a) => {
    if (top < 0) {
      throw new RangeError(`pad: ${what} has a negative ${spatialNames[a]} padding (${top}): tfjs-core's 3-D 'same' (get3DPadAndOutInfo) does not clamp it, which shifts the output; this library does not take a negative begin padding (use 'valid' or an outputShape whose padding is not negative)`);
    }
  });

  // The transposed convolution: begin = top; the end makes the output exactly outputShape's size.
  const begin: number[] = [], end: number[] = [], outputPadding: number[] = [];
  for (let a = 0; a < dims; a++) {
    const reach = (xSpatial[a] - 1) * s[a] + eff[a];
    const e = reach - forwardPads[a][0] - inSpatial[a];
    begin.push(forwardPads[a][0]);
    end.push(Math.max(0, e));
    outputPadding.push(Math.max(0, -e));
    if (-e >= Math.max(s[a], d[a])) {
      const quirk = p.kind === 'number' && a > 0 && (eff[a] !== eff[0] || s[a] !== s[0])
        ? ` (tfjs-core sized x's ${spatialNames[a]} with the filter height and the height stride, as it does for a numeric pad; TF.js would fill the rest with zeros)` : '';
      throw new RangeError(`outputShape: its ${spatialNames[a]} ${inSpatial[a]} is ${-e} cells more than the transposed convolution of x reaches (${reach - forwardPads[a][0]})${quirk}; this library adds at most ${Math.max(s[a], d[a]) - 1} extra cells (below the stride)`);
    }
  }
  return {
    attributes: { strides: s, dilations: d, pads: [...begin, ...end], output_padding: outputPadding, group: 1 },
    inputLayout: channelsLast ? 'nhwc' : 'nchw',
    filterLayout: 'hwoi',
    outputShape: out,
    forwardPads,
    xSpatial,
  };
}

/**
 * The core form of `tf.conv2dTranspose(x, filter, outputShape, strides, pad)` with `xShape` and `filterShape`
 * for the tensors (pure; see the module comment for the derivation). Throws, naming the argument, for
 * anything TF.js would reject or that this library cannot run as TF.js would.
 */
export function mapTfjsConv2dTranspose(
  xShape: readonly number[], filterShape: readonly number[], outputShape: readonly number[],
  strides: number | readonly [number, number], pad: TfjsPad2d, attrs: TfjsConv2dTransposeAttributes = {},
): TfjsMapping {
  return mapTfjs(2, xShape, filterShape, outputShape, strides, pad, attrs);
}

/** The core form of `tf.conv3dTranspose(x, filter, outputShape, strides, pad)` (pure). */
export function mapTfjsConv3dTranspose(
  xShape: readonly number[], filterShape: readonly number[], outputShape: readonly number[],
  strides: number | readonly [number, number, number], pad: TfjsPad3d, attrs: TfjsConv3dTransposeAttributes = {},
): TfjsMapping {
  return mapTfjs(3, xShape, filterShape, outputShape, strides, pad, attrs);
}

const NAMES: TensorNames = { input: 'x', weight: 'filter' };

/** An entry point's options, checked once against the table (options.ts), with the TF.js hints. */
function checkTfjsOptions(dims: 2 | 3, entry: EntryPoint, given: unknown, prepared: boolean): CheckedOptions {
  if (typeof given === 'string') {
    throw new TypeError(`opts: expected an options object, got ${show(given)}${dims === 2 ? `; TF.js's positional dimRoundingMode goes in it: { dimRoundingMode: ${show(given)} }` : ''}`);
  }
  return checkOptions(entry, given, hintsFor(entry, tfjsHints(dims, entry, prepared)));
}

async function runTfjs(dims: 2 | 3, entry: EntryPoint, x: TensorLike, filter: TensorLike, outputShape: unknown, strides: unknown, pad: unknown, opts: unknown): Promise<Tensor | HalfTensor> {
  const o = checkTfjsOptions(dims, entry, opts, false);
  const m = mapTfjsAttributes(dims, tensorShape('x', x), tensorShape('filter', filter), outputShape, strides, pad, o.attributes);
  const problem = resolveProblem(NAMES, x.shape, filter, m.attributes, { ...o, inputLayout: m.inputLayout, filterLayout: m.filterLayout });
  const y = await runProblem(entry, problem, inputData('x', x, o.dataType), o);
  if (!sameShape(y.shape, m.outputShape)) throw new Error(`${entry}: internal error: output shape ${show(y.shape)} is not outputShape ${show(m.outputShape)}`);
  return y;
}

async function layerTfjs(dims: 2 | 3, entry: EntryPoint, device: GPUDevice, xShape: unknown, filter: TensorLike | GpuTensor, outputShape: unknown, strides: unknown, pad: unknown, opts: unknown): Promise<ConvTransposeLayer> {
  const o = checkTfjsOptions(dims, entry, opts, true);
  const m = mapTfjsAttributes(dims, xShape, weightShapeOf('filter', filter), outputShape, strides, pad, o.attributes);
  const problem = resolveProblem(NAMES, xShape, filter, m.attributes, { ...o, inputLayout: m.inputLayout, filterLayout: m.filterLayout }, true);
  checkDeviceArgument(device);
  const layer = await createLayer(device, problem, o);
  if (!sameShape(layer.outputShape, m.outputShape)) {
    layer.destroy();
    throw new Error(`${entry}: internal error: output shape ${show(layer.outputShape)} is not outputShape ${show(m.outputShape)}`);
  }
  return layer;
}

/**
 * `tf.conv2dTranspose(x, filter, outputShape, strides, pad)` on the GPU: `x` `[batch, height, width, inDepth]`
 * (or `[height, width, inDepth]`; `[batch, inDepth, height, width]` with `dataFormat: 'NCHW'`), `filter`
 * `[filterHeight, filterWidth, outDepth, inDepth]`, `outputShape` in the same format as `x`, `strides`
 * `number | [sH, sW]`, `pad` 'same' | 'valid' | number | explicit pads. `opts`: `dataFormat`, `dilations`,
 * `dimRoundingMode` (tf.conv2dTranspose's sixth argument), `bias` `[outDepth]`, `activation` and
 * `leakyreluAlpha` (TF.js's fused activations and defaults), `path`, `device`, `adapterClass`, `tune`,
 * `dataType` (`float16`: float16 data in and out). Returns the output in `dataFormat`, of shape `outputShape`.
 * Every argument is checked before any GPU work.
 */
export function tfjsConv2dTranspose<D extends DataType = 'float32'>(
  x: TensorLike, filter: TensorLike, outputShape: readonly number[], strides: number | readonly [number, number],
  pad: TfjsPad2d, opts?: TfjsConv2dTransposeOptions & { dataType?: D },
): Promise<D extends 'float16' ? HalfTensor : Tensor> {
  return runTfjs(2, 'tfjsConv2dTranspose', x, filter, outputShape, strides, pad, opts) as Promise<D extends 'float16' ? HalfTensor : Tensor>;
}

/**
 * `tf.conv3dTranspose(x, filter, outputShape, strides, pad)` on the GPU: `x` `[batch, depth, height, width,
 * inDepth]` (NDHWC; `dataFormat: 'NCDHW'` for channels first), `filter` `[filterDepth, filterHeight,
 * filterWidth, outDepth, inDepth]`, `pad` 'same' | 'valid'. `opts` as {@link tfjsConv2dTranspose} without
 * `dimRoundingMode`.
 */
export function tfjsConv3dTranspose<D extends DataType = 'float32'>(
  x: TensorLike, filter: TensorLike, outputShape: readonly number[], strides: number | readonly [number, number, number],
  pad: TfjsPad3d, opts?: TfjsConv3dTransposeOptions & { dataType?: D },
): Promise<D extends 'float16' ? HalfTensor : Tensor> {
  return runTfjs(3, 'tfjsConv3dTranspose', x, filter, outputShape, strides, pad, opts) as Promise<D extends 'float16' ? HalfTensor : Tensor>;
}

/**
 * The prepared form of {@link tfjsConv2dTranspose}: a layer for x of shape `xShape` with the filter on the GPU,
 * taking and giving buffers in `dataFormat` (see createConvTranspose). `opts` as tfjsConv2dTranspose without
 * `device` (the first argument), with `label`.
 */
export function createTfjsConv2dTranspose(
  device: GPUDevice, xShape: readonly number[], filter: TensorLike | GpuTensor, outputShape: readonly number[],
  strides: number | readonly [number, number], pad: TfjsPad2d, opts: TfjsConv2dTransposeLayerOptions = {},
): Promise<ConvTransposeLayer> {
  return layerTfjs(2, 'createTfjsConv2dTranspose', device, xShape, filter, outputShape, strides, pad, opts);
}

/** The prepared form of {@link tfjsConv3dTranspose}. */
export function createTfjsConv3dTranspose(
  device: GPUDevice, xShape: readonly number[], filter: TensorLike | GpuTensor, outputShape: readonly number[],
  strides: number | readonly [number, number, number], pad: TfjsPad3d, opts?: TfjsConv3dTransposeLayerOptions,
): Promise<ConvTransposeLayer> {
  return layerTfjs(3, 'createTfjsConv3dTranspose', device, xShape, filter, outputShape, strides, pad, opts);
}
