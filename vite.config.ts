import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

export default defineConfig({
  build: {
    // Library build: the main entry (the WGSL files are inlined through `?raw` imports) and the Node helper
    // entry `webgpu-convtranspose/node` (dist/node.js), which loads the optional peer `webgpu` at run time.
    lib: {
      entry: {
        'webgpu-convtranspose': resolve(import.meta.dirname, 'src/index.ts'),
        node: resolve(import.meta.dirname, 'src/node.ts'),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: { external: ['webgpu'] },
    target: 'es2022',
    // Not minified: function names and code stay readable in users' stack traces and debuggers, and the
    // user's own bundler minifies the app anyway. The source maps carry the TypeScript sources inline
    // (sourcesContent), since src/ is not shipped.
    minify: false,
    sourcemap: true,
  },
  server: { fs: { allow: [resolve(import.meta.dirname)] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
