/**
 * `npm run bench`: prints figures, asserts nothing. Timings on a shared 2-core
 * machine are noisy, so each figure is a median or is reported with the goal next
 * to it rather than failing a test.
 *
 * 1. Digest parse time for 1k, 10k and 100k synthetic papers (Node).
 * 2. IndexedDB load time in real Chromium: the extension is built with a synthetic
 *    digest of N papers, loaded, and timed until the worker reports the digest
 *    loaded; meanwhile an extension page sends `stats` every 50 ms to show the
 *    worker keeps answering during the load. Then the time of a `scan` of 200
 *    candidate texts, on the real digest and on each synthetic one.
 *
 * 3. Page cost in real Chromium with and without the extension (scripts/bench-page.ts).
 * 4. Hover-card latency, warm and right after the worker stopped (scripts/bench-card.ts).
 * 5. Popup: open to first paint and interactive, keystroke latency, memory (scripts/bench-popup.ts).
 * 6. Related papers: compute time, memory and read time (scripts/bench-related.ts).
 * 7. Digest import through the options page: preview, write and index times, the page's longest task (scripts/bench-import.ts).
 *
 *   npm run bench                 (builds first)
 *   npx tsx scripts/bench.ts [--sizes 1000,10000,100000] [--only parse,load,page,card,popup,related,import]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchExtension, openExtensionPage, sendFrom, waitFor } from '../tests/e2e/harness';
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn } from './digest-files';
import { tokenize } from '../src/shared/tokenize';
import { benchParse, formatParseTable } from './bench-parse';
import { benchPageCost } from './bench-page';
import { benchCardLatency } from './bench-card';
import { benchPopup } from './bench-popup';
import { benchRelated } from './bench-related';
import { benchImport } from './bench-import';
import { formatTable, median } from './bench-format';
import { generatePapers, writeDigestFiles } from './synthetic-digest';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, '.tmp', 'bench');
const LOAD_GOAL_MS = 10_000;

interface LoadRow {
  papers: number;
  /** Worker-side: read + JSON parse + IndexedDB writes (meta.loadMs). */
  loadMs: number;
  /** Of loadMs, waiting for packaged files (meta.readWaitMs); the rest is IndexedDB writes. */
  readWaitMs: number;
  /** From browser launch until an extension page sees the digest loaded. */
  launchToReadyMs: number;
  /** `stats` replies received while the load was running, and their latency. */
  answeredDuringLoad: number;
  medianReplyMs: number;
  maxReplyMs: number;
  /** Median time for an extension page's scan of 200 candidates (100 citing a paper, 100 not), loaded digest. */
  scanMs: number;
}

const SCAN_CANDIDATES = 200;

/** Normalised like the content script does (these texts carry no hyphenation or ellipsis markers). */
const unitOf = (text: string) => tokenize(text).words.join(' ');

/**
 * Median time for one scan request of SCAN_CANDIDATES candidate texts as a page
 * sends them: half cite a digest paper inside a reference-like line, half are
 * link texts that cite nothing. Checks every cited paper was found.
 */
async function medianScanMs(page: Page, titles: readonly string[]): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < 21; round++) {
    const cited = Array.from({ length: SCAN_CANDIDATES / 2 }, (_, i) => titles[(round * 7919 + i * 104_729) % titles.length] as string);
    const texts = [
      ...cited.map((title, i) => unitOf(`Author, A., & Author, B. (20${10 + (i % 15)}). ${title}. In Proceedings.`)),
      ...Array.from({ length: SCAN_CANDIDATES / 2 }, (_, i) => unitOf(`An unrelated link text number ${round} ${i} about nothing`)),
    ];
    const sentAt = performance.now();
    const reply = await sendFrom(page, 'scan', { texts, joins: [], cuts: [] });
    times.push(performance.now() - sentAt);
    const hits = (reply.value?.hits as { unit: number }[] | undefined) ?? [];
    const found = new Set(hits.map((hit) => hit.unit)).size;
    if (found < cited.length) throw new Error(`scan found titles in ${found} of ${cited.length} citing candidates`);
  }
  return median(times);
}

/** The real bundled digest (dist/): scan latency per request and per candidate. */
async function benchScanRealDigest(): Promise<LoadRow> {
  const session = await launchExtension();
  try {
    const page = await openExtensionPage(session);
    const titles = bundleDigests(digestFilesIn(DEFAULT_SEEDS_DIR)).papers.map((p) => p.title);
    await waitFor(async () => ((await sendFrom(page, 'stats', {})).value as { loadingProgress: number | null } | undefined)?.loadingProgress === null, 'the real digest to load');
    const scanMs = await medianScanMs(page, titles);
    return { papers: titles.length, loadMs: Number.NaN, readWaitMs: Number.NaN, launchToReadyMs: Number.NaN, answeredDuringLoad: 0, medianReplyMs: Number.NaN, maxReplyMs: Number.NaN, scanMs };
  } finally {
    await session.close();
  }
}

