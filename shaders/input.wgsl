// The input x as float32, shared by every shader that reads it (composed in by src/gpu/wgsl.ts as the part
// `input`; the body must not bind 1 itself). Its float16 twin is input_f16.wgsl: the two declare the same
// binding and the same `loadX(element index) -> f32`, so a body is written once for both storage types, and
// src/gpu/wgsl.ts (halfInput) picks the twin for a float16 layer at composition time.
//
// Why two files and not one `array<u32>` read through bitcast with an X_F16 override: on SwiftShader the
// bitcast read made the phase GEMM's hot loop ~10% slower than a plain `array<f32>` read (A/B of the composed
// shaders in one page, dcgan-g4), and a storage type cannot be an override.
//
// Binding: 1 x, float32 [N][C_in][D][H][W] as a view (common.wgsl: xIndex).

@group(0) @binding(1) var<storage, read> x: array<f32>;

fn loadX(i: u32) -> f32 {
  return x[i];
}
