/**
 * WebNN spelling: `MLGraphBuilder.convTranspose2d(input, filter, options)` with `MLConvTranspose2dOptions` as an
 * entry point of this library, mapped onto the one resolved form of the core. Follows the WebNN spec's
 * convTranspose2d steps (webmachinelearning/webnn index.bs, "calculate convtranspose output size" and the
 * convTranspose2d method steps):
 *
 *   - `padding` `[beginningHeight, endingHeight, beginningWidth, endingWidth]` (default 0s; note the order,
 *     not ONNX's `[begins..., ends...]`), `strides` `[h, w]` and `dilations` `[h, w]` (default 1s, 0 is an
 *     error), `outputPadding` `[h, w]` (default 0s; each must be below its stride), `outputSizes` `[h, w]`
 *     (when given, `outputPadding` is ignored, and each must be at least the calculated size and below it
 *     plus the stride: the extra cells go at the end, as output padding), `groups` (default 1),
 *     `inputLayout` 'nchw' | 'nhwc', `filterLayout` 'iohw' | 'hwoi' | 'ohwi', `bias` `[outputChannels]`.
 *   - calculated size = (in - 1)*stride + (filter - 1)*dilation + 1 - beginning - ending; output =
 *     calculated + outputPadding (or outputSizes).
 *   - `autoPad` 'explicit' | 'same-upper' | 'same-lower' of the 2023 spec (removed since; the 2023-11 WPT
 *     conformance data uses it): same-* ignores `padding` and pads so that output = input * stride, total =
 *     (filter - 1)*dilation + 1 + outputPadding - stride, split floor(total/2) first for same-upper and
 *     ceil(total/2) first for same-lower (webnn-baseline compute-padding.js). A negative total (which would
 *     need a negative padding) and autoPad same-* with outputSizes (left undefined there) are refused.
 *
 * The filter layouts are WebNN's: `iohw` [inputChannels, outputChannels/groups, h, w], `hwoi` [h, w,
 * outputChannels/groups, inputChannels], `ohwi` [outputChannels/groups, h, w, inputChannels]: the core's layouts
 * of the same names, permuted once when the layer is made. `inputLayout` maps onto the core's `inputLayout`:
 * input and output stay in it, read and written directly by the kernels, with no transpose pass.
 */
import { runProblem } from '../convTranspose';
import { checkDeviceArgument, createLayer } from '../gpu/create';
import type { ConvTransposeLayer } from '../gpu/layer';
import type { WebnnActivation } from '../activation';
import type { DataType } from '../half';
import { attributeKeys, checkOptions, hintsFor, type EntryPoint } from '../options';
import { inputData, resolveProblem, type TensorNames } from '../problem';
import type { BiasLike, HalfTensor, Tensor, TensorLike } from '../tensor';
import {
  checkKeys, intAtLeast, intSequence, optionsObject, sameShape, shapeOf, show, stringChoice, tensorShape,
  type CoreMapping, type FrontendLayerOptions, type FrontendRunOptions,
} from './common';

/** WebNN's MLConvTranspose2dFilterOperandLayout. */
export type WebnnConvTranspose2dFilterLayout = 'iohw' | 'hwoi' | 'ohwi';
/** WebNN's MLInputOperandLayout. */
export type WebnnInputLayout = 'nchw' | 'nhwc';
/** WebNN's MLAutoPad (2023 spec). */
export type WebnnAutoPad = 'explicit' | 'same-upper' | 'same-lower';

