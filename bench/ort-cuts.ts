/**
 * What a cut's layout costs (scripts/ort-cuts.mjs): one ONNX model of bench/ort-models.ts run by ORT alone and
 * through createOrtSession cut at every ConvTranspose it can run (unmeasured: minFlops 1, measure false), once
 * with NCHW cuts and once with channels-last cuts where the rule makes them (docs/ort.md), alternated round by
 * round (the order reversed every other round), upload to read-back; medians and minima, ms.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { createOrtSession } from '../src/integrations/ort-session';
import { benchOrtModels } from './ort-models';
import { pass } from './ort-bench';
import { median } from './timing';

const models = new Map(benchOrtModels().map((m) => [m.name, m]));

export interface CutLayoutResult {
  name: string;
  rounds: number;
  /** Steps of the channels-last cut, and which of its layers run channels-last. */
  steps: string;
  channelsLast: string[];
  median: { ort: number; nchw: number; channelsLast: number };
  min: { ort: number; nchw: number; channelsLast: number };
}

export async function cutLayouts(name: string, rounds: number): Promise<CutLayoutResult> {
  const m = models.get(name);
  if (!m) throw new Error(`unknown model ${name}; known: ${[...models.keys()].join(', ')}`);
  const plain = await ort.InferenceSession.create(m.bytes, { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' });
  const opts = { measure: false, minFlops: 1, sessionOptions: { graphOptimizationLevel: 'all' } };
  const nchw = await createOrtSession(ort, m.bytes, { ...opts, channelsLast: false });
  const cl = await createOrtSession(ort, m.bytes, { ...opts, channelsLast: true });
  try {
    const ways = [['ort', plain], ['nchw', nchw], ['channelsLast', cl]] as const;
    for (const [, s] of ways) await pass(s, m);
    const ms = { ort: [] as number[], nchw: [] as number[], channelsLast: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      for (const [k, s] of r % 2 ? [...ways].reverse() : ways) ms[k].push((await pass(s, m)).ms);
    }
    const of = (f: (v: number[]) => number) => ({ ort: f(ms.ort), nchw: f(ms.nchw), channelsLast: f(ms.channelsLast) });
    return {
      name, rounds, steps: cl.plan.steps.join(' → '),
      channelsLast: cl.plan.steps.filter((s) => s.endsWith(', channels-last)')).map((s) => s.slice(5, -', channels-last)'.length)),
      median: of(median), min: of((v) => Math.min(...v)),
    };
  } finally {
    await cl.release();
    await nchw.release();
    await plain.release();
  }
}
