import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The service worker is its own entry, emitted as /sw.js (its scope is the whole app). After the
 * bundle is written, the list of the build's files (no source maps, not sw.js) replaces the
 * placeholder in sw.js, so a new build means a new cache and the old one is dropped. The files of
 * static/ (icons, the web manifest) are copied as they are and kept too, so the installed till app
 * has its icon offline.
 */
function precacheManifest(): Plugin {
  let files: string[] = [];
  return {
    name: 'hub-precache-manifest',
    apply: 'build',
    generateBundle(_, bundle) {
      files = [...Object.keys(bundle), ...readdirSync(here('static'))]
        .filter((f) => !f.endsWith('.map') && f !== 'sw.js' && f !== 'index.html')
        .sort();
    },
    writeBundle(opts) {
      const path = join(opts.dir ?? here('dist'), 'sw.js');
      const code = readFileSync(path, 'utf8');
      const next = code.replace(/([`"'])__HUB_PRECACHE_MANIFEST__\1/, JSON.stringify(JSON.stringify(files)));
      if (next === code) {
        throw new Error('sw.js: the precache placeholder was not found');
      }
      writeFileSync(path, next);
    },
  };
}

// The api serves dist/ as static files under a strict CSP (script-src 'self'): everything is bundled,
// nothing inline. Preact through the automatic JSX runtime, no plugin needed.
export default defineConfig({
  root: here('.'),
  // icons and the web manifest, at fixed addresses (the manifest names its icons by path)
  publicDir: here('static'),
  base: '/',
  resolve: {
    alias: {
      '@radio-client': here('../../libs/realtime/src/client/radio-client.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [precacheManifest()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      input: { index: here('index.html'), sw: here('src/sw.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
