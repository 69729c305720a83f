/**
 * The staff dashboard build: src/web → dist/web. The server serves dist/web at "/" with an
 * SPA fallback to index.html for non-/api paths. No inline scripts or styles are emitted,
 * so the page can run under a strict Content-Security-Policy.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./src/web'),
  base: '/',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill is an inline-free module, but the dashboard targets evergreen browsers.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': { target: process.env.CANVASS_DEV_API ?? 'http://127.0.0.1:3000', changeOrigin: false },
      '/health': { target: process.env.CANVASS_DEV_API ?? 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
