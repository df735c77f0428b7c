// Stride-phase implicit GEMM: the transposed convolution split into its stride phases, each a dense
// stride-1 convolution, all phases in one dispatch.
//
// Along an axis, outputs o = r + s*q of phase r (0 <= r < s) all receive the same taps: the first is k0(r)
// (taps.wgsl: firstTap), the next ones follow every s/gcd(s,d) kernel cells, and tap j reads input
// i = i0(r) + q - j*(d/gcd). So within a phase, output q is a plain convolution over q with T = ceil(k /
// (s/gcd)) taps, and the whole phase is a GEMM with M = phase pixels, N = C_out/groups,
// K = C_in/groups × taps. The weights are re-packed once per phase at upload so the inner loop reads
// contiguous vec4s: w[g][k0D][k0H][k0W][jD][jH][jW][C_in/G][ocBlocks]. A phase is found by its first tap
// k0 (one-to-one with the phases that have taps, k0 < min(s/gcd, k)), so a stride far above the kernel
// costs no extra memory; slot j holds kernel cell k0 + j*s/gcd, and slots past the kernel are zeros that
// are never read.
//
// Register block per invocation: PX consecutive phase-grid pixels of one row × OCV vec4s of output channels
// (PX*OCV vec4 accumulators). Each (tap, input channel) step loads PX inputs and OCV weight vec4s for
// PX*OCV*4 FMAs, so each weight feeds PX pixels and each input 4*OCV channels. Taps outside, input channels
// inside (the long loop); lane bounds are settled once per tap.
// Neighbouring invocations differ in channel block first: they read the same inputs (one broadcast load on
// a GPU, one cache line on a CPU) and adjacent weight vec4s (coalesced).
//
// No workgroup-memory tiles: on SwiftShader they were slower on every dense shape. This is the kernel for CPU
// adapters and small problems; the tiled family (kernels/tiled/) stages tiles in workgroup memory for GPUs.
//
// Exactness: a masked lane (its input outside the row) adds nothing, and sums start at +0 with the bias added
// after the last tap (epilogue.wgsl). With FINITE_W (common.wgsl: every weight finite) a masked lane reads 0
// instead, which adds ±0 and changes nothing, so the row-edge loop runs the plain FMAs. Otherwise (a weight is
// ±Inf or NaN, where 0*w would be NaN) the lane's sums are kept by a select after the FMAs, which costs 8*OCV
// selects and a copy of the block per step.
//
// Split-K (KSPLIT > 1): chunk ks of the input channels is summed by its own invocations into partial ks of a
// scratch tensor bound as y (stages/reduce.ts); the reduce stage adds the partials, the bias and the activation.
//
// Invocations: KSPLIT * N * G * phases * Qd * Qh * wBlocks * chBlocks, where phases = P.phases.x * .y * .z
// (the phases that hold outputs, min(s, out) per axis), Q = ceil(out / s) per axis (P.phaseGrid),
// wBlocks = ceil(Qw / PX) and chBlocks = ocBlocks / OCV (P.wBlocks, P.chBlocks); the channel block varies fastest.

override PX: u32 = 8u;  // phase-grid pixels per invocation along W: 4 or 8
override OCV: u32 = 4u; // vec4s of output channels per invocation: 1 to 4
override KSPLIT: u32 = 1u; // split-K: input-channel chunks, each summed by its own invocations into a partial

// The accumulators of one vec4 block of output channels: one vec4 per pixel. Only ever indexed with
// constants (every loop over pixels below is written out), so the compiler keeps them in registers; a loop
// over a dynamically indexed array put them in memory and ran 3x slower on SwiftShader.
alias Pixels = array<vec4<f32>, 8>;

// acc[c] += x_c * wv for the PX pixels, x_c = (xa, xb)[c].
fn fmaPixels(acc: ptr<function, Pixels>, xa: vec4<f32>, xb: vec4<f32>, wv: vec4<f32>) {
  (*acc)[0] = fma(vec4<f32>(xa.x), wv, (*acc)[0]);
  (*acc)[1] = fma(vec4<f32>(xa.y), wv, (*acc)[1]);
  (*acc)[2] = fma(vec4<f32>(xa.z), wv, (*acc)[2]);
  (*acc)[3] = fma(vec4<f32>(xa.w), wv, (*acc)[3]);
  if (PX > 4u) {
    (*acc)[4] = fma(vec4<f32>(xb.x), wv, (*acc)[4]);
    (*acc)[5] = fma(vec4<f32>(xb.y), wv, (*acc)[5]);
    (*acc)[6] = fma(vec4<f32>(xb.z), wv, (*acc)[6]);
    (*acc)[7] = fma(vec4<f32>(xb.w), wv, (*acc)[7]);
  }
}

