// Memory ceiling of the adapter: how many bytes per second a plain buffer-to-buffer copy moves through a
// compute shader (one read and one write per element). The benchmark compares each layer's bytes/ms with it.
//
// Algorithm: a grid-stride loop. Invocation g copies vec4 elements g, g + T, g + 2T, ... where T is the total
// number of invocations, so consecutive invocations touch consecutive 16-byte words (coalesced on GPUs,
// sequential per SIMD lane group on CPU rasterisers) and any element count works with a fixed dispatch.
//
// Bindings (group 0):
//   0  uniform  params { count: u32 (vec4 elements to copy), stride: u32 (T = invocations in the dispatch) }
//   1  storage  src: array<vec4f> (read)
//   2  storage  dst: array<vec4f> (written)
//
// Dispatch: workgroup_size 256, dispatchWorkgroups(W) with W ≤ 65535 and stride = W · 256.
// Bytes moved per dispatch = count · 16 read + count · 16 written.

struct Params {
  count: u32,
  stride: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  for (var i = gid.x; i < params.count; i += params.stride) {
    dst[i] = src[i];
  }
}
