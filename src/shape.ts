/**
 * Shapes and attributes of a transposed convolution: the one place that turns what a caller wrote
 * (PyTorch or ONNX spelling) into a single resolved form, and rejects what is wrong before any GPU work.
 * Pure: no WebGPU, no allocation beyond small arrays. Used by the CPU references, every GPU path and the tests.
 *
 * Conventions (ONNX ConvTranspose, which PyTorch ConvTranspose1d/2d/3d matches):
 *   input  [N, C_in, ...spatial]            weight [C_in, C_out/groups, ...kernel]
 *   Y[n, g*Cout_g + oc, i*s - pad_begin + k*d] += X[n, g*Cin_g + ic, i] * W[g*Cin_g + ic, oc, k]
 *   full    = s*(in-1) + output_padding + d*(k-1) + 1
 *   out     = full - pad_begin - pad_end
 */

/** ONNX `auto_pad` values. */
export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

/** One value for every spatial axis, or one per axis. */
export type PerAxis = number | readonly number[];

/**
 * Attributes of a transposed convolution. Use PyTorch spelling or ONNX spelling; giving both spellings
 * of the same attribute (say `stride` and `strides`) is an error.
 */
export interface ConvTransposeAttributes {
  /** PyTorch `stride` (default 1). */
  stride?: PerAxis;
  /** PyTorch `padding`: the same amount removed at both ends of each axis (default 0). */
  padding?: PerAxis;
  /** PyTorch `output_padding`: extra cells at the end of each axis; each must be below stride or dilation. */
  outputPadding?: PerAxis;
  /** PyTorch `dilation` (default 1). */
  dilation?: PerAxis;
  /** PyTorch `groups` (default 1). */
  groups?: number;
  /** PyTorch `output_size` argument of `forward`: picks output_padding so the output has this spatial size. */
  outputSize?: readonly number[];

  /** ONNX `strides`. */
  strides?: readonly number[];
  /** ONNX `pads`: `[x1_begin, x2_begin, ..., x1_end, x2_end]`. */
  pads?: readonly number[];
  /** ONNX `dilations`. */
  dilations?: readonly number[];
  /** ONNX `group`. */
  group?: number;
  /** ONNX `output_padding`. */
  output_padding?: readonly number[];
  /** ONNX `output_shape`: the spatial output size (the legacy `[N, C, ...spatial]` form is accepted too); pads are derived from it. */
  output_shape?: readonly number[];
  /** ONNX `auto_pad` (default NOTSET). */
  auto_pad?: AutoPad;
  /** ONNX `kernel_shape`: must equal the weight's spatial shape. */
  kernel_shape?: readonly number[];
}

/** A transposed convolution with every attribute resolved; spatial arrays have one entry per spatial axis. */
export interface ResolvedConvTranspose {
  /** Number of spatial axes: 1, 2 or 3. */
  readonly dims: 1 | 2 | 3;
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly inChannelsPerGroup: number;
  readonly outChannelsPerGroup: number;
  readonly inputShape: readonly number[];
  readonly weightShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly inSpatial: readonly number[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** Cells removed at the start of each axis (never negative). */
  readonly padsBegin: readonly number[];
  /** Cells removed at the end of each axis; negative when `output_shape`/`auto_pad` ask for more than the natural size. */
  readonly padsEnd: readonly number[];
  readonly outputPadding: readonly number[];
  readonly outSpatial: readonly number[];
  readonly hasBias: boolean;
  /** The input (and so the output) has no batch axis: PyTorch's `(C, ...spatial)` form; `batch` is 1. */
  readonly unbatched: boolean;
}

/** The largest value accepted for any attribute or dimension: keeps every derived size an exact integer. */
export const MAX_DIM = 2 ** 31 - 1;

const AUTO_PADS: readonly AutoPad[] = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length})`;
  return String(v);
};

function isArrayLike(v: unknown): v is readonly unknown[] {
  return Array.isArray(v);
}

function checkInt(name: string, v: unknown, min: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${name}: expected ${what}, got ${show(v)}`);
  }
  if (v < min || v > MAX_DIM) {
    throw new RangeError(`${name}: expected ${what} (at most ${MAX_DIM}), got ${show(v)}`);
  }
  return v;
}

