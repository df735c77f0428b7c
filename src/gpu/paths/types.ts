/**
 * What a GPU path is: a module that turns a resolved problem into a plan (its dispatches with their uniforms
 * and grids, the scratch buffers they need, the bindings of each, and how the weights are packed). The layer
 * (layer.ts) runs any plan; it knows no path by name. Adding a path takes one module and its shader(s).
 */
import type { Problem3d, ResolvedConvTranspose } from '../../shape';
import type { NumericArray } from '../../reference';
import { WORKGROUP_SIZE, type Overrides } from '../pipelines';
import { packUniforms, type TensorView, type UniformValues } from '../uniforms';
import { halfInput, type ShaderDef } from '../wgsl';
import type { Work } from './cost';
import type { ResolvedActivation } from '../../activation';
import type { DataType } from '../../half';

/**
 * A buffer a stage binds, in binding order from 1 (0 is always the stage's uniform): the caller's input and
 * output, the layer's packed weights and bias, or a scratch buffer the plan declares.
 */
export type Binding = 'input' | 'output' | 'weight' | 'bias' | `scratch:${string}`;

/** One dispatch. */
export interface Stage {
  readonly shader: ShaderDef;
  readonly overrides: Overrides;
  readonly uniforms: ArrayBuffer;
  /** Workgroups along x and y. */
  readonly grid: [number, number];
  readonly bindings: readonly Binding[];
}

/** Everything a layer needs to run one path on one problem. */
export interface Plan {
  readonly stages: readonly Stage[];
  /** Scratch buffers by name, in bytes (f32 storage). */
  readonly scratch: Readonly<Record<string, number>>;
  /** Size of the packed weights (known before packing, so a plan that does not fit costs no packing). */
  readonly weightBytes: number;
  /** The weights `[C_in, C_out/groups, ...kernel]` in the layout the stages read. */
  packWeights(w: NumericArray): Float32Array;
  /** The bias `[C_out]` (or none) in the layout the stages read. */
  packBias(bias: NumericArray | null | undefined): Float32Array;
}

/** The kind of adapter a plan is made for. */
export type AdapterClass = 'cpu' | 'gpu';

/** What a path plans for: the problem, and the device facts that shape its dispatches. */
export interface PlanContext {
  readonly r: ResolvedConvTranspose;
  readonly p: Problem3d;
  readonly maxWorkgroupsPerDimension: number;
  /** min(maxStorageBufferBindingSize, maxBufferSize): the largest scratch buffer a plan may ask for. */
  readonly maxBindingBytes: number;
  /**
   * `cpu`: a CPU implementation of WebGPU (SwiftShader and kin: a few cores, so fewer, fatter invocations);
   * `gpu`: a real GPU (tens of thousands of invocations needed to fill it).
   */
  readonly adapter: AdapterClass;
  /** The fused activation every path's epilogue applies (its ACT override and uniform parameters). */
  readonly activation: ResolvedActivation;
  /** Where x and y sit in their bound buffers (layout, window): every stage indexes them through these. */
  readonly views: { readonly x: TensorView; readonly y: TensorView };
  /** x and y are channels-last (N<spatial>C): the CHANNELS_LAST override of every stage. */
  readonly channelsLast: boolean;
  /**
   * Storage type of x and y (absent: float32). float16: the stages that read x compose the packed reader
   * (wgsl.ts: halfInput, shaders/input_f16.wgsl), and the plan writes y through a float32 staging buffer and a packing stage
   * (paths/f16.ts: withHalfOutput, applied to every path's plan in paths/index.ts).
   */
  readonly dataType?: DataType;
  /**
   * Every weight is finite (absent: not known, treated as false). Kernels may then let a masked lane read 0,
   * since 0*w = ±0 adds nothing to a sum that starts at +0 (phase.wgsl: FINITE_W), instead of keeping its sums
   * with a select per accumulator.
   */
  readonly finiteWeights?: boolean;
}

/** A GPU path. */
export interface GpuPathModule {
  readonly name: string;
  /** One line for errors and docs. */
  readonly summary: string;
  plan(ctx: PlanContext): Plan;
  /** The work the plan's dispatches issue (cost.ts): what `auto` compares. */
  work(ctx: PlanContext): Work[];
}

/**
 * The FINITE_W override (common.wgsl) for a stage whose kernel reads it: set only when every weight is finite,
 * so pipelines of layers with a NaN or ±Inf weight keep the default (false: masked lanes skipped by select).
 */
export function finiteWeightsOverride(ctx: PlanContext): Overrides {
  return ctx.finiteWeights ? { FINITE_W: 1 } : {};
}

/** Splits `invocations` into a 2-D grid of workgroups that fits maxComputeWorkgroupsPerDimension. */
export function gridFor(invocations: number, maxPerDim: number): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / WORKGROUP_SIZE));
  const x = Math.min(groups, maxPerDim);
  return [x, Math.ceil(groups / x)];
}

/**
 * A stage whose uniform holds `values(groupsX)`: the grid is computed first because the shaders fold the
 * 2-D grid back into a linear invocation index with it.
 */
export function makeStage(ctx: PlanContext, s: {
  shader: ShaderDef; overrides?: Overrides; invocations: number; bindings: readonly Binding[];
  values: (groupsX: number) => UniformValues;
}): Stage {
  const grid = gridFor(s.invocations, ctx.maxWorkgroupsPerDimension);
  // Shaders with the store epilogue are specialised for the layer's activation, and every stage for the layout
  // (only when channels-last, so channels-first pipelines keep the default and share the cache); shaders that
  // read x are composed for its storage type (a float16 layer's stages are shaders of their own).
  const shader = ctx.dataType === 'float16' ? halfInput(s.shader) : s.shader;
  const overrides: Record<string, number> = { ...s.overrides };
  if (s.shader.parts.includes('epilogue')) overrides.ACT = ctx.activation.code;
  if (ctx.channelsLast) overrides.CHANNELS_LAST = 1;
  return { shader, overrides, grid, bindings: s.bindings, uniforms: packUniforms(shader.fields, s.values(grid[0])) };
}
