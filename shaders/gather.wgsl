// Direct scatter-gather transposed convolution: one dispatch, each output cell gathers exactly the input
// cells that would scatter into it.
//
// Along one axis, input cell i reaches output cell o through tap k when o = i*s - p + k*d, i.e. k*d ≡ t
// (mod s) with t = o + p. With g = gcd(s, d) there are taps only when g divides t; the first is
// k0 = (t/g mod s/g) * inv(d/g) mod s/g, its input i0 = (t - k0*d) / s, and the next ones follow with
// k += s/g, i -= d/g. So an invocation walks only the taps that land on input cells: no per-tap
// divisibility test, all integer arithmetic, tap ranges clipped to 0 <= i < in and k < kernel up front.
//
// Work per invocation: 4 output cells of one row that share a tap set (ow, ow+s, ow+2s, ow+3s: same phase
// ow mod s, consecutive input columns) times OCV*4 output channels (OCV vec4s of the packed weights, OCV = 1
// or 2, an override), so each tap and input channel costs 4 input loads + OCV vec4 weight loads for
// OCV*16 FMAs.
//
// Bindings: 0 params (params.wgsl), 1 x [N][C_in][D][H][W] f32, 2 w packed [G][C_in/G][kD][kH][kW][ocBlocks]
// vec4 (4 output channels of the group, zero-padded), 3 bias [G][ocBlocks] vec4, 4 y [N][C_out][D][H][W] f32.
// Dispatch: grid.x = N * G * (ocBlocks/OCV) * outD * outH * sW * wBlocks invocations (ocBlocks a multiple of OCV), wBlocks = ceil(ceil(outW/sW)/4);
// the W block index varies fastest so neighbouring invocations share phase, taps and weight loads.

override OCV: u32 = 1u; // vec4s of output channels per invocation: 1 or 2

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

// First tap on axis a for output coordinate o: (k0, i0, ok). i0 may lie outside the input; tapRange clips.
fn firstTap(o: u32, a: u32) -> vec3<i32> {
  let t = o + P.padBegin[a];
  let g = P.gcdSD[a];
  if (t % g != 0u) { return vec3<i32>(0, 0, 0); }
  let sg = P.tapStep[a];
  let k0 = ((t / g) % sg) * P.invDil[a] % sg;
  let i0 = (i32(t) - i32(k0 * P.dilation[a])) / i32(P.stride[a]); // exact: t - k0*d is a multiple of s
  return vec3<i32>(i32(k0), i0, 1);
}

// Taps j = 0, 1, ... with k = k0 + j*tapStep < kernel and, for some lane, 0 <= i - j*inStep < in, where the
// lanes' first inputs span iLo..iHi. Returns (first k, first i of the lowest lane, tap count).
fn tapRange(f: vec3<i32>, iHi: i32, a: u32) -> vec3<i32> {
  if (f.z == 0) { return vec3<i32>(0, 0, 0); }
  let n = i32(P.inSize[a]);
  let kn = i32(P.kernel[a]);
  let sg = i32(P.tapStep[a]);
  let dg = i32(P.inStep[a]);
  var j0 = 0;
  if (f.y >= n) { j0 = (f.y - n + dg) / dg; }
  var j1 = 0;
  if (iHi >= 0) { j1 = min((kn - f.x + sg - 1) / sg, iHi / dg + 1); }
  return vec3<i32>(f.x + j0 * sg, f.y - j0 * dg, max(j1 - j0, 0));
}

