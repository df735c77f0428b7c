/**
 * WebGPU flag values, spelled out so the library also runs where the GPUBufferUsage/GPUMapMode globals are
 * missing (Node with the `webgpu` package exposes them only on request). Values are fixed by the spec.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  QUERY_RESOLVE: 0x0200,
} as const;

export const MapMode = { READ: 0x0001 } as const;
