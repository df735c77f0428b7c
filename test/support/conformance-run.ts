/**
 * The conformance fixtures (test/fixtures/conformance) outside the browsers, one runner for every runtime: Node on
 * Dawn (test/node.test.ts, on the sources) and Deno (test/deno/conformance.mjs, on the built package) pass in the
 * library and their devices. It imports nothing of the library itself, so each runtime checks the build it loads;
 * Deno loads this file with --sloppy-imports (its imports have no extensions, as everywhere in the project).
 *
 * Every fixture through every path and `auto`, one-shot, on `plain` (a device with only the WebGPU spec's default
 * limits), against the float64 CPU reference and the fixture's expected values under the browser tests' tolerance;
 * must-fail fixtures must throw an Error. Then every path in the prepared form (createConvTranspose, encoded into
 * the caller's encoder) on `device()`, the runtime's default device. Each failure is one line naming case, path, first
 * bad index, got and expected.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Library from '../../src/index';
import { compare, fromWire } from './compare';
import { isErrorCase, onnxAttrs, skipReason, type CaseJson } from './conformance';

/** What the runner uses of the library: the sources in Node, the built package in Deno. */
export type ConformanceLibrary = Pick<typeof Library, 'convTranspose' | 'createConvTranspose' | 'GPU_PATHS' | 'PATH_OPTIONS' | 'resolveConvTranspose' | 'scatterReference'>;

export interface ConformanceReport {
  /** Fixtures run (known-bad ones are left out: see the fixtures README). */
  cases: number;
  passed: number;
  /** One line a failure: case, path, first bad index, got and expected (or what was thrown). */
  failures: string[];
}

const STORAGE = 0x80, COPY_SRC = 0x4, COPY_DST = 0x8, MAP_READ = 0x1; // GPUBufferUsage, which Deno and Node define only with WebGPU

export async function runConformance(lib: ConformanceLibrary, o: { plain: GPUDevice; device: () => Promise<GPUDevice>; fixtures: string }): Promise<ConformanceReport> {
  const report: ConformanceReport = { cases: 0, passed: 0, failures: [] };
  const result = (ok: boolean, text: string) => (ok ? report.passed++ : report.failures.push(text));
  const verdict = (label: string, got: ArrayLike<number>, shape: readonly number[], expected: ArrayLike<number>, expectedShape: readonly number[]) => {
    if (JSON.stringify([...shape]) !== JSON.stringify([...expectedShape])) return result(false, `${label}: shape [${shape}], expected [${expectedShape}]`);
    const c = compare(got, expected);
    result(c.ok, c.ok ? label : `${label}: first bad index ${c.firstBad!.index}: got ${c.firstBad!.got}, expected ${c.firstBad!.expected}`);
  };

  for (const file of readdirSync(o.fixtures).filter((f) => f.endsWith('.json')).sort()) {
    for (const c of JSON.parse(readFileSync(join(o.fixtures, file), 'utf8')) as CaseJson[]) {
      if (skipReason(c)) continue;
      report.cases++;
      if (isErrorCase(c)) {
        const ones = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape });
        for (const path of lib.PATH_OPTIONS) {
          let error: unknown = null;
          try {
            await lib.convTranspose(ones(c.input_shape), ones(c.weight_shape), { ...onnxAttrs(c.attrs_specified), bias: c.bias_shape ? ones(c.bias_shape) : null, path, device: o.plain });
          } catch (e) { error = e; }
          result(error instanceof Error, `${file}: ${c.name} [${path}]: ${error instanceof Error ? 'rejected' : error ? `threw a non-Error ${String(error)}` : 'accepted'}`);
        }
        continue;
      }
      const x = Float32Array.from(c.input.data, fromWire);
      const w = Float32Array.from(c.weight.data, fromWire);
      const b = c.bias ? Float32Array.from(c.bias.data, fromWire) : null;
      const attrs = onnxAttrs(c.attrs_specified ?? c.attrs);
      const r = lib.resolveConvTranspose(c.input.shape, c.weight.shape, b ? [b.length] : null, attrs);
      const ref = lib.scatterReference(r, x, w, b);
      for (const path of lib.PATH_OPTIONS) {
        const label = `${file}: ${c.name} [${path}]`;
        try {
          const y = await lib.convTranspose({ data: x, shape: c.input.shape }, { data: w, shape: c.weight.shape }, { ...attrs, bias: b, path, device: o.plain });
          verdict(`${label} vs CPU reference`, y.data as Float32Array, y.shape, ref, r.outputShape);
          verdict(`${label} vs expected`, y.data as Float32Array, y.shape, c.expected.data.map(fromWire), c.expected.shape);
        } catch (e) {
          result(false, `${label}: threw ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        }
      }
    }
  }

  // The prepared form, into the caller's encoder, on the runtime's default device (its largest buffers), asked for
  // only now: Deno's wgpu panicked ("Adapter[Id(1,1)] does not exist") on the fixtures' device when this one had
  // been requested before them.
  const device = await o.device();
  const input = Float32Array.from({ length: 2 * 4 * 5 * 5 }, (_, i) => Math.sin(i));
  const weight = { data: Float32Array.from({ length: 4 * 3 * 3 * 3 }, (_, i) => Math.cos(i)), shape: [4, 3, 3, 3] };
  const bias = [0.5, -1, 2];
  const attrs = { stride: 2, padding: 1, outputPadding: 1 };
  const r = lib.resolveConvTranspose([2, 4, 5, 5], weight.shape, [bias.length], attrs);
  const ref = lib.scatterReference(r, input, weight.data, bias);
  for (const path of lib.GPU_PATHS) {
    try {
      const layer = await lib.createConvTranspose(device, { ...attrs, bias, path, inputShape: [2, 4, 5, 5], weight });
      const inBuf = device.createBuffer({ size: layer.inputBytes, usage: STORAGE | COPY_DST });
      const outBuf = device.createBuffer({ size: layer.outputBytes, usage: STORAGE | COPY_SRC });
      const readback = device.createBuffer({ size: layer.outputBytes, usage: MAP_READ | COPY_DST });
      device.queue.writeBuffer(inBuf, 0, input);
      const encoder = device.createCommandEncoder();
      layer.encode(encoder, inBuf, outBuf);
      encoder.copyBufferToBuffer(outBuf, 0, readback, 0, layer.outputBytes);
      device.queue.submit([encoder.finish()]);
      await readback.mapAsync(1); // GPUMapMode.READ
      const y = new Float32Array(readback.getMappedRange().slice(0));
      readback.unmap();
      verdict(`prepared [${path}] vs CPU reference`, y, layer.outputShape, ref, r.outputShape);
      for (const buffer of [inBuf, outBuf, readback]) buffer.destroy();
      layer.destroy();
    } catch (e) {
      result(false, `prepared [${path}]: threw ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
  return report;
}
