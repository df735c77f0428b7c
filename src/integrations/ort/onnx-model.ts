/**
 * ONNX models in and out, through protobufjs (its `light` build with the descriptor of onnx-schema.ts): the
 * decoded model as plain objects (int64 as numbers), re-encoding, and reading constant tensors.
 */
import protobuf from 'protobufjs/light.js';
import { ONNX_SCHEMA } from './onnx-schema';

export interface OnnxDimension { dim_value?: number; dim_param?: string; denotation?: string }
export interface OnnxTypeProto {
  tensor_type?: { elem_type?: number; shape?: { dim?: OnnxDimension[] } };
  [other: string]: unknown;
}
export interface OnnxValueInfo { name: string; type?: OnnxTypeProto; doc_string?: string; [other: string]: unknown }
export interface OnnxTensor {
  name?: string; dims?: number[]; data_type?: number; raw_data?: Uint8Array; float_data?: number[]; int32_data?: number[];
  int64_data?: number[]; double_data?: number[]; data_location?: number; external_data?: { key: string; value: string }[];
  [other: string]: unknown;
}
export interface OnnxAttribute {
  name: string; type?: number; f?: number; i?: number; s?: Uint8Array; t?: OnnxTensor; g?: OnnxGraph; floats?: number[];
  ints?: number[]; strings?: Uint8Array[]; graphs?: OnnxGraph[]; ref_attr_name?: string; [other: string]: unknown;
}
export interface OnnxNode {
  input: string[]; output: string[]; name?: string; op_type: string; domain?: string; attribute: OnnxAttribute[];
  [other: string]: unknown;
}
export interface OnnxGraph {
  node: OnnxNode[]; name?: string; initializer: OnnxTensor[]; sparse_initializer: unknown[]; input: OnnxValueInfo[];
  output: OnnxValueInfo[]; value_info: OnnxValueInfo[]; [other: string]: unknown;
}
export interface OnnxOpset { domain?: string; version: number }
export interface OnnxModel {
  ir_version?: number; opset_import: OnnxOpset[]; producer_name?: string; graph?: OnnxGraph; functions: unknown[];
  [other: string]: unknown;
}

/** ONNX TensorProto.DataType values used here. */
export const ONNX_TYPES = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, double: 11 } as const;

/** ORT's type names by ONNX data type. */
export const ORT_TYPE_NAMES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64',
};

let modelType: protobuf.Type | null = null;
const ModelType = () => (modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace).lookupType('onnx.ModelProto'));

/** Decodes ONNX bytes; throws an Error that says the bytes are not a (complete) ONNX model. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  let model: OnnxModel;
  try {
    const T = ModelType();
    model = T.toObject(T.decode(bytes), { longs: Number, arrays: true, defaults: false }) as OnnxModel;
  } catch (e) {
    throw new Error(`model: the bytes are not a complete ONNX model (${bytes.length} bytes; protobufjs: ${(e as Error).message}): truncated or another format`);
  }
  if (!model.graph || model.graph.node.length === 0) throw new Error(`model: the ONNX bytes (${bytes.length}) hold no graph with nodes`);
  return model;
}

/** Encodes a model (plain objects as decodeModel gives them). */
export function encodeModel(model: OnnxModel): Uint8Array {
  const T = ModelType();
  return T.encode(T.fromObject(model)).finish();
}

/** The value of an attribute by name, or undefined. */
export function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attribute.find((a) => a.name === name);
}

export const intsOf = (a: OnnxAttribute | undefined): number[] | undefined => (a ? (a.ints ?? []).map(Number) : undefined);
export const stringOf = (a: OnnxAttribute | undefined): string | undefined => (a?.s ? new TextDecoder().decode(a.s) : undefined);

/** A constant tensor's values: float32 as a Float32Array, float16 as its bit patterns (Uint16Array), integers as numbers. */
export type ConstantValues = { type: 'float32'; data: Float32Array } | { type: 'float16'; data: Uint16Array } | { type: 'int'; data: number[] };

/** Reads a TensorProto held in the model; a string saying why not (external data, another type). */
export function tensorValues(t: OnnxTensor): ConstantValues | string {
  if (t.data_location === 1 || (t.external_data?.length ?? 0) > 0) return `'${t.name}' has external data`;
  const count = (t.dims ?? []).reduce((a, b) => a * Number(b), 1);
  const raw = t.raw_data && t.raw_data.length > 0 ? t.raw_data : null;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  switch (t.data_type) {
    case ONNX_TYPES.float: {
      const data = new Float32Array(count);
      if (view) { if (raw!.length !== 4 * count) return `'${t.name}' has ${raw!.length} bytes for ${count} floats`; for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true); }
      else { if ((t.float_data ?? []).length !== count) return `'${t.name}' has ${(t.float_data ?? []).length} values for ${count}`; data.set(t.float_data!); }
      return { type: 'float32', data };
    }
    case ONNX_TYPES.float16: {
      const data = new Uint16Array(count);
      // float16 is stored as raw little-endian bits, or one per int32_data entry.
      if (view) { if (raw!.length !== 2 * count) return `'${t.name}' has ${raw!.length} bytes for ${count} halves`; for (let i = 0; i < count; i++) data[i] = view.getUint16(2 * i, true); }
      else { if ((t.int32_data ?? []).length !== count) return `'${t.name}' has ${(t.int32_data ?? []).length} values for ${count}`; data.set(t.int32_data!); }
      return { type: 'float16', data };
    }
    case ONNX_TYPES.int64: case ONNX_TYPES.int32: {
      const bytes = t.data_type === ONNX_TYPES.int64 ? 8 : 4;
      const data: number[] = [];
      if (view) for (let i = 0; i < count; i++) data.push(bytes === 8 ? Number(view.getBigInt64(8 * i, true)) : view.getInt32(4 * i, true));
      else data.push(...(bytes === 8 ? t.int64_data ?? [] : t.int32_data ?? []).map(Number));
      return { type: 'int', data };
    }
    default:
      return `'${t.name}' has data type ${t.data_type}`;
  }
}

/** The element type and shape a value info declares (shape entries: a size, or a symbolic name). */
export function declared(v: OnnxValueInfo | undefined): { elemType?: number; shape?: (number | string)[] } {
  const tt = v?.type?.tensor_type;
  if (!tt) return {};
  return { elemType: tt.elem_type, shape: tt.shape ? (tt.shape.dim ?? []).map((d) => (d.dim_value !== undefined ? Number(d.dim_value) : d.dim_param ?? '?')) : undefined };
}

/** A tensor value info of an element type with an unknown shape. */
export function tensorValueInfo(name: string, elemType: number, shape?: readonly (number | string)[]): OnnxValueInfo {
  const tensor_type: NonNullable<OnnxTypeProto['tensor_type']> = { elem_type: elemType };
  if (shape) tensor_type.shape = { dim: shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) };
  return { name, type: { tensor_type } };
}
