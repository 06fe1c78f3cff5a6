import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import { digestPlugin } from './scripts/vite-digest-plugin';
import { DEFAULT_SEEDS_DIR } from './scripts/digest-files';
import { META_PATH } from './src/shared/search-postings';

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

/** Where the popup's page lands: the path the manifest's action names (added by scripts/build.ts). */
export const POPUP_PAGE_PATH = 'src/popup/index.html';

/**
 * The popup's page, shaped for opening fast. Every packaged file the popup
 * reads costs a request to the browser process (10-40 ms to the first byte on
 * this machine, more under load), so:
 * - its stylesheet goes into the HTML as a `<style>` element (it blocks the
 *   first paint; extension CSP limits scripts, not styles);
 * - the search vocabulary, which "interactive" waits for, is preloaded by the
 *   page, in parallel with the module instead of after it has run.
 */
function popupPage(): Plugin {
  return {
    name: 'paperpeek-popup-page',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      // crossorigin="" (anonymous) is what fetch() of a same-origin URL sends, so the module's read reuses it.
      handler: () => [{ tag: 'link', attrs: { rel: 'preload', href: `/${META_PATH}`, as: 'fetch', crossorigin: '' }, injectTo: 'head-prepend' }],
    },
    generateBundle(_options, bundle) {
      const page = bundle[POPUP_PAGE_PATH];
      if (page?.type !== 'asset' || typeof page.source !== 'string') throw new Error(`popup pass: no ${POPUP_PAGE_PATH} in the bundle`);
      let html = page.source;
      const links = [...html.matchAll(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g)];
      if (links.length !== 1) throw new Error(`popup pass: expected one stylesheet link in ${POPUP_PAGE_PATH}, found ${links.length}`);
      for (const [tag, fileName] of links) {
        const sheet = bundle[fileName as string];
        if (sheet?.type !== 'asset') throw new Error(`popup pass: ${fileName} is not in the bundle`);
        const css = typeof sheet.source === 'string' ? sheet.source : new TextDecoder().decode(sheet.source);
        // A function replacement: CSS may hold `$&`-like sequences a string replacement would expand.
        html = html.replace(tag, () => `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`);
        delete bundle[fileName as string];
      }
      page.source = html;
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
  if (process.env.PAPERPEEK_BUILD === 'popup') {
    // The popup as one module and one page of its own, nothing shared with the
    // other pages: opening it then reads two files (its page and its module)
    // instead of seven, which halved its own time to interactive (README, Popup).
    return {
      plugins: [popupPage()],
      resolve: { alias: [{ find: /^flexsearch$/, replacement: FLEXSEARCH_BROWSER_BUILD }] },
      build: {
        outDir,
        emptyOutDir: false,
        sourcemap: false,
        minify,
        target: 'es2022',
        assetsDir: 'popup',
        // Native modulepreload is in every browser we support; no polyfill in the module.
        modulePreload: { polyfill: false },
        rollupOptions: { input: resolve(POPUP_PAGE_PATH) },
      },
    };
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
