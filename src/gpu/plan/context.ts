/**
 * What a plan is made for: the problem and the facts of the device and the layer that shape its dispatches.
 * Pure data, built once per layer; families plan from it, the cost model prices it, tuning caches by it.
 */
import { problem3d, type Problem3d, type ResolvedConvTranspose } from '../../shape';
import { resolveActivation, type ResolvedActivation } from '../../activation';
import type { DataType } from '../../half';
import { denseView, type TensorView } from '../uniforms';

/**
 * `cpu`: a CPU implementation of WebGPU (SwiftShader and kin: a few cores, so fewer, fatter invocations);
 * `gpu`: a real GPU (tens of thousands of invocations needed to fill it).
 */
export type AdapterClass = 'cpu' | 'gpu';

/** The device limits plans respect. */
export interface DeviceLimits {
  readonly maxWorkgroupsPerDimension: number;
  /** min(maxStorageBufferBindingSize, maxBufferSize): the largest buffer a stage may bind. */
  readonly maxBindingBytes: number;
  readonly maxBufferBytes: number;
  readonly storageOffsetAlignment: number;
  readonly maxWorkgroupStorageBytes: number;
  readonly maxInvocationsPerWorkgroup: number;
  readonly maxWorkgroupSizeX: number;
}

export interface PlanContext {
  readonly r: ResolvedConvTranspose;
  readonly p: Problem3d;
  readonly limits: DeviceLimits;
  readonly adapter: AdapterClass;
  /** The fused activation every epilogue applies (its ACT override and uniform parameters). */
  readonly activation: ResolvedActivation;
  /** Where x and y sit in their bound buffers (layout, window): every stage indexes them through these. */
  readonly views: { readonly x: TensorView; readonly y: TensorView };
  /** x and y are channels-last (N<spatial>C): the CHANNELS_LAST override of every stage. */
  readonly channelsLast: boolean;
  /**
   * Storage type of x and y. float16: the stages that read x compose the packed reader (wgsl/input_f16.wgsl),
   * and the plan writes y through a float32 staging buffer and a packing stage (kernels/stages/pack-f16.ts).
   */
  readonly dataType: DataType;
  /**
   * Every weight is finite. Kernels may then let a masked lane read 0, since 0*w = ±0 adds nothing to a sum
   * that starts at +0 (FINITE_W, wgsl/common.wgsl), instead of keeping their sums with a select.
   */
  readonly finiteWeights: boolean;
}

/** The context of a whole problem (dense tensors in their layout); what is not given takes its default. */
export function makeContext(r: ResolvedConvTranspose, o: {
  limits: DeviceLimits; adapter: AdapterClass; activation?: ResolvedActivation; channelsLast?: boolean; dataType?: DataType; finiteWeights?: boolean;
}): PlanContext {
  const p = problem3d(r);
  const channelsLast = o.channelsLast ?? false;
  return {
    r, p, limits: o.limits, adapter: o.adapter, activation: o.activation ?? resolveActivation(null), channelsLast,
    views: { x: denseView(p.Cin, p.inS, channelsLast), y: denseView(p.Cout, p.outS, channelsLast) },
    dataType: o.dataType ?? 'float32', finiteWeights: o.finiteWeights ?? true,
  };
}

/** The limits of a device as plans use them. */
export function deviceLimits(device: GPUDevice): DeviceLimits {
  const l = device.limits;
  return {
    maxWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    maxBindingBytes: Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize),
    maxBufferBytes: l.maxBufferSize,
    storageOffsetAlignment: l.minStorageBufferOffsetAlignment,
    maxWorkgroupStorageBytes: l.maxComputeWorkgroupStorageSize,
    maxInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
  };
}

/**
 * `cpu` when the device's adapter is a CPU implementation of WebGPU, else `gpu`: a fallback adapter (the spec's
 * `isFallbackAdapter`, which Dawn sets on SwiftShader and wgpu on CPU devices such as lavapipe; Firefox shows
 * nothing else of its adapter), or one whose names say so (SwiftShader, llvmpipe, WARP) where the flag is missing.
 */
export function adapterClassOf(device: GPUDevice): AdapterClass {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  if (!info) return 'gpu';
  if (info.isFallbackAdapter) return 'cpu';
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  return /swiftshader|llvmpipe|lavapipe|warp|software|\bcpu\b/i.test(text) ? 'cpu' : 'gpu';
}

/** A key that tells contexts apart by every field: what tuning caches its choice under. */
export function contextKey(ctx: PlanContext): string {
  return JSON.stringify(ctx);
}
