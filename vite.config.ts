import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import { digestPlugin } from './scripts/vite-digest-plugin';
import { DEFAULT_SEEDS_DIR } from './scripts/digest-files';

// PAPERPEEK_SEEDS_DIR lets tests and benchmarks build with another digest.
const seedsDir = process.env.PAPERPEEK_SEEDS_DIR ? resolve(process.env.PAPERPEEK_SEEDS_DIR) : DEFAULT_SEEDS_DIR;
const outDir = process.env.PAPERPEEK_OUT_DIR ?? 'dist';
/** PAPERPEEK_NO_MINIFY=1 keeps names readable for CPU profiles (scripts/profile-page.ts). */
const minify = process.env.PAPERPEEK_NO_MINIFY ? false : undefined;

/**
 * FlexSearch's compact build: the same Index and export format as its default
 * bundle, without the worker and persistence code (whose worker bootstrap uses
 * `Function(...)`, which the extension CSP forbids and we do not ship).
 */
export const FLEXSEARCH_BROWSER_BUILD = resolve(import.meta.dirname, 'node_modules/flexsearch/dist/flexsearch.compact.module.min.js');

/** Where the lazily loaded hover card module lands inside the extension (see scripts/build.ts). */
export const CARD_MODULE_PATH = 'card/card.js';
/** Where the content script's exact half lands (src/content/exact.ts, imported once there is a place to read). */
export const EXACT_MODULE_PATH = 'exact/exact.js';

/** A build pass that writes one entry as a single ES module at `fileName` inside the extension. */
function ownModule(entry: string, fileName: string) {
  return {
    build: {
      outDir,
      emptyOutDir: false,
      sourcemap: false,
      minify,
      target: 'es2022',
      lib: { entry: resolve(entry), formats: ['es' as const], fileName: () => fileName },
    },
  };
}

export default defineConfig(() => {
  // Later passes (scripts/build.ts): modules the content script imports when it
  // needs them, each one self-contained ES module.
  if (process.env.PAPERPEEK_BUILD === 'exact') {
    // The exact half of the content script.
    return ownModule('src/content/exact.ts', EXACT_MODULE_PATH);
  }
  if (process.env.PAPERPEEK_BUILD === 'card') {
    // The hover card, Preact and the positioning library included, imported on first hover.
    return ownModule('src/ui/card/card.tsx', CARD_MODULE_PATH);
  }
  return {
    plugins: [digestPlugin(seedsDir), crx({ manifest: manifest as ManifestV3Export })],
    resolve: { alias: [{ find: /^flexsearch$/, replacement: FLEXSEARCH_BROWSER_BUILD }] },
    build: {
      outDir,
      emptyOutDir: true,
      // Readable stack traces from users' bug reports; no eval-based source maps.
      sourcemap: false,
      minify,
      target: 'es2022',
      // Extension pages the manifest does not name (crxjs adds the popup itself).
      rollupOptions: { input: { paper: resolve('src/paper/index.html') } },
    },
  };
});
