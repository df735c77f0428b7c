// A stride phase as the phase families find it (kernels/weights.ts: packPhaseWeights packs the weights so):
// outputs o = r + s*q of phase r share the first tap k0(r) per axis (taps.wgsl: firstTap), read input i0(r) + q
// at it, and find their packed weights at the phase's first vec4, found by k0. What it needs is declared in
// snippets.ts.

struct Phase {
  r: vec3<u32>,    // the phase along D, H, W
  k0: vec3<i32>,   // its first tap along D, H, W
  i0: vec3<i32>,   // the input its first cell (q = 0) reads at that tap
  taps: bool,      // every axis has taps; else no input reaches the phase and its outputs are bias only
  weights: u32,    // its first packed weight vec4: tap slots × C_in/G × P.chanG.z vec4s per phase
}

// Takes the phase (rw fastest, over the phases that hold outputs, P.phases) off a linear index.
fn takePhase(r: ptr<function, u32>) -> vec3<u32> {
  let n = P.phases.xyz;
  let rw = *r % n.z; *r = *r / n.z;
  let rh = *r % n.y; *r = *r / n.y;
  let rd = *r % n.x; *r = *r / n.x;
  return vec3<u32>(rd, rh, rw);
}

// Where group g's phase with first taps k0 lies among the packed phases: its weights start at this index
// times what one phase holds. Only meaningful when every axis has taps.
fn phaseIndex(g: u32, k0: vec3<i32>) -> u32 {
  let F = P.phaseFirsts.xyz;
  return ((g * F.x + u32(k0.x)) * F.y + u32(k0.y)) * F.z + u32(k0.z);
}

fn phaseOf(g: u32, r: vec3<u32>) -> Phase {
  let fd = firstTap(r.x, 0u);
  let fh = firstTap(r.y, 1u);
  let fw = firstTap(r.z, 2u);
  let k0 = vec3<i32>(fd.x, fh.x, fw.x);
  let T = P.phaseTaps.xyz;
  return Phase(r, k0, vec3<i32>(fd.y, fh.y, fw.y), fd.z * fh.z * fw.z == 1,
               phaseIndex(g, k0) * T.x * T.y * T.z * P.chanG.x * P.chanG.z);
}
