// The input x, shared by every shader that reads it (composed in by src/gpu/wgsl.ts as the part `input`; the
// body must not bind 1 itself). x is bound as raw 32-bit words so one declaration serves both storage types
// of the layer's `dataType`:
// - float32 (X_F16 false, the default): word i is element i, read as its bits (bitcast, no conversion);
// - float16 (X_F16 true): elements packed two to a word, little-endian (element 2k in the low half, as a
//   Float16Array lies in memory), widened exactly by unpack2x16float, which needs no `shader-f16`.
// loadX takes an element index either way (common.wgsl: xIndex), so views, strides and window bases are the
// same for both; a float16 window may start at an odd element. Arithmetic is float32 in both cases.
//
// Binding: 1 x, float32 or packed float16 [N][C_in][D][H][W] as a view (common.wgsl: xIndex).

override X_F16: bool = false;

@group(0) @binding(1) var<storage, read> x: array<u32>;

fn loadX(i: u32) -> f32 {
  if (X_F16) {
    let pair = unpack2x16float(x[i >> 1u]);
    return select(pair.x, pair.y, (i & 1u) != 0u);
  }
  return bitcast<f32>(x[i]);
}
