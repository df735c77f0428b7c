// Tap stepping, shared by the shaders that visit only the taps whose source lands on an input cell.
//
// Along one axis, input cell i reaches output cell o through tap k when o = i*s - p + k*d, i.e. k*d ≡ t
// (mod s) with t = o + p. With g = gcd(s, d) there are taps only when g divides t; the first is
// k0 = (t/g mod s/g) * inv(d/g) mod s/g, its input i0 = (t - k0*d) / s, and the next ones follow with
// k += s/g, i -= d/g. No per-tap divisibility test, all integer arithmetic, none of it overflowing 32 bits for
// strides and dilations up to 2^31 - 1 (the host refuses axes whose reach passes that).
// Reads the TAP_FIELDS of src/gpu/uniforms.ts (what it needs is declared in snippets.ts).

// (a * b) % m for a, b < m < 2^31. The product fits 32 bits when m <= 65536 (m is uniform, so every
// invocation takes the same branch); past that, doubling and adding keeps every sum below 2^32.
fn mulMod(a: u32, b: u32, m: u32) -> u32 {
  if (m <= 65536u) { return (a * b) % m; }
  var r = 0u;
  var x = a;
  var y = b;
  loop {
    if (y == 0u) { break; }
    if ((y & 1u) != 0u) { r += x; if (r >= m) { r -= m; } }
    x += x;
    if (x >= m) { x -= m; }
    y = y >> 1u;
  }
  return r;
}

// First tap on axis a for output coordinate o: (k0, i0, ok). i0 may lie outside the input; tapRange clips.
fn firstTap(o: u32, a: u32) -> vec3<i32> {
  let t = o + P.padBegin[a];
  let g = P.gcdSD[a];
  if (t % g != 0u) { return vec3<i32>(0, 0, 0); }
  let sg = P.tapStep[a];
  let k0 = mulMod((t / g) % sg, P.invDil[a], sg);
  // Exact: t - k0*d is a multiple of s. k0*d may wrap when k0 >= kernel, but then tapRange finds no tap.
  let i0 = (i32(t) - i32(k0 * P.dilation[a])) / i32(P.stride[a]);
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
  // ceil((f.y - n + 1) / dg) and ceil((kn - f.x) / sg), written so that no sum passes 2^31 - 1.
  var j0 = 0;
  if (f.y >= n) { j0 = (f.y - n) / dg + 1; }
  var j1 = 0;
  if (iHi >= 0 && f.x < kn) { j1 = min((kn - f.x - 1) / sg + 1, iHi / dg + 1); }
  return vec3<i32>(f.x + j0 * sg, f.y - j0 * dg, max(j1 - j0, 0));
}
