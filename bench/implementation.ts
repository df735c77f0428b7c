/** What the suite needs from each implementation it times: one interface for ours and the peers. */
import { PATH_OPTIONS, type Activation, type PathOption } from '../src/index';
import type { Problem } from './problem';

/** The implementations in the suite, in table order. */
export const PEERS = ['tfjs-webgpu', 'ort-webgpu'] as const;
/** A peer running our kernel (registerWithTfjs): neither ours nor a peer in the per-layer comparison. */
export const HYBRIDS = ['tfjs-webgpu+ours'] as const;
/**
 * Our default path with other options, next to plain `auto` (NCHW, f32, no activation): channels-last input
 * and output, a fused ReLU (what the epilogue costs), and float16 storage of input and output.
 */
export const OUR_VARIANTS = ['auto/nhwc', 'auto+relu', 'auto/f16'] as const;
/** Rows with float16 storage: compared with the reference of the rounded input, under HALF_TOLERANCE (report.ts). */
export const HALF_ROWS: readonly ImplName[] = ['auto/f16'];
/** Ours (every path, then `auto`, then its variants), then the peers, then the hybrids. */
export const IMPLEMENTATIONS: readonly ImplName[] = [...PATH_OPTIONS, ...OUR_VARIANTS, ...PEERS, ...HYBRIDS];
export type ImplName = PathOption | (typeof OUR_VARIANTS)[number] | (typeof PEERS)[number] | (typeof HYBRIDS)[number];

/** An implementation set up for one problem: weights converted, input uploaded, output allocated. */
export interface Prepared {
  /** One call, submitted and waited for: resolves when the GPU has finished it. */
  run(): Promise<void>;
  /**
   * `count` calls submitted together (one command buffer where the implementation encodes its own work; else
   * `count` calls, then one wait on the queue); resolves when the GPU has finished them all. `timed`: whether
   * the calls count (timestamps are written for timed batches only).
   */
  runBatch(count: number, timed: boolean): Promise<void>;
  /** The output of the last call, NCHW. */
  output(): Promise<Float32Array>;
  /** GPU time of each call of the timed batches, from timestamp queries, where the implementation records them. */
  gpuMs?(): Promise<number[]>;
  /** Frees everything it created. */
  destroy(): Promise<void> | void;
  /** What runs, for our layers: the path (auto's choice), its configuration and dispatches (layer.path, .config, .dispatches). */
  plan?: Plan;
  /** Something the table should say about this measurement (a fallback taken, for example). */
  note?: string;
  /** A fused activation the output has: the suite applies it to the reference before comparing. */
  activation?: Activation;
  /**
   * float16 storage: the input was rounded to float16 (the suite compares with the reference of the rounded
   * input), and `bytes` is the minimal traffic at that storage (input and output 2 bytes, float32 weights).
   */
  half?: { bytes: number };
}

/** What one of our layers runs (copied from the layer, for the JSON report). */
export interface Plan {
  path: string;
  config: Record<string, unknown>;
  dispatches: { shader: string; constants: Record<string, number>; workgroups: number[] }[];
  chunks: number;
}

/** A layer the implementation cannot run, and why. */
export interface Unsupported {
  unsupported: string;
}

/** Sets an implementation up for a problem on the shared device. */
export type Preparer = (device: GPUDevice, problem: Problem) => Promise<Prepared | Unsupported>;
