// Zero-insert path, dispatch 2 of 2: an ordinary stride-1, d-dilated convolution (cross-correlation) of the
// zero-inserted input z with the flipped, channel-swapped kernel:
//   y[n, oc, o] = bias[oc] + sum_{ic in group, k} z[n, g*C_in/G + ic, o + k*d] * w'[oc, ic, k]
// where w'[oc, ic, k] = W[g*C_in/G + ic, oc mod C_out/G, kernel-1-k] (prepared once on upload).
// z is already padded, so there are no bounds tests; most of the taps read inserted zeros, which is the cost
// of this method (about stride^dims times the gather path's multiply-adds).
//
// Exactness: an inserted zero or padding cell must add nothing, not 0*w (an Inf or NaN weight would turn
// it into NaN). With finite weights (FINITE_W, common.wgsl) 0*w is ±0 and adding it leaves a sum unchanged
// (sums start at +0, so they are never -0), so the plain FMA loop is exact. Otherwise, per tap, integer math
// on the uniform (zPad, stride, inSize: the test zero_insert.wgsl writes z by) tells which lanes read an input
// cell, and the loop keeps each lane's sum (select) where its cell is an inserted zero. Every tap is still
// visited and every z cell still read: the method and its cost stay the textbook's.
//
// Work per invocation: 4 consecutive output cells of a row times OCV*4 output channels (OCV vec4s of packed
// weights, OCV = 1 or 2, an override), so each tap and input channel costs 4 z loads + OCV vec4 weight loads
// for OCV*16 FMAs.
//
// Data: z dense [N][C_in][zD][zH][zW]; w' packed (binding w) [G][C_in/G][kD][kH][kW][ocBlocks] vec4; y as a view
// (common.wgsl: yIndex); P.wBlocks = ceil(outW / 4).

// Whether z coordinate zc along axis a holds an input cell rather than an inserted zero or padding (the
// landing test of zero_insert.wgsl: u = zc - zPad with u >= 0, u % s == 0 and u / s < in).
fn landsInput(zc: u32, a: u32) -> bool {
  let u = i32(zc) - P.zPad[a];
  let s = i32(P.stride[a]);
  return u >= 0 && u % s == 0 && u / s < i32(P.inSize[a]);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.invocations) { return; }
  let ocBlocks = P.chanG.z;
  var r = id;
  let wb = r % P.wBlocks; r = r / P.wBlocks;
  let oh = r % P.outSize.y; r = r / P.outSize.y;
  let od = r % P.outSize.x; r = r / P.outSize.x;
  let ocb = (r % (ocBlocks / OCV)) * OCV; r = r / (ocBlocks / OCV); // first vec4 block of this invocation
  let g = r % P.chan.w;
  let n = r / P.chan.w;
  let ow0 = 4u * wb;

  var acc = Block(); // block.wgsl: 4 lanes x OCV vec4s of output channels, all +0
  let kD = P.kernel.x;
  let kH = P.kernel.y;
  let kW = P.kernel.z;
  let cinG = P.chanG.x;
  let zPlane = P.zSize.x * P.zSize.y * P.zSize.z;
  let zGroup = (n * P.chan.y + g * cinG) * zPlane;           // first input channel of the group
  let wStride = kD * kH * kW * ocBlocks;                      // vec4s between input channels
  let wGroup = g * cinG * wStride + ocb;
  // Taps outside, input channels inside: the channel loop is long and its body is 5 loads and 4 vec4 FMAs.
  if (FINITE_W) {
    // Finite weights (the common case): inserted zeros times weights are ±0 and add nothing; no masks.
    for (var kd = 0u; kd < kD; kd++) {
      for (var kh = 0u; kh < kH; kh++) {
        let zRow = zGroup + ((od + kd * P.dilation.x) * P.zSize.y + oh + kh * P.dilation.y) * P.zSize.z + ow0;
        for (var kw = 0u; kw < kW; kw++) {
          var zo = zRow + kw * P.dilation.z;
          var wo = wGroup + ((kd * kH + kh) * kW + kw) * ocBlocks;
          for (var ic = 0u; ic < cinG; ic++) {
            blockFma(&acc, vec4<f32>(z[zo], z[zo + 1u], z[zo + 2u], z[zo + 3u]), wo);
            zo += zPlane;
            wo += wStride;
          }
        }
      }
    }
  } else {
    // Some weight is NaN or ±Inf: a lane whose z cell is an inserted zero or padding keeps its sum (select).
    let sW = i32(P.stride.z);
    let inW = vec4<i32>(i32(P.inSize.z));
    for (var kd = 0u; kd < kD; kd++) {
      let zd = od + kd * P.dilation.x;
      for (var kh = 0u; kh < kH; kh++) {
        let zh = oh + kh * P.dilation.y;
        let rowIn = landsInput(zd, 0u) && landsInput(zh, 1u);
        let zRow = zGroup + (zd * P.zSize.y + zh) * P.zSize.z + ow0;
        for (var kw = 0u; kw < kW; kw++) {
          var zo = zRow + kw * P.dilation.z;
          var wo = wGroup + ((kd * kH + kh) * kW + kw) * ocBlocks;
          // Lane c reads z column ow0 + kw*d + c: an input cell iff it passes the landing test.
          let u = vec4<i32>(i32(ow0 + kw * P.dilation.z) - P.zPad.z) + vec4<i32>(0, 1, 2, 3);
          let m = (u >= vec4<i32>(0)) & (u % vec4<i32>(sW) == vec4<i32>(0)) & (u / vec4<i32>(sW) < inW) & vec4<bool>(rowIn);
          for (var ic = 0u; ic < cinG; ic++) {
            blockFmaWhere(&acc, vec4<f32>(z[zo], z[zo + 1u], z[zo + 2u], z[zo + 3u]), wo, m);
            zo += zPlane;
            wo += wStride;
          }
        }
      }
    }
  }

  let lanes = min(4u, P.outSize.z - ow0); // outputs of this block inside the row
  blockStore(&acc, yIndex(n, g * P.chanG.y + ocb * 4u, od, oh, ow0), yStepW(), lanes, g, ocb);
}