// The same at a row edge: pixels whose input lies outside the row (mask false) add nothing, not 0*w.
fn fmaPixelsMasked(acc: ptr<function, Pixels>, xa: vec4<f32>, xb: vec4<f32>, wv: vec4<f32>, ma: vec4<bool>, mb: vec4<bool>) {
  var t: Pixels = *acc;
  fmaPixels(&t, xa, xb, wv);
  *acc = Pixels(select((*acc)[0], t[0], ma.x), select((*acc)[1], t[1], ma.y), select((*acc)[2], t[2], ma.z),
                select((*acc)[3], t[3], ma.w), select((*acc)[4], t[4], mb.x), select((*acc)[5], t[5], mb.y),
                select((*acc)[6], t[6], mb.z), select((*acc)[7], t[7], mb.w));
}

// The value stored for one accumulator: finished (bias, activation) when this dispatch writes y, the raw
// partial sum under split-K (reduce.wgsl finishes it).
fn result(acc: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  if (KSPLIT > 1u) { return acc; }
  return finish(acc, b);
}

// Stores one channel block (chans <= 4 channels) of the first `lanes` pixels, `step` apart in the row.
fn storePixels(acc: Pixels, b: vec4<f32>, at: u32, step: u32, lanes: u32, plane: u32, chans: u32) {
  store(at, plane, chans, result(acc[0], b));
  if (lanes > 1u) { store(at + step, plane, chans, result(acc[1], b)); }
  if (lanes > 2u) { store(at + 2u * step, plane, chans, result(acc[2], b)); }
  if (lanes > 3u) { store(at + 3u * step, plane, chans, result(acc[3], b)); }
  if (lanes > 4u) { store(at + 4u * step, plane, chans, result(acc[4], b)); }
  if (lanes > 5u) { store(at + 5u * step, plane, chans, result(acc[5], b)); }
  if (lanes > 6u) { store(at + 6u * step, plane, chans, result(acc[6], b)); }
  if (lanes > 7u) { store(at + 7u * step, plane, chans, result(acc[7], b)); }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.invocations) { return; }
  let s = P.stride.xyz;
  let Q = P.phaseGrid.xyz;
  var r = id;
  let cb = r % P.chBlocks; r = r / P.chBlocks;
  let wb = r % P.wBlocks; r = r / P.wBlocks;
  let qh = r % Q.y; r = r / Q.y;
  let qd = r % Q.x; r = r / Q.x;
  let pr = takePhase(&r); // phases.wgsl
  let rd = pr.x;
  let rh = pr.y;
  let rw = pr.z;
  let g = r % P.chan.w; r = r / P.chan.w;
  let n = r % P.chan.x;
  let ks = r / P.chan.x; // split-K chunk (0 without split-K)
  let qw0 = wb * PX;
  let od = rd + s.x * qd;
  let oh = rh + s.y * qh;
  let ow0 = rw + s.z * qw0;
  if (od >= P.outSize.x || oh >= P.outSize.y || ow0 >= P.outSize.z) { return; }

  var acc0: Pixels; // zero-initialised
  var acc1: Pixels;
  var acc2: Pixels;
  var acc3: Pixels;
  let fd = firstTap(od, 0u);
  let fh = firstTap(oh, 1u);
  let fw = firstTap(ow0, 2u);
  let td = tapRange(fd, fd.y, 0u);
  let th = tapRange(fh, fh.y, 1u);
  let tw = tapRange(fw, fw.y + i32(PX) - 1, 2u); // lane c reads input column i + c
  // Packed slot of the first tap in range: (k - k0) / tapStep.
  let jd0 = u32(td.x - fd.x) / P.tapStep.x;
  let jh0 = u32(th.x - fh.x) / P.tapStep.y;
  let jw0 = u32(tw.x - fw.x) / P.tapStep.z;
  let T = P.phaseTaps.xyz;
  let inW = i32(P.inSize.z);
  let cinG = P.chanG.x;
  let ocBlocks = P.chanG.z;
  let icChunk = P.icChunk; // input channels per split-K chunk (C_in/G without split-K)
  let ic0 = ks * icChunk;
  let icN = min(cinG - min(ic0, cinG), icChunk);
  let xW = xStepW();
  let xC = P.xStride.w; // elements between input channels
  let xGroup = xIndex(n, g * cinG + ic0, 0u, 0u, 0u);
  let phase = phaseIndex(g, vec3<i32>(fd.x, fh.x, fw.x)); // only read when every axis has taps
  let tapBlock = cinG * ocBlocks; // vec4s per tap slot
  let wPhase = phase * T.x * T.y * T.z * tapBlock + ic0 * ocBlocks + cb * OCV;
  for (var jd = 0; jd < td.z; jd++) {
    let id_ = u32(td.y - jd * i32(P.inStep.x));
    for (var jh = 0; jh < th.z; jh++) {
      let ih = u32(th.y - jh * i32(P.inStep.y));
      let xRow = xGroup + id_ * P.xStride.x + ih * P.xStride.y;
      let slotDH = ((jd0 + u32(jd)) * T.y + jh0 + u32(jh)) * T.z + jw0;
      for (var jw = 0; jw < tw.z; jw++) {
        let iw = tw.y - jw * i32(P.inStep.z);
        var wo = wPhase + (slotDH + u32(jw)) * tapBlock;
        if (iw >= 0 && iw + i32(PX) <= inW) {
          // Interior (the common case): every lane inside the row, no masks in the hot loop.
          var xo = xRow + u32(iw) * xW;
          for (var ic = 0u; ic < icN; ic++) {
            // The PX inputs, xW elements apart. Loaded here and not in a helper: on SwiftShader a loadX call
            // nested in another function cost ~10% of the whole kernel (A/B in one page, dcgan-g4).
            let xa = vec4<f32>(loadX(xo), loadX(xo + xW), loadX(xo + 2u * xW), loadX(xo + 3u * xW));
            var xb = vec4<f32>(0.0);
            if (PX > 4u) { xb = vec4<f32>(loadX(xo + 4u * xW), loadX(xo + 5u * xW), loadX(xo + 6u * xW), loadX(xo + 7u * xW)); }
            fmaPixels(&acc0, xa, xb, w[wo]);
            if (OCV > 1u) { fmaPixels(&acc1, xa, xb, w[wo + 1u]); }
            if (OCV > 2u) { fmaPixels(&acc2, xa, xb, w[wo + 2u]); }
            if (OCV > 3u) { fmaPixels(&acc3, xa, xb, w[wo + 3u]); }
            xo += xC;
            wo += ocBlocks;
          }
        } else {
          // Row edge: lanes outside the row read a clamped, valid cell and add nothing (Exactness above).
          let la = vec4<i32>(iw) + vec4<i32>(0, 1, 2, 3);
          let lb = la + vec4<i32>(4);
          let ma = (la >= vec4<i32>(0)) & (la < vec4<i32>(inW));
          let mb = (lb >= vec4<i32>(0)) & (lb < vec4<i32>(inW)) & vec4<bool>(PX > 4u);
          let ca = vec4<u32>(clamp(la, vec4<i32>(0), vec4<i32>(inW - 1))) * xW;
          let cb_ = vec4<u32>(clamp(lb, vec4<i32>(0), vec4<i32>(inW - 1))) * xW;
          var xo = xRow;
          for (var ic = 0u; ic < icN; ic++) {
            let xa = vec4<f32>(loadX(xo + ca.x), loadX(xo + ca.y), loadX(xo + ca.z), loadX(xo + ca.w));
            let xb = vec4<f32>(loadX(xo + cb_.x), loadX(xo + cb_.y), loadX(xo + cb_.z), loadX(xo + cb_.w));
            if (FINITE_W) {
              let za = select(vec4<f32>(0.0), xa, ma);
              let zb = select(vec4<f32>(0.0), xb, mb);
              fmaPixels(&acc0, za, zb, w[wo]);
              if (OCV > 1u) { fmaPixels(&acc1, za, zb, w[wo + 1u]); }
              if (OCV > 2u) { fmaPixels(&acc2, za, zb, w[wo + 2u]); }
              if (OCV > 3u) { fmaPixels(&acc3, za, zb, w[wo + 3u]); }
            } else {
              fmaPixelsMasked(&acc0, xa, xb, w[wo], ma, mb);
              if (OCV > 1u) { fmaPixelsMasked(&acc1, xa, xb, w[wo + 1u], ma, mb); }
              if (OCV > 2u) { fmaPixelsMasked(&acc2, xa, xb, w[wo + 2u], ma, mb); }
              if (OCV > 3u) { fmaPixelsMasked(&acc3, xa, xb, w[wo + 3u], ma, mb); }
            }
            xo += xC;
            wo += ocBlocks;
          }
        }
      }
    }
  }

  let coutG = P.chanG.y;
  let outPlane = P.yStride.w; // elements between output channels
  let at = ks * P.chan.x * P.io.y + yIndex(n, g * coutG, od, oh, ow0); // partial ks under split-K (dense, io.y = its batch stride)
  let step = s.z * yStepW();
  let lanes = min(PX, (P.outSize.z - ow0 + s.z - 1u) / s.z); // pixels of this block inside the row
  let ch0 = cb * OCV * 4u;                                   // first output channel of the block
  let bo = g * ocBlocks + cb * OCV;
  storePixels(acc0, bias[bo], at + ch0 * outPlane, step, lanes, outPlane, min(4u, coutG - ch0));
  if (OCV > 1u && coutG > ch0 + 4u) { storePixels(acc1, bias[bo + 1u], at + (ch0 + 4u) * outPlane, step, lanes, outPlane, min(4u, coutG - ch0 - 4u)); }
  if (OCV > 2u && coutG > ch0 + 8u) { storePixels(acc2, bias[bo + 2u], at + (ch0 + 8u) * outPlane, step, lanes, outPlane, min(4u, coutG - ch0 - 8u)); }
  if (OCV > 3u && coutG > ch0 + 12u) { storePixels(acc3, bias[bo + 3u], at + (ch0 + 12u) * outPlane, step, lanes, outPlane, min(4u, coutG - ch0 - 12u)); }
}
