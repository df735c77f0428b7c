// Zero-insert path, dispatch 1 of 2: writes the zero-inserted, border-padded input z.
//
// Along each axis input cell i lands at z = i*s + zPad, where zPad = d(k-1) - pad_begin; the s-1 cells
// between landings and the borders are zeros. A negative zPad crops the start, and the end is cropped or
// padded so that the valid extent is out + d(k-1): exactly what a stride-1 convolution with a k-tap,
// d-dilated kernel needs to produce `out` cells. W rows are allocated a little wider (zSize.z, out rounded
// up to a multiple of 4) so the convolution's 4-wide blocks never leave their row; those cells are zeros.
//
// One invocation per z cell, so every cell (zero or not) is written and z needs no clearing. Integer math:
// u = z - zPad is an input landing iff u >= 0, u % s == 0 and u / s < in.
//
// Data: x as a view (common.wgsl: xIndex), read by loadX; z dense [N][C_in][zD][zH][zW], one invocation per cell.

// Input index along axis a for z coordinate zc, or -1 when zc holds an inserted zero or padding.
fn source(zc: u32, a: u32) -> i32 {
  let valid = P.outSize[a] + P.dilation[a] * (P.kernel[a] - 1u);
  let u = i32(zc) - P.zPad[a];
  if (zc >= valid || u < 0) { return -1; }
  let s = P.stride[a];
  let q = u32(u) / s;
  if (u32(u) - q * s != 0u || q >= P.inSize[a]) { return -1; }
  return i32(q);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let id = invocationIndex(wg, nwg, lid);
  if (id >= P.invocations) { return; }
  var r = id;
  let zw = r % P.zSize.z; r = r / P.zSize.z;
  let zh = r % P.zSize.y; r = r / P.zSize.y;
  let zd = r % P.zSize.x;
  let nc = r / P.zSize.x;
  let id_ = source(zd, 0u);
  let ih = source(zh, 1u);
  let iw = source(zw, 2u);
  var v = 0.0;
  if (id_ >= 0 && ih >= 0 && iw >= 0) {
    let n = nc / P.chan.y; // one division: nc % C is nc - n*C
    v = loadX(xIndex(n, nc - n * P.chan.y, u32(id_), u32(ih), u32(iw)));
  }
  z[id] = v;
}
