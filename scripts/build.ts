/**
 * `npm run build`: builds the Chrome extension into dist/ (Vite + crxjs, with the
 * digest parsed from seeds/), derives the Firefox build in dist-firefox/, and
 * zips both into artifacts/ for the stores.
 *
 * Options (used by tests and benchmarks): --seeds DIR (another digest folder),
 * --out DIR (Chrome output; Firefox goes to DIR-firefox), --no-zip.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import { build } from 'vite';
import { CARD_MODULE_PATH, EXACT_MODULE_PATH, OPTIONS_PAGE_PATH, OWN_PAGES, POPUP_PAGE_PATH } from '../vite.config';

const ROOT = resolve(import.meta.dirname, '..');
/** A stable add-on id: Firefox keys storage (and so the reading list) by it. */
export const GECKO_ID = 'paperpeek@paperpeek.dev';

interface ChromeManifest {
  version: string;
  background: { service_worker: string; type?: string };
  [key: string]: unknown;
}

/** Firefox runs MV3 backgrounds as event pages (`background.scripts`), not service workers. */
export function firefoxManifest(chrome: ChromeManifest): Record<string, unknown> {
  const { background, minimum_chrome_version: _minChrome, externally_connectable: _external, ...rest } = chrome;
  return {
    ...rest,
    background: { scripts: [background.service_worker], type: background.type ?? 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '142.0',
        // PaperPeek sends nothing anywhere; Firefox asks add-ons to declare it.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}

function zipDirectory(dir: string, target: string): void {
  const files: Record<string, Uint8Array> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split('\\').join('/')] = readFileSync(path);
    }
  };
  walk(dir);
  // Fixed timestamps keep the zip byte-identical for identical inputs.
  writeFileSync(target, zipSync(files, { level: 9, mtime: new Date('2024-01-01T00:00:00Z') }));
}

/**
 * The content script imports the hover card module on first hover, and its
 * exact half once there is a place to read, which needs both listed as
 * web-accessible resources. `use_dynamic_url` gives them a URL that changes per
 * session, so pages cannot probe for the extension through it. Added here
 * rather than in manifest.json because crxjs would try to bundle the paths as
 * source files; the modules are built by the second and third Vite passes.
 */
function exposePackagedModules(manifest: BuiltManifest): void {
  const resources = (manifest.web_accessible_resources as unknown[] | undefined) ?? [];
  resources.push({ resources: [CARD_MODULE_PATH, EXACT_MODULE_PATH], matches: manifest.content_scripts[0]?.matches ?? [], use_dynamic_url: true });
  manifest.web_accessible_resources = resources;
}

/**
 * The popup and the options page are built by passes of their own
 * (vite.config.ts, OWN_PAGES), each one module sharing nothing with the other
 * pages, so manifest.json leaves `action.default_popup` and `options_ui.page`
 * out: crxjs would bundle the pages together. They are named here.
 */
function nameOwnPages(manifest: BuiltManifest): void {
  const action = (manifest.action as Record<string, unknown> | undefined) ?? {};
  const options = (manifest.options_ui as Record<string, unknown> | undefined) ?? {};
  if ('default_popup' in action) throw new Error('manifest.json names a default_popup: the popup pass builds it, leave it out');
  if ('page' in options) throw new Error('manifest.json names options_ui.page: the options pass builds it, leave it out');
  manifest.action = { ...action, default_popup: POPUP_PAGE_PATH };
  manifest.options_ui = { ...options, page: OPTIONS_PAGE_PATH };
}

type BuiltManifest = Record<string, unknown> & { content_scripts: { matches: string[] }[] };

/** Adds to the built manifest what crxjs must not see (see the two functions above). */
function completeManifest(outDir: string): void {
  const path = join(outDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as BuiltManifest;
  exposePackagedModules(manifest);
  nameOwnPages(manifest);
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seeds: { type: 'string' }, out: { type: 'string' }, 'no-zip': { type: 'boolean' } },
  });
  const outDir = resolve(ROOT, values.out ?? 'dist');
  const firefoxDir = `${outDir}-firefox`;
  if (values.seeds) process.env.PAPERPEEK_SEEDS_DIR = resolve(values.seeds);
  process.env.PAPERPEEK_OUT_DIR = outDir;
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';

  try {
    await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
    for (const pass of ['card', 'exact', ...Object.keys(OWN_PAGES).map((page) => `page:${page}`)]) {
      process.env.PAPERPEEK_BUILD = pass;
      await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
    }
    delete process.env.PAPERPEEK_BUILD;
    completeManifest(outDir);
  } catch (error) {
    // The digest plugin's message already says file:line: what is wrong.
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }

  rmSync(firefoxDir, { recursive: true, force: true });
  cpSync(outDir, firefoxDir, { recursive: true });
  const chrome = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as ChromeManifest;
  writeFileSync(join(firefoxDir, 'manifest.json'), `${JSON.stringify(firefoxManifest(chrome), null, 2)}\n`);

  if (!values['no-zip']) {
    const artifacts = join(ROOT, 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    zipDirectory(outDir, join(artifacts, `paperpeek-chrome-${chrome.version}.zip`));
    zipDirectory(firefoxDir, join(artifacts, `paperpeek-firefox-${chrome.version}.zip`));
  }
  console.log(`Chrome:  ${relative(ROOT, outDir)}/ (chrome://extensions > Load unpacked)`);
  console.log(`Firefox: ${relative(ROOT, firefoxDir)}/ (about:debugging > Load Temporary Add-on > manifest.json)`);
}

await main();
