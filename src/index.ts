/**
 * webgpu-convtranspose: exact transposed convolution (PyTorch ConvTranspose1d/2d/3d, ONNX ConvTranspose)
 * on WebGPU by several WGSL paths (`GPU_PATHS`) and `auto`, which picks among them, with float64 CPU references
 * to check them.
 */
export { convTranspose, type ConvTransposeOptions } from './convTranspose';
export { createConvTranspose, type ConvTransposeLayerOptions } from './gpu/create';
export type { ConvTransposeLayer } from './gpu/layer';
export { GPU_PATHS, PATH_OPTIONS, type GpuPath, type PathOption } from './gpu/kernels/registry';
export { getDevice } from './gpu/device';
export {
  resolveConvTranspose, flopsOf, sizeOf, problem3d, MAX_DIM,
  type AutoPad, type ConvTransposeAttributes, type PerAxis, type Problem3d, type ResolvedConvTranspose,
} from './shape';
export {
  scatterReference, matrixReference, zeroInsertReference, cpuReference, zeroInsertGeometry, flipSwapKernel,
  MATRIX_REFERENCE_LIMIT, type NumericArray, type ReferenceMethod, type ZeroInsertGeometry,
} from './reference';
export type { Tensor, TensorLike, BiasLike, HalfTensor, GpuTensor } from './tensor';
export { DATA_TYPES, toHalfBits, fromHalfBits, roundToHalf, type DataType, type Float16ArrayLike } from './half';
export { setCompileMode, type CompileMode } from './gpu/compile';
export {
  resolveActivation, activate, applyActivation, erf,
  type Activation, type TfjsActivation, type WebnnActivation, type ResolvedActivation,
} from './activation';
export { filterToIohw, shapeToChannelsFirst, shapeFromChannelsFirst, DATA_LAYOUTS, type FilterLayout, type DataLayout } from './layout';
export {
  tfjsConv2dTranspose, tfjsConv3dTranspose, createTfjsConv2dTranspose, createTfjsConv3dTranspose,
  mapTfjsConv2dTranspose, mapTfjsConv3dTranspose,
  type TfjsPad2d, type TfjsPad3d, type TfjsExplicitPadding, type TfjsDimRoundingMode, type TfjsMapping,
  type TfjsConv2dTransposeAttributes, type TfjsConv3dTransposeAttributes, type TfjsConv2dTransposeOptions,
  type TfjsConv3dTransposeOptions, type TfjsConv2dTransposeLayerOptions, type TfjsConv3dTransposeLayerOptions, type TfjsFusedOptions,
} from './frontends/tfjs';
export {
  webnnConvTranspose2d, createWebnnConvTranspose2d, mapWebnnConvTranspose2d,
  type WebnnConvTranspose2dAttributes, type WebnnConvTranspose2dOptions, type WebnnConvTranspose2dLayerOptions,
  type WebnnConvTranspose2dFilterLayout, type WebnnInputLayout, type WebnnAutoPad, type WebnnFusedOptions,
} from './frontends/webnn';
export type { CoreMapping, FrontendRunOptions, FrontendLayerOptions } from './frontends/common';
