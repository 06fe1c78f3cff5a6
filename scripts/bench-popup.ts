/**
 * Popup figures in real Chromium (issue 5 §7), for one built extension:
 * - size of the packaged search index (digest/search/), and how much of it the
 *   popup reads when it opens (the vocabulary);
 * - time from opening the popup page to first paint, to interactive (the
 *   search index opened: `paperpeek-search-ready` user-timing mark) and to warm
 *   (the paper list and title postings read in the background:
 *   `paperpeek-search-warm`), median of several openings;
 * - keystroke-to-results latency, median and p95: a query typed one character
 *   at a time, timed from the input event until the results for that text are
 *   committed to the DOM (at least a macrotask later, a message rather than a
 *   timer, which Chromium would hold 4 ms once nested; when the query needs index
 *   shards not read yet, until they are read and the results shown; paint
 *   excluded). Typing starts as soon as the popup is interactive, while it warms
 *   up; the first keystroke is also shown alone (it pays for the first shards);
 *   then the same typing in a fresh popup that has warmed up;
 * - the popup's JS heap once the index is opened, and after the typing.
 *
 * The popup is opened as a page in a tab (Playwright cannot click the toolbar
 * button), and then as the real popup: `chrome.action.openPopup()` from an
 * extension page, which opens it as a click on the toolbar button does, the
 * figures read from the popup's own window (`chrome.extension.getViews`).
 * Chromium shows a popup only once its page has loaded, so there first paint
 * comes after the load event.
 *
 * What opening any page costs here is measured beside it: a blank extension
 * page (one line of text, no script) added to a copy of the build is opened
 * the same way, between the popup's openings. Its first paint is the floor no
 * popup can go under on this machine; *the popup's own time* is the popup's
 * interactive minus the blank page's first paint, opening by opening.
 *
 *   npx tsx scripts/bench-popup.ts                 (uses dist/, run npm run build first)
 *   npx tsx scripts/bench-popup.ts --sizes 10000,100000   (also builds synthetic digests)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchExtension, openExtensionPage } from '../tests/e2e/harness';
import { formatTable, median } from './bench-format';
import { writeDigestFiles } from './synthetic-digest';
import { META_PATH, SEARCH_DIR } from '../src/shared/search-postings';

const ROOT = resolve(import.meta.dirname, '..');
const OPENINGS = 7;
/** The blank page added to the copy of the build (never shipped). */
const BLANK_PAGE = 'bench-blank.html';
const BLANK_HTML = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body><p>PaperPeek</p></body></html>';
const QUERIES = ['contnual lerning', 'in-context', 'transformer attention', 'neural netw', 'graph'];

/** What a real popup opening measured: its performance entries, against the time openPopup() was called. */
interface PopupOpening {
  /** From the openPopup() call to the popup page's navigation start: the browser's own part. */
  browser: number;
  paint: number;
  ready: number;
}

/**
 * Opens the toolbar popup (`popup`, a path in the extension) from the extension
 * page `from`, as a click would, and reads its timings once it has painted
 * (and, for PaperPeek's popup, opened its index); then closes it.
 */
