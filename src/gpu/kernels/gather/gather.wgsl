// Direct scatter-gather transposed convolution: one dispatch, each output cell gathers exactly the input
// cells that would scatter into it.
//
// An invocation walks only the taps that land on input cells (taps.wgsl: firstTap, tapRange), with tap
// ranges clipped to 0 <= i < in and k < kernel up front: no per-tap divisibility test, integer math only.
//
// Work per invocation: 4 output cells of one row that share a tap set (ow, ow+s, ow+2s, ow+3s: same phase
// ow mod s, consecutive input columns) times OCV*4 output channels (OCV vec4s of the packed weights, OCV = 1
// or 2, an override), so each tap and input channel costs 4 input loads + OCV vec4 weight loads for
// OCV*16 FMAs.
//
// Data: x and y as views (common.wgsl: xIndex, yIndex); w packed [G][C_in/G][kD][kH][kW][ocBlocks] vec4 (4
// output channels of the group, zero-padded); P.grid.z = wBlocks = ceil(ceil(outW/sW)/4).
// Invocation order: the W block varies fastest, so neighbouring invocations share phase, taps and weight loads.
//
// Exactness: sums start at +0 and the bias is added after the last tap (epilogue.wgsl), and a lane whose
// column falls outside the row adds nothing: its input is zeroed (select) and, with finite weights, 0*w = ±0
// leaves the sum as it is (FINITE_W, common.wgsl); when some weight is NaN or ±Inf, such lanes keep their sums (select).

