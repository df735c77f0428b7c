/**
 * The demo's picture, drawn procedurally so the page needs no download: a landscape (sky with clouds, sun,
 * mountains, hills with trees, a house, a meadow) at any size, as float RGB planes in [0, 1] (NCHW, N = 1).
 * Deterministic: the same size always gives the same pixels.
 */

/** Integer hash to [0, 1). */
function hash(x: number, y: number, seed: number): number {
  let h = (Math.imul(x | 0, 374761393) + Math.imul(y | 0, 668265263) + Math.imul(seed, 1442695041)) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1). */
function noise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x), yi = Math.floor(y);
  const fx = x - xi, fy = y - yi;
  const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  const a = hash(xi, yi, seed), b = hash(xi + 1, yi, seed), c = hash(xi, yi + 1, seed), d = hash(xi + 1, yi + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/** Fractal noise: `octaves` of value noise, each twice the frequency and half the amplitude. */
function fbm(x: number, y: number, seed: number, octaves = 5): number {
  let sum = 0, amp = 0.5, norm = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amp * noise(x, y, seed + o * 17);
    norm += amp;
    x *= 2;
    y *= 2;
    amp /= 2;
  }
  return sum / norm;
}

type RGB = [number, number, number];
const mix = (a: RGB, b: RGB, t: number): RGB => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const clamp01 = (v: number) => Math.max(0, Math.min(1, v));
const smooth = (e0: number, e1: number, v: number) => {
  const t = clamp01((v - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};

/** The colour at (u, v) in [0, 1]², v downwards. */
function colourAt(u: number, v: number): RGB {
  // Sky: deep blue at the top to a pale haze at the horizon, clouds from fractal noise, a sun with a glow.
  let c: RGB = mix([0.16, 0.34, 0.72], [0.78, 0.86, 0.95], smooth(0, 0.5, v));
  const cloud = smooth(0.55, 0.75, fbm(u * 4, v * 9, 3));
  c = mix(c, [0.97, 0.97, 0.98], cloud * (1 - smooth(0.25, 0.45, v)));
  const sun = Math.hypot(u - 0.78, v - 0.16);
  c = mix(c, [1, 0.93, 0.7], smooth(0.16, 0.05, sun) * 0.5);
  if (sun < 0.055) c = [1, 0.97, 0.82];

  // Far mountains: a fractal ridge, blue-grey, snow above a line.
  const ridge = 0.5 - 0.2 * fbm(u * 3, 0.5, 11, 6);
  if (v > ridge) {
    c = mix([0.42, 0.47, 0.58], [0.3, 0.35, 0.45], smooth(ridge, ridge + 0.15, v));
    if (v < ridge + 0.035 && ridge < 0.38) c = [0.93, 0.94, 0.97];
  }

  // Hills: green, darker and textured further down; a row of round trees along their crest.
  const hill = 0.62 - 0.07 * fbm(u * 2 + 5, 0.3, 23, 4);
  if (v > hill) {
    const shade = fbm(u * 20, v * 20, 31, 3);
    c = mix([0.36, 0.58, 0.22], [0.2, 0.42, 0.14], smooth(hill, hill + 0.2, v) * 0.7 + shade * 0.3);
  }
  for (let t = 0; t < 9; t++) {
    const tu = 0.05 + t * 0.085 + 0.03 * hash(t, 1, 5);
    const th = 0.62 - 0.07 * fbm(tu * 2 + 5, 0.3, 23, 4);
    const r = 0.028 + 0.012 * hash(t, 2, 5);
    if (tu > 0.5 && tu < 0.72) continue; // leave room for the house
    const d = Math.hypot(u - tu, (v - (th - r * 0.6)) * 1.1);
    if (d < r) c = mix([0.1, 0.3, 0.1], [0.18, 0.45, 0.16], clamp01((tu - u) / r + 0.5) * 0.8);
    if (Math.abs(u - tu) < 0.006 && v > th - r * 0.2 && v < th + 0.03) c = [0.33, 0.22, 0.12];
  }

  // A house: white wall, red roof, two windows and a door (sharp edges show artifacts best).
  const hx0 = 0.54, hx1 = 0.7, wallTop = 0.6, wallBottom = 0.72;
  if (u > hx0 && u < hx1 && v > wallTop && v < wallBottom) {
    c = [0.93, 0.9, 0.83];
    const win = (wu: number) => Math.abs(u - wu) < 0.018 && v > 0.63 && v < 0.665;
    if (win(0.575) || win(0.665)) c = [0.25, 0.4, 0.6];
    if (Math.abs(u - 0.62) < 0.014 && v > 0.665) c = [0.45, 0.25, 0.15];
  }
  const roofH = 0.09, mid = (hx0 + hx1) / 2;
  if (v <= wallTop && v > wallTop - roofH && Math.abs(u - mid) < ((v - (wallTop - roofH)) / roofH) * ((hx1 - hx0) / 2 + 0.02)) {
    c = mix([0.75, 0.18, 0.12], [0.55, 0.1, 0.08], fbm(u * 40, v * 40, 41, 2));
  }

  // Meadow in the foreground: grass texture and scattered flowers.
  if (v > 0.78) {
    const g = fbm(u * 30, v * 8, 51, 3);
    c = mix([0.42, 0.66, 0.25], [0.25, 0.5, 0.16], g);
    const fu = Math.floor(u * 40), fv = Math.floor(v * 40);
    if (hash(fu, fv, 61) > 0.86 && Math.hypot(u * 40 - fu - 0.5, v * 40 - fv - 0.5) < 0.3) {
      c = hash(fu, fv, 62) > 0.5 ? [0.98, 0.92, 0.3] : [0.95, 0.95, 0.97];
    }
  }
  return c;
}

/** The landscape at `size`×`size`: NCHW float planes, [1, 3, size, size], values in [0, 1]. */
export function landscape(size: number): Float32Array {
  const out = new Float32Array(3 * size * size);
  const plane = size * size;
  // 2×2 supersampling per pixel, so edges are anti-aliased as in a real photograph.
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let r = 0, g = 0, b = 0;
    for (const [dy, dx] of [[0.25, 0.25], [0.25, 0.75], [0.75, 0.25], [0.75, 0.75]]) {
      const [cr, cg, cb] = colourAt((x + dx) / size, (y + dy) / size);
      r += cr; g += cg; b += cb;
    }
    const i = y * size + x;
    out[i] = clamp01(r / 4);
    out[plane + i] = clamp01(g / 4);
    out[2 * plane + i] = clamp01(b / 4);
  }
  return out;
}
