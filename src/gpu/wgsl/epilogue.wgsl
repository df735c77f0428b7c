// The store epilogue, shared by every kernel that writes the output `y` (a binding of its descriptor).
// finish() turns an accumulated sum into the stored value: sum first, then bias (so a cell that no input
// reaches holds exactly 0 + bias, as in PyTorch), then the fused activation (src/activation.ts has the same
// definitions in float64 for the CPU references). store() writes up to 4 output channels of one cell,
// `plane` elements apart (the output view's channel stride, common.wgsl: yIndex). y is float32 whatever the
// layer's dataType: a float16 layer's kernels write a float32 staging buffer that kernels/stages/pack_f16.wgsl narrows.
//
// ACT selects the activation at pipeline creation, so there is no branch per element; its parameters come
// from the uniform (P.act: alpha or min, beta or max). NaN stays NaN through every one of them. The ACT_*
// codes are composed in front of this file, generated from src/activation.ts (wgsl/snippets.ts).

override ACT: u32 = ACT_NONE;

// erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), odd-extended.
fn erf4(x: vec4<f32>) -> vec4<f32> {
  let ax = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * ax);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(x) * (1.0 - poly * exp(-ax * ax));
}

fn activate(v: vec4<f32>) -> vec4<f32> {
  let a = P.act.x;
  let b = P.act.y;
  let nan = v != v;
  let neg = v < vec4<f32>(0.0);
  switch ACT {
    case ACT_RELU: { return select(v, vec4<f32>(0.0), neg); }
    case ACT_LEAKY_RELU: { return select(v, a * v, neg); }
    case ACT_CLAMP: { return select(min(max(v, vec4<f32>(a)), vec4<f32>(b)), v, nan); }
    case ACT_SIGMOID: { return 1.0 / (1.0 + exp(-v)); }
    case ACT_TANH: { return select(tanh(clamp(v, vec4<f32>(-15.0), vec4<f32>(15.0))), v, nan); }
    case ACT_ELU: { return select(v, a * (exp(v) - 1.0), neg); }
    case ACT_HARD_SIGMOID: { return select(clamp(a * v + b, vec4<f32>(0.0), vec4<f32>(1.0)), v, nan); }
    case ACT_GELU: { return 0.5 * v * (1.0 + erf4(v * 0.7071067811865476)); }
    default: { return v; }
  }
}

fn finish(acc: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return activate(acc + b);
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
