import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The api serves dist/ as static files under a strict CSP (script-src 'self'): everything is bundled,
// nothing inline. Preact through the automatic JSX runtime, no plugin needed.
export default defineConfig({
  root: here('.'),
  publicDir: false,
  base: '/',
  resolve: {
    alias: {
      '@radio-client': here('../../libs/realtime/src/client/radio-client.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 700,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
