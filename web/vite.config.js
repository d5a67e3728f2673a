// Builds the playground into server/playground/dist, which the Go binary
// embeds. Relative asset paths let the server mount it anywhere.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: '../server/playground/dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
    sourcemap: false,
  },
  worker: { format: 'es' },
});
