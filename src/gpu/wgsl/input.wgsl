// The input x as float32: `loadX(element index) -> f32`, composed in (compose.ts) for kernels that bind the
// input, which the composer declares as `array<f32>`. Its float16 twin is input_f16.wgsl, with the same loadX,
// so a body is written once for both storage types.
//
// Why two readers and not one `array<u32>` read through bitcast with an override: on SwiftShader the bitcast
// read made the phase GEMM's hot loop ~10% slower than a plain `array<f32>` read (A/B of the composed shaders
// in one page, dcgan-g4), and a storage type cannot be an override.

fn loadX(i: u32) -> f32 {
  return x[i];
}
