/** The uniform block shared by every convolution shader: layout of `struct Params` in shaders/params.wgsl. */
import type { Problem3d } from '../shape';

/** Size of `struct Params` in bytes: 15 vec4 fields of 4-byte scalars. */
export const PARAMS_BYTES = 15 * 16;

/** Values only some shaders read; the rest of the struct comes from the problem. */
export interface ParamsExtra {
  /** Zero-insert path: allocated size [D, H, W] of the zero-inserted input. */
  zSize?: readonly number[];
  /** Zero-insert path: zeros before the first input cell per axis (negative: crop). */
  zPad?: readonly number[];
  /** vec4 blocks of output channels per group in the packed weights. */
  ocBlocks: number;
  /** Blocks of 4 outputs along W per row (per phase on the gather path). */
  wBlocks: number;
  /** Invocations that do work. */
  invocations: number;
  /** Workgroups along x of the dispatch grid. */
  groupsX: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Inverse of a modulo m (a and m coprime); 0 when m is 1. */
export function inverseMod(a: number, m: number): number {
  if (m === 1) return 0;
  let [r0, r1, t0, t1] = [m, a % m, 0, 1];
  while (r1) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % m) + m) % m;
}

/** Writes the uniform block for one problem. */
export function packParams(p: Problem3d, extra: ParamsExtra): ArrayBuffer {
  const buf = new ArrayBuffer(PARAMS_BYTES);
  const u = new Uint32Array(buf);
  const i = new Int32Array(buf);
  const put = (slot: number, v: readonly number[], view: Uint32Array | Int32Array = u) => {
    for (let a = 0; a < v.length; a++) view[slot * 4 + a] = v[a];
  };
  const g = [0, 1, 2].map((a) => gcd(p.s[a], p.d[a]));
  const tapStep = [0, 1, 2].map((a) => p.s[a] / g[a]);
  const inStep = [0, 1, 2].map((a) => p.d[a] / g[a]);
  put(0, p.inS);
  put(1, p.outS);
  put(2, p.k);
  put(3, p.s);
  put(4, p.d);
  put(5, p.pb);
  put(6, tapStep);
  put(7, inStep);
  put(8, g);
  put(9, [0, 1, 2].map((a) => inverseMod(inStep[a] % tapStep[a], tapStep[a])));
  put(10, extra.zSize ?? [0, 0, 0]);
  put(11, extra.zPad ?? [0, 0, 0], i);
  put(12, [p.N, p.Cin, p.Cout, p.G]);
  put(13, [p.CinG, p.CoutG, extra.ocBlocks, extra.wBlocks]);
  put(14, [extra.invocations, extra.groupsX, 0, 0]);
  return buf;
}
