/**
 * Uniform blocks: the one source of their layout. A kernel's `struct Params` is generated from a field list
 * here (see wgsl/compose.ts), and the host packs values by field name with the same list, so the two sides cannot
 * drift apart. Every field is a vec4 of 4-byte scalars, so offsets are simply 16 bytes per field.
 */
import type { ResolvedActivation } from '../activation';
import type { Problem3d } from '../shape';

export type FieldType = 'vec4<u32>' | 'vec4<i32>' | 'vec4<f32>';

/** One vec4 field of a uniform struct. */
export interface UniformField {
  readonly name: string;
  readonly type: FieldType;
  /** Shown as a comment in the generated struct. */
  readonly doc: string;
}

const u = (name: string, doc: string): UniformField => ({ name, type: 'vec4<u32>', doc });
const i = (name: string, doc: string): UniformField => ({ name, type: 'vec4<i32>', doc });

/** Fields every convolution shader reads. Spatial vectors hold the axes as (D, H, W, unused). */
export const COMMON_FIELDS: readonly UniformField[] = [
  u('inSize', 'input spatial size'),
  u('outSize', 'output spatial size'),
  u('kernel', 'kernel size'),
  u('stride', 'strides'),
  u('dilation', 'dilations'),
  u('padBegin', 'cells removed at the start of each output axis'),
  u('chan', 'N, C_in, C_out, groups'),
  u('chanG', 'C_in/groups, C_out/groups, vec4 blocks of output channels per group (packed), path-specific'),
  u('grid', 'invocations (or work items) that do work, unused, kernel-specific, kernel-specific'),
  u('xStride', 'input element strides along D, H, W and channels (common.wgsl: xIndex)'),
  u('yStride', 'output element strides along D, H, W and channels (common.wgsl: yIndex)'),
  u('io', 'input batch stride, output batch stride, input base, output base (elements, in the bound windows)'),
  { name: 'act', type: 'vec4<f32>', doc: 'fused activation parameters (epilogue.wgsl): alpha or min, beta or max' },
];

/** Fields of the shaders that walk only the taps landing on input cells (taps.wgsl). */
export const TAP_FIELDS: readonly UniformField[] = [
  u('tapStep', 'stride / gcd(stride, dilation): kernel-index step between taps that hit input cells'),
  u('inStep', 'dilation / gcd(stride, dilation): input-index step between those taps'),
  u('gcdSD', 'gcd(stride, dilation)'),
  u('invDil', 'inverse of dilation/gcd modulo stride/gcd (0 when stride/gcd is 1)'),
  u('phases', 'stride phases that hold outputs, min(stride, out) per axis: the phase count a grid spans'),
];

/** Field name -> the (up to) 4 values it holds. */
export type UniformValues = Record<string, readonly number[]>;

/** Packs `values` into a uniform buffer laid out as `fields`; every field must be given, and nothing else. */
export function packUniforms(fields: readonly UniformField[], values: UniformValues): ArrayBuffer {
  const buf = new ArrayBuffer(fields.length * 16);
  const asU32 = new Uint32Array(buf);
  const asI32 = new Int32Array(buf);
  const asF32 = new Float32Array(buf);
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(values)) if (!known.has(name)) throw new Error(`uniforms: no field ${name}`);
  fields.forEach((f, slot) => {
    const v = values[f.name];
    if (!v || v.length > 4) throw new Error(`uniforms: field ${f.name} needs 1 to 4 values`);
    const view = f.type === 'vec4<i32>' ? asI32 : f.type === 'vec4<f32>' ? asF32 : asU32;
    for (let a = 0; a < v.length; a++) view[slot * 4 + a] = v[a];
  });
  return buf;
}

/** The WGSL declaration of `struct Params` for `fields`. */
export function uniformStruct(fields: readonly UniformField[]): string {
  const width = Math.max(...fields.map((f) => f.name.length + f.type.length + 3));
  const lines = fields.map((f) => `  ${`${f.name}: ${f.type},`.padEnd(width)} // ${f.doc}`);
  return `struct Params {\n${lines.join('\n')}\n}`;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Inverse of a modulo m (a and m coprime); 0 when m is 1. */
export function inverseMod(a: number, m: number): number {
  if (m === 1) return 0;
  let [r0, r1, t0, t1] = [m, a % m, 0, 1];
  while (r1) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % m) + m) % m;
}

/**
 * Where the elements of a tensor [N][C][D][H][W] sit in its bound buffer window: one element stride per axis
 * and the index of element 0. Channels-first and channels-last layouts, windows of a larger tensor (the
 * layer's chunks past the binding limit) and dense scratch tensors are all views.
 */
export interface TensorView {
  readonly n: number; readonly c: number; readonly d: number; readonly h: number; readonly w: number;
  readonly base: number;
}

/** The dense view of a [N][C][D][H][W] tensor stored channels-first (NC<spatial>) or channels-last (N<spatial>C). */
export function denseView(channels: number, spatial: readonly [number, number, number], channelsLast: boolean): TensorView {
  const [D, H, W] = spatial;
  if (channelsLast) return { c: 1, w: channels, h: W * channels, d: H * W * channels, n: D * H * W * channels, base: 0 };
  return { w: 1, h: W, d: H * W, c: D * H * W, n: channels * D * H * W, base: 0 };
}

/** Values of COMMON_FIELDS for a problem, its tensor views and its fused activation; `y` overrides the output view (scratch). */
export function commonValues(
  { p, activation, views }: { p: Problem3d; activation: ResolvedActivation; views: { x: TensorView; y: TensorView } }, ocBlocks: number,
  grid: { invocations: number; extra?: readonly [number, number] }, chanGw = 0, y: TensorView = views.y,
): UniformValues {
  const { x } = views;
  return {
    xStride: [x.d, x.h, x.w, x.c],
    yStride: [y.d, y.h, y.w, y.c],
    io: [x.n, y.n, x.base, y.base],
    act: [activation.a, activation.b],
    inSize: p.inS, outSize: p.outS, kernel: p.k, stride: p.s, dilation: p.d, padBegin: p.pb,
    chan: [p.N, p.Cin, p.Cout, p.G],
    chanG: [p.CinG, p.CoutG, ocBlocks, chanGw],
    grid: [grid.invocations, 0, ...(grid.extra ?? [0, 0])],
  };
}

/** Stride phases that hold outputs along each axis, min(stride, out) (at least 1): what a grid over phases spans. */
export function phaseCounts(p: Problem3d): number[] {
  return [0, 1, 2].map((a) => Math.max(1, Math.min(p.s[a], p.outS[a])));
}

/** Values of TAP_FIELDS for a problem. */
export function tapValues(p: Problem3d): UniformValues {
  const g = [0, 1, 2].map((a) => gcd(p.s[a], p.d[a]));
  const tapStep = [0, 1, 2].map((a) => p.s[a] / g[a]);
  const inStep = [0, 1, 2].map((a) => p.d[a] / g[a]);
  return { tapStep, inStep, gcdSD: g, invDil: [0, 1, 2].map((a) => inverseMod(inStep[a] % tapStep[a], tapStep[a])), phases: phaseCounts(p) };
}
