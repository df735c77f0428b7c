// Reduction-parallel stride-phase kernel for few output channels per group and a long K = tap slots × C_in/G,
// such as super-resolution heads (C_out 1, k9) and 1-D vocoder layers. The phase GEMM of phase.wgsl has N = 1
// vec4 there, so one invocation per pixel block would walk all of K alone; instead the KT threads of a column of
// the workgroup split K and add their partial sums in workgroup memory. More channels run as one workgroup per
// vec4 of them (correct for any C_out/G; fast where it is small).
//
// A workgroup owns PT·4 consecutive phase-grid pixels of one phase row (n, g, phase, qd, qh) and one vec4 cb of
// output channels; thread (kt, pt) sums K steps kt, kt + KT, ... for its 4 pixels (a vec4 of channels each), K
// ordered (tap slot, input channel) as the packed weights (kernels/weights.ts: packPhaseWeights), so a step
// reads 4 neighbouring input cells and one weight vec4.
// Neighbouring threads differ in pt first: they read neighbouring input cells and the same weight (broadcast).
// The KT partials of each pixel are then added by a tree in workgroup memory (a fixed order: deterministic), and
// the threads with kt = 0 store the pixels with the bias and activation.
//
// Exactness: an input outside the tensor or a slot past the kernel adds nothing: with finite weights (FINITE_W)
// its lane reads 0 (adds ±0 to a sum that starts at +0), otherwise the lane's sum is kept by a select.

override KT: u32 = 16u; // threads splitting K (a power of two)
override PT: u32 = 16u; // threads along the pixels, 4 pixels each

var<workgroup> red: array<vec4<f32>, KT * PT * 4u>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let wid = workgroupIndex(wg, nwg);
  if (wid >= P.workgroups) { return; } // a whole workgroup, so the barriers stay uniform
  let s = P.stride.xyz;
  let Q = P.phaseGrid.xyz;
  let wBlocks = P.wBlocks;
  let ocBlocks = P.chanG.z;
  var r = wid;
  let cb = r % ocBlocks; r = r / ocBlocks;
  let wb = r % wBlocks; r = r / wBlocks;
  let qh = r % Q.y; r = r / Q.y;
  let qd = r % Q.x; r = r / Q.x;
  let pr = takePhase(&r);
  let rd = pr.x;
  let rh = pr.y;
  let rw = pr.z;
  let g = r % P.chan.w;
  let n = r / P.chan.w;
  let pt = t % PT;
  let kt = t / PT;
  let od = rd + s.x * qd;
  let oh = rh + s.y * qh;
  let qw0 = (wb * PT + pt) * 4u;
  let rowOut = od < P.outSize.x && oh < P.outSize.y && rw < P.outSize.z;

  let cinG = P.chanG.x;
  let coutG = P.chanG.y;
  let T = P.phaseTaps.xyz;
  let ph = phaseOf(g, pr);
  let taps = rowOut && ph.taps;
  let wPhase = ph.weights + cb;
  let inS = vec3<i32>(P.inSize.xyz);
  let kS = vec3<i32>(P.kernel.xyz);
  let i0 = ph.i0 + vec3<i32>(i32(qd), i32(qh), i32(qw0));
  let xW = xStepW();
  let xC = P.xStride.w;
  let lane = vec4<i32>(0, 1, 2, 3);

  var acc0 = vec4<f32>(0.0); // pixel qw0 + c, channels 0..3
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  let K = T.x * T.y * T.z * cinG;
  // Step k = slot * cinG + ic, kept as (slot, ic) and advanced without a division per step.
  var slot = kt / cinG;
  var ic = kt - slot * cinG;
  var xRow = 0u;
  var m = vec4<bool>(false);
  var cw = vec4<u32>(0u);
  var lastSlot = 0xffffffffu;
  for (var k = kt; k < K && taps; k += KT) {
    if (slot != lastSlot) {
      // A new tap slot: its input row and which of the 4 pixels read a cell inside the input.
      lastSlot = slot;
      let j = vec3<i32>(i32(slot / (T.z * T.y)), i32((slot / T.z) % T.y), i32(slot % T.z));
      let kk = ph.k0 + j * vec3<i32>(P.tapStep.xyz);
      let ii = i0 - j * vec3<i32>(P.inStep.xyz);
      let rowOk = all(kk < kS) && ii.x >= 0 && ii.x < inS.x && ii.y >= 0 && ii.y < inS.y;
      let iw = vec4<i32>(ii.z) + lane;
      m = (iw >= vec4<i32>(0)) & (iw < vec4<i32>(inS.z)) & vec4<bool>(rowOk);
      cw = vec4<u32>(clamp(iw, vec4<i32>(0), vec4<i32>(inS.z - 1))) * xW;
      xRow = xIndex(n, g * cinG, u32(clamp(ii.x, 0, inS.x - 1)), u32(clamp(ii.y, 0, inS.y - 1)), 0u);
    }
    let xo = xRow + ic * xC;
    let xv = vec4<f32>(loadX(xo + cw.x), loadX(xo + cw.y), loadX(xo + cw.z), loadX(xo + cw.w));
    let wv = w[wPhase + (slot * cinG + ic) * ocBlocks];
    if (FINITE_W) {
      let z = select(vec4<f32>(0.0), xv, m);
      acc0 = fma(vec4<f32>(z.x), wv, acc0);
      acc1 = fma(vec4<f32>(z.y), wv, acc1);
      acc2 = fma(vec4<f32>(z.z), wv, acc2);
      acc3 = fma(vec4<f32>(z.w), wv, acc3);
    } else {
      acc0 = select(acc0, fma(vec4<f32>(xv.x), wv, acc0), m.x);
      acc1 = select(acc1, fma(vec4<f32>(xv.y), wv, acc1), m.y);
      acc2 = select(acc2, fma(vec4<f32>(xv.z), wv, acc2), m.z);
      acc3 = select(acc3, fma(vec4<f32>(xv.w), wv, acc3), m.w);
    }
    ic += KT;
    if (ic >= cinG) {
      let d = ic / cinG;
      slot += d;
      ic -= d * cinG;
    }
  }

  // Tree reduction over kt, 4 pixels per thread.
  let at = (kt * PT + pt) * 4u;
  red[at] = acc0;
  red[at + 1u] = acc1;
  red[at + 2u] = acc2;
  red[at + 3u] = acc3;
  workgroupBarrier();
  for (var half = KT / 2u; half > 0u; half = half / 2u) {
    if (kt < half) {
      let other = at + half * PT * 4u;
      red[at] += red[other];
      red[at + 1u] += red[other + 1u];
      red[at + 2u] += red[other + 2u];
      red[at + 3u] += red[other + 3u];
    }
    workgroupBarrier();
  }
  if (kt != 0u || !rowOut) { return; }
  let qn = (P.outSize.z - rw + s.z - 1u) / s.z; // phase-grid pixels of this phase row
  if (qw0 >= qn) { return; }
  let b = bias[g * ocBlocks + cb];
  let plane = P.yStride.w;
  let step = s.z * yStepW();
  let ch0 = cb * 4u;
  let y0 = yIndex(n, g * coutG + ch0, od, oh, rw + s.z * qw0);
  let chans = min(4u, coutG - ch0);
  for (var c = 0u; c < min(4u, qn - qw0); c++) {
    store(y0 + c * step, plane, chans, finish(red[at + c], b));
  }
}
