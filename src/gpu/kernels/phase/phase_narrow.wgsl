// Stride-phase kernel for few output channels (C_out/groups <= 4) and depthwise layers: pixels in the vec4
// lanes instead of channels, taps unrolled, one long loop per invocation.
//
// Same decomposition as phase.wgsl (outputs o = r + s*q of phase r share the taps k0(r) + j*s/gcd, reading
// input i0(r) + q - j*d/gcd) and the same packed weights, w[g][k0D][k0H][k0W][jD][jH][jW][C_in/G][1] vec4
// (the one vec4 holds the group's <= 4 output channels). What differs is the shape of the work, because here
// the channel-blocked GEMM leaves 3 of 4 lanes idle (C_out/G = 1) and, on depthwise layers, runs 1 input
// channel per tap, so its cost is all loop overhead:
// - an invocation owns one phase row (n, g, od, oh, W phase rw) and walks it 4 phase-grid pixels at a time
//   (a vec4 of 4 pixels per output channel, up to 4 channels); a row too long for one invocation's loops on
//   llvmpipe (index.ts: narrowSegments) is split into segments of P.segPixels pixels, one invocation each;
// - the tap slots per phase (TD, TH, TW = ceil(k / (s/gcd)) per axis) are override constants, so the tap
//   loops have constant trip counts and unroll; slots a phase lacks (k0 + j*s/gcd >= k) and inputs outside
//   the tensor are masked with select, so they add nothing (not 0*x);
// - the D and H taps are fixed for the whole row and settled once, before the pixel loop.
// These are compile-time facts of the kernel geometry (k, s, d), never of the input's shape.
//
// Invocations: N * G * outD * outH * segments * sW; the W phase varies fastest, so neighbours read the
// same input row and write interleaved cells of the same output row.
// On a discrete GPU this gives one invocation per (row, phase): 16384 for depthwise-up, each streaming its
// row once; loads are gathers of 4 neighbouring cells, which coalesce across the neighbouring phases.

override TD: u32 = 1u; // tap slots per phase along D
override TH: u32 = 1u; // ... along H
override TW: u32 = 1u; // ... along W

// A tap slot along one axis: whether it is real (inside the kernel and, for D/H, on an input cell), and its
// input coordinate (of the first pixel along W).
struct Slot {
  ok: bool,
  i: i32,
}

fn slot(f: vec3<i32>, j: u32, a: u32) -> Slot {
  let k = f.x + i32(j * P.tapStep[a]);
  let i = f.y - i32(j * P.inStep[a]);
  return Slot(f.z == 1 && k < i32(P.kernel[a]), i);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.invocations) { return; }
  let sW = P.stride.z;
  var r = id;
  let rw = r % P.phases.z; r = r / P.phases.z;
  let seg = r % P.segments; r = r / P.segments;
  let oh = r % P.outSize.y; r = r / P.outSize.y;
  let od = r % P.outSize.x; r = r / P.outSize.x;
  let g = r % P.chan.w;
  let n = r / P.chan.w;
  if (rw >= P.outSize.z) { return; }

  let fd = firstTap(od, 0u);
  let fh = firstTap(oh, 1u);
  let fw = firstTap(rw, 2u);
  let inD = i32(P.inSize.x);
  let inH = i32(P.inSize.y);
  let inW = i32(P.inSize.z);
  let cinG = P.chanG.x;
  let coutG = P.chanG.y;
  let xW = xStepW();
  let xGroup = xIndex(n, g * cinG, 0u, 0u, 0u);
  let T = TD * TH * TW;
  let wPhase = phaseIndex(g, vec3<i32>(fd.x, fh.x, fw.x)) * T * cinG;
  let qn = (P.outSize.z - rw + sW - 1u) / sW; // phase-grid pixels of this phase row
  let qEnd = min(qn, (seg + 1u) * P.segPixels); // the end of this invocation's segment of it
  let lane = vec4<i32>(0, 1, 2, 3);
  let plane = P.yStride.w; // elements between output channels
  let yRow = yIndex(n, g * coutG, od, oh, rw);
  let step = sW * yStepW();
  let b = bias[g];

  for (var q0 = seg * P.segPixels; q0 < qEnd; q0 += 4u) {
    var a0 = vec4<f32>(0.0);
    var a1 = vec4<f32>(0.0);
    var a2 = vec4<f32>(0.0);
    var a3 = vec4<f32>(0.0);
    for (var ic = 0u; ic < cinG; ic++) {
      let xChan = xGroup + ic * P.xStride.w;
      for (var jd = 0u; jd < TD; jd++) {
        let sd = slot(fd, jd, 0u);
        for (var jh = 0u; jh < TH; jh++) {
          let sh = slot(fh, jh, 1u);
          let rowOk = sd.ok && sh.ok && sd.i >= 0 && sd.i < inD && sh.i >= 0 && sh.i < inH;
          let xRow = xChan + u32(clamp(sd.i, 0, inD - 1)) * P.xStride.x + u32(clamp(sh.i, 0, inH - 1)) * P.xStride.y;
          for (var jw = 0u; jw < TW; jw++) {
            let sw = slot(fw, jw, 2u);
            let iw = vec4<i32>(sw.i + i32(q0)) + lane;
            let m = (iw >= vec4<i32>(0)) & (iw < vec4<i32>(inW)) & vec4<bool>(rowOk && sw.ok);
            let c = vec4<u32>(clamp(iw, vec4<i32>(0), vec4<i32>(inW - 1))) * xW;
            let xv = vec4<f32>(loadX(xRow + c.x), loadX(xRow + c.y), loadX(xRow + c.z), loadX(xRow + c.w));
            let wv = w[wPhase + ((jd * TH + jh) * TW + jw) * cinG + ic];
            a0 = select(a0, fma(xv, vec4<f32>(wv.x), a0), m);
            if (coutG > 1u) { a1 = select(a1, fma(xv, vec4<f32>(wv.y), a1), m); }
            if (coutG > 2u) { a2 = select(a2, fma(xv, vec4<f32>(wv.z), a2), m); }
            if (coutG > 3u) { a3 = select(a3, fma(xv, vec4<f32>(wv.w), a3), m); }
          }
        }
      }
    }
    let lanes = min(4u, qEnd - q0);
    let at = yRow + q0 * step;
    storePixels4(at, step, lanes, finish(a0, vec4<f32>(b.x)));
    if (coutG > 1u) { storePixels4(at + plane, step, lanes, finish(a1, vec4<f32>(b.y))); }
    if (coutG > 2u) { storePixels4(at + 2u * plane, step, lanes, finish(a2, vec4<f32>(b.z))); }
    if (coutG > 3u) { storePixels4(at + 3u * plane, step, lanes, finish(a3, vec4<f32>(b.w))); }
  }
}
