// Tap stepping, shared by the shaders that visit only the taps whose source lands on an input cell.
//
// Along one axis, input cell i reaches output cell o through tap k when o = i*s - p + k*d, i.e. k*d ≡ t
// (mod s) with t = o + p. With g = gcd(s, d) there are taps only when g divides t; the first is
// k0 = (t/g mod s/g) * inv(d/g) mod s/g, its input i0 = (t - k0*d) / s, and the next ones follow with
// k += s/g, i -= d/g. No per-tap divisibility test, all integer arithmetic.
// Needs the TAP_FIELDS of src/gpu/uniforms.ts (tapStep, inStep, gcdSD, invDil).

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
// lanes' first inputs span f.y..iHi. Returns (first k, first i of the lowest lane, tap count).
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
