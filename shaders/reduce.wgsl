// Split-K reduction: y = finish(sum of the KSPLIT partial sums, bias), one output cell per invocation.
// The partials come from phase.wgsl run with KSPLIT > 1, each over its own chunk of input channels: KSPLIT
// dense [N][C_out][D][H][W] tensors in the layer's layout (channels-first or -last); adding them here in chunk
// order keeps the result deterministic.
//
// Bindings: 0 params (uniforms.ts: COMMON_FIELDS; grid.z = KSPLIT), 1 partials f32, 2 bias [G][ocBlocks] vec4,
// 3 y f32 [N][C_out][D][H][W] as a view (common.wgsl: yIndex).
// Dispatch: grid.x = N * C_out * outD * outH * outW invocations, one per partial cell in its dense order.

@group(0) @binding(1) var<storage, read> part: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  let total = P.grid.x;
  if (id >= total) { return; }
  let S = P.outSize.xyz;
  let cout = P.chan.z;
  var r = id;
  var c = 0u;
  if (CHANNELS_LAST) { c = r % cout; r = r / cout; }
  let ow = r % S.z; r = r / S.z;
  let oh = r % S.y; r = r / S.y;
  let od = r % S.x; r = r / S.x;
  if (!CHANNELS_LAST) { c = r % cout; r = r / cout; }
  let n = r;
  let coutG = P.chanG.y;
  let g = c / coutG;
  let oc = c - g * coutG;
  var sum = 0.0;
  for (var k = 0u; k < P.grid.z; k++) {
    sum += part[k * total + id];
  }
  let b = bias[g * P.chanG.z + oc / 4u][oc % 4u];
  y[yIndex(n, c, od, oh, ow)] = finish(vec4<f32>(sum), vec4<f32>(b)).x;
}
