/**
 * What a kernel family is. A family is one folder under kernels/: its `.wgsl` bodies and a TS module that
 * describes them. Each kernel's descriptor (KernelDef) owns its interface: uniform fields, storage bindings by
 * name, workgroup size, the workgroup memory it needs. The family turns a planning context and a configuration
 * (register block, tile shape, split factor: whatever it can be tuned by) into a Plan, pure data that the layer
 * runs without knowing any family by name, and counts the work of that plan for the cost model.
 * A new family is its folder plus one line in registry.ts.
 */
import type { NumericArray } from '../../reference';
import { INVOCATIONS_FIELD, WORKGROUPS_FIELD, packUniforms, type UniformField, type UniformValues } from '../uniforms';
import type { Snippet } from '../wgsl/snippets';
import type { PlanContext } from '../plan/context';
import type { Work } from '../plan/cost';

/** Override constants a kernel is specialised with (WG, the workgroup size, among them). */
export type Overrides = Readonly<Record<string, number>>;

/**
 * A storage binding, declared by the composer as `@group(0) @binding(i) var<storage, access> name: type` in
 * descriptor order from 1 (0 is the uniform `P`). `input` is the layer's input x: `array<f32>`, or `array<u32>`
 * of packed float16 pairs for a float16 layer, read through `loadX` either way (wgsl/input.wgsl).
 */
export interface BindingDef {
  readonly name: string;
  readonly type: 'input' | 'array<f32>' | 'array<vec4<f32>>' | 'array<u32>';
  readonly access: 'read' | 'read_write';
}

/** The bindings most kernels share: x (the input), w and bias (packed vec4s of output channels), y (float32). */
export const BINDINGS = {
  x: { name: 'x', type: 'input', access: 'read' },
  w: { name: 'w', type: 'array<vec4<f32>>', access: 'read' },
  bias: { name: 'bias', type: 'array<vec4<f32>>', access: 'read' },
  y: { name: 'y', type: 'array<f32>', access: 'read_write' },
} as const satisfies Record<string, BindingDef>;

/** One compute kernel: a `.wgsl` body and what the TS side must know to compile, bind and dispatch it. */
export interface KernelDef {
  /** Unique name: with the storage type and override constants, the pipeline cache key. */
  readonly name: string;
  readonly body: string;
  /**
   * Shared WGSL the body uses (wgsl/snippets.ts), each after the snippets it needs; wgsl/compose.ts checks that
   * the kernel declares the fields and bindings they read. common.wgsl comes unasked, and the x reader with
   * an `input` binding.
   */
  readonly snippets: readonly Snippet[];
  /**
   * Its uniform fields (uniforms.ts). INVOCATIONS_FIELD or WORKGROUPS_FIELD, when declared, is filled by
   * makeStage with the stage's work count.
   */
  readonly fields: readonly UniformField[];
  readonly bindings: readonly BindingDef[];
  /** Invocations per workgroup for these overrides (the WG override); default DEFAULT_WORKGROUP_SIZE. */
  readonly workgroupSize?: (overrides: Overrides) => number;
  /** Bytes of workgroup memory for these overrides (checked against maxComputeWorkgroupStorageSize). */
  readonly workgroupBytes?: (overrides: Overrides) => number;
  /** The body specialises on FINITE_W (common.wgsl): set for layers whose weights are all finite. */
  readonly finiteWeights?: boolean;
}

/** Workgroup size of the kernels that do not say (one invocation per work item, 1-D). */
export const DEFAULT_WORKGROUP_SIZE = 64;

/** What a binding of a stage is bound to: the caller's tensors, the layer's packed weights, or a scratch buffer. */
export type Resource = 'input' | 'output' | 'weight' | 'bias' | `scratch:${string}`;