async function openRealPopup(from: Page, popup: string, waitForReady: boolean): Promise<PopupOpening> {
  return from.evaluate(
    async ([path, ready]) => {
      type PopupWindow = Window & typeof globalThis;
      const api = (globalThis as unknown as {
        chrome: { action: { setPopup(o: { popup: string }): Promise<void>; openPopup(): Promise<void> }; extension: { getViews(o: { type: string }): PopupWindow[] } };
      }).chrome;
      await api.action.setPopup({ popup: path });
      const called = performance.timeOrigin + performance.now();
      await api.action.openPopup();
      const deadline = performance.now() + 60_000;
      for (;;) {
        const view = api.extension.getViews({ type: 'popup' })[0];
        const timing = view?.performance;
        const paint = timing?.getEntriesByName('first-contentful-paint')[0];
        const shown = timing?.getEntriesByName('paperpeek-search-ready')[0];
        if (view && timing && paint && (!ready || shown)) {
          const opening = { browser: timing.timeOrigin - called, paint: paint.startTime, ready: shown?.startTime ?? Number.NaN };
          view.close();
          return opening;
        }
        if (performance.now() > deadline) throw new Error(`the popup ${path} did not paint within 60 s`);
        await new Promise((next) => setTimeout(next, 20));
      }
    },
    [popup, waitForReady] as const,
  );
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

const TYPED = QUERIES.flatMap((q) => [...q].map((_, n) => q.slice(0, n + 1)));
const slowest = (times: number[]) =>
  times
    .map((t, i) => [t, TYPED[i]] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 4)
    .map(([t, text]) => `"${text}" ${t.toFixed(0)}`)
    .join(', ');

const waitWarm = (page: Page) =>
  page.waitForFunction(() => performance.getEntriesByName('paperpeek-search-warm').length > 0, undefined, { timeout: 600_000 });

/** Types QUERIES one character at a time; each keystroke timed until the panel shows results for that text. */
async function typeQueries(page: Page): Promise<{ times: number[]; complete: number[]; search: number[]; heap: number; shards: number }> {
  return page.evaluate(async (queries) => {
    const box = document.querySelector<HTMLInputElement>('input[role="combobox"]');
    const panel = document.querySelector('section[aria-label="Search"]');
    if (!box || !panel) throw new Error('no search box');
    const times: number[] = [];
    const complete: number[] = [];
    for (const query of queries) {
      for (let n = 1; n <= query.length; n++) {
        const text = query.slice(0, n);
        const start = performance.now();
        box.value = text;
        box.dispatchEvent(new InputEvent('input', { bubbles: true }));
        // A macrotask later, through a message rather than setTimeout: this loop's timers
        // would nest, and Chromium holds a timer nested five deep for at least 4 ms.
        await new Promise((done) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = done;
          channel.port2.postMessage(null);
        });
        // Then until the panel shows results for this text (data-results-for: the
        // title matches may come first), and until it shows the full list (data-complete-for).
        // (No named functions in here: the page would not know tsx's helpers.)
        for (const [attribute, into] of [['data-results-for', times], ['data-complete-for', complete]] as const) {
          await new Promise<void>((done, fail) => {
            if (panel.getAttribute(attribute) === text) return done();
            const timer = setTimeout(() => fail(new Error(`no ${attribute} ${text}`)), 60_000);
            new MutationObserver((_, observer) => {
              if (panel.getAttribute(attribute) !== text) return;
              observer.disconnect();
              clearTimeout(timer);
              done();
            }).observe(panel, { attributes: true, attributeFilter: [attribute] });
          });
          into.push(performance.now() - start);
        }
      }
    }
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    const shards = performance.getEntriesByName('paperpeek-search-read').filter((e) => /\/[at]-\d+\.json\.gz$/.test(String((e as PerformanceMark).detail))).length;
    // The search's own time on keystrokes it answered at once (the panel's paperpeek-search measure).
    const search = performance.getEntriesByName('paperpeek-search').map((e) => e.duration);
    return { times, complete, search, heap: memory?.usedJSHeapSize ?? Number.NaN, shards };
  }, QUERIES);
}