/** WebNN's MLConvTranspose2dOptions, less `bias` (see {@link WebnnConvTranspose2dOptions}). */
export interface WebnnConvTranspose2dAttributes {
  /** `[beginningHeight, endingHeight, beginningWidth, endingWidth]`, default `[0, 0, 0, 0]`. */
  padding?: readonly number[];
  /** `[strideHeight, strideWidth]`, default `[1, 1]`. */
  strides?: readonly number[];
  /** `[dilationHeight, dilationWidth]`, default `[1, 1]`. */
  dilations?: readonly number[];
  /** `[height, width]` cells added at the end, each below its stride; default `[0, 0]`; ignored with outputSizes. */
  outputPadding?: readonly number[];
  /** `[height, width]` of the output: at least the calculated size, below it plus the stride. */
  outputSizes?: readonly number[];
  /** Default 1. */
  groups?: number;
  /** Layout of input and output, default 'nchw'. */
  inputLayout?: WebnnInputLayout;
  /** Layout of the filter, default 'iohw'. */
  filterLayout?: WebnnConvTranspose2dFilterLayout;
  /** 2023 spec: 'explicit' (default) uses padding; 'same-upper'/'same-lower' ignore it (see the module comment). */
  autoPad?: WebnnAutoPad;
}

/** What the WebNN spelling adds to every form: `bias` and a fused activation with WebNN's names and defaults. */
export interface WebnnFusedOptions {
  /** `[outputChannels]` values (MLConvTranspose2dOptions.bias). */
  bias?: BiasLike | null;
  /**
   * A WebNN activation operator fused after the bias, by name or as `{ name, ...MLOptions }` with WebNN's
   * defaults: `relu`, `sigmoid`, `tanh`, `gelu`, `leakyRelu` ({ alpha } 0.01), `elu` ({ alpha } 1),
   * `hardSigmoid` ({ alpha, beta } 0.2, 0.5), `clamp` ({ minValue, maxValue } -Infinity, +Infinity).
   */
  activation?: WebnnActivation | null;
}
/** MLConvTranspose2dOptions with `bias` (`[outputChannels]` values), the fused activation and how it runs (`dataType` included). */
export interface WebnnConvTranspose2dOptions extends WebnnConvTranspose2dAttributes, WebnnFusedOptions, FrontendRunOptions {}
/** The prepared form's options: as {@link WebnnConvTranspose2dOptions} without `device`, with `label`. */
export interface WebnnConvTranspose2dLayerOptions extends WebnnConvTranspose2dAttributes, WebnnFusedOptions, FrontendLayerOptions {}
const INPUT_LAYOUTS: readonly string[] = ['nchw', 'nhwc'];
const FILTER_LAYOUTS: readonly string[] = ['iohw', 'hwoi', 'ohwi'];
const AUTO_PADS: readonly string[] = ['explicit', 'same-upper', 'same-lower'];

const PYTORCH = (webnn: string) => `is PyTorch's spelling (convTranspose); WebNN spells it ${webnn}`;
const ONNX = (webnn: string) => `is ONNX's spelling (convTranspose); WebNN spells it ${webnn}`;
const TFJS = 'is TF.js\'s spelling: use tfjsConv2dTranspose for it';
/** Where a key that is not WebNN's belongs (options.ts: hintsFor adds the other form's keys, device and label). */
const WEBNN_HINTS: Readonly<Record<string, string>> = {
  stride: PYTORCH('strides: [strideHeight, strideWidth]'),
  dilation: PYTORCH('dilations: [dilationHeight, dilationWidth]'),
  outputSize: PYTORCH('outputSizes: [height, width]'),
  pads: ONNX('padding: [beginningHeight, endingHeight, beginningWidth, endingWidth] (note the order: not ONNX\'s [begins..., ends...])'),
  group: ONNX('groups'),
  output_padding: ONNX('outputPadding: [height, width]'),
  output_shape: ONNX('outputSizes: [height, width]'),
  auto_pad: ONNX("autoPad: 'explicit', 'same-upper' or 'same-lower'"),
  kernel_shape: "is ONNX's spelling; WebNN takes the kernel size from the filter",
  dataFormat: `${TFJS}; WebNN spells the data layout inputLayout: 'nchw' or 'nhwc'`,
  pad: `${TFJS}; WebNN spells it padding: [beginningHeight, endingHeight, beginningWidth, endingWidth]`,
  outputShape: `${TFJS}; WebNN spells it outputSizes: [height, width]`,
  dimRoundingMode: TFJS,
};

