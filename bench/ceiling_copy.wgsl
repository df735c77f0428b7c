// Memory ceiling of the adapter: how many bytes per second a plain buffer-to-buffer copy moves through a
// compute shader (one read and one write per element). The benchmark compares each layer's bytes/ms with it.
//
// Two access patterns, because no single one is best everywhere; the benchmark times both and keeps the faster:
//   strided  a grid-stride loop: invocation g copies vec4 elements g, g + T, g + 2T, ... (T = invocations in the
//            dispatch). Neighbouring invocations touch neighbouring 16-byte words: coalesced on GPUs.
//   blocked  invocation g copies the contiguous run [g·B, (g+1)·B) of B = `block` elements. Each invocation
//            streams through its own memory: what CPU rasterisers such as SwiftShader (one invocation per SIMD
//            lane, gathers across lanes) handle best.
//
// Bindings (group 0), shared by both entry points:
//   0  uniform  params { count: u32 (vec4 elements to copy), stride: u32 (strided: T), block: u32 (blocked: B) }
//   1  storage  src: array<vec4f> (read)
//   2  storage  dst: array<vec4f> (written)
//
// Dispatch (workgroup_size 256 for both):
//   strided  dispatchWorkgroups(W), W ≤ 65535, stride = W · 256; any count.
//   blocked  dispatchWorkgroups(ceil(count / (B · 256))); the last invocations stop at `count`.
// Bytes moved per dispatch = count · 16 read + count · 16 written.

struct Params {
  count: u32,
  stride: u32,
  block: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;

@compute @workgroup_size(256)
fn strided(@builtin(global_invocation_id) gid: vec3u) {
  for (var i = gid.x; i < params.count; i += params.stride) {
    dst[i] = src[i];
  }
}

@compute @workgroup_size(256)
fn blocked(@builtin(global_invocation_id) gid: vec3u) {
  let start = gid.x * params.block;
  let end = min(start + params.block, params.count);
  for (var i = start; i < end; i++) {
    dst[i] = src[i];
  }
}
