// The input x as packed float16, the twin of input.wgsl for a float16 layer (the composer declares x as
// `array<u32>`). Elements are packed two to a 32-bit word, little-endian (element 2k in the low half, as a
// Float16Array lies in memory), and widened exactly by unpack2x16float, which needs no `shader-f16`. loadX takes
// an element index, so views, strides and window bases are those of float32; a window may start at an odd
// element. Arithmetic is float32.

fn loadX(i: u32) -> f32 {
  let pair = unpack2x16float(x[i >> 1u]);
  return select(pair.x, pair.y, (i & 1u) != 0u);
}