/**
 * The core form of `MLGraphBuilder.convTranspose2d(input, filter, options)` with `inputShape` and `filterShape`
 * for the operands (pure; `options` without the run options; a bias is only checked for its shape). Throws, naming the option, for everything
 * the WebNN spec rejects (and the few things this library cannot run as WebNN would).
 */
export function mapWebnnConvTranspose2d(inputShape: readonly number[], filterShape: readonly number[], options: WebnnConvTranspose2dAttributes & { bias?: BiasLike | null } = {}): CoreMapping {
  const o = optionsObject('options', options);
  checkKeys('mapWebnnConvTranspose2d', o, [...attributeKeys('webnnConvTranspose2d'), 'bias'], hintsFor('webnnConvTranspose2d', WEBNN_HINTS));
  return mapWebnn(inputShape, filterShape, o);
}

/** The mapping of WebNN attributes (and a bias, checked for its shape) whose keys are checked. */
function mapWebnn(inputShape: unknown, filterShape: unknown, o: Readonly<Record<string, unknown>>): CoreMapping {
  const inputLayout = stringChoice('inputLayout', o.inputLayout, INPUT_LAYOUTS, 'nchw', (v) =>
    (typeof v === 'string' && INPUT_LAYOUTS.includes(v.toLowerCase()) ? ` (WebNN spells it in lower case; ${show(v)} is TF.js's dataFormat)` : ''));
  const filterLayout = stringChoice('filterLayout', o.filterLayout, FILTER_LAYOUTS, 'iohw', (v) =>
    (v === 'oihw' || v === 'ihwo' ? ` (${show(v)} is a filter layout of WebNN's conv2d, not of convTranspose2d)`
      : typeof v === 'string' && FILTER_LAYOUTS.includes(v.toLowerCase()) ? ' (WebNN spells it in lower case)' : ''));
  const autoPad = stringChoice('autoPad', o.autoPad, AUTO_PADS, 'explicit', (v) =>
    (v === 'SAME_UPPER' || v === 'SAME_LOWER' || v === 'NOTSET' || v === 'VALID' ? ` (${show(v)} is ONNX's auto_pad)` : ''));
  const channelsLast = inputLayout === 'nhwc';

  const x = shapeOf('input', inputShape, [4], channelsLast ? '[batches, inputHeight, inputWidth, inputChannels] (inputLayout nhwc)' : '[batches, inputChannels, inputHeight, inputWidth] (inputLayout nchw)');
  const filterText = { iohw: '[inputChannels, outputChannels/groups, height, width]', hwoi: '[height, width, outputChannels/groups, inputChannels]', ohwi: '[outputChannels/groups, height, width, inputChannels]' }[filterLayout]!;
  const f = shapeOf('filter', filterShape, [4], `${filterText} (filterLayout ${filterLayout})`);
  const [batches, inputChannels, inH, inW] = channelsLast ? [x[0], x[3], x[1], x[2]] : x;
  const [fIn, fOut, fH, fW] = filterLayout === 'iohw' ? f : filterLayout === 'hwoi' ? [f[3], f[2], f[0], f[1]] : [f[3], f[0], f[1], f[2]];
  [inputChannels, inH, inW].forEach((v) => { if (v < 1) throw new RangeError(`input: channels and spatial dimensions must be at least 1, got ${show(x)} (inputLayout ${inputLayout})`); });
  f.forEach((v) => { if (v < 1) throw new RangeError(`filter: every dimension must be at least 1, got ${show(f)} ${filterText}`); });

  if (typeof o.padding === 'number') {
    throw new TypeError(`padding: WebNN's padding is a sequence of 4, [beginningHeight, endingHeight, beginningWidth, endingWidth], got the number ${o.padding}; a single number is PyTorch's padding: use convTranspose(input, weight, { padding: ${o.padding} })`);
  }
  const padding = o.padding === undefined ? [0, 0, 0, 0] : intSequence('padding', o.padding, 4, 0, 'a non-negative integer', '[beginningHeight, endingHeight, beginningWidth, endingWidth]');
  const strides = o.strides === undefined ? [1, 1] : intSequence('strides', o.strides, 2, 1, 'a positive integer (0 is not a stride)', '[strideHeight, strideWidth]');
  const dilations = o.dilations === undefined ? [1, 1] : intSequence('dilations', o.dilations, 2, 1, 'a positive integer (0 is not a dilation)', '[dilationHeight, dilationWidth]');
  const outputPadding = o.outputPadding === undefined ? [0, 0] : intSequence('outputPadding', o.outputPadding, 2, 0, 'a non-negative integer', '[height, width]');
  const outputSizes = o.outputSizes === undefined ? undefined : intSequence('outputSizes', o.outputSizes, 2, 1, 'a positive integer', '[height, width]');
  if (outputSizes === undefined) {
    outputPadding.forEach((p, a) => {
      if (p >= strides[a]) throw new RangeError(`outputPadding[${a}]: must be smaller than strides[${a}] (${strides[a]}), got ${p}`);
    });
  }
  const groups = o.groups === undefined ? 1 : intAtLeast('groups', o.groups, 1, 'a positive integer');

  if (inputChannels !== fIn) {
    throw new RangeError(`filter: its inputChannels (${fIn}, filterLayout ${filterLayout} ${filterText} = ${show(f)}) must equal the input's channels (${inputChannels}, inputLayout ${inputLayout})`);
  }
  if (inputChannels % groups !== 0) throw new RangeError(`groups: the input's channels (${inputChannels}) must be divisible by groups (${groups})`);
  const outputChannels = fOut * groups;
  if (o.bias !== undefined && o.bias !== null) {
    const b = o.bias as { shape?: unknown; length?: unknown };
    const shape = ArrayBuffer.isView(b) || Array.isArray(b) ? [(b as ArrayLike<number>).length] : b.shape;
    if (!Array.isArray(shape) || shape.length !== 1 || shape[0] !== outputChannels) {
      throw new RangeError(`bias: expected a 1-D bias of outputChannels (${outputChannels} = ${fOut} x groups ${groups}) values, got ${Array.isArray(shape) ? `shape ${show(shape)}` : show(o.bias)}`);
    }
  }

  const inSize = [inH, inW], kernel = [fH, fW];
  const eff = kernel.map((k, a) => (k - 1) * dilations[a] + 1);
  let begin: number[], end: number[];
  if (autoPad === 'explicit') {
    begin = [padding[0], padding[2]]; end = [padding[1], padding[3]];
  } else {
    if (outputSizes !== undefined) {
      throw new TypeError(`autoPad: ${show(autoPad)} with outputSizes is not defined (the 2023 spec's same-* padding is computed for output = input * stride); give explicit padding with outputSizes`);
    }
    begin = []; end = [];
    for (let a = 0; a < 2; a++) {
      const total = eff[a] + outputPadding[a] - strides[a];
      if (total < 0) {
        throw new RangeError(`autoPad: ${show(autoPad)} would need a negative total padding (${total}) along the ${a === 0 ? 'height' : 'width'} (dilated filter ${eff[a]} + outputPadding ${outputPadding[a]} < stride ${strides[a]}); this library takes no negative padding: give explicit padding`);
      }
      const small = Math.floor(total / 2), large = total - small;
      begin.push(autoPad === 'same-upper' ? small : large);
      end.push(autoPad === 'same-upper' ? large : small);
    }
  }
  const calculated = inSize.map((n, a) => (n - 1) * strides[a] + eff[a] - begin[a] - end[a]);
  const names = ['height', 'width'];
  let padOut: number[];
  if (outputSizes !== undefined) {
    padOut = outputSizes.map((size, a) => {
      if (size < calculated[a] || size >= calculated[a] + strides[a]) {
        throw new RangeError(`outputSizes[${a}]: the output ${names[a]} must be at least the calculated ${calculated[a]} and below it plus strides[${a}] (${calculated[a] + strides[a]}), got ${size}`);
      }
      return size - calculated[a];
    });
  } else {
    padOut = outputPadding;
  }
  const outSize = calculated.map((c, a) => c + padOut[a]);
  outSize.forEach((v, a) => {
    if (v < 1) throw new RangeError(`padding: the output ${names[a]} would be ${v} (calculated ${calculated[a]} from input ${inSize[a]}, filter ${kernel[a]}, stride ${strides[a]}, dilation ${dilations[a]}, padding ${begin[a]} + ${end[a]}); it must be at least 1`);
  });
  return {
    attributes: { strides, dilations, pads: [...begin, ...end], output_padding: padOut, group: groups },
    inputLayout: channelsLast ? 'nhwc' : 'nchw',
    filterLayout: filterLayout as WebnnConvTranspose2dFilterLayout,
    outputShape: channelsLast ? [batches, outSize[0], outSize[1], outputChannels] : [batches, outputChannels, outSize[0], outSize[1]],
  };
}

