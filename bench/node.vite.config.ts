/**
 * Builds the Node benchmark (bench/node.ts) into one file, .bench-out/bench-node.mjs: everything bundled but
 * `webgpu` (Dawn's native module, resolved at run time from node_modules beside it). `npm run bench:node-bundle`.
 */
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    ssr: resolve(root, 'bench/node.ts'),
    outDir: resolve(root, '.bench-out'),
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rollupOptions: {
      external: ['webgpu'],
      output: { entryFileNames: 'bench-node.mjs', codeSplitting: false },
    },
  },
  ssr: { noExternal: true, external: ['webgpu'], target: 'node' },
});
