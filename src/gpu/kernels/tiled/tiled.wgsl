// Workgroup-tiled stride-phase GEMM for GPUs. Per stride phase and group, the transposed convolution is the GEMM
// of phase.wgsl: M = phase-grid pixels (batch included), N = C_out/G, K = tap slots × C_in/G, with A gathered
// from x (A[m][(slot, ic)] = x at input i0(r) + q - j·inStep per axis, 0 where that is outside the input or the
// slot past the kernel) and B the per-phase packed weights (kernels/weights.ts: packPhaseWeights, a dense K × N
// matrix of vec4s).
//
// A workgroup computes a BM × BN tile of one phase and group. K runs in tiles of BK input channels of one tap
// slot (a tile never straddles slots, so its input addresses are one row offset per thread plus a channel
// stride); the workgroup stages A (BM × BK floats) and B (BK × BN/4 vec4s) in workgroup memory, each element
// loaded once, then every thread accumulates a TM × TN register tile: TM rows interleaved MT = BM/TM apart and
// TN/4 vec4 columns interleaved NT = BN/TN apart, so neighbouring threads read neighbouring A cells and share B
// vec4s (broadcast). Loads are coalesced along M: neighbouring threads stage neighbouring pixels, which are
// neighbouring input cells in channels-first x, and neighbouring vec4s of w.
//
// Split-K (PARTIAL): the workgroups of chunk ks sum their own range of K tiles into partial ks (dense, the layer's
// layout; stages/reduce.ts adds them). Workgroups are numbered N tile fastest, then M tile, then (phase, group),
// then ks, so the workgroups that share an A tile run together.
//
// Exactness: sums start at +0, the bias is added last (epilogue.wgsl). An A cell outside the input is 0, so with
// finite weights (FINITE_W) it adds ±0; otherwise its validity is staged beside it (Aok, AOK cells: BM × BK,
// else 1 unused) and a product whose A cell is outside adds nothing (select), as in the reference.

override BM: u32 = 64u;  // output pixels per tile
override BN: u32 = 64u;  // output channels per tile (a multiple of 4)
override BK: u32 = 16u;  // input channels per K tile
override TM: u32 = 4u;   // rows per thread (<= 8)
override TN: u32 = 4u;   // columns per thread (4 or 8: TN/4 vec4s)
override PARTIAL: bool = false; // split-K: this dispatch writes partial sums (no bias, no activation)
override AOK: u32 = 1u;  // cells of the validity tile: BM * BK without FINITE_W, else 1

const MAX_TM = 8u;
const MAX_TN4 = 2u;

