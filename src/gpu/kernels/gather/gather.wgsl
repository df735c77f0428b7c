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
// output channels of the group, zero-padded); P.wBlocks = ceil(ceil(outW/sW)/4).
// Invocation order: the W block varies fastest, so neighbouring invocations share phase, taps and weight loads.
//
// Exactness: sums start at +0 and the bias is added after the last tap (epilogue.wgsl), and a lane whose
// column falls outside the row adds nothing: its input is zeroed (select) and, with finite weights, 0*w = ±0
// leaves the sum as it is (FINITE_W, common.wgsl); when some weight is NaN or ±Inf, such lanes keep their sums (select).

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.invocations) { return; }
  let sW = P.stride.z;
  let ocBlocks = P.chanG.z;
  var r = id;
  let wb = r % P.wBlocks; r = r / P.wBlocks;
  let phase = r % P.phases.z; r = r / P.phases.z;
  let oh = r % P.outSize.y; r = r / P.outSize.y;
  let od = r % P.outSize.x; r = r / P.outSize.x;
  let ocb = (r % (ocBlocks / OCV)) * OCV; r = r / (ocBlocks / OCV); // first vec4 block of this invocation
  let g = r % P.chan.w;
  let n = r / P.chan.w;
  let ow0 = phase + sW * 4u * wb;

  var acc = Block(); // block.wgsl: 4 lanes x OCV vec4s of output channels, all +0

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
          // Interior (the common case): all 4 lanes inside the row, so no masks in the hot loop.
          var xo = xRow + u32(iw) * xW;
          for (var ic = 0u; ic < cinG; ic++) {
            blockFma(&acc, vec4<f32>(loadX(xo), loadX(xo + xW), loadX(xo + 2u * xW), loadX(xo + 3u * xW)), wo);
            xo += xC;
            wo += wStride;
          }
        } else {
          // Row edge: lanes whose column falls outside read a clamped, valid cell and add nothing. With finite
          // weights its value is zeroed (select, so an Inf or NaN there does not survive as 0*x) and 0*w = ±0
          // leaves the sum as it is; with a NaN or ±Inf weight those lanes keep their sums.
          let lane = vec4<i32>(iw) + vec4<i32>(0, 1, 2, 3);
          let m = (lane >= vec4<i32>(0)) & (vec4<i32>(inW) > lane);
          let c = vec4<u32>(clamp(lane, vec4<i32>(0), vec4<i32>(inW - 1))) * xW;
          var xo = xRow;
          for (var ic = 0u; ic < cinG; ic++) {
            let xv = vec4<f32>(loadX(xo + c.x), loadX(xo + c.y), loadX(xo + c.z), loadX(xo + c.w));
            if (FINITE_W) {
              blockFma(&acc, select(vec4<f32>(0.0), xv, m), wo);
            } else {
              blockFmaWhere(&acc, xv, wo, m);
            }
            xo += xC;
            wo += wStride;
          }
        }
      }
    }
  }

  if (ow0 >= P.outSize.z) { return; }
  let lanes = min(4u, (P.outSize.z - ow0 + sW - 1u) / sW); // outputs of this block inside the row
  blockStore(&acc, yIndex(n, g * P.chanG.y + ocb * 4u, od, oh, ow0), sW * yStepW(), lanes, g, ocb);
}
