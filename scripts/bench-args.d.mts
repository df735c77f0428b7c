import type { ParseArgsConfig } from 'node:util';
import type { LayerSpec } from '../bench/problem';
import type { RoundsOptions } from '../bench/rounds';
export declare const BENCH_OPTIONS: NonNullable<ParseArgsConfig['options']>;
export declare const ROUNDS_KEYS: readonly string[];
export interface BenchArgs {
  node?: boolean; browser?: 'chromium' | 'firefox'; layers?: string; 'layers-file'?: string; impls?: string; models?: string; 'no-models'?: boolean;
  'models-only'?: boolean; training?: string; 'no-training'?: boolean; 'training-only'?: boolean; rounds?: string; 'ort-wasm'?: string; json?: string; markdown?: string; help?: boolean;
}
export declare function parseBenchArgs(argv: string[]): BenchArgs;
export declare function list(text: string): string[];
export declare function parseRounds(text: string | undefined): RoundsOptions;
export declare function readLayersFile(file: string): LayerSpec[];
export declare function usage(source: string): string;
export declare function shownCommand(prefix: string, argv: string[]): string;
