// The web UI: a static build into dist/web that the gateway serves at `/` (no CDN: everything is bundled).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: path.resolve(here, '../../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    // @xyflow/react marks its modules "use client" (a React Server Components hint with no meaning here)
    rollupOptions: { onwarn: (w, warn) => (w.code === 'MODULE_LEVEL_DIRECTIVE' ? undefined : warn(w)) },
  },
  worker: { format: 'es' },
});
