/**
 * The one-shot form's parts past maxBufferSize (src/parts.ts), without a GPU: the parts cover the output exactly
 * once, each part's input and output fit the limit, the boxes copied in and out reproduce the float64 reference
 * when each part is computed on its own, and a problem no split can fit is refused naming what does not fit.
 */
import { describe, expect, it } from 'vitest';
import { copyBox, planParts, sizes } from '../src/parts';
import { selectWeights } from '../src/gpu/plan/chunked';
import { problem3d, resolveConvTranspose, scatterReference, sizeOf, type ConvTransposeAttributes } from '../src/index';
import { storageBytes } from '../src/half';
import { compare } from './support/compare';
import { randomData } from './support/random';
import { toChannelsFirst, toChannelsLast } from './support/layout';

/** Runs a problem part by part on the CPU (each part through the float64 reference) and assembles the output. */
function byParts(inputShape: number[], weightShape: number[], attrs: ConvTransposeAttributes, maxBytes: number, channelsLast: boolean) {
  const r = resolveConvTranspose(inputShape, weightShape, [weightShape[1] * (attrs.groups ?? 1)], attrs);
  const x = randomData(1, sizeOf(inputShape)), w = randomData(2, sizeOf(weightShape)), b = randomData(3, r.outChannels);
  const ref = scatterReference(r, x, w, b);
  const p = problem3d(r);
  const full = sizes(p);
  const xl = channelsLast ? toChannelsLast(x, inputShape, true) : x;
  const out = new Float32Array(sizeOf(r.outputShape));
  const written = new Uint16Array(out.length);
  const parts = planParts(r, 'float32', maxBytes);
  for (const part of parts) {
    const sub = sizes(part.chunk.p);
    expect(storageBytes(sizeOf(part.chunk.r.inputShape), 'float32')).toBeLessThanOrEqual(maxBytes);
    expect(storageBytes(sizeOf(part.chunk.r.outputShape), 'float32')).toBeLessThanOrEqual(maxBytes);
    const xs = new Float32Array(sizeOf(part.chunk.r.inputShape));
    copyBox(xl, full.input, part.inputOrigin, xs, sub.input, [0, 0, 0, 0, 0], sub.input, channelsLast);
    const sel = selectWeights(p, w, b, part.chunk.weights);
    const xc = channelsLast ? toChannelsFirst(xs, [sub.input[0], ...sub.input.slice(2).filter((_, a) => a >= 3 - r.dims), sub.input[1]], true) : xs;
    const ys = Float32Array.from(scatterReference(part.chunk.r, xc, sel.w, sel.bias ?? null));
    const yl = channelsLast ? toChannelsLast(ys, part.chunk.r.outputShape, true) : ys;
    copyBox(yl, sub.output, [0, 0, 0, 0, 0], out, full.output, part.outputOrigin, sub.output, channelsLast);
    const marks = new Uint16Array(yl.length).fill(1);
    const seen = new Uint16Array(out.length);
    copyBox(marks, sub.output, [0, 0, 0, 0, 0], seen, full.output, part.outputOrigin, sub.output, channelsLast);
    seen.forEach((v, i) => { written[i] += v; });
  }
  const got = channelsLast ? toChannelsFirst(out, [r.outputShape[0], ...r.outputShape.slice(2), r.outputShape[1]], true) : out;
  return { parts, cmp: compare(got, ref), written };
}

describe('planParts and copyBox', () => {
  const cases: [string, number[], number[], ConvTransposeAttributes, number][] = [
    ['by batch', [6, 2, 8, 8], [2, 3, 2, 2], { stride: 2 }, 3 * 256 * 4],
    ['by rows, with overlapping inputs', [1, 2, 16, 12], [2, 3, 3, 3], { stride: 2, padding: 1, outputPadding: 1 }, 1024],
    ['by rows, groups', [2, 4, 10, 6], [4, 2, 3, 3], { stride: [2, 1], padding: 1, groups: 2 }, 1200],
    ['a row of all channels too big: by output channels', [1, 2, 3, 40], [2, 16, 1, 2], { stride: [1, 2] }, 2048],
    ['1-D', [1, 3, 200], [3, 2, 5], { stride: 3, dilation: 2 }, 1024],
    ['3-D', [1, 2, 4, 3, 5], [2, 2, 2, 2, 2], { stride: 2 }, 1024],
  ];
  for (const channelsLast of [false, true]) {
    it.each(cases)(`%s${channelsLast ? ' (channels-last)' : ''}: every output once, every part within the limit, the assembled output the reference's`, (_, x, w, attrs, maxBytes) => {
      const { parts, cmp, written } = byParts(x, w, attrs, maxBytes, channelsLast);
      expect(parts.length).toBeGreaterThan(1);
      expect([...new Set(written)]).toEqual([1]);
      expect(cmp.ok, JSON.stringify(cmp.firstBad)).toBe(true);
    });
  }
  it('one part when everything fits', () => {
    const r = resolveConvTranspose([2, 3, 4, 4], [3, 2, 3, 3], null, { stride: 2 });
    expect(planParts(r, 'float32', 1 << 20)).toHaveLength(1);
  });
  it('says what does not fit when no split can', () => {
    const r = resolveConvTranspose([1, 1000, 1, 1], [1000, 1, 1, 1], null, {});
    expect(() => planParts(r, 'float32', 1024)).toThrow(/^input: no split of the work fits this device's maxBufferSize \(1024 bytes\): the smallest part .* still needs input: .*4000 bytes/);
  });
});
