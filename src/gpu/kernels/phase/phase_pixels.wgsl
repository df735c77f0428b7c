// Stride-phase GEMM with pixels, not channels, in the vec4 lanes: for few output channels per group
// (C_out/groups < 4, where it pays; it runs any layer) with many input channels.
//
// With C_out/G = 1 (super-resolution heads, mono audio, masks) the channel-blocked GEMM of phase.wgsl fills one
// lane of each weight vec4 and of each accumulator: 3 of 4 FMAs feed zeros. Here an invocation holds PV vec4s
// of consecutive phase-grid pixels (4*PV pixels of one phase row) for each of OC output channels (one block
// of up to 4, OC = min(4, C_out/G)), so every FMA is useful: per (tap, input channel) step, 4*PV input loads
// and one weight vec4 (the block's channels, packed as for phase.wgsl: w[g][k0D][k0H][k0W][jD][jH][jW]
// [C_in/G][ocBlocks] vec4) for PV*OC vec4 FMAs.
// Same decomposition, loop order and exactness as phase.wgsl: taps outside, the long input-channel loop
// inside, row-edge taps masked per lane (with FINITE_W a masked lane reads 0, else its sums are kept by a
// select); sums start at +0, the bias is added after the last tap (epilogue.wgsl).
// WINDOW (index.ts: windowOverrides): where a phase's TW <= 3 W taps read inputs one column apart, they are
// unrolled inside the input-channel loop on one window of 4*PV + TW - 1 inputs shifted a lane per tap. This
// kernel is bound by its loads (one per FMA lane otherwise), so the window made fsrcnn-x3 (TW = 3) 3.6x and
// dcgan-out (TW = 2) 2.5x faster on SwiftShader (alternated runs, --impls phase). A rolled W-tap loop inside
// the channel loop, tried in phase.wgsl's GEMM, ran 1.2-3.5x slower there; the GEMM is bound by its FMAs.
//
// Invocations: N * G * phases * Qd * Qh * ocBlocks * wBlocks, Q = ceil(out / s) per axis (P.phaseGrid),
// ocBlocks = ceil(C_out/G / 4) (P.chanG.z), wBlocks = ceil(Qw / (4*PV)) (P.wBlocks); the W block varies
// fastest, so neighbours read neighbouring inputs and the same weights.

override PV: u32 = 4u; // vec4s of phase-grid pixels per invocation: 1 to 4
override WINDOW: bool = false; // W taps one input column apart (d/gcd(s, d) = 1) and every weight finite
override TW: u32 = 1u;          // W tap slots per phase (at most 3) under WINDOW
override OC: u32 = 1u; // output channels per block, min(4, C_out/G): a fact of the weights' shape, like tap counts

// The sums of one output channel: PV vec4s of pixels, only ever indexed by constants (registers).
alias Lanes = array<vec4<f32>, 4>;

// acc[v] += x_v * wv for the PV pixel vec4s.
fn fmaLanes(acc: ptr<function, Lanes>, xa: vec4<f32>, xb: vec4<f32>, xc: vec4<f32>, xd: vec4<f32>, wv: f32) {
  (*acc)[0] = fma(xa, vec4<f32>(wv), (*acc)[0]);
  if (PV > 1u) { (*acc)[1] = fma(xb, vec4<f32>(wv), (*acc)[1]); }
  if (PV > 2u) { (*acc)[2] = fma(xc, vec4<f32>(wv), (*acc)[2]); }
  if (PV > 3u) { (*acc)[3] = fma(xd, vec4<f32>(wv), (*acc)[3]); }
}

// The same where the masks hold (pixels whose input is inside the row); the others keep their sums.
fn fmaLanesWhere(acc: ptr<function, Lanes>, xa: vec4<f32>, xb: vec4<f32>, xc: vec4<f32>, xd: vec4<f32>, wv: f32,
                 ma: vec4<bool>, mb: vec4<bool>, mc: vec4<bool>, md: vec4<bool>) {
  (*acc)[0] = select((*acc)[0], fma(xa, vec4<f32>(wv), (*acc)[0]), ma);
  if (PV > 1u) { (*acc)[1] = select((*acc)[1], fma(xb, vec4<f32>(wv), (*acc)[1]), mb); }
  if (PV > 2u) { (*acc)[2] = select((*acc)[2], fma(xc, vec4<f32>(wv), (*acc)[2]), mc); }
  if (PV > 3u) { (*acc)[3] = select((*acc)[3], fma(xd, vec4<f32>(wv), (*acc)[3]), md); }
}

