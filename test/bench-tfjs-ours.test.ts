// The tfjs-webgpu+ours row in the benchmark's bookkeeping: it is compared with plain tfjs-webgpu only, never
// counted as a peer (it runs our kernel) nor as ours (it includes TF.js's op dispatch around it).
import { describe, expect, it } from 'vitest';
import { IMPLEMENTATIONS } from '../bench/implementation';
import { isHybrid, isOurs, summarize, summaryRows, type BenchReport, type BenchResult } from '../bench/report';

const row = (impl: BenchResult['impl'], ms: number | null, relErr: number | null = 1e-7): BenchResult => ({
  layer: 'L', impl, latencyMs: ms, latencyMinMs: ms, throughputMs: ms === null ? null : ms / 2, batch: 20, gpuMs: null, gflops: null, maxAbsErr: relErr, relErr, pctFma: null,
  gbps: null, pctCopy: null, runs: 10, note: impl === 'auto' ? 'auto → phase' : '', setupMs: null,
});

describe('tfjs-webgpu+ours in the report', () => {
  it('is an implementation, neither ours nor a peer', () => {
    expect(IMPLEMENTATIONS).toContain('tfjs-webgpu+ours');
    expect(isOurs('tfjs-webgpu+ours')).toBe(false);
    expect(isHybrid('tfjs-webgpu+ours')).toBe(true);
    expect(isHybrid('tfjs-webgpu')).toBe(false);
  });
  it('its speed-up over plain tfjs-webgpu is reported; it never becomes the best peer', () => {
    const s = summarize('L', [row('auto', 4), row('tfjs-webgpu', 12), row('tfjs-webgpu+ours', 3), row('ort-webgpu', 8)]);
    expect(s.bestPeer).toEqual({ impl: 'ort-webgpu', ms: 8 });
    expect(s.bestOurs).toEqual({ impl: 'auto', ms: 4 });
    expect(s.tfjsOursSpeedup).toBe(4);
    const report = { layers: [{ layer: 'L', inputShape: [1], outputShape: [1, 2], flops: 1e6, bytes: 1, referenceMs: 1, ...s }] } as unknown as BenchReport;
    const rows = summaryRows(report);
    expect(rows[0].at(-1)).toMatch(/tfjs-webgpu\+ours speed-up/);
    expect(rows[1].at(-1)).toBe('4.00×');
  });
  it('a wrong answer gives no speed-up; a missing row gives n/a', () => {
    expect(summarize('L', [row('tfjs-webgpu', 12), row('tfjs-webgpu+ours', 3, 1)]).tfjsOursSpeedup).toBeNull();
    expect(summarize('L', [row('tfjs-webgpu', 12)]).tfjsOursSpeedup).toBeNull();
  });
});
