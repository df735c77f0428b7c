/**
 * Uniform blocks: the one source of their layout. A kernel's `struct Params` is generated from a field list
 * here (see wgsl/compose.ts), and the host packs values by field name with the same list, so the two sides cannot
 * drift apart. A field is a vec4 of 4-byte scalars (one meaning per axis or per component) or one named scalar;
 * offsets follow WGSL's uniform layout (vec4s 16-byte aligned, scalars 4-byte aligned). Each field means one
 * thing in every kernel that declares it: what only one kernel needs is a field of that kernel's own.
 */
import type { ResolvedActivation } from '../activation';
import type { Problem3d } from '../shape';
import { phaseGrid, phaseCounts, phaseSlots, tapSteps } from './geometry';

export type FieldType = 'u32' | 'i32' | 'f32' | 'vec4<u32>' | 'vec4<i32>' | 'vec4<f32>';

/** One field of a uniform struct. */
export interface UniformField {
  readonly name: string;
  readonly type: FieldType;
  /** Shown as a comment in the generated struct. */
  readonly doc: string;
}

const u = (name: string, doc: string): UniformField => ({ name, type: 'vec4<u32>', doc });

/** A u32 scalar field (a count a kernel's index math needs). */
export const u32Field = (name: string, doc: string): UniformField => ({ name, type: 'u32', doc });

/** Fields every convolution shader reads. Spatial vectors hold the axes as (D, H, W, unused). */
export const COMMON_FIELDS: readonly UniformField[] = [
  u('inSize', 'input spatial size'),
  u('outSize', 'output spatial size'),
  u('kernel', 'kernel size'),
  u('stride', 'strides'),
  u('dilation', 'dilations'),
  u('padBegin', 'cells removed at the start of each output axis'),
  u('chan', 'N, C_in, C_out, groups'),
  u('chanG', 'C_in/groups, C_out/groups, vec4 blocks of output channels per group (as packed), unused'),
  u('xStride', 'input element strides along D, H, W and channels (common.wgsl: xIndex)'),
  u('yStride', 'output element strides along D, H, W and channels (common.wgsl: yIndex)'),
  u('io', 'input batch stride, output batch stride, input base, output base (elements, in the bound windows)'),
  { name: 'act', type: 'vec4<f32>', doc: 'fused activation parameters (epilogue.wgsl): alpha or min, beta or max' },
];

/**
 * The work count of a stage, set by makeStage (kernels/kernel.ts) for the kernels that declare it: invocations
 * that do work, for a stage dispatched per invocation (the rest of the last workgroup returns) ...
 */
export const INVOCATIONS_FIELD = u32Field('invocations', 'invocations that do work (the rest return)');
/** ... or workgroups that do work, for a stage dispatched per workgroup (whole workgroups return). */
export const WORKGROUPS_FIELD = u32Field('workgroups', 'workgroups that do work (whole ones return)');

/** Fields of the shaders that walk only the taps landing on input cells (taps.wgsl). */
export const TAP_FIELDS: readonly UniformField[] = [
  u('tapStep', 'stride / gcd(stride, dilation): kernel-index step between taps that hit input cells'),
  u('inStep', 'dilation / gcd(stride, dilation): input-index step between those taps'),
  u('gcdSD', 'gcd(stride, dilation)'),
  u('invDil', 'inverse of dilation/gcd modulo stride/gcd (0 when stride/gcd is 1)'),
  u('phases', 'stride phases that hold outputs, min(stride, out) per axis: the phase count a grid spans'),
];

/** Fields of the shaders that run stride phases as GEMMs on the per-phase packed weights (phases.wgsl). */
export const PHASE_FIELDS: readonly UniformField[] = [
  u('phaseGrid', 'phase-grid size ceil(out/s) per axis'),
  u('phaseTaps', 'tap slots per phase ceil(k/(s/gcd)) per axis'),
  u('phaseFirsts', 'distinct first taps min(s/gcd, k) per axis'),
];

/** Field name -> its value (a scalar field) or up to 4 values (a vec4 field). */
export type UniformValues = Record<string, number | readonly number[]>;

