import type { LayerSpec } from './problem';
export declare function checkLayers(json: unknown, where: string): LayerSpec[];
export declare function parseLayers(text: string, where: string): LayerSpec[];