const NAMES: TensorNames = { input: 'input', weight: 'filter' };

async function runWebnn(input: TensorLike, filter: TensorLike, options: unknown): Promise<Tensor | HalfTensor> {
  const entry: EntryPoint = 'webnnConvTranspose2d';
  const o = checkOptions(entry, options, hintsFor(entry, WEBNN_HINTS));
  const m = mapWebnn(tensorShape('input', input), tensorShape('filter', filter), { ...o.attributes, bias: o.bias });
  const problem = resolveProblem(NAMES, input.shape, filter, m.attributes, { ...o, inputLayout: m.inputLayout, filterLayout: m.filterLayout });
  const y = await runProblem(entry, problem, inputData('input', input, o.dataType), o);
  if (!sameShape(y.shape, m.outputShape)) throw new Error(`${entry}: internal error: output shape ${show(y.shape)}, expected ${show(m.outputShape)}`);
  return y;
}

/**
 * `MLGraphBuilder.convTranspose2d(input, filter, options)` on the GPU: `input` 4-D in `options.inputLayout`
 * (default nchw), `filter` 4-D in `options.filterLayout` (default iohw), `options` WebNN's
 * MLConvTranspose2dOptions (`padding`, `strides`, `dilations`, `outputPadding`, `outputSizes`, `groups`,
 * `inputLayout`, `filterLayout`, `bias`, and the 2023 `autoPad`) plus `activation` (WebNN's operators and
 * defaults), `path`, `device`, `adapterClass`, `tune`, `dataType` (`float16`: float16 data in and out, WebNN's
 * MLOperandDataType name). Returns the output in `inputLayout`. Every argument is checked before any GPU work.
 */