async function benchLoad(count: number): Promise<LoadRow> {
  const seeds = join(WORK, `seeds-${count}`);
  const dist = join(WORK, `dist-${count}`);
  rmSync(seeds, { recursive: true, force: true });
  writeDigestFiles(seeds, count);
  execFileSync('npx', ['tsx', 'scripts/build.ts', '--seeds', seeds, '--out', dist, '--no-zip'], { cwd: ROOT, stdio: 'pipe' });

  const launchedAt = performance.now();
  const session = await launchExtension({ distDir: dist });
  try {
    const page = await openExtensionPage(session);
    const latencies: number[] = [];
    let answeredDuringLoad = 0;
    for (;;) {
      const sentAt = performance.now();
      const reply = await sendFrom(page, 'stats', {});
      const latency = performance.now() - sentAt;
      const value = reply.value as { papers: number; loadingProgress: number | null; digestVersion: string } | undefined;
      if (value && value.loadingProgress === null && value.papers === count && value.digestVersion) break;
      if (value && value.loadingProgress !== null) {
        answeredDuringLoad++;
        latencies.push(latency);
      }
      if (performance.now() - launchedAt > 300_000) throw new Error(`load of ${count} papers did not finish in 5 min`);
      await new Promise((done) => setTimeout(done, 50));
    }
    const launchToReadyMs = performance.now() - launchedAt;
    const scanMs = await medianScanMs(page, generatePapers(count).map((p) => p.title));
    const { loadMs, readWaitMs } = await session.worker.evaluate(
      () =>
        new Promise<{ loadMs: number; readWaitMs: number }>((resolveLoad, reject) => {
          const open = indexedDB.open('paperpeek');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('meta').objectStore('meta').get('bundledDigest');
            request.onsuccess = () => resolveLoad((request.result as { value: { loadMs: number; readWaitMs: number } }).value);
          };
        }),
    );
    return {
      papers: count,
      loadMs,
      readWaitMs,
      launchToReadyMs,
      answeredDuringLoad,
      medianReplyMs: median(latencies),
      maxReplyMs: latencies.length ? Math.max(...latencies) : Number.NaN,
      scanMs,
    };
  } finally {
    await session.close();
  }
}

function formatLoadTable(rows: LoadRow[]): string {
  const header = [
    'papers',
    'load ms (worker)',
    'of which waiting for files ms',
    'launch->ready ms',
    'stats answered mid-load',
    'median reply ms',
    'max reply ms',
    `scan ${SCAN_CANDIDATES} candidates ms`,
    'per candidate us',
    `< ${LOAD_GOAL_MS} ms`,
  ];
  const lines = rows.map((r) => [
    String(r.papers),
    Number.isNaN(r.loadMs) ? '-' : r.loadMs.toFixed(0),
    Number.isNaN(r.readWaitMs) ? '-' : r.readWaitMs.toFixed(0),
    Number.isNaN(r.launchToReadyMs) ? '-' : r.launchToReadyMs.toFixed(0),
    String(r.answeredDuringLoad),
    Number.isNaN(r.medianReplyMs) ? '-' : r.medianReplyMs.toFixed(1),
    Number.isNaN(r.maxReplyMs) ? '-' : r.maxReplyMs.toFixed(1),
    r.scanMs.toFixed(1),
    ((r.scanMs * 1000) / SCAN_CANDIDATES).toFixed(0),
    r.papers >= 100_000 ? (r.loadMs < LOAD_GOAL_MS ? 'yes' : 'NO') : '',
  ]);
  return formatTable(header, lines);
}

/** The parts of the bench, in the order they run; `--only load,popup` runs some. */
const PARTS = ['parse', 'load', 'page', 'card', 'popup', 'related', 'import'] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, only: { type: 'string' } } });
  const sizes = (values.sizes ?? '1000,10000,100000').split(',').map(Number);
  const only = new Set(values.only ? values.only.split(',') : PARTS);
  for (const part of only) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only: no part ${part}; the parts are ${PARTS.join(', ')}`);
  mkdirSync(WORK, { recursive: true });
  console.log(`PaperPeek benchmarks, ${new Date().toISOString()}\n`);
  if (only.has('parse')) {
    console.log('Digest parse (Node, synthetic digests; goal: 100k papers < 1000 ms)');
    console.log(formatParseTable(benchParse(sizes)));
  }
  if (only.has('load')) {
    console.log('\nBundled digest load into IndexedDB, and title scans against it (real Chromium; goal: 100k papers < 10000 ms,');
    console.log('worker answering meanwhile; scan cost per candidate should not grow with the digest). First row: the real digest.');
    const rows: LoadRow[] = [await benchScanRealDigest()];
    for (const size of sizes) rows.push(await benchLoad(size));
    console.log(formatLoadTable(rows));
  }
  if (only.has('page')) console.log(`\n${await benchPageCost({ distDir: join(ROOT, 'dist') })}`);
  if (only.has('card')) console.log(`\n${await benchCardLatency({ distDir: join(ROOT, 'dist') })}`);
  if (only.has('popup')) {
    console.log('\nPopup (real Chromium; goals: interactive <= 100 ms on the real digest, <= 300 ms and keystroke p95 <= 16 ms at 100k)');
    // The synthetic builds are the load part's: without it, only the real digest.
    const builds = only.has('load') ? sizes.map((size) => join(WORK, `dist-${size}`)) : [];
    for (const distDir of [join(ROOT, 'dist'), ...builds]) console.log(await benchPopup({ distDir }));
  }
  if (only.has('related')) {
    console.log('\nRelated papers (Node, synthetic digests; goal: 100k within minutes, memory linear, one read <= 5 ms)');
    console.log(await benchRelated(sizes));
  }
  if (only.has('import')) {
    console.log('\nDigest import from the options page (real Chromium; the page should stay responsive: no task much over 50 ms)');
    console.log(await benchImport({ distDir: join(ROOT, 'dist'), sizes: [1000, 10000] }));
  }
}

await main();
