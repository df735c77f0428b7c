// Shared head of every convolution shader (composed in by src/gpu/wgsl.ts after the generated `struct Params`,
// whose fields come from src/gpu/uniforms.ts).
//
// Spatial vectors hold the axes as (D, H, W, unused): 1-D and 2-D problems run with leading axes of size 1.
// Dispatch: 1-D workgroups of WG invocations on a 2-D grid; the grid spills into y when a problem needs more
// than 65535 workgroups, and invocationIndex() folds (x, y, local) back into one linear index.

override WG: u32 = 64u;
// Tensor layout of x and y: channels-first (NC<spatial>, false) or channels-last (N<spatial>C, true). The
// strides themselves come from the uniform (src/gpu/uniforms.ts: TensorView), so any view works either way;
// the override only lets the compiler fold the W step to the constant 1 in channels-first hot loops.
override CHANNELS_LAST: bool = false;
// Every weight is finite (known when the weights are uploaded: src/gpu/paths/types.ts, finiteWeights). A lane
// masked off at a row edge, or an inserted zero, may then be multiplied in as 0: 0*w = ±0, and adding ±0 leaves
// a sum that starts at +0 unchanged (it is never -0). With a NaN or ±Inf weight (0*w = NaN) the kernels skip
// such lanes with a select per sum instead. Set by the paths whose kernels read it (gather, conv, phase).
override FINITE_W: bool = false;

@group(0) @binding(0) var<uniform> P: Params;

fn invocationIndex(wg: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wg.y * nwg.x + wg.x) * WG + lid;
}

// Element steps between neighbouring W cells of x and y.
fn xStepW() -> u32 {
  if (CHANNELS_LAST) { return P.xStride.z; }
  return 1u;
}
fn yStepW() -> u32 {
  if (CHANNELS_LAST) { return P.yStride.z; }
  return 1u;
}

// Index of x[n][c][d][h][w] and y[n][c][d][h][w] in their bound windows (layout, window base and batch stride
// from the uniform: P.xStride/P.yStride hold (D, H, W, C) strides, P.io the batch strides and bases).
fn xIndex(n: u32, c: u32, d: u32, h: u32, w: u32) -> u32 {
  return P.io.z + n * P.io.x + c * P.xStride.w + d * P.xStride.x + h * P.xStride.y + w * xStepW();
}
fn yIndex(n: u32, c: u32, d: u32, h: u32, w: u32) -> u32 {
  return P.io.w + n * P.io.y + c * P.yStride.w + d * P.yStride.x + h * P.yStride.y + w * yStepW();
}