// Four inputs of one row, `step` elements apart, from `at`.
fn load4(at: u32, step: u32) -> vec4<f32> {
  return vec4<f32>(loadX(at), loadX(at + step), loadX(at + 2u * step), loadX(at + 3u * step));
}

// Four inputs of one row at the (clamped, valid) column offsets c from `row`.
fn load4At(row: u32, c: vec4<u32>) -> vec4<f32> {
  return vec4<f32>(loadX(row + c.x), loadX(row + c.y), loadX(row + c.z), loadX(row + c.w));
}

// Stores one output channel's sums: the first `lanes` pixels from `at`, `step` elements apart.
fn storeLanes(acc: Lanes, b: f32, at: u32, step: u32, lanes: u32) {
  storePixels4(at, step, min(lanes, 4u), finish(acc[0], vec4<f32>(b)));
  if (lanes > 4u) { storePixels4(at + 4u * step, step, min(lanes - 4u, 4u), finish(acc[1], vec4<f32>(b))); }
  if (lanes > 8u) { storePixels4(at + 8u * step, step, min(lanes - 8u, 4u), finish(acc[2], vec4<f32>(b))); }
  if (lanes > 12u) { storePixels4(at + 12u * step, step, min(lanes - 12u, 4u), finish(acc[3], vec4<f32>(b))); }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.invocations) { return; }
  let s = P.stride.xyz;
  let Q = P.phaseGrid.xyz;
  let px = 4u * PV;
  var r = id;
  let wb = r % P.wBlocks; r = r / P.wBlocks;
  let cb = r % P.chanG.z; r = r / P.chanG.z;
  let qh = r % Q.y; r = r / Q.y;
  let qd = r % Q.x; r = r / Q.x;
  let pr = takePhase(&r); // phases.wgsl
  let g = r % P.chan.w;
  let n = r / P.chan.w;
  let qw0 = wb * px;
  let od = pr.x + s.x * qd;
  let oh = pr.y + s.y * qh;
  let ow0 = pr.z + s.z * qw0;
  if (od >= P.outSize.x || oh >= P.outSize.y || ow0 >= P.outSize.z) { return; }

  var a0: Lanes; // zero-initialised: one per output channel
  var a1: Lanes;
  var a2: Lanes;
  var a3: Lanes;
  let fd = firstTap(od, 0u);
  let fh = firstTap(oh, 1u);
  let fw = firstTap(ow0, 2u);
  let td = tapRange(fd, fd.y, 0u);
  let th = tapRange(fh, fh.y, 1u);
  let tw = tapRange(fw, fw.y + i32(px) - 1, 2u); // pixel c reads input column i + c
  let jd0 = u32(td.x - fd.x) / P.tapStep.x;
  let jh0 = u32(th.x - fh.x) / P.tapStep.y;
  let jw0 = u32(tw.x - fw.x) / P.tapStep.z;
  let T = P.phaseTaps.xyz;
  let inW = i32(P.inSize.z);
  let cinG = P.chanG.x;
  let ocBlocks = P.chanG.z;
  let tapBlock = cinG * ocBlocks; // vec4s per tap slot
  let xW = xStepW();
  let xC = P.xStride.w; // elements between input channels
  let xGroup = xIndex(n, g * cinG, 0u, 0u, 0u);
  let phase = phaseIndex(g, vec3<i32>(fd.x, fh.x, fw.x)); // only read when every axis has taps
  let wPhase = phase * T.x * T.y * T.z * tapBlock + cb;
  for (var jd = 0; jd < td.z; jd++) {
    let id_ = u32(td.y - jd * i32(P.inStep.x));
    for (var jh = 0; jh < th.z; jh++) {
      let ih = u32(th.y - jh * i32(P.inStep.y));
      let xRow = xGroup + id_ * P.xStride.x + ih * P.xStride.y;
      let slotDH = ((jd0 + u32(jd)) * T.y + jh0 + u32(jh)) * T.z + jw0;
      if (WINDOW && tw.z == i32(TW)) {
        // Every W tap of the phase, one input column apart: they share one window of 4*PV + TW - 1 inputs,
        // shifted a lane per tap, so a tap past the first loads one input, not 4*PV. Cells outside the row
        // read 0 (WINDOW needs every weight finite: 0 * w adds +-0 and changes nothing).
        let la = vec4<i32>(tw.y) + vec4<i32>(0, 1, 2, 3);
        let lb = la + vec4<i32>(4);
        let lc = la + vec4<i32>(8);
        let ld = la + vec4<i32>(12);
        let lo = vec4<i32>(0);
        let hi = vec4<i32>(inW);
        let top = vec4<i32>(inW - 1);
        let ma = (la >= lo) & (la < hi);
        let mb = (lb >= lo) & (lb < hi);
        let mc = (lc >= lo) & (lc < hi);
        let md = (ld >= lo) & (ld < hi);
        let ca = vec4<u32>(clamp(la, lo, top)) * xW;
        let cb_ = vec4<u32>(clamp(lb, lo, top)) * xW;
        let cc = vec4<u32>(clamp(lc, lo, top)) * xW;
        let cd = vec4<u32>(clamp(ld, lo, top)) * xW;
        // The cells left of lane 0 that taps 1 and 2 shift in.
        let le = vec2<i32>(tw.y - 1, tw.y - 2);
        let me = (le >= vec2<i32>(0)) & (le < vec2<i32>(inW));
        let ce = vec2<u32>(clamp(le, vec2<i32>(0), vec2<i32>(inW - 1))) * xW;
        var xo = xRow;
        var wo = wPhase + slotDH * tapBlock;
        for (var ic = 0u; ic < cinG; ic++) {
          var xa = select(vec4<f32>(0.0), load4At(xo, ca), ma);
          var xb = vec4<f32>(0.0);
          var xc = vec4<f32>(0.0);
          var xd = vec4<f32>(0.0);
          if (PV > 1u) { xb = select(vec4<f32>(0.0), load4At(xo, cb_), mb); }
          if (PV > 2u) { xc = select(vec4<f32>(0.0), load4At(xo, cc), mc); }
          if (PV > 3u) { xd = select(vec4<f32>(0.0), load4At(xo, cd), md); }
          var wv = w[wo];
          fmaLanes(&a0, xa, xb, xc, xd, wv.x);
          if (OC > 1u) { fmaLanes(&a1, xa, xb, xc, xd, wv.y); }
          if (OC > 2u) { fmaLanes(&a2, xa, xb, xc, xd, wv.z); }
          if (OC > 3u) { fmaLanes(&a3, xa, xb, xc, xd, wv.w); }
          // Taps 1 and 2 written out: as a loop to TW (an override, so a constant trip count) with the edge
          // cells indexed by the tap, fsrcnn-x3 ran 1.9x and dcgan-out 2.9x slower on SwiftShader (alternated runs).
          if (TW > 1u) {
            xd = vec4<f32>(xc.w, xd.xyz);
            xc = vec4<f32>(xb.w, xc.xyz);
            xb = vec4<f32>(xa.w, xb.xyz);
            xa = vec4<f32>(select(0.0, loadX(xo + ce.x), me.x), xa.xyz);
            wv = w[wo + tapBlock];
            fmaLanes(&a0, xa, xb, xc, xd, wv.x);
            if (OC > 1u) { fmaLanes(&a1, xa, xb, xc, xd, wv.y); }
            if (OC > 2u) { fmaLanes(&a2, xa, xb, xc, xd, wv.z); }
            if (OC > 3u) { fmaLanes(&a3, xa, xb, xc, xd, wv.w); }
          }
          if (TW > 2u) {
            xd = vec4<f32>(xc.w, xd.xyz);
            xc = vec4<f32>(xb.w, xc.xyz);
            xb = vec4<f32>(xa.w, xb.xyz);
            xa = vec4<f32>(select(0.0, loadX(xo + ce.y), me.y), xa.xyz);
            wv = w[wo + 2u * tapBlock];
            fmaLanes(&a0, xa, xb, xc, xd, wv.x);
            if (OC > 1u) { fmaLanes(&a1, xa, xb, xc, xd, wv.y); }
            if (OC > 2u) { fmaLanes(&a2, xa, xb, xc, xd, wv.z); }
            if (OC > 3u) { fmaLanes(&a3, xa, xb, xc, xd, wv.w); }
          }
          xo += xC;
          wo += ocBlocks;
        }
        continue;
      }
      for (var jw = 0; jw < tw.z; jw++) {
        let iw = tw.y - jw * i32(P.inStep.z);
        var wo = wPhase + (slotDH + u32(jw)) * tapBlock;
        if (iw >= 0 && iw + i32(px) <= inW) {
          // Interior (the common case): every pixel's input inside the row, no masks in the hot loop.
          var xo = xRow + u32(iw) * xW;
          let x4 = 4u * xW;
          for (var ic = 0u; ic < cinG; ic++) {
            let xa = load4(xo, xW);
            var xb = vec4<f32>(0.0);
            var xc = vec4<f32>(0.0);
            var xd = vec4<f32>(0.0);
            if (PV > 1u) { xb = load4(xo + x4, xW); }
            if (PV > 2u) { xc = load4(xo + 2u * x4, xW); }
            if (PV > 3u) { xd = load4(xo + 3u * x4, xW); }
            let wv = w[wo];
            fmaLanes(&a0, xa, xb, xc, xd, wv.x);
            if (OC > 1u) { fmaLanes(&a1, xa, xb, xc, xd, wv.y); }
            if (OC > 2u) { fmaLanes(&a2, xa, xb, xc, xd, wv.z); }
            if (OC > 3u) { fmaLanes(&a3, xa, xb, xc, xd, wv.w); }
            xo += xC;
            wo += ocBlocks;
          }
        } else {
          // Row edge: pixels whose input is outside the row read a clamped, valid cell and add nothing.
          let la = vec4<i32>(iw) + vec4<i32>(0, 1, 2, 3);
          let lb = la + vec4<i32>(4);
          let lc = la + vec4<i32>(8);
          let ld = la + vec4<i32>(12);
          let lo = vec4<i32>(0);
          let hi = vec4<i32>(inW);
          let ma = (la >= lo) & (la < hi);
          let mb = (lb >= lo) & (lb < hi) & vec4<bool>(PV > 1u);
          let mc = (lc >= lo) & (lc < hi) & vec4<bool>(PV > 2u);
          let md = (ld >= lo) & (ld < hi) & vec4<bool>(PV > 3u);
          let top = vec4<i32>(inW - 1);
          let ca = vec4<u32>(clamp(la, lo, top)) * xW;
          let cb_ = vec4<u32>(clamp(lb, lo, top)) * xW;
          let cc = vec4<u32>(clamp(lc, lo, top)) * xW;
          let cd = vec4<u32>(clamp(ld, lo, top)) * xW;
          var xo = xRow;
          for (var ic = 0u; ic < cinG; ic++) {
            let xa = load4At(xo, ca);
            var xb = vec4<f32>(0.0);
            var xc = vec4<f32>(0.0);
            var xd = vec4<f32>(0.0);
            if (PV > 1u) { xb = load4At(xo, cb_); }
            if (PV > 2u) { xc = load4At(xo, cc); }
            if (PV > 3u) { xd = load4At(xo, cd); }
            let wv = w[wo];
            if (FINITE_W) {
              let za = select(vec4<f32>(0.0), xa, ma);
              let zb = select(vec4<f32>(0.0), xb, mb);
              let zc = select(vec4<f32>(0.0), xc, mc);
              let zd = select(vec4<f32>(0.0), xd, md);
              fmaLanes(&a0, za, zb, zc, zd, wv.x);
              if (OC > 1u) { fmaLanes(&a1, za, zb, zc, zd, wv.y); }
              if (OC > 2u) { fmaLanes(&a2, za, zb, zc, zd, wv.z); }
              if (OC > 3u) { fmaLanes(&a3, za, zb, zc, zd, wv.w); }
            } else {
              fmaLanesWhere(&a0, xa, xb, xc, xd, wv.x, ma, mb, mc, md);
              if (OC > 1u) { fmaLanesWhere(&a1, xa, xb, xc, xd, wv.y, ma, mb, mc, md); }
              if (OC > 2u) { fmaLanesWhere(&a2, xa, xb, xc, xd, wv.z, ma, mb, mc, md); }
              if (OC > 3u) { fmaLanesWhere(&a3, xa, xb, xc, xd, wv.w, ma, mb, mc, md); }
            }
            xo += xC;
            wo += ocBlocks;
          }
        }
      }
    }
  }

  let plane = P.yStride.w; // elements between output channels
  let coutG = P.chanG.y;
  let ch0 = 4u * cb;                  // first output channel of the block
  let chans = min(4u, coutG - ch0);   // of which the block holds (the packed weights past them are zeros)
  let at = yIndex(n, g * coutG + ch0, od, oh, ow0);
  let step = s.z * yStepW();
  let lanes = min(px, (P.outSize.z - ow0 + s.z - 1u) / s.z); // pixels of this block inside the row
  let b = bias[g * ocBlocks + cb];
  storeLanes(a0, b.x, at, step, lanes);
  if (OC > 1u && chans > 1u) { storeLanes(a1, b.y, at + plane, step, lanes); }
  if (OC > 2u && chans > 2u) { storeLanes(a2, b.z, at + 2u * plane, step, lanes); }
  if (OC > 3u && chans > 3u) { storeLanes(a3, b.w, at + 3u * plane, step, lanes); }
}
