/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { buildKernels } from './scripts/build-kernels.mjs';

export default defineConfig({
  base: './',
  // The WebAssembly kernels are compiled from AssemblyScript (scripts/build-kernels.mjs; a no-op when
  // up to date), so that vite, vite build, vitest and Playwright's web server work on a clean clone.
  plugins: [react(), { name: 'mm-lab-kernels', configResolved: async () => void (await buildKernels()) }],
  // tfjs must be pre-bundled up front: otherwise the dev server re-optimises on the worker's first
  // import and reloads the page, killing the worker (docs/ARCHITECTURE.md, "Stack facts").
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    environment: 'node',
    setupFiles: ['tests/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two forks on the 2-core CI machine (vitest's default is cores − 1 = 1): most files are single-threaded.
    maxWorkers: 2,
  },
});
