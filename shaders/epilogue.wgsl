// The store epilogue, shared by every shader that writes the output `y` (which the body binds).
// finish() turns an accumulated sum into the stored value: sum first, then bias (so a cell that no input
// reaches holds exactly 0 + bias, as in PyTorch), then the activation hook, the one place a fused
// activation goes. store() writes up to 4 output channels of one cell, `plane` elements apart (NCHW).

fn finish(acc: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return acc + b;
}

fn store(at: u32, plane: u32, chans: u32, v: vec4<f32>) {
  y[at] = v.x;
  if (chans > 1u) { y[at + plane] = v.y; }
  if (chans > 2u) { y[at + 2u * plane] = v.z; }
  if (chans > 3u) { y[at + 3u * plane] = v.w; }
}

// Writes one output channel of up to 4 pixels, `step` elements apart in a row (pixel-blocked kernels).
fn storePixels4(at: u32, step: u32, lanes: u32, v: vec4<f32>) {
  y[at] = v.x;
  if (lanes > 1u) { y[at + step] = v.y; }
  if (lanes > 2u) { y[at + 2u * step] = v.z; }
  if (lanes > 3u) { y[at + 3u * step] = v.w; }
}
