/**
 * float16 output for any family, as a transform of its plan (applied to every family in registry.ts, so no
 * family knows about it). The family plans as usual, but with its output view moved to a float32 staging buffer
 * (same strides, base 0); every stage that bound `output` binds the staging buffer instead, and one stage
 * (pack_f16.wgsl) narrows the staged values to float16 and packs them into the output, two to a u32.
 *
 * The output window must be one contiguous range of elements, [base, base + count) of the output buffer, as
 * it is for the whole tensor and for every chunk a layer splits its work into (plan/chunks.ts): then staged
 * element i is output element base + i, whatever the layout. base may be odd; the packing stage keeps the
 * other half of a word it shares with a neighbouring range.
 *
 * The float16 input needs no transform: kernels read x through loadX, composed for packed float16
 * (wgsl/input_f16.wgsl, chosen by makeStage from the context's dataType).
 */
import packWgsl from './pack_f16.wgsl?raw';
import { COMMON_FIELDS, INVOCATIONS_FIELD, commonValues, u32Field } from '../../uniforms';
import type { PlanContext } from '../../plan/context';
import { makeStage, type KernelDef, type Plan, type Resource } from '../kernel';

export const PACK_F16: KernelDef = {
  name: 'pack-f16', body: packWgsl, fields: [...COMMON_FIELDS, INVOCATIONS_FIELD, u32Field('count', 'elements of the output window')], snippets: [],
  bindings: [{ name: 'staged', type: 'array<f32>', access: 'read' }, { name: 'y', type: 'array<u32>', access: 'read_write' }],
};

/** The scratch buffer the kernels of a float16 layer write (float32, the output window's elements in order). */
export const HALF_STAGING = 'float32 staging of the float16 output';

/**
 * `plan(ctx)` as it is for float32 storage; for float16, the plan writing a float32 staging buffer followed by
 * the packing stage. Throws when the output view is not one contiguous range (never for the layer's views).
 */
export function withHalfOutput(ctx: PlanContext, plan: (ctx: PlanContext) => Plan): Plan {
  if (ctx.dataType !== 'float16') return plan(ctx);
  const { p, views: { y } } = ctx;
  const count = p.N * p.Cout * p.outS[0] * p.outS[1] * p.outS[2];
  // The view is one-to-one, so it covers a contiguous range exactly when its last element is count - 1 past its first.
  const last = (p.N - 1) * y.n + (p.Cout - 1) * y.c + (p.outS[0] - 1) * y.d + (p.outS[1] - 1) * y.h + (p.outS[2] - 1) * y.w;
  if (count > 0 && last + 1 !== count) {
    throw new RangeError(`dataType: a float16 output window must be one contiguous range of elements; this one spans ${last + 1} elements for ${count} cells`);
  }
  const inner = plan({ ...ctx, views: { x: ctx.views.x, y: { ...y, base: 0 } } });
  const staging: Resource = `scratch:${HALF_STAGING}`;
  const words = count === 0 ? 0 : Math.floor((y.base + count - 1) / 2) - Math.floor(y.base / 2) + 1;
  const pack = makeStage(ctx, {
    kernel: PACK_F16, invocations: words, bind: { staged: staging, y: 'output' },
    values: { ...commonValues(ctx), count },
  });
  const restage = (bind: Readonly<Record<string, Resource>>) => Object.fromEntries(Object.entries(bind).map(([k, v]) => [k, v === 'output' ? staging : v]));
  return {
    ...inner,
    stages: [...inner.stages.map((s) => ({ ...s, bind: restage(s.bind) })), pack],
    scratch: { ...inner.scratch, [HALF_STAGING]: count * 4 },
  };
}