/** One dispatch. */
export interface Stage {
  readonly kernel: KernelDef;
  /** x is packed float16: the kernel is composed with the float16 reader (its name gets `/x-f16`). */
  readonly halfInput: boolean;
  /** Every override constant, WG included. */
  readonly overrides: Overrides;
  readonly uniforms: ArrayBuffer;
  /** Workgroups along x, y and z. */
  readonly grid: readonly [number, number, number];
  /** Each of the kernel's bindings by name. */
  readonly bind: Readonly<Record<string, Resource>>;
  /**
   * Most iterations one invocation runs of the loops whose trip counts come from the problem (taps, input
   * channels, K steps), all together: held within MAX_LOOP_ITERATIONS (plan/loop-budget.ts).
   */
  readonly loops: number;
}

/** Everything a layer needs to run one family's configuration on one problem. */
export interface Plan {
  readonly stages: readonly Stage[];
  /** Scratch buffers by name, in bytes. */
  readonly scratch: Readonly<Record<string, number>>;
  /** Size of the packed weights (known before packing, so a plan that does not fit costs no packing). */
  readonly weightBytes: number;
  /** The weights `[C_in, C_out/groups, ...kernel]` in the layout the stages read. */
  packWeights(w: NumericArray): Float32Array;
  /** The bias `[C_out]` (or none) in the layout the stages read. */
  packBias(bias: NumericArray | null | undefined): Float32Array;
}

/**
 * A kernel family. `Config` is what it can be tuned by; it is plain JSON data (shown in errors, cached by
 * tuning, forced by the `config` option).
 */
export interface Family<Name extends string = string, Config extends object = object> {
  readonly name: Name;
  /** One line for errors and docs. */
  readonly summary: string;
  /** Every kernel its plans can dispatch (compile tests iterate them). */
  readonly kernels: readonly KernelDef[];
  /** Why this family cannot run the problem at all (null: it can). */
  unsupported?(ctx: PlanContext): string | null;
  /** The configuration its rule picks for the context, without timing. */
  configFor(ctx: PlanContext): Config;
  /**
   * Configurations worth timing on this context, the rule's first; a pruned set (a handful), since `auto`
   * builds and times each on the device.
   */
  candidates(ctx: PlanContext): Config[];
  /**
   * Configurations valid on every problem that take the kernels through their edges (small tiles, ragged
   * splits, the other kernel of the family): tests run cases through them beside the rule.
   */
  readonly examples?: readonly Config[];
  /** The configuration a caller forces (the `config` option), checked; throws a TypeError naming `config`. */
  checkConfig(ctx: PlanContext, config: unknown): Config;
  plan(ctx: PlanContext, config: Config): Plan;
  /** The work the plan's dispatches issue (plan/cost.ts): what `auto` compares. */
  work(ctx: PlanContext, config: Config): Work[];
}

/** Declares a family, keeping its name's literal type (the registry derives `GpuPath` from it). */
export function defineFamily<const Name extends string, Config extends object>(family: Family<Name, Config>): Family<Name, Config> {
  return family;
}

/** A stage's name in `layer.dispatches` and GPU labels: the kernel's, with `/x-f16` when it reads packed float16. */
export function stageName(stage: Pick<Stage, 'kernel' | 'halfInput'>): string {
  return stage.halfInput ? `${stage.kernel.name}/x-f16` : stage.kernel.name;
}

/** Workgroup size of a kernel under these overrides. */
export function workgroupSizeOf(kernel: KernelDef, overrides: Overrides): number {
  return kernel.workgroupSize?.(overrides) ?? DEFAULT_WORKGROUP_SIZE;
}

/** Spreads `count` workgroups over x, then y, then z, each at most `maxPerDim`. */
export function gridFor(count: number, maxPerDim: number): [number, number, number] {
  const groups = Math.max(1, count);
  const x = Math.min(groups, maxPerDim);
  const rest = Math.ceil(groups / x);
  const y = Math.min(rest, maxPerDim);
  return [x, y, Math.ceil(rest / y)];
}

