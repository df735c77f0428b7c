import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

export default defineConfig({
  build: {
    // Library build of src/index.ts; the WGSL files are inlined through `?raw` imports.
    lib: { entry: resolve(import.meta.dirname, 'src/index.ts'), formats: ['es'], fileName: 'webgpu-convtranspose' },
    target: 'es2022',
  },
  server: { fs: { allow: [resolve(import.meta.dirname)] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
