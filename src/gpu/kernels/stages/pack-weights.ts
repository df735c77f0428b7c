/**
 * The stage that packs weights given as a GPU buffer (pack_weights.wgsl): one gather through an index map
 * computed on the host (gpu/weight-maps.ts). Not part of any family's plan: a layer runs it when its weights
 * change (gpu/layer-weights.ts), so the plan is the same whatever the weight values are.
 */
import packWgsl from './pack_weights.wgsl?raw';
import { COMMON_FIELDS, INVOCATIONS_FIELD, commonValues, u32Field } from '../../uniforms';
import type { PlanContext } from '../../plan/context';
import { makeStage, type KernelDef, type Stage } from '../kernel';

export const PACK_WEIGHTS: KernelDef = {
  name: 'pack-weights', body: packWgsl, snippets: [],
  // The common fields come with common.wgsl, which every kernel composes; the body reads the two counts.
  fields: [...COMMON_FIELDS, INVOCATIONS_FIELD, u32Field('sources', 'elements of the source (the caller\'s weight or bias)')],
  bindings: [
    // The caller's weight or bias, in the layer's storage type (packed float16 words for a float16 layer).
    { name: 'x', type: 'input', access: 'read' },
    { name: 'src', type: 'array<u32>', access: 'read' },
    { name: 'dst', type: 'array<f32>', access: 'read_write' },
  ],
};

/** The packing stage for `packed` elements gathered from a source of `sources` elements. */
export function packWeightsStage(ctx: PlanContext, packed: number, sources: number): Stage {
  return makeStage(ctx, {
    kernel: PACK_WEIGHTS, invocations: packed, bind: { x: 'weight', src: 'weight', dst: 'weight' },
    values: { ...commonValues(ctx), sources },
  });
}
