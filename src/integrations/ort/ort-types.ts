/** The parts of ONNX Runtime Web's API this entry uses: the caller passes its module, which is never imported. */

/** The parts of an ORT tensor used here (onnxruntime-common `Tensor`). */
export interface OrtTensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly location: string;
  readonly data: unknown;
  readonly gpuBuffer: unknown;
  getData(releaseData?: boolean): Promise<unknown>;
  dispose(): void;
}

/** The parts of an ORT InferenceSession used here. */
export interface OrtInferenceSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly outputMetadata?: readonly { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, OrtTensorLike>, options?: object): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

/** The parts of the `onnxruntime-web` module used here (1.2x/1.3x, its WebGPU build). */
export interface OrtLike {
  InferenceSession: { create(model: Uint8Array, options?: object): Promise<OrtInferenceSessionLike> };
  Tensor: {
    new (type: string, data: unknown, dims: readonly number[]): OrtTensorLike;
    fromGpuBuffer(buffer: GPUBuffer, options: { dataType: 'float32' | 'float16'; dims: readonly number[]; download?: () => Promise<Float32Array | Uint16Array>; dispose?: () => void }): OrtTensorLike;
  };
  env: { webgpu: { device?: unknown } };
}
