/**
 * Digest import from the options page (issue 7 §1), in real Chromium with the
 * built extension: a synthetic digest of N papers is picked in the file input,
 * previewed, and imported through the UI. Printed per size:
 *
 * - file size; preview ms (read + parse in the worker + the known-papers check);
 *   write ms (chunks sent and stored); index ms (the worker builds the imported
 *   layer: buckets, title keys, related papers, search documents, then swaps
 *   it in); the layer's own build time as the worker measured it;
 * - the longest task on the options page's main thread during it all (long
 *   tasks observed by PerformanceObserver; "< 50" when there was none), which
 *   says whether the page stayed responsive;
 * - the progress stages the page showed;
 * - a scan of the imported titles afterwards (they are found).
 *
 *   npx tsx scripts/bench-import.ts [--sizes 1000,10000] [--dist dist]
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchExtension, openExtensionPage, sendFrom, waitFor } from '../tests/e2e/harness';
import { formatTable } from './bench-format';
import { generatePapers, writeDigestFiles } from './synthetic-digest';
import { normalizeTitle } from '../src/shared/normalize';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, '.tmp', 'bench-import');

export async function benchImport(opts: { distDir: string; sizes: number[] }): Promise<string> {
  mkdirSync(WORK, { recursive: true });
  const rows: string[][] = [];
  for (const size of opts.sizes) {
    const dir = join(WORK, `digest-${size}`);
    rmSync(dir, { recursive: true, force: true });
    const file = writeDigestFiles(dir, size, { seed: 7, date: 'Mar 20' });
    const session = await launchExtension({ distDir: opts.distDir });
    try {
      const page = await openExtensionPage(session, 'src/options/index.html');
      await page.getByRole('heading', { name: 'Digests', exact: true }).waitFor();
      await page.evaluate(() => {
        const state = { longest: 0, stages: [] as string[] };
        (globalThis as unknown as { __bench: typeof state }).__bench = state;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) state.longest = Math.max(state.longest, entry.duration);
        }).observe({ type: 'longtask', buffered: false });
        new MutationObserver(() => {
          const text = document.querySelector('[data-testid="import-progress"] span')?.textContent?.replace(/\d[\d,]*/g, 'N').replace(/ N%/, '') ?? '';
          if (text && state.stages.at(-1) !== text) state.stages.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const started = performance.now();
      await page.locator('input[type=file][accept=".txt,text/plain"]').setInputFiles(file);
      await page.getByTestId('import-preview').waitFor({ timeout: 120_000 });
      const previewMs = performance.now() - started;
      const writeStarted = performance.now();
      await page.getByRole('button', { name: /^Import [\d,]+ new papers?$/ }).click();
      let indexStarted = Number.NaN;
      await waitFor(
        async () => {
          // Read without waiting: the progress line is gone once the import is done.
          const { progress, done } = await page.evaluate(() => ({
            progress: document.querySelector('[data-testid="import-progress"]')?.textContent ?? '',
            done: document.querySelector('[data-testid="import-done"]') !== null,
          }));
          if (Number.isNaN(indexStarted) && /Indexing/.test(progress)) indexStarted = performance.now();
          return done;
        },
        'the import to finish',
        300_000,
      );
      const done = performance.now();
      const writeMs = (Number.isNaN(indexStarted) ? done : indexStarted) - writeStarted;
      const indexMs = Number.isNaN(indexStarted) ? Number.NaN : done - indexStarted;
      const bench = await page.evaluate(() => (globalThis as unknown as { __bench: { longest: number; stages: string[] } }).__bench);
      const layer = await session.worker.evaluate(
        () =>
          new Promise<{ buildMs: number; count: number; relatedScope: string }>((resolveLayer, reject) => {
            const open = indexedDB.open('paperpeek');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const request = open.result.transaction('meta').objectStore('meta').get('importedLayer');
              request.onsuccess = () => resolveLayer((request.result as { value: { buildMs: number; count: number; relatedScope: string } }).value);
            };
          }),
      );
      const titles = generatePapers(size, { seed: 7 }).slice(0, 200).map((p) => p.title);
      const scan = await sendFrom(page, 'scan', { texts: titles.map((t) => normalizeTitle(t)), joins: [], cuts: [] });
      const found = new Set(((scan.value?.hits as { unit: number }[]) ?? []).map((h) => h.unit)).size;
      rows.push([
        String(size),
        `${(statSync(file).size / 1e6).toFixed(1)}`,
        previewMs.toFixed(0),
        writeMs.toFixed(0),
        indexMs.toFixed(0),
        `${layer.buildMs} (${layer.relatedScope})`,
        bench.longest === 0 ? '< 50' : bench.longest.toFixed(0),
        `${found}/${titles.length}`,
        bench.stages.join(' → '),
      ]);
    } finally {
      await session.close();
    }
  }
  return formatTable(
    ['papers', 'MB', 'preview ms', 'write ms', 'index ms', 'layer build ms (related)', 'longest page task ms', 'titles found', 'progress shown'],
    rows,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, dist: { type: 'string' } } });
  const sizes = (values.sizes ?? '1000,10000').split(',').map(Number);
  console.log('Digest import from the options page (real Chromium, synthetic digests)');
  console.log(await benchImport({ distDir: resolve(ROOT, values.dist ?? 'dist'), sizes }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
