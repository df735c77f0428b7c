// The register block of the direct kernels (gather, zero-insert's conv): 4 output cells of one row, the lanes,
// times OCV vec4s of output channels. a[l] holds lane l's first 4 channels, a[4 + l] its next 4 (OCV == 2).
// Weights are the packed vec4s `w` (4 output channels of the group each); blockStore writes through
// epilogue.wgsl. Sums start at +0 and the bias is added after the last tap (finish), as PyTorch does.

override OCV: u32 = 1u; // vec4s of output channels per invocation: 1 or 2

alias Block = array<vec4<f32>, 8>;

// Lane l's input x[l] times the weights at wo (and at wo + 1 when OCV == 2), added to its sums.
fn blockFma(acc: ptr<function, Block>, x: vec4<f32>, wo: u32) {
  let wv = w[wo];
  (*acc)[0] = fma(vec4<f32>(x.x), wv, (*acc)[0]);
  (*acc)[1] = fma(vec4<f32>(x.y), wv, (*acc)[1]);
  (*acc)[2] = fma(vec4<f32>(x.z), wv, (*acc)[2]);
  (*acc)[3] = fma(vec4<f32>(x.w), wv, (*acc)[3]);
  if (OCV == 2u) {
    let wv2 = w[wo + 1u];
    (*acc)[4] = fma(vec4<f32>(x.x), wv2, (*acc)[4]);
    (*acc)[5] = fma(vec4<f32>(x.y), wv2, (*acc)[5]);
    (*acc)[6] = fma(vec4<f32>(x.z), wv2, (*acc)[6]);
    (*acc)[7] = fma(vec4<f32>(x.w), wv2, (*acc)[7]);
  }
}

// The same for the lanes where m holds; the others keep their sums. For layers with a NaN or ±Inf weight,
// where a lane that reads no input cell cannot add 0*w (it would be NaN).
fn blockFmaWhere(acc: ptr<function, Block>, x: vec4<f32>, wo: u32, m: vec4<bool>) {
  let wv = w[wo];
  (*acc)[0] = select((*acc)[0], fma(vec4<f32>(x.x), wv, (*acc)[0]), m.x);
  (*acc)[1] = select((*acc)[1], fma(vec4<f32>(x.y), wv, (*acc)[1]), m.y);
  (*acc)[2] = select((*acc)[2], fma(vec4<f32>(x.z), wv, (*acc)[2]), m.z);
  (*acc)[3] = select((*acc)[3], fma(vec4<f32>(x.w), wv, (*acc)[3]), m.w);
  if (OCV == 2u) {
    let wv2 = w[wo + 1u];
    (*acc)[4] = select((*acc)[4], fma(vec4<f32>(x.x), wv2, (*acc)[4]), m.x);
    (*acc)[5] = select((*acc)[5], fma(vec4<f32>(x.y), wv2, (*acc)[5]), m.y);
    (*acc)[6] = select((*acc)[6], fma(vec4<f32>(x.z), wv2, (*acc)[6]), m.z);
    (*acc)[7] = select((*acc)[7], fma(vec4<f32>(x.w), wv2, (*acc)[7]), m.w);
  }
}

// One vec4 of channels of the first `lanes` lanes: lane l at at + l*step, `chans` channels `plane` apart.
fn storeLanes(at: u32, step: u32, lanes: u32, plane: u32, chans: u32, b: vec4<f32>,
              a0: vec4<f32>, a1: vec4<f32>, a2: vec4<f32>, a3: vec4<f32>) {
  store(at, plane, chans, finish(a0, b));
  if (lanes > 1u) { store(at + step, plane, chans, finish(a1, b)); }
  if (lanes > 2u) { store(at + 2u * step, plane, chans, finish(a2, b)); }
  if (lanes > 3u) { store(at + 3u * step, plane, chans, finish(a3, b)); }
}

// Writes the block's first `lanes` lanes, lane l at base + l*step, for the channels of group g from vec4 block
// ocb on (base: the y index of the first lane's first channel; channels lie P.yStride.w apart). Constant
// indices only, so the block stays in registers.
fn blockStore(acc: ptr<function, Block>, base: u32, step: u32, lanes: u32, g: u32, ocb: u32) {
  let plane = P.yStride.w;
  let coutG = P.chanG.y;
  let ocBlocks = P.chanG.z;
  let a = *acc;
  storeLanes(base, step, lanes, plane, min(4u, coutG - ocb * 4u), bias[g * ocBlocks + ocb], a[0], a[1], a[2], a[3]);
  if (OCV == 2u && coutG > ocb * 4u + 4u) {
    storeLanes(base + 4u * plane, step, lanes, plane, min(4u, coutG - ocb * 4u - 4u), bias[g * ocBlocks + ocb + 1u],
               a[4], a[5], a[6], a[7]);
  }
}
