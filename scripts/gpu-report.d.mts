export declare const TARGETS: { cudnnGeomean: number; cudnnFloor: number; densePctFma: number; tfjsSpeedup: number };
export interface GpuRun { info: any; native: any; scaled: any; cudnn: any; gemm: any[] }
export declare function readRun(dir: string): GpuRun;
export declare function geomean(values: (number | null)[]): number | null;
export interface GpuLayerRow {
  layer: string; N: number; dense: boolean; flops: number; autoGpuMs: number | null; chose: string | null; config: object | null;
  bestGpuMs: number | null; bestImpl: string | null; cudnnMs: number | null; cudnnVsAuto: number | null; cudnnVsBest: number | null;
  pctFmaAuto: number | null; pctFmaBest: number | null; tfjsLatencyMs: number | null; autoLatencyMs: number | null;
  tfjsThroughputMs: number | null; autoThroughputMs: number | null; latencySpeedup: number | null; throughputSpeedup: number | null; tfjsNote: string;
}
export declare function layerRows(suite: any, cudnn: any): GpuLayerRow[];
export declare function layerTable(rows: GpuLayerRow[]): string;
export declare function targetLines(native: GpuLayerRow[], scaled: GpuLayerRow[]): [string, string, 'met' | 'missed' | 'not measured'][];
export declare function gpuReport(run: GpuRun, options?: { command?: string }): string;
