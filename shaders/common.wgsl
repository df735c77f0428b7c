// Shared head of every convolution shader (composed in by src/gpu/wgsl.ts after the generated `struct Params`,
// whose fields come from src/gpu/uniforms.ts).
//
// Spatial vectors hold the axes as (D, H, W, unused): 1-D and 2-D problems run with leading axes of size 1.
// Dispatch: 1-D workgroups of WG invocations on a 2-D grid; the grid spills into y when a problem needs more
// than 65535 workgroups, and invocationIndex() folds (x, y, local) back into one linear index.

override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> P: Params;

fn invocationIndex(wg: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wg.y * nwg.x + wg.x) * WG + lid;
}