override OCV: u32 = 1u; // vec4s of output channels per invocation: 1 or 2

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.grid.x) { return; }
  let sW = P.stride.z;
  let ocBlocks = P.chanG.z;
  var r = id;
  let wb = r % P.grid.z; r = r / P.grid.z;
  let phase = r % P.phases.z; r = r / P.phases.z;
  let oh = r % P.outSize.y; r = r / P.outSize.y;
  let od = r % P.outSize.x; r = r / P.outSize.x;
  let ocb = (r % (ocBlocks / OCV)) * OCV; r = r / (ocBlocks / OCV); // first vec4 block of this invocation
  let g = r % P.chan.w;
  let n = r / P.chan.w;
  let ow0 = phase + sW * 4u * wb;

  // Sums start at +0 and the bias is added by finish() (epilogue.wgsl) after the last tap.
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  var acc4 = vec4<f32>(0.0);
  var acc5 = vec4<f32>(0.0);
  var acc6 = vec4<f32>(0.0);
  var acc7 = vec4<f32>(0.0);

  let fd = firstTap(od, 0u);
  let fh = firstTap(oh, 1u);
  let fw = firstTap(ow0, 2u);
  let rd = tapRange(fd, fd.y, 0u);
  let rh = tapRange(fh, fh.y, 1u);
  let rw = tapRange(fw, fw.y + 3, 2u); // lane c reads input column i + c
  let inW = i32(P.inSize.z);
  let xW = xStepW();
  let xC = P.xStride.w;                                       // elements between input channels
  let kH = P.kernel.y;
  let kW = P.kernel.z;
  let cinG = P.chanG.x;
  let xGroup = xIndex(n, g * cinG, 0u, 0u, 0u);              // first input channel of the group
  let wStride = P.kernel.x * kH * kW * ocBlocks;             // vec4s between input channels
  let wGroup = g * cinG * wStride + ocb;
  // Taps outside, input channels inside: the channel loop is long (C_in/groups), its body is 5 loads and
  // 4 vec4 FMAs, and the lanes' bounds are settled once per tap rather than once per load.
  for (var jd = 0; jd < rd.z; jd++) {
    let kd = u32(rd.x + jd * i32(P.tapStep.x));
    let id_ = u32(rd.y - jd * i32(P.inStep.x));
    for (var jh = 0; jh < rh.z; jh++) {
      let kh = u32(rh.x + jh * i32(P.tapStep.y));
      let ih = u32(rh.y - jh * i32(P.inStep.y));
      let xRow = xGroup + id_ * P.xStride.x + ih * P.xStride.y;
      for (var jw = 0; jw < rw.z; jw++) {
        let kw = u32(rw.x + jw * i32(P.tapStep.z));
        let iw = rw.y - jw * i32(P.inStep.z);
        var wo = wGroup + ((kd * kH + kh) * kW + kw) * ocBlocks;
        if (iw >= 0 && iw + 3 < inW) {
          // Interior (the common case): all 4 lanes inside the row, so no masks in the hot loop. The edge
          // loop below is the same loop with masked loads; merging them would put the masks back here.
          var xo = xRow + u32(iw) * xW;
          for (var ic = 0u; ic < cinG; ic++) {
            let x0 = vec4<f32>(loadX(xo));
            let x1 = vec4<f32>(loadX(xo + xW));
            let x2 = vec4<f32>(loadX(xo + 2u * xW));
            let x3 = vec4<f32>(loadX(xo + 3u * xW));
            let wv = w[wo];
            acc0 = fma(x0, wv, acc0);
            acc1 = fma(x1, wv, acc1);
            acc2 = fma(x2, wv, acc2);
            acc3 = fma(x3, wv, acc3);
            if (OCV == 2u) {
              let wv2 = w[wo + 1u];
              acc4 = fma(x0, wv2, acc4);
              acc5 = fma(x1, wv2, acc5);
              acc6 = fma(x2, wv2, acc6);
              acc7 = fma(x3, wv2, acc7);
            }
            xo += xC;
            wo += wStride;
          }
        } else if (FINITE_W) {
          // Row edge, finite weights: lanes whose column falls outside read a clamped, valid cell, zeroed
          // (select, so an Inf or NaN there does not survive as 0*x), and 0*w = ±0 adds nothing.
          let lane = vec4<i32>(iw) + vec4<i32>(0, 1, 2, 3);
          let m = (lane >= vec4<i32>(0)) & (vec4<i32>(inW) > lane);
          let c = vec4<u32>(clamp(lane, vec4<i32>(0), vec4<i32>(inW - 1))) * xW;
          var xo = xRow;
          for (var ic = 0u; ic < cinG; ic++) {
            let xm = select(vec4<f32>(0.0), vec4<f32>(loadX(xo + c.x), loadX(xo + c.y), loadX(xo + c.z), loadX(xo + c.w)), m);
            let x0 = vec4<f32>(xm.x);
            let x1 = vec4<f32>(xm.y);
            let x2 = vec4<f32>(xm.z);
            let x3 = vec4<f32>(xm.w);
            let wv = w[wo];
            acc0 = fma(x0, wv, acc0);
            acc1 = fma(x1, wv, acc1);
            acc2 = fma(x2, wv, acc2);
            acc3 = fma(x3, wv, acc3);
            if (OCV == 2u) {
              let wv2 = w[wo + 1u];
              acc4 = fma(x0, wv2, acc4);
              acc5 = fma(x1, wv2, acc5);
              acc6 = fma(x2, wv2, acc6);
              acc7 = fma(x3, wv2, acc7);
            }
            xo += xC;
            wo += wStride;
          }
        } else {
          // Row edge, some weight NaN or ±Inf (0*w would be NaN): lanes outside the row keep their sums.
          let lane = vec4<i32>(iw) + vec4<i32>(0, 1, 2, 3);
          let m = (lane >= vec4<i32>(0)) & (vec4<i32>(inW) > lane);
          let m0 = vec4<bool>(m.x);
          let m1 = vec4<bool>(m.y);
          let m2 = vec4<bool>(m.z);
          let m3 = vec4<bool>(m.w);
          let c = vec4<u32>(clamp(lane, vec4<i32>(0), vec4<i32>(inW - 1))) * xW;
          var xo = xRow;
          for (var ic = 0u; ic < cinG; ic++) {
            let x0 = vec4<f32>(loadX(xo + c.x));
            let x1 = vec4<f32>(loadX(xo + c.y));
            let x2 = vec4<f32>(loadX(xo + c.z));
            let x3 = vec4<f32>(loadX(xo + c.w));
            let wv = w[wo];
            acc0 = select(acc0, fma(x0, wv, acc0), m0);
            acc1 = select(acc1, fma(x1, wv, acc1), m1);
            acc2 = select(acc2, fma(x2, wv, acc2), m2);
            acc3 = select(acc3, fma(x3, wv, acc3), m3);
            if (OCV == 2u) {
              let wv2 = w[wo + 1u];
              acc4 = select(acc4, fma(x0, wv2, acc4), m0);
              acc5 = select(acc5, fma(x1, wv2, acc5), m1);
              acc6 = select(acc6, fma(x2, wv2, acc6), m2);
              acc7 = select(acc7, fma(x3, wv2, acc7), m3);
            }
            xo += xC;
            wo += wStride;
          }
        }
      }
    }
  }

  let coutG = P.chanG.y;
  if (ow0 >= P.outSize.z) { return; }
  let outPlane = P.yStride.w; // elements between output channels
  let base = yIndex(n, g * coutG + ocb * 4u, od, oh, ow0);
  let step = sW * yStepW();
  let lanes = min(4u, (P.outSize.z - ow0 + sW - 1u) / sW); // outputs of this block inside the row
  let chans = min(4u, coutG - ocb * 4u);
  let b = bias[g * ocBlocks + ocb];
  store(base, outPlane, chans, finish(acc0, b));
  if (lanes > 1u) { store(base + step, outPlane, chans, finish(acc1, b)); }
  if (lanes > 2u) { store(base + 2u * step, outPlane, chans, finish(acc2, b)); }
  if (lanes > 3u) { store(base + 3u * step, outPlane, chans, finish(acc3, b)); }
  if (OCV == 2u && coutG > ocb * 4u + 4u) {
    let base2 = base + 4u * outPlane;
    let chans2 = min(4u, coutG - ocb * 4u - 4u);
    let b2 = bias[g * ocBlocks + ocb + 1u];
    store(base2, outPlane, chans2, finish(acc4, b2));
    if (lanes > 1u) { store(base2 + step, outPlane, chans2, finish(acc5, b2)); }
    if (lanes > 2u) { store(base2 + 2u * step, outPlane, chans2, finish(acc6, b2)); }
    if (lanes > 3u) { store(base2 + 3u * step, outPlane, chans2, finish(acc7, b2)); }
  }
}