export async function benchPopup(opts: { distDir: string }): Promise<string> {
  const dir = join(opts.distDir, SEARCH_DIR);
  const files = readdirSync(dir);
  const indexBytes = files.reduce((n, name) => n + statSync(join(dir, name)).size, 0);
  const openBytes = statSync(join(opts.distDir, META_PATH)).size;
  const copy = mkdtempSync(join(tmpdir(), 'paperpeek-popup-'));
  cpSync(opts.distDir, copy, { recursive: true });
  writeFileSync(join(copy, BLANK_PAGE), BLANK_HTML);
  const session = await launchExtension({ distDir: copy });
  try {
    // Wait for the worker's digest load, so openings measure the popup only.
    const warm = await openExtensionPage(session);
    await warm.waitForFunction(
      () =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ value?: { loadingProgress: unknown; papers: number } }> } } }).chrome.runtime
          .sendMessage({ method: 'stats', payload: {} })
          .then((r) => r.value?.loadingProgress === null && r.value.papers > 0),
      undefined,
      { timeout: 600_000, polling: 500 },
    );
    await warm.close();

    const paints: number[] = [];
    const interactive: number[] = [];
    const blankPaints: number[] = [];
    const ownTimes: number[] = [];
    const warmed: number[] = [];
    let heapMb = Number.NaN;
    for (let i = 0; i < OPENINGS; i++) {
      const blank = await openExtensionPage(session, BLANK_PAGE);
      await blank.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 60_000 });
      const blankPaint = await blank.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
      blankPaints.push(blankPaint);
      await blank.close();
      const page = await openExtensionPage(session);
      await page.waitForFunction(() => performance.getEntriesByName('paperpeek-search-ready').length > 0, undefined, { timeout: 120_000 });
      const marks = await page.evaluate(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0] ?? performance.getEntriesByName('paperpeek-first-paint')[0];
        const ready = performance.getEntriesByName('paperpeek-search-ready')[0];
        const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
        return { paint: paint?.startTime ?? Number.NaN, ready: ready?.startTime ?? Number.NaN, heap: memory?.usedJSHeapSize ?? Number.NaN };
      });
      paints.push(marks.paint);
      // Interactive: the first paint is there and the index answers queries.
      interactive.push(Math.max(marks.paint, marks.ready));
      ownTimes.push(Math.max(marks.paint, marks.ready) - blankPaint);
      heapMb = marks.heap / 1e6;
      await waitWarm(page);
      warmed.push(await page.evaluate(() => performance.getEntriesByName('paperpeek-search-warm')[0]?.startTime ?? Number.NaN));
      await page.close();
    }
    // The real popup, alternating with a blank popup page (its floor).
    const opener = await openExtensionPage(session, BLANK_PAGE);
    const popupPath = (JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8')) as { action: { default_popup: string } }).action.default_popup;
    const realBrowser: number[] = [];
    const realPaints: number[] = [];
    const realInteractive: number[] = [];
    const realBlankPaints: number[] = [];
    const realOwnTimes: number[] = [];
    for (let i = 0; i < OPENINGS; i++) {
      const blank = await openRealPopup(opener, BLANK_PAGE, false);
      const popup = await openRealPopup(opener, popupPath, true);
      realBrowser.push(popup.browser);
      realPaints.push(popup.paint);
      realInteractive.push(Math.max(popup.paint, popup.ready));
      realBlankPaints.push(blank.paint);
      realOwnTimes.push(Math.max(popup.paint, popup.ready) - blank.paint);
    }
    await opener.close();
    // Typing as soon as the popup is interactive (it warms up meanwhile), then in a popup already warm.
    const atOnce = await openExtensionPage(session);
    await atOnce.waitForFunction(() => performance.getEntriesByName('paperpeek-search-ready').length > 0, undefined, { timeout: 120_000 });
    const keystrokes = await typeQueries(atOnce);
    await atOnce.close();
    const warmPage = await openExtensionPage(session);
    await waitWarm(warmPage);
    const warmKeystrokes = await typeQueries(warmPage);
    await warmPage.close();
    const rows = [
      ['search index (files)', `${(indexBytes / 1e6).toFixed(2)} MB (${files.length})`, ''],
      ['read on opening', `${(openBytes / 1e6).toFixed(2)} MB`, ''],
      ['open → first paint (median)', ms(median(paints)), ''],
      ['open → interactive (median)', ms(median(interactive)), '≤ 100 ms real digest, ≤ 300 ms at 100k'],
      ['blank extension page → first paint (median)', ms(median(blankPaints)), 'the floor of any page here'],
      ["popup's own time to interactive (median)", ms(median(ownTimes)), 'interactive − blank page, per opening'],
      ['open → warm (median)', ms(median(warmed)), ''],
      ['real popup: openPopup() → its page starts (median)', ms(median(realBrowser)), "the browser's own, before any page"],
      ['real popup: open → first paint (median)', ms(median(realPaints)), 'shown after its load event'],
      ['real popup: open → interactive (median)', ms(median(realInteractive)), '≤ 100 ms real digest, ≤ 300 ms at 100k'],
      ['real blank popup → first paint (median)', ms(median(realBlankPaints)), 'the floor of any popup here'],
      ["real popup's own time to interactive (median)", ms(median(realOwnTimes)), 'interactive − blank popup, per opening'],
      ['first keystroke → results', ms(keystrokes.times[0] ?? Number.NaN), ''],
      ['keystroke → results (median)', ms(median(keystrokes.times)), ''],
      ['keystroke → results (p95)', ms(percentile(keystrokes.times, 95)), '≤ 16 ms at 100k'],
      ['  → the full list, abstract matches in (median / p95)', `${ms(median(keystrokes.complete))} / ${ms(percentile(keystrokes.complete, 95))}`, '≤ 16 ms at 100k (p95)'],
      ['  same, popup warm (median / p95)', `${ms(median(warmKeystrokes.times))} / ${ms(percentile(warmKeystrokes.times, 95))}`, ''],
      ['  → the full list, popup warm (median / p95)', `${ms(median(warmKeystrokes.complete))} / ${ms(percentile(warmKeystrokes.complete, 95))}`, ''],
      ['  of which the search itself (median / p95)', `${ms(median(warmKeystrokes.search))} / ${ms(percentile(warmKeystrokes.search, 95))}`, ''],
      ['JS heap, index opened', `${heapMb.toFixed(1)} MB`, ''],
      ['JS heap, after typing', `${(keystrokes.heap / 1e6).toFixed(1)} MB (${keystrokes.shards} shards read)`, ''],
      ['slowest keystrokes (typing at once)', slowest(keystrokes.times), ''],
      ['slowest keystrokes (popup warm)', slowest(warmKeystrokes.times), ''],
    ];
    return formatTable(['popup', 'value', 'goal'], rows);
  } finally {
    await session.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dist: { type: 'string' }, sizes: { type: 'string' } } });
  const dist = resolve(ROOT, values.dist ?? 'dist');
  if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`no build in ${dist}: run npm run build`);
  console.log(`Popup, real digest (${dist}):\n${await benchPopup({ distDir: dist })}\n`);
  for (const size of (values.sizes ?? '').split(',').filter(Boolean).map(Number)) {
    const work = join(ROOT, '.tmp', 'bench-popup');
    const seeds = join(work, `seeds-${size}`);
    const out = join(work, `dist-${size}`);
    mkdirSync(work, { recursive: true });
    rmSync(seeds, { recursive: true, force: true });
    writeDigestFiles(seeds, size);
    const started = performance.now();
    execFileSync('npx', ['tsx', 'scripts/build.ts', '--seeds', seeds, '--out', out, '--no-zip'], { cwd: ROOT, stdio: 'pipe', maxBuffer: 1 << 28 });
    console.log(`Popup, ${size} synthetic papers (build ${((performance.now() - started) / 1000).toFixed(0)} s):\n${await benchPopup({ distDir: out })}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
