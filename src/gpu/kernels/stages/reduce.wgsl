// Split-K reduction: y = finish(sum of the P.ksplit partial sums, bias), one output cell per invocation, in
// the partials' dense order (the layer's layout). Adding them in chunk order keeps the result deterministic.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  let total = P.invocations;
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
  for (var k = 0u; k < P.ksplit; k++) {
    sum += partials[k * total + id];
  }
  let b = bias[g * P.chanG.z + oc / 4u][oc % 4u];
  y[yIndex(n, c, od, oh, ow)] = finish(vec4<f32>(sum), vec4<f32>(b)).x;
}
