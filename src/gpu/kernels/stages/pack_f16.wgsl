// float16 output (pack-f16.ts: withHalfOutput): the last dispatch of a plan whose kernels wrote
// float32 into a staging buffer. Narrows the staged values to float16 and packs them two to a u32 word into
// the output, little-endian (element 2k in the low half).
//
// The staging buffer holds the output window's elements [base, base + count) in their order: staged element
// i is output element base + i (base = P.io.w, the output view's base; count = P.count). One invocation per
// output word that holds an element of the range. A word at either end may hold an element outside the range
// (base odd, or base + count odd): that half keeps its old bits (read-modify-write). It may belong to a
// neighbouring chunk of the same layer, which writes it in another dispatch; dispatches run in order, so
// neither write is lost.
//
// Narrowing is done here in integer arithmetic, not with pack2x16float: WGSL leaves pack2x16float's rounding
// to the implementation (either neighbour) and its result for values beyond the float16 range indeterminate
// (SwiftShader gives NaN for +Infinity and 1e6). halfBits rounds to nearest, ties to even, like Float16Array
// and PyTorch's .half(): ±Infinity beyond 65520, NaN stays NaN, -0 stays -0, subnormals are exact.
//
// Data: P.invocations = words, P.count = count, P.io.w = base; y is the output window as u32 words.

// The float16 bit pattern nearest to v (round to nearest, ties to even).
fn halfBits(v: f32) -> u32 {
  let b = bitcast<u32>(v);
  let sign = (b >> 16u) & 0x8000u;
  let a = b & 0x7fffffffu;
  if (a > 0x7f800000u) { return sign | 0x7e00u | ((a >> 13u) & 0x3ffu); } // NaN (quiet), top payload bits kept
  if (a >= 0x477ff000u) { return sign | 0x7c00u; }                          // >= 65520 (and Infinity): Infinity
  if (a >= 0x38800000u) {                                                    // >= 2^-14: a normal float16
    let t = a - 0x38000000u;                                                 // exponent rebiased from 127 to 15
    return sign | ((t + 0xfffu + ((t >> 13u) & 1u)) >> 13u);                 // 13 bits dropped, ties to even
  }
  let e = a >> 23u;
  if (e < 102u) { return sign; }                                             // below 2^-25: rounds to ±0
  // Subnormal: the value in units of 2^-24 is m * 2^(e - 126), m the significand with its leading 1.
  let m = (a & 0x7fffffu) | 0x800000u;
  let shift = 126u - e;                                                      // 14..24
  let q = m >> shift;
  let rest = m & ((1u << shift) - 1u);
  let half = 1u << (shift - 1u);
  return sign | (q + select(0u, 1u, rest > half || (rest == half && (q & 1u) == 1u)));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.invocations) { return; }
  let base = P.io.w;
  let count = P.count;
  let word = base / 2u + id;
  // Offsets of the word's two elements in the staged range; outside it they wrap around to >= count.
  let lo = 2u * word - base;
  let hi = lo + 1u;
  var bits = 0u;
  if (lo >= count || hi >= count) { bits = y[word]; }
  if (lo < count) { bits = (bits & 0xffff0000u) | halfBits(staged[lo]); }
  if (hi < count) { bits = (bits & 0x0000ffffu) | (halfBits(staged[hi]) << 16u); }
  y[word] = bits;
}
