/**
 * A minimal protobuf writer and the handful of ONNX messages the benchmark needs to hand ONNX Runtime a
 * one-node model built in code (no .onnx file on disk, no protobuf dependency).
 *
 * Only encoding, only the fields used here. Field numbers are those of onnx/onnx.proto (IR version 8):
 *   ModelProto      1 ir_version, 2 producer_name, 7 graph, 8 opset_import
 *   OperatorSetId   1 domain, 2 version
 *   GraphProto      1 node, 2 name, 5 initializer, 11 input, 12 output
 *   NodeProto       1 input, 2 output, 3 name, 4 op_type, 5 attribute
 *   AttributeProto  1 name, 3 i, 8 ints, 20 type (INT = 2, INTS = 7)
 *   TensorProto     1 dims, 2 data_type (FLOAT = 1), 8 name, 9 raw_data
 *   ValueInfoProto  1 name, 2 type;  TypeProto 1 tensor_type;  TypeProto.Tensor 1 elem_type, 2 shape
 *   TensorShapeProto 1 dim;  Dimension 1 dim_value
 */

/** Protobuf wire types used here. */
const VARINT = 0;
const LEN = 2;

/** Appends protobuf fields to a growing byte list; `finish()` returns the encoded message. */
export class ProtoWriter {
  private readonly parts: number[] = [];

  /** Encodes an unsigned or signed 64-bit integer as a varint (negative numbers take 10 bytes, two's complement). */
  private rawVarint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }

  private key(field: number, wireType: number): void {
    this.rawVarint((field << 3) | wireType);
  }

  /** An int32/int64/enum field. Integers must be exact (safe integers or bigint). */
  int(field: number, value: number | bigint): this {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`field ${field}: ${value} is not a safe integer`);
    this.key(field, VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A length-delimited field holding raw bytes (bytes fields and embedded messages). */
  bytes(field: number, data: Uint8Array): this {
    this.key(field, LEN);
    this.rawVarint(data.length);
    for (let i = 0; i < data.length; i++) this.parts.push(data[i]);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, message: ProtoWriter | Uint8Array): this {
    return this.bytes(field, message instanceof ProtoWriter ? message.finish() : message);
  }

  /** A packed repeated int64 field. */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** ONNX TensorProto.DataType.FLOAT. */
const ONNX_FLOAT = 1;

/** Little-endian bytes of a Float32Array, as ONNX `raw_data` requires on every platform. */
function float32LittleEndian(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

/** A float32 TensorProto (an initializer). */
export function tensorProto(name: string, dims: readonly number[], data: Float32Array): ProtoWriter {
  return new ProtoWriter()
    .packedInts(1, dims)
    .int(2, ONNX_FLOAT)
    .string(8, name)
    .bytes(9, float32LittleEndian(data));
}

/** A ValueInfoProto for a float32 tensor of a fixed shape (graph input or output). */
export function valueInfoProto(name: string, dims: readonly number[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, ONNX_FLOAT).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/** An attribute value: an integer (INT) or a list of integers (INTS). */
export type IntAttribute = number | readonly number[];

/** An AttributeProto of type INT or INTS. */
export function attributeProto(name: string, value: IntAttribute): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (typeof value === 'number') return a.int(3, value).int(20, 2);
  // Repeated int64 in proto2 (onnx.proto) is unpacked by default; parsers accept both, but stay canonical.
  for (const v of value) a.int(8, v);
  return a.int(20, 7);
}

/** A NodeProto. */
export function nodeProto(options: {
  opType: string; name: string; inputs: readonly string[]; outputs: readonly string[];
  attributes?: Record<string, IntAttribute>;
}): ProtoWriter {
  const n = new ProtoWriter();
  for (const i of options.inputs) n.string(1, i);
  for (const o of options.outputs) n.string(2, o);
  n.string(3, options.name).string(4, options.opType);
  for (const [k, v] of Object.entries(options.attributes ?? {})) n.message(5, attributeProto(k, v));
  return n;
}

/** Options of {@link convTransposeModel}: shapes and attributes in ONNX spelling. */
export interface ConvTransposeModelOptions {
  /** `[N, C_in, H, W]`. */
  inputShape: readonly number[];
  /** `[N, C_out, OH, OW]`. */
  outputShape: readonly number[];
  /** Weight `[C_in, C_out/group, kH, kW]`, stored in the model as an initializer. */
  weight: { data: Float32Array; shape: readonly number[] };
  /** Optional bias `[C_out]`, stored as an initializer. */
  bias?: Float32Array | null;
  strides: readonly number[];
  /** ONNX order: `[begins..., ends...]`. */
  pads: readonly number[];
  dilations: readonly number[];
  outputPadding: readonly number[];
  group: number;
  /** Default opset 17. */
  opset?: number;
}

/** Names of the graph input and output in {@link convTransposeModel}. */
export const MODEL_INPUT = 'X';
export const MODEL_OUTPUT = 'Y';

/** Encodes an ONNX ModelProto holding one ConvTranspose node with its weights (and bias) as initializers. */
export function convTransposeModel(o: ConvTransposeModelOptions): Uint8Array {
  const inputs = [MODEL_INPUT, 'W'];
  if (o.bias) inputs.push('B');
  const graph = new ProtoWriter()
    .message(1, nodeProto({
      opType: 'ConvTranspose', name: 'convtranspose', inputs, outputs: [MODEL_OUTPUT],
      attributes: {
        kernel_shape: o.weight.shape.slice(2), strides: o.strides, pads: o.pads, dilations: o.dilations,
        output_padding: o.outputPadding, group: o.group,
      },
    }))
    .string(2, 'bench')
    .message(5, tensorProto('W', o.weight.shape, o.weight.data));
  if (o.bias) graph.message(5, tensorProto('B', [o.bias.length], o.bias));
  graph.message(11, valueInfoProto(MODEL_INPUT, o.inputShape)).message(12, valueInfoProto(MODEL_OUTPUT, o.outputShape));
  return new ProtoWriter()
    .int(1, 8)
    .string(2, 'webgpu-convtranspose-bench')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, o.opset ?? 17))
    .finish();
}
