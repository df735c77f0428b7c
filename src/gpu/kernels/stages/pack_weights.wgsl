// Weights given on the GPU (layer-weights.ts): the packing a path's plan reads, done on the device as one
// gather. The host computes, once per layer, where each packed element comes from in the caller's weight (or
// bias) buffer (weight-maps.ts); this stage copies it there: dst[i] = x[src[i]], or 0 where src[i] is NONE
// (padding: channels past C_out/groups, tap slots a phase lacks). x is read through loadX, so a float16
// layer's weights are packed float16 words, widened exactly, like its input. Every path's packing is such a
// gather (layout permutation, flips, phase slots, channel blocks, chunk selections), so one stage serves all.
//
// Data: P.invocations = packed elements (dst and src length), P.sources = source elements (bounds check).

const NONE: u32 = 0xffffffffu;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = invocationIndex(wg, nwg, lid);
  if (i >= P.invocations) { return; }
  let s = src[i];
  // NONE (and, defensively, an index past the source) packs a zero.
  dst[i] = select(0.0, loadX(min(s, P.sources - 1u)), s < P.sources);
}
