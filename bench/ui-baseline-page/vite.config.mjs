// Builds the UI bench's baseline page (bench/ui-baseline-page/main.mjs) into the folder given as BASELINE_OUT.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: process.env.BASELINE_OUT,
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { onwarn: (w, warn) => (w.code === 'MODULE_LEVEL_DIRECTIVE' ? undefined : warn(w)) },
  },
});
