// Builds the playground (index.html) and the explorer (explore.html) into
// server/playground/dist, which the Go binary embeds. Relative asset paths
// let the server mount them anywhere.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: '../server/playground/dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8192,
    sourcemap: false,
    rollupOptions: {
      input: {
        index: 'index.html',
        explore: 'explore.html',
      },
    },
  },
  worker: { format: 'es' },
});
