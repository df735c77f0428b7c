/**
 * The ONNX messages (onnx/onnx.proto, IR version 10) as a protobufjs JSON descriptor, for protobufjs/light to
 * decode and encode models with. Every field a model carries is listed, so a segment re-encoded from a decoded
 * model loses nothing it uses (protobufjs drops fields it does not know). Field names are onnx.proto's.
 * Left out: training_info and configuration (ModelProto 20, 26) and device_configurations (NodeProto 10),
 * which inference does not read: the segments are written without them.
 */
const str = (id: number, rule?: 'repeated') => ({ type: 'string', id, ...(rule ? { rule } : {}) });
const rep = (type: string, id: number) => ({ type, id, rule: 'repeated' });
const one = (type: string, id: number) => ({ type, id });
/** proto2 repeated scalars without [packed = true] (onnx.proto's dims, ints): written unpacked, as onnx does. */
const unpacked = (type: string, id: number) => ({ type, id, rule: 'repeated', options: { packed: false } });

export const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: { key: str(1), value: str(2) } },
        OperatorSetIdProto: { fields: { domain: str(1), version: one('int64', 2) } },
        TensorAnnotation: { fields: { tensor_name: str(1), quant_parameter_tensor_names: rep('StringStringEntryProto', 2) } },
        ModelProto: {
          fields: {
            ir_version: one('int64', 1), opset_import: rep('OperatorSetIdProto', 8), producer_name: str(2),
            producer_version: str(3), domain: str(4), model_version: one('int64', 5), doc_string: str(6),
            graph: one('GraphProto', 7), metadata_props: rep('StringStringEntryProto', 14), functions: rep('FunctionProto', 25),
          },
        },
        GraphProto: {
          fields: {
            node: rep('NodeProto', 1), name: str(2), initializer: rep('TensorProto', 5), sparse_initializer: rep('SparseTensorProto', 15),
            doc_string: str(10), input: rep('ValueInfoProto', 11), output: rep('ValueInfoProto', 12), value_info: rep('ValueInfoProto', 13),
            quantization_annotation: rep('TensorAnnotation', 14), metadata_props: rep('StringStringEntryProto', 16),
          },
        },
        NodeProto: {
          fields: {
            input: str(1, 'repeated'), output: str(2, 'repeated'), name: str(3), op_type: str(4), domain: str(7), overload: str(8),
            attribute: rep('AttributeProto', 5), doc_string: str(6), metadata_props: rep('StringStringEntryProto', 9),
          },
        },
        AttributeProto: {
          fields: {
            name: str(1), ref_attr_name: str(21), doc_string: str(13), type: one('int32', 20), f: one('float', 2), i: one('int64', 3),
            s: one('bytes', 4), t: one('TensorProto', 5), g: one('GraphProto', 6), sparse_tensor: one('SparseTensorProto', 22),
            tp: one('TypeProto', 14), floats: rep('float', 7), ints: unpacked('int64', 8), strings: rep('bytes', 9),
            tensors: rep('TensorProto', 10), graphs: rep('GraphProto', 11), sparse_tensors: rep('SparseTensorProto', 23),
            type_protos: rep('TypeProto', 15),
          },
        },
        ValueInfoProto: { fields: { name: str(1), type: one('TypeProto', 2), doc_string: str(3), metadata_props: rep('StringStringEntryProto', 4) } },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type', 'sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type'] } },
          fields: {
            tensor_type: one('Tensor', 1), sequence_type: one('Sequence', 4), map_type: one('Map', 5), optional_type: one('Optional', 9),
            sparse_tensor_type: one('SparseTensor', 8), denotation: str(6),
          },
          nested: {
            Tensor: { fields: { elem_type: one('int32', 1), shape: one('TensorShapeProto', 2) } },
            Sequence: { fields: { elem_type: one('TypeProto', 1) } },
            Map: { fields: { key_type: one('int32', 1), value_type: one('TypeProto', 2) } },
            Optional: { fields: { elem_type: one('TypeProto', 1) } },
            SparseTensor: { fields: { elem_type: one('int32', 1), shape: one('TensorShapeProto', 2) } },
          },
        },
        TensorShapeProto: {
          fields: { dim: rep('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: one('int64', 1), dim_param: str(2), denotation: str(3) },
            },
          },
        },
        TensorProto: {
          fields: {
            dims: unpacked('int64', 1), data_type: one('int32', 2), segment: one('Segment', 3), float_data: rep('float', 4),
            int32_data: rep('int32', 5), string_data: rep('bytes', 6), int64_data: rep('int64', 7), name: str(8), doc_string: str(12),
            raw_data: one('bytes', 9), external_data: rep('StringStringEntryProto', 13), data_location: one('int32', 14),
            double_data: rep('double', 10), uint64_data: rep('uint64', 11), metadata_props: rep('StringStringEntryProto', 16),
          },
          nested: { Segment: { fields: { begin: one('int64', 1), end: one('int64', 2) } } },
        },
        SparseTensorProto: { fields: { values: one('TensorProto', 1), indices: one('TensorProto', 2), dims: unpacked('int64', 3) } },
        FunctionProto: {
          fields: {
            name: str(1), input: str(4, 'repeated'), output: str(5, 'repeated'), attribute: str(6, 'repeated'),
            attribute_proto: rep('AttributeProto', 11), node: rep('NodeProto', 7), doc_string: str(8), opset_import: rep('OperatorSetIdProto', 9),
            domain: str(10), overload: str(13), value_info: rep('ValueInfoProto', 12), metadata_props: rep('StringStringEntryProto', 14),
          },
        },
      },
    },
  },
} as const;
