// Zero-insert path, dispatch 2 of 2: an ordinary stride-1, d-dilated convolution (cross-correlation) of the
// zero-inserted input z with the flipped, channel-swapped kernel:
//   y[n, oc, o] = bias[oc] + sum_{ic in group, k} z[n, g*C_in/G + ic, o + k*d] * wc[oc, ic, k]
// where wc[oc, ic, k] = W[g*C_in/G + ic, oc mod C_out/G, kernel-1-k] (prepared once on upload).
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
// Data: z dense [N][C_in][zD][zH][zW]; wc packed [G][C_in/G][kD][kH][kW][ocBlocks] vec4; y as a view
// (common.wgsl: yIndex); P.grid.z = wBlocks = ceil(outW / 4).

override OCV: u32 = 1u; // vec4s of output channels per invocation: 1 or 2

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
  if (id >= P.grid.x) { return; }
  let ocBlocks = P.chanG.z;
  var r = id;
  let wb = r % P.grid.z; r = r / P.grid.z;
  let oh = r % P.outSize.y; r = r / P.outSize.y;
  let od = r % P.outSize.x; r = r / P.outSize.x;
  let ocb = (r % (ocBlocks / OCV)) * OCV; r = r / (ocBlocks / OCV); // first vec4 block of this invocation
  let g = r % P.chan.w;
  let n = r / P.chan.w;
  let ow0 = 4u * wb;

  // Sums start at +0 and the bias is added by finish() (epilogue.wgsl) after the last tap.
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  var acc4 = vec4<f32>(0.0);
  var acc5 = vec4<f32>(0.0);
  var acc6 = vec4<f32>(0.0);
  var acc7 = vec4<f32>(0.0);
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
            let z0 = vec4<f32>(z[zo]);
            let z1 = vec4<f32>(z[zo + 1u]);
            let z2 = vec4<f32>(z[zo + 2u]);
            let z3 = vec4<f32>(z[zo + 3u]);
            let wv = wc[wo];
            acc0 = fma(z0, wv, acc0);
            acc1 = fma(z1, wv, acc1);
            acc2 = fma(z2, wv, acc2);
            acc3 = fma(z3, wv, acc3);
            if (OCV == 2u) {
              let wv2 = wc[wo + 1u];
              acc4 = fma(z0, wv2, acc4);
              acc5 = fma(z1, wv2, acc5);
              acc6 = fma(z2, wv2, acc6);
              acc7 = fma(z3, wv2, acc7);
            }
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
          let m0 = vec4<bool>(m.x);
          let m1 = vec4<bool>(m.y);
          let m2 = vec4<bool>(m.z);
          let m3 = vec4<bool>(m.w);
          for (var ic = 0u; ic < cinG; ic++) {
            let z0 = vec4<f32>(z[zo]);
            let z1 = vec4<f32>(z[zo + 1u]);
            let z2 = vec4<f32>(z[zo + 2u]);
            let z3 = vec4<f32>(z[zo + 3u]);
            let wv = wc[wo];
            acc0 = select(acc0, fma(z0, wv, acc0), m0);
            acc1 = select(acc1, fma(z1, wv, acc1), m1);
            acc2 = select(acc2, fma(z2, wv, acc2), m2);
            acc3 = select(acc3, fma(z3, wv, acc3), m3);
            if (OCV == 2u) {
              let wv2 = wc[wo + 1u];
              acc4 = select(acc4, fma(z0, wv2, acc4), m0);
              acc5 = select(acc5, fma(z1, wv2, acc5), m1);
              acc6 = select(acc6, fma(z2, wv2, acc6), m2);
              acc7 = select(acc7, fma(z3, wv2, acc7), m3);
            }
            zo += zPlane;
            wo += wStride;
          }
        }
      }
    }
  }

  let coutG = P.chanG.y;
  let outPlane = P.yStride.w; // elements between output channels
  let base = yIndex(n, g * coutG + ocb * 4u, od, oh, ow0);
  let yW = yStepW();
  let lanes = min(4u, P.outSize.z - ow0); // outputs of this block inside the row
  let chans = min(4u, coutG - ocb * 4u);
  let b = bias[g * ocBlocks + ocb];
  store(base, outPlane, chans, finish(acc0, b));
  if (lanes > 1u) { store(base + yW, outPlane, chans, finish(acc1, b)); }
  if (lanes > 2u) { store(base + 2u * yW, outPlane, chans, finish(acc2, b)); }
  if (lanes > 3u) { store(base + 3u * yW, outPlane, chans, finish(acc3, b)); }
  if (OCV == 2u && coutG > ocb * 4u + 4u) {
    let base2 = base + 4u * outPlane;
    let chans2 = min(4u, coutG - ocb * 4u - 4u);
    let b2 = bias[g * ocBlocks + ocb + 1u];
    store(base2, outPlane, chans2, finish(acc4, b2));
    if (lanes > 1u) { store(base2 + yW, outPlane, chans2, finish(acc5, b2)); }
    if (lanes > 2u) { store(base2 + 2u * yW, outPlane, chans2, finish(acc6, b2)); }
    if (lanes > 3u) { store(base2 + 3u * yW, outPlane, chans2, finish(acc7, b2)); }
  }
}
