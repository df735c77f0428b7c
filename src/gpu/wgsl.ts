/**
 * Composition of WGSL modules. Each compute shader is one real `.wgsl` file (its body); the parts they share
 * (the uniform struct, the dispatch helper, tap stepping, the store/activation epilogue, the input binding) are written once in
 * their own files and put in front of the body by `composeShader`, the only place shader text is joined.
 */
import common from '../../shaders/common.wgsl?raw';
import taps from '../../shaders/taps.wgsl?raw';
import epilogue from '../../shaders/epilogue.wgsl?raw';
import input from '../../shaders/input.wgsl?raw';
import inputF16 from '../../shaders/input_f16.wgsl?raw';
import { uniformStruct, type UniformField } from './uniforms';

/**
 * Shared WGSL a body may ask for. `taps` needs TAP_FIELDS in the uniform; `epilogue` needs the body to bind `y`;
 * `input` binds the input x at binding 1 as float32 with `loadX`; `input-f16` is its packed float16 twin, which
 * a body never names: `halfInput` swaps it in.
 */
const PARTS = { taps, epilogue, input, 'input-f16': inputF16 } as const;
export type WgslPart = keyof typeof PARTS;

/** A compute shader: its body, its uniform fields and the shared parts it uses. Compiled once per device and override set. */
export interface ShaderDef {
  /** Unique name; the pipeline cache key together with the override constants. */
  readonly name: string;
  readonly body: string;
  readonly fields: readonly UniformField[];
  readonly parts: readonly WgslPart[];
}

const composed = new WeakMap<ShaderDef, string>();

/** The full WGSL of a shader: generated uniform struct, common helpers, requested parts, then the body. */
export function composeShader(def: ShaderDef): string {
  let code = composed.get(def);
  if (code === undefined) {
    code = [`// ${def.name}: composed by src/gpu/wgsl.ts`, uniformStruct(def.fields), common, ...def.parts.map((p) => PARTS[p]), def.body].join('\n\n');
    composed.set(def, code);
  }
  return code;
}

const halves = new WeakMap<ShaderDef, ShaderDef>();

/**
 * The shader reading x as packed float16 (the part `input-f16` in place of `input`): a shader of its own, with
 * its own name, so the pipeline cache tells the two apart. The same object for the same `def`.
 */
export function halfInput(def: ShaderDef): ShaderDef {
  if (!def.parts.includes('input')) return def;
  let half = halves.get(def);
  if (half === undefined) {
    half = { ...def, name: `${def.name}/x-f16`, parts: def.parts.map((p) => (p === 'input' ? 'input-f16' : p)) };
    halves.set(def, half);
  }
  return half;
}
