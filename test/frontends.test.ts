/**
 * The TF.js and WebNN entry points without a GPU: the mapping of each source's arguments onto the core
 * (against tfjs-core's own conv_util and a port of TF.js's CPU Conv2DBackpropInput loops, against the
 * fixtures' recorded effective pads, against the WebNN spec's rules), and every rejection: foreign keys,
 * ambiguous values, bad layouts, bad pads. The GPU runs are in test/frontends-browser.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backend_util } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { resolveConvTranspose, scatterReference, sizeOf } from '../src/index';
import { filterToIohw } from '../src/layout';
import {
  mapTfjsConv2dTranspose, mapTfjsConv3dTranspose, tfjsConv2dTranspose, tfjsConv3dTranspose, createTfjsConv2dTranspose,
  type TfjsPad2d,
} from '../src/frontends/tfjs';
import { createWebnnConvTranspose2d, mapWebnnConvTranspose2d, webnnConvTranspose2d } from '../src/frontends/webnn';
import type { CoreMapping } from '../src/frontends/common';
import { compare, describeMismatch } from './support/compare';
import type { NumericCaseJson } from './support/conformance';
import { randomWebnnConfigs, webnnReference } from './support/webnn-reference';
import { rng } from './support/random';
import { permute } from './support/layout';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** A channels-first shape from a channels-last one (batched), and back. */
const toNchw = (s: readonly number[]) => [s[0], s[s.length - 1], ...s.slice(1, -1)];

/** Resolves a mapping with the core, channels-first, for shape checks. */
function resolveMapped(m: CoreMapping, xShape: readonly number[], filterShape: readonly number[]) {
  const x = m.inputLayout === 'nhwc' ? toNchw(xShape) : xShape;
  const w = filterToIohw({ data: new Float32Array(sizeOf(filterShape)), shape: filterShape }, m.filterLayout).shape;
  return resolveConvTranspose(x, w, null, m.attributes);
}