function checkShape(name: string, shape: unknown): number[] {
  if (!isArrayLike(shape)) throw new TypeError(`${name}: expected an array of dimensions, got ${show(shape)}`);
  return shape.map((d, i) => checkInt(`${name}[${i}]`, d, 0, 'a non-negative integer dimension'));
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Throws unless `length` is the element count of `shape`. */
export function checkDataLength(name: string, length: number, shape: readonly number[]): void {
  const want = sizeOf(shape);
  if (length !== want) {
    throw new RangeError(`${name}: data has ${length} elements but shape ${show(shape)} needs ${want}`);
  }
}

/** Reads a per-axis attribute given as a number or an array of `dims` numbers. */
function perAxis(name: string, v: PerAxis | undefined, dims: number, fallback: number, min: number, what: string): number[] {
  if (v === undefined) return new Array(dims).fill(fallback);
  if (typeof v === 'number') return new Array(dims).fill(checkInt(name, v, min, what));
  if (!isArrayLike(v)) throw new TypeError(`${name}: expected a number or an array of ${dims}, got ${show(v)}`);
  if (v.length !== dims) {
    throw new RangeError(`${name}: expected ${dims} value${dims > 1 ? 's' : ''} (one per spatial axis), got ${v.length}: ${show(v)}`);
  }
  return v.map((x, i) => checkInt(`${name}[${i}]`, x, min, what));
}

/** Picks the one spelling of an attribute the caller used. */
function oneOf<T>(attrs: ConvTransposeAttributes, a: keyof ConvTransposeAttributes, b: keyof ConvTransposeAttributes): [string, T | undefined] {
  const va = attrs[a] as T | undefined;
  const vb = attrs[b] as T | undefined;
  if (va !== undefined && vb !== undefined) {
    throw new TypeError(`${a}/${b}: give either ${a} (PyTorch) or ${b} (ONNX), not both`);
  }
  return va !== undefined ? [a, va] : [b, vb];
}

const KNOWN = new Set<string>([
  'stride', 'padding', 'outputPadding', 'dilation', 'groups', 'outputSize',
  'strides', 'pads', 'dilations', 'group', 'output_padding', 'output_shape', 'auto_pad', 'kernel_shape',
]);

/**
 * Resolves and validates a transposed convolution. Throws a TypeError/RangeError naming the argument for
 * every bad input; returns the complete resolved form otherwise.
 *
 * @param inputShape  `[N, C_in, ...spatial]` with 1 to 3 spatial axes, or unbatched `[C_in, ...spatial]` (one rank
 *                    below the weight, as PyTorch takes it; the output is then unbatched too)
 * @param weightShape `[C_in, C_out/groups, ...kernel]`
 * @param biasShape   `[C_out]`, or null/undefined for no bias
 */
export function resolveConvTranspose(
  inputShape: readonly number[],
  weightShape: readonly number[],
  biasShape: readonly number[] | null | undefined,
  attrs: ConvTransposeAttributes = {},
): ResolvedConvTranspose {
  if (attrs === null || typeof attrs !== 'object') throw new TypeError(`attributes: expected an object, got ${show(attrs)}`);
  for (const key of Object.keys(attrs)) {
    if (!KNOWN.has(key)) throw new TypeError(`attributes: unknown attribute ${show(key)}; known: ${[...KNOWN].join(', ')}`);
  }
  const given = checkShape('input shape', inputShape);
  const ws = checkShape('weight shape', weightShape);
  if (ws.length < 3 || ws.length > 5) {
    throw new RangeError(`weight: expected rank 3, 4 or 5 ([C_in, C_out/groups, ...1 to 3 kernel dims]), got rank ${ws.length} ${show(ws)}`);
  }
  // As PyTorch: an input one rank below the weight is unbatched, (C, ...spatial), and so is the output.
  const unbatched = given.length === ws.length - 1;
  if (given.length !== ws.length && !unbatched) {
    const d = ws.length - 2;
    throw new RangeError(`input: a rank-${ws.length} weight (${d}-D: [C_in, C_out/groups, ${d} kernel dims]) takes an input of rank ${ws.length} ([N, C, ${d} spatial dims]) or ${ws.length - 1} (unbatched [C, ${d} spatial dims]), got rank ${given.length} ${show(given)}`);
  }
  const xs = unbatched ? [1, ...given] : given;
  const dims = (xs.length - 2) as 1 | 2 | 3;
  const [batch, inChannels] = xs;
  const inSpatial = xs.slice(2);
  if (inChannels < 1) throw new RangeError(`input: channel dimension must be at least 1, got ${inChannels} in ${show(xs)}`);
  inSpatial.forEach((v, i) => {
    if (v < 1) throw new RangeError(`input: spatial dimension ${i} must be at least 1, got ${v} in ${show(xs)}`);
  });
  ws.forEach((v, i) => {
    if (v < 1) throw new RangeError(`weight: every dimension must be at least 1, got ${v} at axis ${i} of ${show(ws)}`);
  });

  const [groupName, groupValue] = oneOf<number>(attrs, 'groups', 'group');
  const groups = groupValue === undefined ? 1 : checkInt(groupName, groupValue, 1, 'a positive integer');
  if (inChannels % groups !== 0) {
    throw new RangeError(`${groupName}: input channels (${inChannels}) must be divisible by ${groupName} (${groups})`);
  }
  if (ws[0] !== inChannels) {
    throw new RangeError(`weight: first dimension must equal the input channels ${inChannels} (weight layout [C_in, C_out/groups, ...kernel]), got ${show(ws)}`);
  }
  const outChannelsPerGroup = ws[1];
  const outChannels = outChannelsPerGroup * groups;
  const kernel = ws.slice(2);

  if (attrs.kernel_shape !== undefined) {
    const ks = attrs.kernel_shape;
    if (!isArrayLike(ks) || ks.length !== dims) {
      throw new RangeError(`kernel_shape: Attribute kernel_shape has incorrect size: expected ${dims} values, got ${show(ks)}`);
    }
    ks.forEach((k, i) => {
      if (k !== kernel[i]) throw new RangeError(`kernel_shape: ${show(ks)} does not match the weight's kernel ${show(kernel)}`);
    });
  }

  if (biasShape !== null && biasShape !== undefined) {
    const bs = checkShape('bias shape', biasShape);
    if (bs.length !== 1 || bs[0] !== outChannels) {
      throw new RangeError(`bias: expected a 1-D tensor of ${outChannels} values (output channels), got shape ${show(bs)}`);
    }
  }

  const [strideName, strideValue] = oneOf<PerAxis>(attrs, 'stride', 'strides');
  const strides = perAxis(strideName, strideValue, dims, 1, 1, 'a positive integer');
  const [dilName, dilValue] = oneOf<PerAxis>(attrs, 'dilation', 'dilations');
  const dilations = perAxis(dilName, dilValue, dims, 1, 1, 'a positive integer');
  const [opName, opValue] = oneOf<PerAxis>(attrs, 'outputPadding', 'output_padding');
  let outputPadding = perAxis(opName, opValue, dims, 0, 0, 'a non-negative integer');
  const checkOutputPadding = (name: string, op: number[]) => op.forEach((p, i) => {
    if (p >= Math.max(strides[i], dilations[i])) {
      throw new RangeError(`${name}[${i}]: output_padding must be smaller than the stride (${strides[i]}) or the dilation (${dilations[i]}), got ${p}`);
    }
  });
  checkOutputPadding(opName, outputPadding);

  const autoPad = attrs.auto_pad ?? 'NOTSET';
  if (!AUTO_PADS.includes(autoPad)) {
    throw new TypeError(`auto_pad: expected one of ${AUTO_PADS.join(', ')}, got ${show(autoPad)}`);
  }

  let explicitPads: { begin: number[]; end: number[] } | null = null;
  if (attrs.padding !== undefined && attrs.pads !== undefined) {
    throw new TypeError('padding/pads: give either padding (PyTorch) or pads (ONNX), not both');
  }
  if (attrs.padding !== undefined) {
    const p = perAxis('padding', attrs.padding, dims, 0, 0, 'a non-negative integer');
    explicitPads = { begin: p, end: p.slice() };
  } else if (attrs.pads !== undefined && attrs.pads !== null) {
    const pads = attrs.pads;
    if (!isArrayLike(pads) || pads.length !== 2 * dims) {
      throw new RangeError(`pads: expected ${2 * dims} values [${dims === 1 ? 'begin, end' : 'begins..., ends...'}], got ${show(pads)}`);
    }
    const p = pads.map((x, i) => checkInt(`pads[${i}]`, x, 0, 'a non-negative integer'));
    explicitPads = { begin: p.slice(0, dims), end: p.slice(dims) };
  }
  if (explicitPads && autoPad !== 'NOTSET' && [...explicitPads.begin, ...explicitPads.end].some((p) => p !== 0)) {
    throw new TypeError(`pads: explicit pads cannot be combined with auto_pad=${autoPad}`);
  }

  // `full` is the natural size before any padding is removed; output_padding is inside it.
  const full = (op: readonly number[]) =>
    inSpatial.map((n, i) => strides[i] * (n - 1) + op[i] + dilations[i] * (kernel[i] - 1) + 1);

  let padsBegin!: number[];
  let padsEnd!: number[];
  const target = (name: string, raw: readonly number[] | undefined): number[] | null => {
    if (raw === undefined || raw === null) return null;
    if (!isArrayLike(raw)) throw new TypeError(`${name}: expected an array of ${dims} sizes, got ${show(raw)}`);
    let spatial = raw;
    if (name === 'output_shape' && raw.length === dims + 2) {
      // ONNX Runtime's legacy [N, C, ...spatial] form.
      if (raw[0] !== batch || raw[1] !== outChannels) {
        throw new RangeError(`output_shape: legacy form [N, C, ...spatial] must start with [${batch}, ${outChannels}], got ${show(raw)}`);
      }
      spatial = raw.slice(2);
    }
    if (spatial.length !== dims) throw new RangeError(`${name}: expected ${dims} spatial sizes, got ${show(raw)}`);
    return spatial.map((v, i) => {
      const n = checkInt(`${name}[${i}]`, v, 0, 'a positive integer');
      if (n < 1) throw new RangeError(`${name}[${i}]: output size must be positive, got ${n}`);
      return n;
    });
  };
  // Splits total padding so the output has `want` cells. A negative total (asking for more than the natural size)
  // leaves the start in place and adds the extra cells at the end, like output_padding (ONNX Runtime's clamp).
  const splitPads = (want: number[], op: number[], name: string, upper: boolean) => {
    const f = full(op);
    padsBegin = []; padsEnd = [];
    want.forEach((w, i) => {
      const limit = f[i] - op[i] + Math.max(strides[i], dilations[i]) - 1;
      if (w > limit) {
        throw new RangeError(`${name}[${i}]: output size ${w} is inconsistent with input spatial dimensions: the largest reachable size is ${limit} (input ${inSpatial[i]}, stride ${strides[i]}, dilation ${dilations[i]}, kernel ${kernel[i]})`);
      }
      const total = f[i] - w;
      if (total < 0) { padsBegin.push(0); padsEnd.push(total); return; }
      const small = Math.floor(total / 2);
      if (upper) { padsBegin.push(small); padsEnd.push(total - small); }
      else { padsBegin.push(total - small); padsEnd.push(small); }
    });
  };

  const outputShapeWant = target('output_shape', attrs.output_shape);
  const outputSizeWant = target('outputSize', attrs.outputSize);
  if (outputShapeWant && outputSizeWant) throw new TypeError('outputSize/output_shape: give one of them, not both');
  if (outputSizeWant) {
    // PyTorch: output_size picks output_padding; the padding stays as given.
    if (opValue !== undefined) throw new TypeError(`outputSize/${opName}: give one of them, not both`);
    if (autoPad !== 'NOTSET') throw new TypeError(`outputSize: cannot be combined with auto_pad=${autoPad}`);
    const pb = explicitPads?.begin ?? new Array(dims).fill(0);
    const pe = explicitPads?.end ?? new Array(dims).fill(0);
    const natural = full(new Array(dims).fill(0)).map((f, i) => f - pb[i] - pe[i]);
    outputPadding = outputSizeWant.map((w, i) => {
      const op = w - natural[i];
      if (op < 0 || op >= Math.max(strides[i], dilations[i])) {
        throw new RangeError(`outputSize[${i}]: requested ${w} is inconsistent with input spatial dimensions: reachable sizes are ${natural[i]}..${natural[i] + Math.max(strides[i], dilations[i]) - 1}`);
      }
      return op;
    });
    padsBegin = pb; padsEnd = pe;
  } else if (outputShapeWant) {
    splitPads(outputShapeWant, outputPadding, 'output_shape', autoPad === 'SAME_UPPER');
  } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    splitPads(inSpatial.map((n, i) => n * strides[i]), outputPadding, 'auto_pad', autoPad === 'SAME_UPPER');
  } else if (autoPad === 'VALID' || !explicitPads) {
    padsBegin = new Array(dims).fill(0); padsEnd = new Array(dims).fill(0);
  } else {
    padsBegin = explicitPads.begin; padsEnd = explicitPads.end;
  }

  const f = full(outputPadding);
  const outSpatial = f.map((v, i) => v - padsBegin[i] - padsEnd[i]);
  outSpatial.forEach((v, i) => {
    if (v < 1) {
      throw new RangeError(`pads: output size must be positive, but axis ${i} would have ${v} cells (natural size ${f[i]}, pads ${padsBegin[i]} + ${padsEnd[i]})`);
    }
    if (v > MAX_DIM) throw new RangeError(`output: axis ${i} would have ${v} cells, more than ${MAX_DIM}`);
  });

  return {
    dims, batch, inChannels, outChannels, groups,
    inChannelsPerGroup: inChannels / groups, outChannelsPerGroup,
    inputShape: given, weightShape: ws, outputShape: unbatched ? [outChannels, ...outSpatial] : [batch, outChannels, ...outSpatial], unbatched,
    inSpatial, kernel, strides, dilations, padsBegin, padsEnd, outputPadding, outSpatial,
    hasBias: biasShape !== null && biasShape !== undefined,
  };
}

