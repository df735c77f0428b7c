import type { Plugin } from 'vite';
export declare function stripWgsl(source: string): string;
export declare function stripWgslComments(): Plugin;
