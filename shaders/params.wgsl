// Shared head of every convolution shader in this package; the host prepends it to each module
// (src/gpu/pipelines.ts), so the uniform layout is written once and matches src/gpu/params.ts.
//
// Spatial vectors hold the axes as (D, H, W, unused): 1-D and 2-D problems run with leading axes of size 1.
// Dispatch: 1-D workgroups of WG invocations on a 2-D grid; the grid spills into y when a problem needs more
// than 65535 workgroups, and invocationIndex() folds (x, y, local) back into one linear index.

override WG: u32 = 64u;

struct Params {
  inSize: vec4<u32>,    // input spatial size
  outSize: vec4<u32>,   // output spatial size
  kernel: vec4<u32>,    // kernel size
  stride: vec4<u32>,
  dilation: vec4<u32>,
  padBegin: vec4<u32>,  // cells removed at the start of each output axis
  tapStep: vec4<u32>,   // stride / gcd(stride, dilation): kernel-index step between taps that hit input cells
  inStep: vec4<u32>,    // dilation / gcd(stride, dilation): input-index step between those taps
  gcdSD: vec4<u32>,     // gcd(stride, dilation)
  invDil: vec4<u32>,    // inverse of dilation/gcd modulo stride/gcd (0 when stride/gcd is 1)
  zSize: vec4<u32>,     // zero-insert path: allocated size of the zero-inserted input (W rounded for 4-wide blocks)
  zPad: vec4<i32>,      // zero-insert path: zeros before the first input cell, d(k-1) - pad_begin (negative: crop)
  chan: vec4<u32>,      // N, C_in, C_out, groups
  chanG: vec4<u32>,     // C_in/groups, C_out/groups, blocks of 4 output channels per group, W blocks per row
  grid: vec4<u32>,      // invocations that do work, workgroups along x, unused, unused
}

@group(0) @binding(0) var<uniform> P: Params;

fn invocationIndex(wg: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wg.y * nwg.x + wg.x) * WG + lid;
}
