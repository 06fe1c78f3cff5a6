/**
 * Hover-card latency in real Chromium (issue 4 §7): from hover intent firing to
 * the card painted, with a warm worker and right after the worker was stopped.
 *
 * The content script leaves user-timing marks (src/content/hover-intent.ts,
 * TIMING_MARKS): intent fired, data + card module ready, card shown, first frame
 * painted after it. The card deliberately waits until 500 ms after the hover
 * began before showing (DESIGN.md §6), so latency = (ready - intent) +
 * (painted - show): the work the reader would wait for without that floor.
 *
 *   npx tsx scripts/bench-card.ts [--runs 15]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchExtension, startFixtureServer, waitFor } from '../tests/e2e/harness';
import { formatTable, median } from './bench-format';
import { DEFAULT_SEEDS_DIR, bundleDigests, digestFilesIn } from './digest-files';

const ROOT = resolve(import.meta.dirname, '..');
const MARKS = ['paperpeek:intent', 'paperpeek:ready', 'paperpeek:show', 'paperpeek:painted'] as const;

interface Sample {
  latency: number;
  ready: number;
  paint: number;
}

/** Hovers link `index`, waits for the painted mark, and returns this hover's timings. */
async function hoverOnce(page: Page, index: number): Promise<Sample> {
  await page.evaluate(() => performance.clearMarks());
  await page.hover(`#p${index}`);
  const times = await waitFor(
    () =>
      page.evaluate((names) => {
        const at = names.map((name) => performance.getEntriesByName(name, 'mark').at(-1)?.startTime);
        return at.every((t) => t !== undefined) ? (at as number[]) : null;
      }, [...MARKS]),
    'the card to be painted',
  );
  const [intent, ready, show, painted] = times as [number, number, number, number];
  await page.mouse.move(2, 2);
  await page.waitForTimeout(450); // the card hides 300 ms after the pointer left
  return { latency: ready - intent + (painted - show), ready: ready - intent, paint: painted - show };
}

export async function benchCardLatency(options: { distDir: string; runs?: number }): Promise<string> {
  const runs = options.runs ?? 15;
  const papers = bundleDigests(digestFilesIn(DEFAULT_SEEDS_DIR)).papers.slice(0, 20);
  const links = papers.map((p, i) => `<li><a id="p${i}" href="#p${i}">${p.title.replace(/</g, '&lt;')}</a></li>`).join('');
  const server = await startFixtureServer({ '/': `<!doctype html><title>Card latency</title><ul>${links}</ul>` });
  const session = await launchExtension({ distDir: options.distDir });
  try {
    const page = await session.context.newPage();
    await page.goto(server.origin);
    await waitFor(async () => (await page.locator('[data-paperpeek-id]').count()) === papers.length, 'all marks');
    await hoverOnce(page, 0); // loads the card module once, as a first hover on any page does
    const warm: Sample[] = [];
    for (let i = 0; i < runs; i++) warm.push(await hoverOnce(page, 1 + (i % (papers.length - 1))));
    const cold: Sample[] = [];
    for (let i = 0; i < Math.min(runs, 10); i++) {
      await session.stopWorkers();
      cold.push(await hoverOnce(page, 1 + (i % (papers.length - 1))));
    }
    const row = (name: string, samples: Sample[], goal: number) => {
      const latencies = samples.map((s) => s.latency);
      const m = median(latencies);
      return [
        name,
        String(samples.length),
        m.toFixed(1),
        Math.max(...latencies).toFixed(1),
        median(samples.map((s) => s.ready)).toFixed(1),
        median(samples.map((s) => s.paint)).toFixed(1),
        `${m <= goal ? 'yes' : 'NO'} (<= ${goal})`,
      ];
    };
    return [
      'Hover card latency (real Chromium): hover intent fired -> card painted, without the deliberate 500 ms show floor',
      formatTable(
        ['worker', 'hovers', 'median ms', 'max ms', 'data+module ms', 'render+paint ms', 'goal met'],
        [row('warm', warm, 16), row('just stopped', cold, 150)],
      ),
    ].join('\n');
  } finally {
    await session.close();
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, dist: { type: 'string' } } });
  console.log(await benchCardLatency({ distDir: values.dist ? resolve(values.dist) : join(ROOT, 'dist'), runs: Number(values.runs ?? 15) }));
}