/**
 * A stage. Its work is either `invocations` (one per work item: the kernel folds its grid back into a linear
 * invocation index, common.wgsl: invocationIndex) or `workgroups` (the kernel folds its grid into a linear
 * workgroup index, common.wgsl: workgroupIndex); either way the grid spills from x into y and z past the
 * device's per-dimension limit. The stage's overrides get WG and what the context decides for the kernel:
 * FINITE_W (for kernels that specialise on it, only when set), ACT (kernels with the epilogue) and
 * CHANNELS_LAST (only when set), so channels-first pipelines keep the defaults and share the cache. Its
 * uniforms get the work count (`invocations` or `workgroups`) where the kernel declares that field.
 */
export function makeStage(ctx: PlanContext, s: {
  kernel: KernelDef; overrides?: Overrides; bind: Readonly<Record<string, Resource>>; values: UniformValues; loops?: number;
} & ({ invocations: number } | { workgroups: number })): Stage {
  const overrides: Record<string, number> = { ...s.overrides };
  if (ctx.finiteWeights && s.kernel.finiteWeights) overrides.FINITE_W = 1;
  if (s.kernel.snippets.includes('epilogue')) overrides.ACT = ctx.activation.code;
  if (ctx.channelsLast) overrides.CHANNELS_LAST = 1;
  const wg = workgroupSizeOf(s.kernel, overrides);
  overrides.WG = wg;
  const count = 'workgroups' in s ? s.workgroups : Math.ceil(s.invocations / wg);
  const values: UniformValues = { ...s.values };
  const declares = (f: UniformField) => s.kernel.fields.some((k) => k.name === f.name);
  if ('invocations' in s && declares(INVOCATIONS_FIELD)) values[INVOCATIONS_FIELD.name] = s.invocations;
  if ('workgroups' in s && declares(WORKGROUPS_FIELD)) values[WORKGROUPS_FIELD.name] = s.workgroups;
  for (const b of s.kernel.bindings) if (!(b.name in s.bind)) throw new Error(`${s.kernel.name}: binding ${b.name} is not bound`);
  return {
    kernel: s.kernel,
    halfInput: ctx.dataType === 'float16' && s.kernel.bindings.some((b) => b.type === 'input'),
    overrides,
    uniforms: packUniforms(s.kernel.fields, values),
    grid: gridFor(count, ctx.limits.maxWorkgroupsPerDimension),
    bind: s.bind,
    loops: s.loops ?? 0,
  };
}

/** Configurations without repeats (equal as JSON), in their first order: candidate lists built from variations. */
export function distinct<C>(configs: readonly C[]): C[] {
  const seen = new Set<string>();
  return configs.filter((c) => {
    const key = JSON.stringify(c);
    return !seen.has(key) && !!seen.add(key);
  });
}

/** A check of one setting of a configuration: a predicate and what it expects, in words. */
export type SettingCheck = readonly [(v: unknown) => boolean, string];

/** A setting that is one of `values`. */
export function oneOf(...values: readonly (number | string)[]): SettingCheck {
  return [(v) => values.includes(v as number | string), values.map((v) => JSON.stringify(v)).join(' or ')];
}

/** A setting that is an integer in [lo, hi]. */
export function intIn(lo: number, hi: number): SettingCheck {
  return [(v) => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi, `an integer from ${lo} to ${hi}`];
}

/**
 * Checks a configuration a caller forces against the checks of its settings: every setting must be given and
 * nothing else. Returns a frozen copy; throws a TypeError naming `config` and the setting.
 */
export function checkConfigFields<C extends object>(family: string, config: unknown, spec: Readonly<Record<string, SettingCheck>>): C {
  const keys = Object.keys(spec);
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError(`config: path '${family}' takes { ${keys.join(', ')} }, got ${JSON.stringify(config)}`);
  }
  const given = config as Record<string, unknown>;
  for (const k of Object.keys(given)) {
    if (!keys.includes(k)) throw new TypeError(`config: path '${family}' has no setting ${JSON.stringify(k)} (it takes ${keys.join(', ')})`);
  }
  for (const k of keys) {
    const [ok, expected] = spec[k];
    if (!ok(given[k])) throw new TypeError(`config.${k}: path '${family}' expects ${expected}, got ${JSON.stringify(given[k])}`);
  }
  return Object.freeze({ ...given }) as C;
}
