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

/** What every later pass shares: it adds to the main pass's output, unminified only for profiles. */
const laterPass = { outDir, emptyOutDir: false, sourcemap: false, minify, target: 'es2022' } as const;

/** A build pass that writes one entry as a single ES module at `fileName` inside the extension. */
function ownModule(entry: string, fileName: string) {
  return { build: { ...laterPass, lib: { entry: resolve(entry), formats: ['es' as const], fileName: () => fileName } } };
}

/**
 * The extension's own pages, each built by a pass of its own (scripts/build.ts)
 * as one page and one module that share nothing with the others. Every packaged
 * file a page reads costs a request to the browser process (10-40 ms to the
 * first byte on this machine, more under load): the popup read seven before it
 * could answer a query, five modules and a stylesheet, then the vocabulary once
 * they had run (README, Popup). The manifest's
 * `action.default_popup` and `options_ui.page` name two of them; crxjs must
 * not see those keys (it would bundle the pages together), so scripts/build.ts
 * adds them to the built manifest.
 */
export const OWN_PAGES = {
  popup: { html: 'src/popup/index.html', assets: 'popup', preload: [META_PATH], asPage: 'src/popup/page.html' },
  paper: { html: 'src/paper/index.html', assets: 'paper', preload: [] },
  options: { html: 'src/options/index.html', assets: 'options', preload: [] },
} as const satisfies Record<string, { html: string; assets: string; preload: readonly string[]; asPage?: string }>;
export type OwnPage = keyof typeof OWN_PAGES;
export const POPUP_PAGE_PATH = OWN_PAGES.popup.html;
export const OPTIONS_PAGE_PATH = OWN_PAGES.options.html;
/** The popup laid out as a page in a tab ("Find in PaperPeek" when no popup can open). */
export const POPUP_AS_PAGE_PATH = OWN_PAGES.popup.asPage;

/**
 * One of OWN_PAGES, shaped for opening fast:
 * - its stylesheet goes into the HTML as a `<style>` element (it blocks the
 *   first paint; extension CSP limits scripts, not styles);
 * - what the page reads first thing (the popup: the search vocabulary, which
 *   "interactive" waits for) is preloaded, in parallel with the module
 *   instead of after it has run;
 * - `asPage`: a copy of the page whose root has the `as-page` class, for opening
 *   it in a tab, so that its first frame already has the page layout (a
 *   class the module added, or a `:target` from the address, would only
 *   apply once the module has run: the layout jumped then).
 */
function ownPage(name: OwnPage): Plugin {
  const { html: path, preload } = OWN_PAGES[name];
  const entry: { html: string; asPage?: string } = OWN_PAGES[name];
  const asPage = entry.asPage ?? null;
  return {
    name: 'paperpeek-own-page',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      // crossorigin="" (anonymous) is what fetch() of a same-origin URL sends, so the module's read reuses it.
      handler: () => preload.map((href) => ({ tag: 'link', attrs: { rel: 'preload', href: `/${href}`, as: 'fetch', crossorigin: '' }, injectTo: 'head-prepend' as const })),
    },
    generateBundle(_options, bundle) {
      const page = bundle[path];
      if (page?.type !== 'asset' || typeof page.source !== 'string') throw new Error(`${name} pass: no ${path} in the bundle`);
      let html = page.source;
      const links = [...html.matchAll(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g)];
      if (links.length !== 1) throw new Error(`${name} pass: expected one stylesheet link in ${path}, found ${links.length}`);
      for (const [tag, fileName] of links) {
        const sheet = bundle[fileName as string];
        if (sheet?.type !== 'asset') throw new Error(`${name} pass: ${fileName} is not in the bundle`);
        const css = typeof sheet.source === 'string' ? sheet.source : new TextDecoder().decode(sheet.source);
        // A function replacement: CSS may hold `$&`-like sequences a string replacement would expand.
        html = html.replace(tag, () => `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`);
        delete bundle[fileName as string];
      }
      // The static first frame (the popup's) is written readably; the module renders without whitespace between elements.
      page.source = html.replace(/<!--[\s\S]*?-->/g, '').replace(/>\s+</g, '><');
      if (asPage) {
        const root = '<html lang="en">';
        if (!page.source.includes(root)) throw new Error(`${name} pass: ${path} does not start with ${root}`);
        this.emitFile({ type: 'asset', fileName: asPage, source: page.source.replace(root, '<html lang="en" class="as-page">') });
      }
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
  const page = process.env.PAPERPEEK_BUILD?.match(/^page:(\w+)$/)?.[1];
  if (page) {
    if (!(page in OWN_PAGES)) throw new Error(`no own page ${page}: one of ${Object.keys(OWN_PAGES).join(', ')}`);
    const { html, assets } = OWN_PAGES[page as OwnPage];
    return {
      plugins: [ownPage(page as OwnPage)],
      resolve: { alias: [{ find: /^flexsearch$/, replacement: FLEXSEARCH_BROWSER_BUILD }] },
      build: {
        ...laterPass,
        assetsDir: assets,
        // Native modulepreload is in every browser we support; no polyfill in the module.
        modulePreload: { polyfill: false },
        rollupOptions: { input: resolve(html) },
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
    },
  };
});
