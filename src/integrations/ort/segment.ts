/**
 * One ORT segment re-encoded as a model of its own: its nodes, the opsets, functions and metadata of the
 * original, the initializers (and value_info) it uses, its inputs typed (the graph's declarations, or what the
 * step before made) and its outputs by name (ORT infers their types and shapes; the session's outputMetadata
 * then gives them to the next segment).
 */
import { encodeModel, tensorValueInfo, ONNX_TYPES, type OnnxModel, type OnnxValueInfo } from './onnx-model';
import type { OrtStep } from './partition';

/** An input's element type (ONNX data type) and, when known, its shape. */
export interface TensorType { elemType: number; shape?: readonly (number | string)[] }

export function segmentModel(model: OnnxModel, step: OrtStep, index: number, types: ReadonlyMap<string, TensorType>): Uint8Array {
  const graph = model.graph!;
  const nodes = [...(step.before ?? []), ...step.nodes, ...(step.after ?? [])];
  const used = new Set(nodes.flatMap((n) => [...n.input, ...n.output]));
  const declaredInput = new Map(graph.input.map((v) => [v.name, v]));
  const declaredOutput = new Map(graph.output.map((v) => [v.name, v]));
  const inputs: OnnxValueInfo[] = step.inputs.map((name) => {
    const d = declaredInput.get(name);
    if (d) return d;
    const t = types.get(name);
    if (!t) throw new Error(`internal: segment ${index} reads '${name}', whose type no earlier step gave`);
    return tensorValueInfo(name, t.elemType, t.shape);
  });
  const outputs: OnnxValueInfo[] = step.outputs.map((name) => declaredOutput.get(name) ?? { name });
  const ends = new Set([...step.inputs, ...step.outputs]);
  const segment: OnnxModel = {
    ...model,
    graph: {
      ...graph,
      name: `${graph.name ?? 'graph'}/segment${index}`,
      node: nodes,
      // An initializer that is also a graph input keeps its default here: it is fed only when the caller feeds it.
      initializer: graph.initializer.filter((t) => used.has(t.name ?? '')),
      sparse_initializer: (graph.sparse_initializer as { values?: { name?: string } }[]).filter((t) => used.has(t.values?.name ?? '')),
      input: inputs,
      output: outputs,
      value_info: graph.value_info.filter((v) => used.has(v.name) && !ends.has(v.name)),
      quantization_annotation: [],
    },
  };
  return encodeModel(segment);
}

/**
 * A one-node Identity model (float32 `[n]` in, out): what makes ORT create its WebGPU device when a model has
 * no node left for ORT, and the "identity segment" that measures what one cut costs.
 */
export function identityModel(): Uint8Array {
  const vi = (name: string) => tensorValueInfo(name, ONNX_TYPES.float, ['n']);
  return encodeModel({
    ir_version: 8, opset_import: [{ domain: '', version: 17 }], functions: [],
    graph: {
      name: 'identity', node: [{ input: ['x'], output: ['y'], name: 'identity', op_type: 'Identity', attribute: [] }],
      initializer: [], sparse_initializer: [], input: [vi('x')], output: [vi('y')], value_info: [],
    },
  });
}
