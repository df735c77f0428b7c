// Arithmetic ceiling of the adapter: how many fused multiply-adds per second it sustains when nothing else
// (memory, control flow, dependencies) is in the way. The benchmark divides every layer's GFLOP/s by this.
//
// Algorithm: every invocation keeps 8 independent vec4 accumulators and runs `iterations` rounds of
// `acc = fma(acc, mul, add)` on each. The chains do not depend on one another, so a pipelined ALU (or a
// SIMD-vectorising CPU JIT such as SwiftShader) can overlap them; within a chain each step needs the previous
// one, which stops the compiler from collapsing the loop. `mul` and `add` come from a uniform, so nothing can
// be folded at compile time; mul is just below 1 and add small, so values stay finite for any iteration count.
// The sum of the accumulators is written out so the work cannot be removed as dead code.
//
// Bindings (group 0):
//   0  uniform  params { iterations: u32, mul: f32, add: f32, _pad: u32 }
//   1  storage  out: array<vec4f>, one entry per invocation (read back by nobody; it only keeps the work alive)
//
// Dispatch: workgroup_size 64, dispatchWorkgroups(W) with W = invocations / 64 (invocations a multiple of 64).
// FLOPs per dispatch = invocations · iterations · 8 chains · 4 lanes · 2 (an FMA counts as two flops).

struct Params {
  iterations: u32,
  mul: f32,
  add: f32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<vec4f>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  // Distinct starting values per invocation and per chain, so no two chains are provably equal.
  let seed = f32(gid.x) * 1e-6;
  var a0 = vec4f(seed + 0.10, seed + 0.11, seed + 0.12, seed + 0.13);
  var a1 = vec4f(seed + 0.20, seed + 0.21, seed + 0.22, seed + 0.23);
  var a2 = vec4f(seed + 0.30, seed + 0.31, seed + 0.32, seed + 0.33);
  var a3 = vec4f(seed + 0.40, seed + 0.41, seed + 0.42, seed + 0.43);
  var a4 = vec4f(seed + 0.50, seed + 0.51, seed + 0.52, seed + 0.53);
  var a5 = vec4f(seed + 0.60, seed + 0.61, seed + 0.62, seed + 0.63);
  var a6 = vec4f(seed + 0.70, seed + 0.71, seed + 0.72, seed + 0.73);
  var a7 = vec4f(seed + 0.80, seed + 0.81, seed + 0.82, seed + 0.83);
  let m = vec4f(params.mul);
  let c = vec4f(params.add);
  for (var i = 0u; i < params.iterations; i++) {
    a0 = fma(a0, m, c);
    a1 = fma(a1, m, c);
    a2 = fma(a2, m, c);
    a3 = fma(a3, m, c);
    a4 = fma(a4, m, c);
    a5 = fma(a5, m, c);
    a6 = fma(a6, m, c);
    a7 = fma(a7, m, c);
  }
  out[gid.x] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}