const isScalar = (t: FieldType) => !t.startsWith('vec4');

/** Offsets of the fields in 4-byte words, and the struct's size in bytes (a multiple of 16). */
function layout(fields: readonly UniformField[]): { words: number[]; bytes: number } {
  let at = 0;
  const words = fields.map((f) => {
    if (!isScalar(f.type)) at = Math.ceil(at / 4) * 4;
    const here = at;
    at += isScalar(f.type) ? 1 : 4;
    return here;
  });
  return { words, bytes: Math.ceil(at / 4) * 16 };
}

/** Packs `values` into a uniform buffer laid out as `fields`; every field must be given, and nothing else. */
export function packUniforms(fields: readonly UniformField[], values: UniformValues): ArrayBuffer {
  const { words, bytes } = layout(fields);
  const buf = new ArrayBuffer(bytes);
  const asU32 = new Uint32Array(buf);
  const asI32 = new Int32Array(buf);
  const asF32 = new Float32Array(buf);
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(values)) if (!known.has(name)) throw new Error(`uniforms: no field ${name}`);
  fields.forEach((f, i) => {
    const given = values[f.name];
    const v = typeof given === 'number' ? [given] : given;
    if (!v || v.length < 1 || v.length > (isScalar(f.type) ? 1 : 4)) {
      throw new Error(`uniforms: field ${f.name} needs ${isScalar(f.type) ? 'one value' : '1 to 4 values'}`);
    }
    const view = f.type.includes('i32') ? asI32 : f.type.includes('f32') ? asF32 : asU32;
    for (let a = 0; a < v.length; a++) view[words[i] + a] = v[a];
  });
  return buf;
}

/** The WGSL declaration of `struct Params` for `fields`. */
export function uniformStruct(fields: readonly UniformField[]): string {
  const width = Math.max(...fields.map((f) => f.name.length + f.type.length + 3));
  const lines = fields.map((f) => `  ${`${f.name}: ${f.type},`.padEnd(width)} // ${f.doc}`);
  return `struct Params {\n${lines.join('\n')}\n}`;
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

/** What the values of the shared fields come from: the problem, its fused activation and its tensor views. */
export interface ValuesSource {
  readonly p: Problem3d;
  readonly activation: ResolvedActivation;
  readonly views: { readonly x: TensorView; readonly y: TensorView };
}

/**
 * Values of COMMON_FIELDS for a problem, its tensor views and its fused activation. `ocBlocks`: vec4 blocks of
 * output channels per group as the stage's weights and bias are packed; `y` overrides the output view (scratch).
 */
export function commonValues({ p, activation, views }: ValuesSource, o: { ocBlocks?: number; y?: TensorView } = {}): UniformValues {
  const { x } = views;
  const y = o.y ?? views.y;
  return {
    xStride: [x.d, x.h, x.w, x.c],
    yStride: [y.d, y.h, y.w, y.c],
    io: [x.n, y.n, x.base, y.base],
    act: [activation.a, activation.b],
    inSize: p.inS, outSize: p.outS, kernel: p.k, stride: p.s, dilation: p.d, padBegin: p.pb,
    chan: [p.N, p.Cin, p.Cout, p.G],
    chanG: [p.CinG, p.CoutG, o.ocBlocks ?? 0],
  };
}

/** Values of TAP_FIELDS for a problem. */
export function tapValues(p: Problem3d): UniformValues {
  const { gcd, tapStep, inStep, invDil } = tapSteps(p);
  return { tapStep, inStep, gcdSD: gcd, invDil, phases: phaseCounts(p) };
}

/** Values of COMMON_FIELDS, TAP_FIELDS and PHASE_FIELDS: what every phase-GEMM kernel shares (see commonValues). */
export function phaseValues(src: ValuesSource, o: { ocBlocks: number; y?: TensorView }): UniformValues {
  const { firsts, slots } = phaseSlots(src.p);
  return { ...commonValues(src, o), ...tapValues(src.p), phaseGrid: phaseGrid(src.p), phaseTaps: slots, phaseFirsts: firsts };
}
