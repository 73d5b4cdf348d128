import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser app: built into dist/web, which the Accord server serves at /.
// In development (`npm run dev:web`) Vite proxies the API to a desk on port 3000.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // The size budget test reads which chunks each area loads.
    manifest: true,
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