describe('TF.js mapping against tfjs-core conv_util (computeConv2DInfo / computeConv3DInfo)', () => {
  it('2-D: forward pads and x sizes equal padInfo and outHeight/outWidth; the core resolves outputShape (1500 configurations)', () => {
    const r = rng(7);
    let mapped = 0, noInput = 0, refused = 0;
    for (let n = 0; n < 1500; n++) {
      const H = int(r, 1, 12), W = int(r, 1, 12), kH = int(r, 1, 5), kW = int(r, 1, 5);
      const s: [number, number] = [int(r, 1, 4), int(r, 1, 4)];
      const d: [number, number] = r() < 0.2 ? [int(r, 1, 3), int(r, 1, 3)] : [1, 1];
      const kind = pick(r, ['same', 'valid', 'number', 'explicit'] as const);
      const pad: TfjsPad2d = kind === 'number' ? int(r, 0, 3) : kind === 'explicit'
        ? [[0, 0], [int(r, 0, 3), int(r, 0, 3)], [int(r, 0, 3), int(r, 0, 3)], [0, 0]] : kind;
      const rounding = kind === 'number' || kind === 'explicit' ? pick(r, [undefined, 'floor', 'round', 'ceil'] as const) : undefined;
      const out = [2, H, W, 3], filter = [kH, kW, 3, 5];
      const info = backend_util.computeConv2DInfo(out as [number, number, number, number], filter as [number, number, number, number], s, d, pad as never, rounding, false, 'channelsLast');
      const what = JSON.stringify({ out, filter, s, d, pad, rounding });
      const x = [2, info.outHeight, info.outWidth, 5];
      if (info.outHeight < 1 || info.outWidth < 1) {
        noInput++;
        expect(() => mapTfjsConv2dTranspose([2, 1, 1, 5], filter, out, s, pad, { dilations: d, dimRoundingMode: rounding }), what).toThrow(/outputShape: .* has no output/);
        continue;
      }
      const quirk = kind === 'number' && (kH !== kW || s[0] !== s[1] || d[0] !== d[1]);
      let m;
      try {
        m = mapTfjsConv2dTranspose(x, filter, out, s, pad, { dilations: d, dimRoundingMode: rounding });
      } catch (e) {
        // Only TF.js's numeric-pad width (sized with the filter height and the height stride) can ask for
        // more extra cells than a stride; that is refused, naming the quirk.
        expect(quirk, `${what}: ${e}`).toBe(true);
        expect(String(e)).toMatch(/outputShape: its width .* more than the transposed convolution of x reaches .*tfjs-core sized x's width with the filter height/);
        refused++;
        continue;
      }
      expect(m.xSpatial, what).toEqual([info.outHeight, info.outWidth]);
      expect(m.forwardPads, what).toEqual([[info.padInfo.top, info.padInfo.bottom], [info.padInfo.left, info.padInfo.right]]);
      const res = resolveMapped(m, x, filter);
      expect(res.outSpatial, what).toEqual([H, W]);
      expect(res.padsBegin, what).toEqual([info.padInfo.top, info.padInfo.left]);
      expect(m.outputShape).toEqual(out);
      mapped++;
    }
    expect(mapped).toBeGreaterThan(1200);
    expect(noInput).toBeGreaterThan(0);
    expect(refused).toBeLessThan(150); // numeric pads with a non-square filter or strides only
  });

  it('2-D NCHW: the same pads as NHWC, explicit pads read from axes 2 and 3', () => {
    const nhwc = mapTfjsConv2dTranspose([1, 2, 4, 2], [3, 2, 6, 2], [1, 5, 7, 6], [2, 2], [[0, 0], [1, 0], [0, 1], [0, 0]]);
    const nchw = mapTfjsConv2dTranspose([1, 2, 2, 4], [3, 2, 6, 2], [1, 6, 5, 7], [2, 2], [[0, 0], [0, 0], [1, 0], [0, 1]], { dataFormat: 'NCHW' });
    expect(nchw.attributes).toEqual(nhwc.attributes);
    expect(nchw.inputLayout).toBe('nchw');
    expect(nhwc.inputLayout).toBe('nhwc');
    expect(nchw.outputShape).toEqual([1, 6, 5, 7]);
    const info = backend_util.computeConv2DInfo([1, 6, 5, 7], [3, 2, 6, 2], [2, 2], 1, [[0, 0], [0, 0], [1, 0], [0, 1]], undefined, false, 'channelsFirst');
    expect(nchw.forwardPads).toEqual([[info.padInfo.top, info.padInfo.bottom], [info.padInfo.left, info.padInfo.right]]);
    expect(nchw.xSpatial).toEqual([info.outHeight, info.outWidth]);
  });

  it('3-D: forward pads and x sizes equal computeConv3DInfo; a negative \'same\' front padding is refused (800 configurations)', () => {
    const r = rng(11);
    let mapped = 0, negative = 0;
    for (let n = 0; n < 800; n++) {
      const sp = [int(r, 1, 7), int(r, 1, 7), int(r, 1, 7)], k = [int(r, 1, 4), int(r, 1, 4), int(r, 1, 4)];
      const s: [number, number, number] = [int(r, 1, 3), int(r, 1, 3), int(r, 1, 3)];
      const pad = pick(r, ['same', 'valid'] as const);
      const out = [1, ...sp, 2], filter = [...k, 2, 3];
      const info = backend_util.computeConv3DInfo(out as never, filter as never, s, 1, pad);
      const what = JSON.stringify({ out, filter, s, pad });
      const oSp = [info.outDepth, info.outHeight, info.outWidth];
      if (oSp.some((v) => v < 1)) {
        expect(() => mapTfjsConv3dTranspose([1, 1, 1, 1, 3], filter, out, s, pad), what).toThrow(/outputShape: .* has no output/);
        continue;
      }
      const x = [1, ...oSp, 3];
      const p = info.padInfo;
      if (p.front < 0 || p.top < 0 || p.left < 0) {
        negative++;
        expect(() => mapTfjsConv3dTranspose(x, filter, out, s, pad), what).toThrow(/pad: .* negative .* padding/);
        continue;
      }
      const m = mapTfjsConv3dTranspose(x, filter, out, s, pad);
      expect(m.xSpatial, what).toEqual(oSp);
      expect(m.forwardPads, what).toEqual([[p.front, p.back], [p.top, p.bottom], [p.left, p.right]]);
      const res = resolveMapped(m, x, filter);
      expect(res.outSpatial, what).toEqual(sp);
      expect(res.padsBegin, what).toEqual([p.front, p.top, p.left]);
      mapped++;
    }
    expect(mapped).toBeGreaterThan(400);
    expect(negative).toBeGreaterThan(0);
  });
});

/**
 * TF.js's CPU Conv2DBackpropInput (tfjs-backend-cpu conv2DBackpropInput), ported loop for loop: NHWC dy, filter
 * [kH, kW, outDepth(dx), inDepth(dy)], the zero-insert padding `filter - 1 - padInfo.top`, the filter flipped.
 * Dilation 1, as TF.js's kernels.
 */
function tfjsCpuConv2dBackpropInput(dxShape: number[], dy: Float32Array, dyShape: number[], filter: Float32Array, filterShape: number[], info: backend_util.Conv2DInfo): Float64Array {
  const [batch, inH, inW, inDepth] = dxShape;
  const [, outH, outW, outDepth] = dyShape;
  const [kH, kW] = filterShape;
  const topPad = kH - 1 - info.padInfo.top, leftPad = kW - 1 - info.padInfo.left;
  const { strideHeight: sH, strideWidth: sW } = info;
  const dx = new Float64Array(batch * inH * inW * inDepth);
  for (let b = 0; b < batch; b++) for (let d1 = 0; d1 < inDepth; d1++) for (let xR = 0; xR < inH; xR++) {
    const xRCorner = xR - topPad;
    const xRMin = Math.max(0, Math.ceil(xRCorner / sH));
    const yRMax = Math.min(outH, (kH + xRCorner) / sH);
    for (let xC = 0; xC < inW; xC++) {
      const xCCorner = xC - leftPad;
      const xCMin = Math.max(0, Math.ceil(xCCorner / sW));
      const yCMax = Math.min(outW, (kW + xCCorner) / sW);
      let dot = 0;
      for (let yR = xRMin; yR < yRMax; yR++) {
        const wR = yR * sH - xRCorner;
        for (let yC = xCMin; yC < yCMax; yC++) {
          const wC = yC * sW - xCCorner;
          for (let d2 = 0; d2 < outDepth; d2++) {
            dot += dy[((b * outH + yR) * outW + yC) * outDepth + d2] * filter[(((kH - 1 - wR) * kW + (kW - 1 - wC)) * inDepth + d1) * outDepth + d2];
          }
        }
      }
      dx[((b * inH + xR) * inW + xC) * inDepth + d1] = dot;
    }
  }
  return dx;
}


describe('TF.js mapping against a port of TF.js\'s CPU Conv2DBackpropInput', () => {
  it('the core\'s float64 scatter reference on the mapped problem equals TF.js\'s loops (300 configurations, output padding included)', () => {
    const r = rng(23);
    let withOutputPadding = 0;
    for (let n = 0; n < 300; n++) {
      const H = int(r, 1, 9), W = int(r, 1, 9), kH = int(r, 1, 4), kW = int(r, 1, 4);
      const s: [number, number] = [int(r, 1, 3), int(r, 1, 3)];
      const kind = pick(r, ['same', 'valid', 'number', 'explicit'] as const);
      const pad: TfjsPad2d = kind === 'number' ? int(r, 0, 2) : kind === 'explicit'
        ? [[0, 0], [int(r, 0, 2), int(r, 0, 2)], [int(r, 0, 2), int(r, 0, 2)], [0, 0]] : kind;
      const rounding = kind === 'number' || kind === 'explicit' ? pick(r, [undefined, 'ceil'] as const) : undefined;
      const cOut = int(r, 1, 3), cIn = int(r, 1, 3);
      const out = [1, H, W, cOut], filterShape = [kH, kW, cOut, cIn];
      const info = backend_util.computeConv2DInfo(out as never, filterShape as never, s, 1, pad as never, rounding, false, 'channelsLast');
      if (info.outHeight < 1 || info.outWidth < 1) continue;
      const xShape = [1, info.outHeight, info.outWidth, cIn];
      let m;
      try {
        m = mapTfjsConv2dTranspose(xShape, filterShape, out, s, pad, { dimRoundingMode: rounding });
      } catch (e) {
        // Only TF.js's numeric-pad width quirk can ask for more extra cells than a stride.
        expect(kind, String(e)).toBe('number');
        expect(String(e)).toMatch(/outputShape: its width .* more than the transposed convolution of x reaches/);
        continue;
      }
      if (m.attributes.output_padding.some((v) => v > 0)) withOutputPadding++;
      const x = Float32Array.from({ length: sizeOf(xShape) }, () => r() * 2 - 1);
      const f = Float32Array.from({ length: sizeOf(filterShape) }, () => r() * 2 - 1);
      const tf = tfjsCpuConv2dBackpropInput(out, x, xShape, f, filterShape, info);
      const w = filterToIohw({ data: f, shape: filterShape }, 'hwoi');
      const res = resolveConvTranspose(toNchw(xShape), w.shape, null, m.attributes);
      const ours = scatterReference(res, permute(x, xShape, [0, 3, 1, 2]).data, w.data as Float32Array, null);
      const oursNhwc = permute(ours, res.outputShape, [0, 2, 3, 1]).data;
      const c = compare(oursNhwc, tf, 1e-5, 1e-5);
      if (!c.ok) expect.fail(describeMismatch(JSON.stringify({ out, filterShape, s, pad, rounding }), 'scatter vs TF.js loops', c));
    }
    expect(withOutputPadding).toBeGreaterThan(10);
  });
});

const fixtures = (file: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/conformance', file), 'utf8')) as (NumericCaseJson & { tfjs_original?: Record<string, unknown>; webnn_original?: Record<string, unknown> })[];

describe('fixtures: the original arguments map to the recorded effective pads', () => {
  it.each(fixtures('tfjs.json').map((c) => [c.name, c] as const))('tfjs.json: %s', (_, c) => {
    const o = c.tfjs_original!;
    const dims = c.dims as 2 | 3;
    const channelsFirst = /dataFormat=channelsFirst/.test(c.name);
    // Stored NCHW / iohw: the TF.js shapes of the same tensors.
    const x = channelsFirst ? c.input.shape : [c.input.shape[0], ...c.input.shape.slice(2), c.input.shape[1]];
    const filter = [...c.weight.shape.slice(2), c.weight.shape[1], c.weight.shape[0]];
    const m = dims === 2
      ? mapTfjsConv2dTranspose(x, filter, o.outputShape as number[], o.strides as [number, number], o.pad as TfjsPad2d, channelsFirst ? { dataFormat: 'NCHW' } : {})
      : mapTfjsConv3dTranspose(x, filter, o.outputShape as number[], o.strides as [number, number, number], o.pad as 'same' | 'valid', channelsFirst ? { dataFormat: 'NCDHW' } : {});
    expect(m.forwardPads.map(([b, e]) => [b, e])).toEqual((o.forward_conv_pad_begin_end as number[][])[0].map((b, a) => [b, (o.forward_conv_pad_begin_end as number[][])[1][a]]));
    const res = resolveMapped(m, x, filter);
    expect(res.padsBegin).toEqual(c.effective!.pads_begin);
    expect(res.padsEnd.map((e, a) => e - res.outputPadding[a])).toEqual(c.effective!.pads_end.map((e, a) => e - (c.attrs.output_padding as number[])[a]));
    expect(res.outSpatial).toEqual(c.effective!.output_spatial);
    expect(m.outputShape).toEqual(o.outputShape);
  });

  it.each(fixtures('webnn-wpt.json').map((c) => [c.name, c] as const))('webnn-wpt.json: %s', (_, c) => {
    const o = c.webnn_original as { options: Record<string, unknown>; input_shape: number[]; filter_shape: number[] };
    const options = { ...o.options };
    if (options.bias) options.bias = c.bias!.data;
    const m = mapWebnnConvTranspose2d(o.input_shape, o.filter_shape, options);
    const res = resolveMapped(m, o.input_shape, o.filter_shape);
    expect(res.padsBegin).toEqual(c.effective!.pads_begin);
    expect(res.padsEnd.map((e, a) => e - res.outputPadding[a])).toEqual(c.effective!.pads_end.map((e, a) => e - (c.attrs.output_padding as number[])[a]));
    expect(res.outSpatial).toEqual(c.effective!.output_spatial);
    const layout = o.options.inputLayout === 'nhwc' ? [0, 2, 3, 1] : [0, 1, 2, 3];
    expect(m.outputShape).toEqual(layout.map((a) => c.expected.shape[a]));
  });
});

describe('WebNN mapping: the spec\'s rules', () => {
  it('padding is [beginningHeight, endingHeight, beginningWidth, endingWidth]', () => {
    const m = mapWebnnConvTranspose2d([1, 1, 4, 4], [1, 1, 3, 3], { padding: [1, 2, 0, 1] });
    expect(m.attributes.pads).toEqual([1, 0, 2, 1]);
    expect(m.outputShape).toEqual([1, 1, 3, 5]);
  });
  it('filter layouts name the same axes as the core\'s (iohw, hwoi, ohwi), groups multiply the output channels', () => {
    for (const [filterLayout, shape] of [['iohw', [4, 3, 2, 5]], ['hwoi', [2, 5, 3, 4]], ['ohwi', [3, 2, 5, 4]]] as const) {
      const m = mapWebnnConvTranspose2d([1, 4, 6, 6], [...shape], { filterLayout, groups: 2 });
      expect(m.filterLayout).toBe(filterLayout);
      expect(m.outputShape).toEqual([1, 6, 7, 10]);
      expect(resolveMapped(m, [1, 4, 6, 6], [...shape]).weightShape).toEqual([4, 3, 2, 5]);
    }
  });
  it('outputSizes: the extra cells become output padding; outputPadding is then ignored', () => {
    const a = mapWebnnConvTranspose2d([1, 1, 3, 3], [1, 2, 3, 3], { strides: [3, 2], outputSizes: [10, 8], outputPadding: [2, 1] });
    expect(a.attributes.output_padding).toEqual([1, 1]);
    expect(a.outputShape).toEqual([1, 2, 10, 8]);
  });
  it('autoPad same-upper/same-lower (2023 spec) ignore padding and give output = input * stride', () => {
    const up = mapWebnnConvTranspose2d([1, 1, 3, 3], [1, 2, 3, 3], { strides: [2, 2], autoPad: 'same-upper', padding: [1, 1, 1, 1] });
    const low = mapWebnnConvTranspose2d([1, 1, 3, 3], [1, 2, 3, 3], { strides: [2, 2], autoPad: 'same-lower' });
    expect(up.attributes.pads).toEqual([0, 0, 1, 1]);
    expect(low.attributes.pads).toEqual([1, 1, 0, 0]);
    expect(up.outputShape).toEqual([1, 2, 6, 6]);
  });
  it('the core\'s float64 reference on the mapped problem equals an independent WebNN-layout reference (300 configurations: layouts, groups, asymmetric padding, outputSizes, bias)', () => {
    const r = rng(5);
    for (const c of randomWebnnConfigs(99, 300)) {
      const x = Float32Array.from({ length: sizeOf(c.inputShape) }, () => r() * 2 - 1);
      const f = Float32Array.from({ length: sizeOf(c.filterShape) }, () => r() * 2 - 1);
      const want = webnnReference(x, c.inputShape, f, c.filterShape, c.options);
      const m = mapWebnnConvTranspose2d(c.inputShape, c.filterShape, c.options);
      expect(m.outputShape, c.name).toEqual(want.shape);
      const nhwc = m.inputLayout === 'nhwc';
      const w = filterToIohw({ data: f, shape: c.filterShape }, m.filterLayout);
      const xNchw = nhwc ? permute(x, c.inputShape, [0, 3, 1, 2]) : { data: x, shape: c.inputShape };
      const res = resolveConvTranspose(xNchw.shape, w.shape, c.options.bias ? [c.options.bias.length] : null, m.attributes);
      const y = scatterReference(res, xNchw.data, w.data as Float32Array, c.options.bias ? Float32Array.from(c.options.bias) : null);
      const got = nhwc ? permute(y, res.outputShape, [0, 2, 3, 1]).data : y;
      const cmp = compare(got, want.data, 1e-5, 1e-5);
      if (!cmp.ok) expect.fail(describeMismatch(c.name, 'mapped scatter vs WebNN reference', cmp));
    }
  });
  it('sequences may be typed arrays (WebIDL sequence<unsigned long>)', () => {
    const m = mapWebnnConvTranspose2d([1, 1, 3, 3], [1, 1, 3, 3], { strides: Uint32Array.of(2, 2) as never, padding: Uint32Array.of(1, 1, 1, 1) as never });
    expect(m.attributes.strides).toEqual([2, 2]);
    expect(m.outputShape).toEqual([1, 1, 5, 5]);
  });
  it('nhwc input gives an nhwc output shape', () => {
    expect(mapWebnnConvTranspose2d([2, 5, 4, 3], [3, 7, 2, 2], { inputLayout: 'nhwc', strides: [2, 2] }).outputShape).toEqual([2, 10, 8, 7]);
  });
});

/** A must-fail call: its rejection must match `message` (the argument's name first). */
type Reject = [name: string, call: () => unknown, message: RegExp];

const X = { data: new Float32Array(1 * 3 * 3 * 2), shape: [1, 3, 3, 2] };
const F = { data: new Float32Array(2 * 2 * 4 * 2), shape: [2, 2, 4, 2] };
const OUT = [1, 4, 4, 4];
const tf2 = (opts: unknown, pad: unknown = 'valid', strides: unknown = 1, out: unknown = OUT, x: unknown = X, f: unknown = F) =>
  tfjsConv2dTranspose(x as never, f as never, out as never, strides as never, pad as never, opts as never);
const WX = { data: new Float32Array(1 * 2 * 3 * 3), shape: [1, 2, 3, 3] };
const WF = { data: new Float32Array(2 * 3 * 2 * 2), shape: [2, 3, 2, 2] };
const nn = (options: unknown, x: unknown = WX, f: unknown = WF) => webnnConvTranspose2d(x as never, f as never, options as never);

const TFJS_REJECTS: Reject[] = [
  // foreign keys: each names the key and where it belongs
  ['PyTorch stride', () => tf2({ stride: 2 }), /^stride: tfjsConv2dTranspose does not take "stride": is PyTorch's spelling.*positional argument/],
  ['PyTorch padding', () => tf2({ padding: 1 }), /^padding: .*positional argument pad.*PyTorch's \(convTranspose\) or WebNN's \(webnnConvTranspose2d\)/],
  ['PyTorch outputPadding', () => tf2({ outputPadding: 1 }), /^outputPadding: .*derives the output padding from outputShape/],
  ['PyTorch dilation', () => tf2({ dilation: 2 }), /^dilation: .*PyTorch's spelling.*dilations/],
  ['PyTorch groups', () => tf2({ groups: 2 }), /^groups: .*has no groups/],
  ['ONNX pads', () => tf2({ pads: [0, 0, 0, 0] }), /^pads: .*ONNX's spelling: use convTranspose/],
  ['ONNX auto_pad', () => tf2({ auto_pad: 'SAME_UPPER' }), /^auto_pad: .*ONNX's spelling/],
  ['strides in opts', () => tf2({ strides: [2, 2] }), /^strides: .*positional argument \(tfjsConv2dTranspose\(x, filter, outputShape, strides, pad, opts\)\)/],
  ['outputShape in opts', () => tf2({ outputShape: OUT }), /^outputShape: .*positional argument/],
  ['WebNN inputLayout', () => tf2({ inputLayout: 'nhwc' }), /^inputLayout: .*TF\.js spells the data layout dataFormat: 'NHWC' or 'NCHW'/],
  ['WebNN outputSizes', () => tf2({ outputSizes: [4, 4] }), /^outputSizes: .*WebNN's spelling: use webnnConvTranspose2d/],
  ['filterLayout', () => tf2({ filterLayout: 'iohw' }), /^filterLayout: .*TF\.js's order \[filterHeight, filterWidth, outDepth, inDepth\]/],
  ['TF Python data_format', () => tf2({ data_format: 'NHWC' }), /^data_format: .*TF \(Python\) spelling; TF\.js spells it dataFormat/],
  ['label on the one-shot form', () => tf2({ label: 'x' }), /^label: .*only the prepared forms/],
  ['unknown key', () => tf2({ fooBar: 1 }), /^fooBar: unknown option of tfjsConv2dTranspose; it takes dataFormat, dilations, dimRoundingMode, bias, path/],
  ['3-D dimRoundingMode', () => tfjsConv3dTranspose({ data: new Float32Array(2), shape: [1, 1, 1, 1, 2] }, { data: new Float32Array(4), shape: [1, 1, 1, 2, 2] }, [1, 1, 1, 1, 2], 1, 'valid', { dimRoundingMode: 'floor' } as never), /^dimRoundingMode: .*tf\.conv3dTranspose has no dimRoundingMode/],
  ['positional dimRoundingMode string', () => tf2('floor', 1), /^opts: expected an options object, got "floor"; TF\.js's positional dimRoundingMode goes in it: \{ dimRoundingMode: "floor" \}/],
  // values
  ['dataFormat lower case', () => tf2({ dataFormat: 'nhwc' }), /^dataFormat: expected "NHWC" or "NCHW", got "nhwc" \(TF\.js spells it in upper case/],
  ['dataFormat tf.layers spelling', () => tf2({ dataFormat: 'channelsLast' }), /^dataFormat: .*"channelsLast" is tf\.layers' spelling; the op takes NHWC/],
  ['dataFormat 3-D on 2-D', () => tf2({ dataFormat: 'NDHWC' }), /^dataFormat: .*is the 3-D format/],
  ['pad SAME upper case', () => tf2({}, 'SAME'), /^pad: expected 'same', 'valid', a non-negative integer or explicit pads, got "SAME" \(TF\.js spells it in lower case, "same"/],
  ['pad negative', () => tf2({}, -1), /^pad: expected .* got -1/],
  ['pad fractional', () => tf2({}, 0.5), /^pad: expected .* got 0\.5/],
  ['pad explicit, wrong form', () => tf2({}, [1, 1]), /^pad: expected .*explicit pads for NHWC are \[\[0, 0\], \[top, bottom\], \[left, right\], \[0, 0\]\]/],
  ['pad explicit, padded channel axis', () => tf2({}, [[0, 0], [0, 0], [0, 0], [1, 0]]), /^pad\[3\]: the channel axis cannot be padded/],
  ['pad explicit, NCHW batch/channel form', () => tf2({ dataFormat: 'NCHW' }, [[0, 0], [1, 1], [0, 0], [0, 0]], 1, [1, 4, 4, 4], { data: new Float32Array(18), shape: [1, 2, 3, 3] }), /^pad\[1\]: the channel axis cannot be padded \(explicit pads for NCHW are \[\[0, 0\], \[0, 0\], \[top, bottom\], \[left, right\]\]\)/],
  ['pad number on 3-D', () => tfjsConv3dTranspose({ data: new Float32Array(2), shape: [1, 1, 1, 1, 2] }, { data: new Float32Array(4), shape: [1, 1, 1, 2, 2] }, [1, 1, 1, 1, 2], 1, 0 as never), /^pad: expected 'same' or 'valid' \(tf\.conv3dTranspose takes no other\), got 0/],
  ['dimRoundingMode with a string pad', () => tf2({ dimRoundingMode: 'floor' }, 'same', 1, [1, 3, 3, 4]), /^dimRoundingMode: .*only with a numeric or explicit pad/],
  ['dimRoundingMode unknown', () => tf2({ dimRoundingMode: 'trunc' }, 0), /^dimRoundingMode: expected "floor", "round", "ceil" or undefined, got "trunc"/],
  ['strides zero', () => tf2({}, 'valid', 0), /^strides: expected a positive integer/],
  ['strides of 3 on 2-D', () => tf2({}, 'valid', [1, 1, 1]), /^strides: expected a positive integer or 2 of them \[height, width\], got 3 values/],
  ['strides of 1 value (ambiguous)', () => tf2({}, 'valid', [2]), /^strides: .*got 1 values: \[2\]/],
  ['dilations zero', () => tf2({ dilations: [0, 1] }), /^dilations\[0\]: expected a positive integer, got 0/],
  // shapes
  ['outputShape rank differs from x', () => tf2({}, 'valid', 1, [4, 4, 4]), /^outputShape: tf\.conv2dTranspose takes an outputShape of x's rank \(4\), got rank 3/],
  ['outputShape depth not the filter\'s outDepth', () => tf2({}, 'valid', 1, [1, 4, 4, 3]), /^outputShape: its depth \(3, NHWC\) must equal the filter's outDepth \(filter\.shape\[2\] = 4/],
  ['x depth not the filter\'s inDepth', () => tf2({}, 'valid', 1, OUT, { data: new Float32Array(27), shape: [1, 3, 3, 3] }), /^x: its depth \(3, NHWC\) must equal the filter's inDepth \(filter\.shape\[3\] = 2/],
  ['batch differs', () => tf2({}, 'valid', 1, [2, 4, 4, 4]), /^outputShape: its batch \(2\) must equal x's batch \(1\)/],
  ['x not the forward output size (TF.js reads a part of it)', () => tf2({}, 'same', 1, [1, 4, 4, 4], { data: new Float32Array(2 * 8 * 8), shape: [1, 8, 8, 2] }), /^x: tf\.conv2dTranspose's forward convolution of outputShape \[1, 4, 4, 4\] .* has \[4, 4\] cells .* so x must have them; got \[8, 8\]/],
  ['numeric-pad width quirk named', () => tf2({}, 1, [1, 2], [1, 5, 5, 4], { data: new Float32Array(2 * 6 * 3), shape: [1, 6, 3, 2] }), /^x: .*got \[6, 3\] \(width 3, expected 6 \(with a numeric pad tfjs-core sizes the width with the filter height and the height stride/],
  ['3-D \'same\' negative front padding', () => tfjsConv3dTranspose({ data: new Float32Array(8), shape: [1, 2, 2, 2, 1] }, { data: new Float32Array(1), shape: [1, 1, 1, 1, 1] }, [1, 5, 5, 5, 1], 3, 'same'), /^pad: .*negative depth padding \(-1\): tfjs-core's 3-D 'same'/],
  ['filter rank', () => tf2({}, 'valid', 1, OUT, X, { data: new Float32Array(4), shape: [2, 2] }), /^filter: expected rank 4 \(\[filterHeight, filterWidth, outDepth, inDepth\]\), got rank 2/],
  ['x not a tensor', () => tf2({}, 'valid', 1, OUT, [1, 2, 3]), /^x: expected a tensor \{ data, shape \}/],
  ['x data length', () => tf2({}, 'valid', 1, OUT, { data: new Float32Array(5), shape: [1, 3, 3, 2] }), /^x: data has 5 elements but shape \[1, 3, 3, 2\] needs 18/],
  ['prepared form: device key', () => createTfjsConv2dTranspose({} as GPUDevice, [1, 3, 3, 2], F, OUT, 1, 'valid', { device: {} } as never), /^device: .*the prepared form takes the device as its first argument/],
];

const WEBNN_REJECTS: Reject[] = [
  // the colliding key: WebNN padding is a sequence of 4, PyTorch padding a number
  ['padding as a number (PyTorch\'s)', () => nn({ padding: 1 }), /^padding: WebNN's padding is a sequence of 4, \[beginningHeight, endingHeight, beginningWidth, endingWidth\], got the number 1; a single number is PyTorch's padding: use convTranspose\(input, weight, \{ padding: 1 \}\)/],
  ['padding of 2 (ambiguous)', () => nn({ padding: [1, 1] }), /^padding: expected 4 values \[beginningHeight, endingHeight, beginningWidth, endingWidth\], got 2/],
  ['padding negative', () => nn({ padding: [0, 0, -1, 0] }), /^padding\[2\]: expected a non-negative integer, got -1/],
  ['ONNX pads', () => nn({ pads: [1, 1, 1, 1] }), /^pads: webnnConvTranspose2d does not take "pads": is ONNX's spelling \(convTranspose\); WebNN spells it padding: \[beginningHeight, endingHeight, beginningWidth, endingWidth\] \(note the order/],
  ['PyTorch stride', () => nn({ stride: [2, 2] }), /^stride: .*PyTorch's spelling \(convTranspose\); WebNN spells it strides/],
  ['PyTorch dilation', () => nn({ dilation: 2 }), /^dilation: .*WebNN spells it dilations/],
  ['PyTorch outputSize', () => nn({ outputSize: [4, 4] }), /^outputSize: .*WebNN spells it outputSizes/],
  ['ONNX group', () => nn({ group: 2 }), /^group: .*WebNN spells it groups/],
  ['ONNX output_padding', () => nn({ output_padding: [1, 1] }), /^output_padding: .*WebNN spells it outputPadding/],
  ['ONNX auto_pad', () => nn({ auto_pad: 'SAME_UPPER' }), /^auto_pad: .*WebNN spells it autoPad/],
  ['TF.js dataFormat', () => nn({ dataFormat: 'NHWC' }), /^dataFormat: .*TF\.js's spelling: use tfjsConv2dTranspose.*inputLayout: 'nchw' or 'nhwc'/],
  ['TF.js pad', () => nn({ pad: 'same' }), /^pad: .*TF\.js's spelling/],
  ['label on the one-shot form', () => nn({ label: 'x' }), /^label: .*only the prepared form \(createWebnnConvTranspose2d\)/],
  ['unknown key', () => nn({ fooBar: 1 }), /^fooBar: unknown option of webnnConvTranspose2d; it takes padding, strides, dilations, outputPadding, outputSizes, groups, inputLayout, filterLayout, autoPad, bias, path/],
  ['strides as a number', () => nn({ strides: 2 }), /^strides: expected a sequence of 2 \[strideHeight, strideWidth\], got 2/],
  ['strides zero', () => nn({ strides: [0, 1] }), /^strides\[0\]: expected a positive integer \(0 is not a stride\), got 0/],
  ['dilations zero', () => nn({ dilations: [1, 0] }), /^dilations\[1\]: expected a positive integer \(0 is not a dilation\), got 0/],
  ['outputPadding not below the stride', () => nn({ strides: [2, 2], outputPadding: [2, 0] }), /^outputPadding\[0\]: must be smaller than strides\[0\] \(2\), got 2/],
  ['outputPadding below the dilation but not the stride (WebNN is stricter than PyTorch)', () => nn({ dilations: [3, 3], outputPadding: [1, 0] }), /^outputPadding\[0\]: must be smaller than strides\[0\] \(1\), got 1/],
  ['outputSizes below the calculated size', () => nn({ outputSizes: [3, 4] }), /^outputSizes\[0\]: the output height must be at least the calculated 4 and below it plus strides\[0\] \(5\), got 3/],
  ['outputSizes not below calculated + stride', () => nn({ strides: [2, 2], outputSizes: [8, 7] }), /^outputSizes\[0\]: the output height must be at least the calculated 6 and below it plus strides\[0\] \(8\), got 8/],
  ['groups zero', () => nn({ groups: 0 }), /^groups: expected a positive integer, got 0/],
  ['groups as a sequence', () => nn({ groups: [2] }), /^groups: expected a positive integer, got \[2\]/],
  ['groups not dividing the channels', () => nn({ groups: 3 }, { data: new Float32Array(36), shape: [1, 4, 3, 3] }, { data: new Float32Array(16), shape: [4, 1, 2, 2] }), /^groups: the input's channels \(4\) must be divisible by groups \(3\)/],
  ['inputLayout upper case (TF.js dataFormat)', () => nn({ inputLayout: 'NHWC' }), /^inputLayout: expected "nchw", "nhwc", got "NHWC" \(WebNN spells it in lower case; "NHWC" is TF\.js's dataFormat\)/],
  ['filterLayout oihw (conv2d\'s)', () => nn({ filterLayout: 'oihw' }), /^filterLayout: expected "iohw", "hwoi", "ohwi", got "oihw" \("oihw" is a filter layout of WebNN's conv2d, not of convTranspose2d\)/],
  ['filterLayout unknown', () => nn({ filterLayout: 'hwio' }), /^filterLayout: expected "iohw", "hwoi", "ohwi", got "hwio"/],
  ['autoPad ONNX value', () => nn({ autoPad: 'SAME_UPPER' }), /^autoPad: expected "explicit", "same-upper", "same-lower", got "SAME_UPPER" \("SAME_UPPER" is ONNX's auto_pad\)/],
  ['autoPad with outputSizes', () => nn({ autoPad: 'same-upper', outputSizes: [3, 3] }), /^autoPad: "same-upper" with outputSizes is not defined/],
  ['autoPad with a negative total', () => nn({ autoPad: 'same-lower', strides: [4, 4] }), /^autoPad: "same-lower" would need a negative total padding \(-2\) along the height/],
  ['input rank 3 (no unbatched form in WebNN)', () => nn({}, { data: new Float32Array(18), shape: [2, 3, 3] }), /^input: expected rank 4 \(\[batches, inputChannels, inputHeight, inputWidth\] \(inputLayout nchw\)\), got rank 3/],
  ['filter channels differ', () => nn({}, WX, { data: new Float32Array(12), shape: [3, 1, 2, 2] }), /^filter: its inputChannels \(3, filterLayout iohw .*\) must equal the input's channels \(2, inputLayout nchw\)/],
  ['filter channels differ, nhwc/ohwi', () => nn({ inputLayout: 'nhwc', filterLayout: 'ohwi' }, { data: new Float32Array(18), shape: [1, 3, 3, 2] }, { data: new Float32Array(12), shape: [1, 2, 2, 3] }), /^filter: its inputChannels \(3, filterLayout ohwi/],
  ['bias of the wrong size', () => nn({ bias: [1, 2] }), /^bias: expected a 1-D bias of outputChannels \(3 = 3 x groups 1\) values, got shape \[2\]/],
  ['output would be empty', () => nn({ padding: [3, 3, 0, 0] }), /^padding: the output height would be -2/],
  ['options not an object', () => nn([1, 2]), /^options: expected an options object/],
  ['prepared form: device key', () => createWebnnConvTranspose2d({} as GPUDevice, [1, 2, 3, 3], WF, { device: {} } as never), /^device: .*the prepared form takes the device as its first argument/],
];

describe('rejections, each naming the argument, before any GPU work', () => {
  it.each(TFJS_REJECTS)('TF.js: %s', async (_, call, message) => {
    await expect(Promise.resolve().then(call)).rejects.toThrow(message);
  });
  it.each(WEBNN_REJECTS)('WebNN: %s', async (_, call, message) => {
    await expect(Promise.resolve().then(call)).rejects.toThrow(message);
  });
  it('pure mappings reject the same way (foreign keys included)', () => {
    expect(() => mapWebnnConvTranspose2d([1, 1, 2, 2], [1, 1, 2, 2], { padding: 1 } as never)).toThrow(/^padding: WebNN's padding is a sequence of 4/);
    expect(() => mapWebnnConvTranspose2d([1, 1, 2, 2], [1, 1, 2, 2], { stride: [1, 1] } as never)).toThrow(/^stride: /);
    expect(() => mapTfjsConv2dTranspose([1, 2, 2, 1], [2, 2, 1, 1], [1, 3, 3, 1], 1, 'valid', { pads: [0, 0, 0, 0] } as never)).toThrow(/^pads: /);
    expect(() => mapTfjsConv2dTranspose([1, 2, 2, 1], [2, 2, 1, 1], [1, 3, 3, 1], 1, 'valid', { bias: [1] } as never)).toThrow(/^bias: unknown option/);
  });
  it('a foreign key is an error even when its value is undefined', async () => {
    await expect(nn({ stride: undefined })).rejects.toThrow(/^stride: /);
    await expect(tf2({ padding: undefined })).rejects.toThrow(/^padding: /);
  });
});
