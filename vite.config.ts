import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import { digestPlugin } from './scripts/vite-digest-plugin';
import { DEFAULT_SEEDS_DIR } from './scripts/digest-files';

// PAPERPEEK_SEEDS_DIR lets tests and benchmarks build with another digest.
const seedsDir = process.env.PAPERPEEK_SEEDS_DIR ? resolve(process.env.PAPERPEEK_SEEDS_DIR) : DEFAULT_SEEDS_DIR;

export default defineConfig({
  plugins: [digestPlugin(seedsDir), crx({ manifest: manifest as ManifestV3Export })],
  build: {
    outDir: process.env.PAPERPEEK_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    // Readable stack traces from users' bug reports; no eval-based source maps.
    sourcemap: false,
    target: 'es2022',
  },
});
