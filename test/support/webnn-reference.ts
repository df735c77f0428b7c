/**
 * An independent float64 WebNN convTranspose2d for the tests, written from the WebNN definition in WebNN's own
 * layouts (no mapping onto ONNX attributes, no layout conversion): input in `inputLayout`, filter in
 * `filterLayout`, padding `[beginningHeight, endingHeight, beginningWidth, endingWidth]`, output size from
 * outputSizes or calculated + outputPadding, output in `inputLayout`. Explicit padding only (no autoPad).
 * `out[n, g*Og + o, ih*sH + kh*dH - bH, iw*sW + kw*dW - bW] += x[n, g*Ig + i, ih, iw] * filter(g*Ig + i, o, kh, kw)`.
 */

export interface WebnnReferenceOptions {
  padding?: number[];
  strides?: number[];
  dilations?: number[];
  outputPadding?: number[];
  outputSizes?: number[];
  groups?: number;
  inputLayout?: 'nchw' | 'nhwc';
  filterLayout?: 'iohw' | 'hwoi' | 'ohwi';
  bias?: number[] | Float32Array;
}

/** Seeded WebNN convTranspose2d configurations: layouts, groups, asymmetric padding, outputSizes, bias. */
export function randomWebnnConfigs(seed: number, count: number): { inputShape: number[]; filterShape: number[]; options: WebnnReferenceOptions; name: string }[] {
  let a = seed >>> 0;
  const r = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const out = [];
  for (let n = 0; n < count; n++) {
    const groups = r() < 0.3 ? int(2, 3) : 1;
    const Ig = int(1, 3), Og = int(1, 3), C = Ig * groups;
    const H = int(1, 6), W = int(1, 6), kH = int(1, 4), kW = int(1, 4), N = int(1, 2);
    const strides = [int(1, 3), int(1, 3)], dilations = [int(1, 2), int(1, 2)];
    const padding = [int(0, 2), int(0, 2), int(0, 2), int(0, 2)];
    const calc = [(H - 1) * strides[0] + (kH - 1) * dilations[0] + 1 - padding[0] - padding[1], (W - 1) * strides[1] + (kW - 1) * dilations[1] + 1 - padding[2] - padding[3]];
    if (calc[0] < 1 || calc[1] < 1) { n--; continue; }
    const inputLayout = r() < 0.5 ? 'nchw' : 'nhwc';
    const filterLayout = (['iohw', 'hwoi', 'ohwi'] as const)[int(0, 2)];
    const options: WebnnReferenceOptions = { padding, strides, dilations, groups, inputLayout, filterLayout };
    const extra = [int(0, strides[0] - 1), int(0, strides[1] - 1)];
    if (r() < 0.5) options.outputPadding = extra;
    else if (r() < 0.5) options.outputSizes = [calc[0] + extra[0], calc[1] + extra[1]];
    if (r() < 0.5) options.bias = Array.from({ length: Og * groups }, () => r() * 2 - 1);
    const inputShape = inputLayout === 'nchw' ? [N, C, H, W] : [N, H, W, C];
    const filterShape = { iohw: [C, Og, kH, kW], hwoi: [kH, kW, Og, C], ohwi: [Og, kH, kW, C] }[filterLayout];
    out.push({ inputShape, filterShape, options, name: JSON.stringify({ inputShape, filterShape, options: { ...options, bias: options.bias ? `[${options.bias.length}]` : undefined } }) });
  }
  return out;
}

export function webnnReference(input: ArrayLike<number>, inputShape: number[], filter: ArrayLike<number>, filterShape: number[], o: WebnnReferenceOptions): { data: Float64Array; shape: number[] } {
  const nhwc = o.inputLayout === 'nhwc';
  const [N, C, H, W] = nhwc ? [inputShape[0], inputShape[3], inputShape[1], inputShape[2]] : inputShape;
  const layout = o.filterLayout ?? 'iohw';
  const [, Og, kH, kW] = layout === 'iohw' ? filterShape : layout === 'hwoi' ? [filterShape[3], filterShape[2], filterShape[0], filterShape[1]] : [filterShape[3], filterShape[0], filterShape[1], filterShape[2]];
  const G = o.groups ?? 1, Ig = C / G, Cout = Og * G;
  const [bH, eH, bW, eW] = o.padding ?? [0, 0, 0, 0];
  const [sH, sW] = o.strides ?? [1, 1];
  const [dH, dW] = o.dilations ?? [1, 1];
  const calcH = (H - 1) * sH + (kH - 1) * dH + 1 - bH - eH, calcW = (W - 1) * sW + (kW - 1) * dW + 1 - bW - eW;
  const [oH, oW] = o.outputSizes ?? [calcH + (o.outputPadding?.[0] ?? 0), calcW + (o.outputPadding?.[1] ?? 0)];
  const xAt = (n: number, c: number, h: number, w: number) => input[nhwc ? ((n * H + h) * W + w) * C + c : ((n * C + c) * H + h) * W + w];
  const fAt = (i: number, oc: number, kh: number, kw: number) => filter[
    layout === 'iohw' ? ((i * Og + oc) * kH + kh) * kW + kw
      : layout === 'hwoi' ? ((kh * kW + kw) * Og + oc) * C + i
      : ((oc * kH + kh) * kW + kw) * C + i];
  const yIdx = (n: number, c: number, h: number, w: number) => (nhwc ? ((n * oH + h) * oW + w) * Cout + c : ((n * Cout + c) * oH + h) * oW + w);
  const y = new Float64Array(N * Cout * oH * oW);
  for (let n = 0; n < N; n++) for (let g = 0; g < G; g++) for (let i = 0; i < Ig; i++) for (let ih = 0; ih < H; ih++) for (let iw = 0; iw < W; iw++) {
    const v = xAt(n, g * Ig + i, ih, iw);
    for (let oc = 0; oc < Og; oc++) for (let kh = 0; kh < kH; kh++) {
      const oh = ih * sH + kh * dH - bH;
      if (oh < 0 || oh >= oH) continue;
      for (let kw = 0; kw < kW; kw++) {
        const ow = iw * sW + kw * dW - bW;
        if (ow < 0 || ow >= oW) continue;
        y[yIdx(n, g * Og + oc, oh, ow)] += v * fAt(g * Ig + i, oc, kh, kw);
      }
    }
  }
  if (o.bias) for (let n = 0; n < N; n++) for (let c = 0; c < Cout; c++) for (let h = 0; h < oH; h++) for (let w = 0; w < oW; w++) y[yIdx(n, c, h, w)] += o.bias[c];
  return { data: y, shape: nhwc ? [N, oH, oW, Cout] : [N, Cout, oH, oW] };
}