export function webnnConvTranspose2d<D extends DataType = 'float32'>(
  input: TensorLike, filter: TensorLike, options?: WebnnConvTranspose2dOptions & { dataType?: D },
): Promise<D extends 'float16' ? HalfTensor : Tensor> {
  return runWebnn(input, filter, options) as Promise<D extends 'float16' ? HalfTensor : Tensor>;
}

/**
 * The prepared form of {@link webnnConvTranspose2d}: a layer for inputs of `inputShape` (in `inputLayout`),
 * the filter on the GPU, buffers in and out in `inputLayout` (see createConvTranspose). `options` as
 * webnnConvTranspose2d without `device` (the first argument), with `label` (WebNN's MLOperatorOptions.label).
 */
export async function createWebnnConvTranspose2d(device: GPUDevice, inputShape: readonly number[], filter: TensorLike, options?: WebnnConvTranspose2dLayerOptions): Promise<ConvTransposeLayer> {
  const entry: EntryPoint = 'createWebnnConvTranspose2d';
  const o = checkOptions(entry, options, hintsFor(entry, WEBNN_HINTS));
  const m = mapWebnn(inputShape, tensorShape('filter', filter), { ...o.attributes, bias: o.bias });
  const problem = resolveProblem(NAMES, inputShape, filter, m.attributes, { ...o, inputLayout: m.inputLayout, filterLayout: m.filterLayout });
  checkDeviceArgument(device);
  const layer = await createLayer(device, problem, o);
  if (!sameShape(layer.outputShape, m.outputShape)) {
    layer.destroy();
    throw new Error(`createWebnnConvTranspose2d: internal error: output shape ${show(layer.outputShape)}, expected ${show(m.outputShape)}`);
  }
  return layer;
}
