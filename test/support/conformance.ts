/** Reading the conformance case format of test/fixtures/conformance (its README describes it). */
import type { ConvTransposeAttributes } from '../../src/shape';

/** A numeric case as stored. */
export interface NumericCaseJson {
  name: string;
  source?: string;
  dims: number;
  input: { shape: number[]; data: number[] };
  weight: { shape: number[]; data: number[] };
  bias: { shape: number[]; data: number[] } | null;
  attrs: Record<string, unknown>;
  attrs_specified?: Record<string, unknown>;
  expected: { shape: number[]; data: number[] };
  effective?: { pads_begin: number[]; pads_end: number[]; output_spatial: number[] };
  known_bad_expected?: boolean;
  known_bad_reason?: string;
  duplicate_of?: string;
}

/** A must-fail case as stored: shapes and attributes; tensors are all ones. */
export interface ErrorCaseJson {
  name: string;
  input_shape: number[];
  weight_shape: number[];
  bias_shape: number[] | null;
  attrs_specified: Record<string, unknown>;
  expected_error_substring?: string;
  known_bad_expected?: boolean;
  known_bad_reason?: string;
}

export type CaseJson = NumericCaseJson | ErrorCaseJson;

export const isErrorCase = (c: CaseJson): c is ErrorCaseJson => 'input_shape' in c;

/** ONNX attributes as this library takes them: nulls (absent) dropped. */
export function onnxAttrs(attrs: Record<string, unknown>): ConvTransposeAttributes {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) out[k] = v;
  return out as ConvTransposeAttributes;
}

/** Why a case is skipped, or null when it runs. */
export function skipReason(c: CaseJson): string | null {
  if (c.known_bad_expected) return c.known_bad_reason ?? 'known-bad expected values in the source (see the fixtures README)';
  return null;
}