var<workgroup> As: array<f32, BM * BK>;
var<workgroup> Bs: array<vec4<f32>, BK * BN / 4u>;
var<workgroup> Aok: array<f32, AOK>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let wid = workgroupIndex(wg, nwg);
  if (wid >= P.workgroups) { return; } // a whole workgroup: barriers below stay uniform
  let s = P.stride.xyz;
  let G = P.chan.w;
  var r = wid;
  let nT = r % P.nTiles; r = r / P.nTiles;
  let mT = r % P.mTiles; r = r / P.mTiles;
  let pr = takePhase(&r);
  let g = r % G;
  let ks = r / G;

  let cinG = P.chanG.x;
  let coutG = P.chanG.y;
  let ocBlocks = P.chanG.z;
  let Q = P.phaseGrid.xyz;
  let T = P.phaseTaps.xyz;
  let ph = phaseOf(g, pr);
  let BN4 = BN / 4u;

  // The A row this thread stages (WG is a multiple of BM): its pixel, and its input cell at slot 0.
  let mA = t % BM;
  let kA0 = t / BM;
  let m = mT * BM + mA;
  var q = m;
  let qw = q % Q.z; q = q / Q.z;
  let qh = q % Q.y; q = q / Q.y;
  let qd = q % Q.x;
  let nA = q / Q.x;
  let rowIn = ph.taps && nA < P.chan.x;
  let i0 = ph.i0 + vec3<i32>(i32(qd), i32(qh), i32(qw));
  let inS = vec3<i32>(P.inSize.xyz);
  let kS = vec3<i32>(P.kernel.xyz);
  let xC = P.xStride.w;

  // Register tile.
  let MT = BM / TM;
  let tmI = t % MT;
  let tnI = t / MT;
  let NT = BN / TN;
  let TN4 = TN / 4u;
  var acc: array<vec4<f32>, 16>;

  let kPerSlot = P.kPerSlot;
  let kTiles = P.kTiles;
  let k0 = ks * P.kPerChunk;
  let k1 = min(kTiles, k0 + P.kPerChunk);
  for (var kt = k0; kt < k1; kt++) {
    // The tap slot (jd, jh, jw) of this K tile and its input channels [ic0, ic0 + BK).
    let slotIx = kt / kPerSlot;
    let ic0 = (kt - slotIx * kPerSlot) * BK;
    let jw = slotIx % T.z;
    let jh = (slotIx / T.z) % T.y;
    let jd = slotIx / (T.z * T.y);
    let j = vec3<i32>(i32(jd), i32(jh), i32(jw));
    let k = ph.k0 + j * vec3<i32>(P.tapStep.xyz);
    let ii = i0 - j * vec3<i32>(P.inStep.xyz);
    let inside = rowIn && all(k < kS) && all(ii >= vec3<i32>(0)) && all(ii < inS);
    let xRow = xIndex(nA, g * cinG, u32(max(ii.x, 0)), u32(max(ii.y, 0)), 0u) + u32(max(ii.z, 0)) * xStepW();
    for (var e = kA0; e < BK; e += WG / BM) {
      let ic = ic0 + e;
      let ok = inside && ic < cinG;
      var v = 0.0;
      if (ok) { v = loadX(xRow + ic * xC); }
      As[e * BM + mA] = v;
      if (!FINITE_W) { Aok[e * BM + mA] = select(0.0, 1.0, ok); }
    }
    let wTile = ph.weights + (slotIx * cinG + ic0) * ocBlocks;
    for (var e = t; e < BK * BN4; e += WG) {
      let kk = e / BN4;
      let n4 = nT * BN4 + e % BN4;
      var v = vec4<f32>(0.0);
      if (ic0 + kk < cinG && n4 < ocBlocks) { v = w[wTile + kk * ocBlocks + n4]; }
      Bs[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      var a: array<f32, MAX_TM>;
      var aok: array<bool, MAX_TM>;
      for (var i = 0u; i < TM; i++) {
        a[i] = As[kk * BM + tmI + i * MT];
        if (!FINITE_W) { aok[i] = Aok[kk * BM + tmI + i * MT] != 0.0; }
      }
      for (var jj = 0u; jj < TN4; jj++) {
        let b = Bs[kk * BN4 + tnI + jj * NT];
        for (var i = 0u; i < TM; i++) {
          let c = i * TN4 + jj;
          if (FINITE_W) {
            acc[c] = fma(vec4<f32>(a[i]), b, acc[c]);
          } else {
            acc[c] = select(acc[c], fma(vec4<f32>(a[i]), b, acc[c]), aok[i]);
          }
        }
      }
    }
    workgroupBarrier();
  }

  // Store: row i of this thread is pixel m; column jj is output channels 4·n4 .. 4·n4 + 3.
  let plane = P.yStride.w;
  let partial = ks * P.chan.x * P.io.y; // partial ks under split-K (dense, io.y = its batch stride)
  for (var i = 0u; i < TM; i++) {
    var mm = mT * BM + tmI + i * MT;
    let ow = pr.z + s.z * (mm % Q.z); mm = mm / Q.z;
    let oh = pr.y + s.y * (mm % Q.y); mm = mm / Q.y;
    let od = pr.x + s.x * (mm % Q.x);
    let n = mm / Q.x;
    if (n >= P.chan.x || od >= P.outSize.x || oh >= P.outSize.y || ow >= P.outSize.z) { continue; }
    let at = partial + yIndex(n, g * coutG, od, oh, ow);
    for (var jj = 0u; jj < TN4; jj++) {
      let n4 = nT * BN4 + tnI + jj * NT;
      let ch = n4 * 4u;
      if (ch >= coutG) { continue; }
      var v = acc[i * TN4 + jj];
      if (!PARTIAL) { v = finish(v, bias[g * ocBlocks + n4]); }
      store(at + ch * plane, plane, min(4u, coutG - ch), v);
    }
  }
}
