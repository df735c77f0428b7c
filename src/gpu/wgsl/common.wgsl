// Shared head of every kernel (composed in by compose.ts after the generated `struct Params` and bindings).
//
// Spatial vectors hold the axes as (D, H, W, unused): 1-D and 2-D problems run with leading axes of size 1.
// Dispatch: 1-D workgroups of WG invocations on a grid that spills from x into y and z past the per-dimension
// limit (kernels/kernel.ts: gridFor); workgroupIndex() and invocationIndex() fold it back into linear indices.

override WG: u32 = 64u;
// Tensor layout of x and y: channels-first (NC<spatial>, false) or channels-last (N<spatial>C, true). The
// strides themselves come from the uniform (src/gpu/uniforms.ts: TensorView), so any view works either way;
// the override only lets the compiler fold the W step to the constant 1 in channels-first hot loops.
override CHANNELS_LAST: bool = false;
// Every weight is finite (known when the weights are uploaded: plan/context.ts, finiteWeights). A lane
// masked off at a row edge, or an inserted zero, may then be multiplied in as 0: 0*w = ±0, and adding ±0 leaves
// a sum that starts at +0 unchanged (it is never -0). With a NaN or ±Inf weight (0*w = NaN) the kernels skip
// such lanes with a select per sum instead. Set for the kernels whose descriptor says they read it.
override FINITE_W: bool = false;

fn workgroupIndex(wg: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return (wg.z * nwg.y + wg.y) * nwg.x + wg.x;
}

fn invocationIndex(wg: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return workgroupIndex(wg, nwg) * WG + lid;
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