/** Pads a per-axis array to the 3 axes [D, H, W] used inside: missing leading axes get `fill`. */
export function to3d(values: readonly number[], fill: number): [number, number, number] {
  const out: number[] = new Array(3 - values.length).fill(fill).concat(values);
  return [out[0], out[1], out[2]];
}

/** The resolved problem on 3 spatial axes (1-D and 2-D problems get leading axes of size 1). */
export interface Problem3d {
  readonly N: number; readonly G: number; readonly Cin: number; readonly Cout: number;
  readonly CinG: number; readonly CoutG: number;
  readonly inS: [number, number, number]; readonly outS: [number, number, number];
  readonly k: [number, number, number]; readonly s: [number, number, number];
  readonly d: [number, number, number]; readonly pb: [number, number, number];
}

/** Views a resolved problem on 3 spatial axes; every path computes on this form. */
export function problem3d(r: ResolvedConvTranspose): Problem3d {
  return {
    N: r.batch, G: r.groups, Cin: r.inChannels, Cout: r.outChannels,
    CinG: r.inChannelsPerGroup, CoutG: r.outChannelsPerGroup,
    inS: to3d(r.inSpatial, 1), outS: to3d(r.outSpatial, 1), k: to3d(r.kernel, 1),
    s: to3d(r.strides, 1), d: to3d(r.dilations, 1), pb: to3d(r.padsBegin, 0),
  };
}

/** Multiply-adds that touch real data, times two: 2·N·C_in·(C_out/g)·in·kernel. */
export function flopsOf(r: ResolvedConvTranspose): number {
  return 2 * r.batch * r.inChannels * r.outChannelsPerGroup * sizeOf(r.inSpatial) * sizeOf(r.kernel);
}