// Writes up to 4 output channels (one plane apart) of one output cell.
fn store(at: u32, plane: u32, chans: u32, v: vec4<f32>) {
  y[at] = v.x;
  if (chans > 1u) { y[at + plane] = v.y; }
  if (chans > 2u) { y[at + 2u * plane] = v.z; }
  if (chans > 3u) { y[at + 3u * plane] = v.w; }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.grid.x) { return; }
  let sW = P.stride.z;
  let ocBlocks = P.chanG.z;
  var r = id;
  let wb = r % P.chanG.w; r = r / P.chanG.w;
  let phase = r % sW; r = r / sW;
  let oh = r % P.outSize.y; r = r / P.outSize.y;
  let od = r % P.outSize.x; r = r / P.outSize.x;
  let ocb = (r % (ocBlocks / OCV)) * OCV; r = r / (ocBlocks / OCV); // first vec4 block of this invocation
  let g = r % P.chan.w;
  let n = r / P.chan.w;
  let ow0 = phase + sW * 4u * wb;

  let b = bias[g * ocBlocks + ocb];
  var acc0 = b;
  var acc1 = b;
  var acc2 = b;
  var acc3 = b;
  let b2 = bias[g * ocBlocks + ocb + OCV - 1u]; // == b when OCV is 1, and then unused
  var acc4 = b2;
  var acc5 = b2;
  var acc6 = b2;
  var acc7 = b2;

  let fd = firstTap(od, 0u);
  let fh = firstTap(oh, 1u);
  let fw = firstTap(ow0, 2u);
  let rd = tapRange(fd, fd.y, 0u);
  let rh = tapRange(fh, fh.y, 1u);
  let rw = tapRange(fw, fw.y + 3, 2u); // lane c reads input column i + c
  let inW = i32(P.inSize.z);
  let kH = P.kernel.y;
  let kW = P.kernel.z;
  let cinG = P.chanG.x;
  let inPlane = P.inSize.x * P.inSize.y * P.inSize.z;
  let xGroup = (n * P.chan.y + g * cinG) * inPlane;         // first input channel of the group
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
      let xRow = xGroup + (id_ * P.inSize.y + ih) * P.inSize.z;
      for (var jw = 0; jw < rw.z; jw++) {
        let kw = u32(rw.x + jw * i32(P.tapStep.z));
        let iw = rw.y - jw * i32(P.inStep.z);
        var wo = wGroup + ((kd * kH + kh) * kW + kw) * ocBlocks;
        if (iw >= 0 && iw + 3 < inW) {
          // Interior (the common case): all 4 lanes inside the row, so no masks in the hot loop. The edge
          // loop below is the same loop with masked loads; merging them would put the masks back here.
          var xo = xRow + u32(iw);
          for (var ic = 0u; ic < cinG; ic++) {
            let x0 = vec4<f32>(x[xo]);
            let x1 = vec4<f32>(x[xo + 1u]);
            let x2 = vec4<f32>(x[xo + 2u]);
            let x3 = vec4<f32>(x[xo + 3u]);
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
            xo += inPlane;
            wo += wStride;
          }
        } else {
          // Row edge: lanes whose column falls outside read a valid cell and are masked to zero.
          let lane = vec4<i32>(iw) + vec4<i32>(0, 1, 2, 3);
          let m = select(vec4<f32>(0.0), vec4<f32>(1.0), (lane >= vec4<i32>(0)) & (vec4<i32>(inW) > lane));
          let c = vec4<u32>(clamp(lane, vec4<i32>(0), vec4<i32>(inW - 1)));
          var xo = xRow;
          for (var ic = 0u; ic < cinG; ic++) {
            let x0 = vec4<f32>(x[xo + c.x] * m.x);
            let x1 = vec4<f32>(x[xo + c.y] * m.y);
            let x2 = vec4<f32>(x[xo + c.z] * m.z);
            let x3 = vec4<f32>(x[xo + c.w] * m.w);
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
            xo += inPlane;
            wo += wStride;
          }
        }
      }
    }
  }

  let coutG = P.chanG.y;
  let outPlane = P.outSize.x * P.outSize.y * P.outSize.z;
  let base = (n * P.chan.z + g * coutG + ocb * 4u) * outPlane + (od * P.outSize.y + oh) * P.outSize.z + ow0;
  if (ow0 >= P.outSize.z) { return; }
  let lanes = min(4u, (P.outSize.z - ow0 + sW - 1u) / sW); // outputs of this block inside the row
  let chans = min(4u, coutG - ocb * 4u);
  store(base, outPlane, chans, acc0);
  if (lanes > 1u) { store(base + sW, outPlane, chans, acc1); }
  if (lanes > 2u) { store(base + 2u * sW, outPlane, chans, acc2); }
  if (lanes > 3u) { store(base + 3u * sW, outPlane, chans, acc3); }
  if (OCV == 2u && coutG > ocb * 4u + 4u) {
    let base2 = base + 4u * outPlane;
    let chans2 = min(4u, coutG - ocb * 4u - 4u);
    store(base2, outPlane, chans2, acc4);
    if (lanes > 1u) { store(base2 + sW, outPlane, chans2, acc5); }
    if (lanes > 2u) { store(base2 + 2u * sW, outPlane, chans2, acc6); }
    if (lanes > 3u) { store(base2 + 3u * sW, outPlane, chans2, acc7); }
  }
}
