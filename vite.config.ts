import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';
import { stripWgslComments } from './scripts/wgsl-strip.mjs';

/**
 * The browser test files that run in Firefox too (WebGPU on wgpu, WGSL compiled by Naga), with TEST_BROWSER=firefox:
 * in the `ci` tier the GPU paths (conformance fixtures, family checks, worked examples, the sweep) and the README's
 * browser examples; in the `full` tier every browser test file.
 */
const FIREFOX_CI = ['test/browser.test.ts', 'test/readme-browser.test.ts'];
const FIREFOX_FULL = [
  ...FIREFOX_CI, 'test/float16.test.ts', 'test/ieee.test.ts', 'test/chunks.test.ts', 'test/reliability.test.ts',
  'test/frontends-browser.test.ts', 'test/tfjs.test.ts', 'test/models.test.ts', 'test/bench-page.test.ts', 'test/demo.test.ts',
];

export default defineConfig({
  // `vite build` only: the shipped WGSL without comments and indentation (the sources and the dev server keep them).
  plugins: [stripWgslComments()],
  build: {
    // Library build: the main entry (the WGSL files are inlined through `?raw` imports) and the Node helper
    // entry `webgpu-convtranspose/node` (dist/node.js), which loads the optional peer `webgpu` at run time.
    lib: {
      entry: {
        'webgpu-convtranspose': resolve(import.meta.dirname, 'src/index.ts'),
        node: resolve(import.meta.dirname, 'src/node.ts'),
        // `webgpu-convtranspose/tfjs` (dist/tfjs.js): registerWithTfjs(tf). TF.js is passed in, never imported.
        tfjs: resolve(import.meta.dirname, 'src/integrations/tfjs-kernel.ts'),
        // `webgpu-convtranspose/ort` (dist/ort.js): createOrtSession(ort, model). ORT is passed in, never imported;
        // protobufjs (the entry's one dependency) stays an import.
        ort: resolve(import.meta.dirname, 'src/integrations/ort-session.ts'),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: {
      // integrations/tfjs-kernel.ts imports the library as '../index'; in the build that import stays an import
      // of the main entry file, so the library is bundled once (one pipeline cache, one shared device) and the
      // main bundle is the same file with or without the extra entry.
      external: (id, importer) => id === 'webgpu' || /^protobufjs(\/|$)/.test(id) ||
        (/^(\.\.\/)+index$/.test(id) && !!importer && /[\\/]src[\\/]integrations[\\/]/.test(importer)),
      output: { paths: (id) => (/(^(\.\.\/)+index$)|[\\/]src[\\/]index(\.ts)?$/.test(id) ? './webgpu-convtranspose.js' : id) },
    },
    target: 'es2022',
    // Not minified: function names and code stay readable in users' stack traces and debuggers, and the
    // user's own bundler minifies the app anyway. The source maps carry the TypeScript sources inline
    // (sourcesContent), since src/ is not shipped.
    minify: false,
    sourcemap: true,
  },
  server: { fs: { allow: [resolve(import.meta.dirname)] } },
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One project per browser: `npx vitest run --project firefox test/browser.test.ts` runs a file in Firefox only.
    projects: [
      { extends: true, test: { name: 'chromium', include: ['test/**/*.test.ts'], env: { TEST_BROWSER: 'chromium' } } },
      {
        extends: true,
        test: { name: 'firefox', include: process.env.VITE_TEST_TIER === 'full' ? FIREFOX_FULL : FIREFOX_CI, env: { TEST_BROWSER: 'firefox' } },
      },
    ],
  },
});
