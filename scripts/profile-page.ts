/**
 * Where the content script's page time goes: loads one of the page-cost bench
 * pages (scripts/bench-page.ts) with the extension, samples the page's main
 * thread with V8's CPU profiler through the trace, and prints self time per
 * function, with the engine's own buckets ((garbage collector), (program)) and
 * the rendering passes (style, layout, pre-paint) beside them.
 *
 *   npx tsx scripts/profile-page.ts [--page links-10k] [--runs 3] [--dist dist] [--top 40] [--callers NAME]
 *
 * --callers NAME also lists the time of functions whose name contains NAME under
 * their chain of callers (for native getters and bindings the profile names only).
 *
 * For readable function names build without minifying first:
 *   PAPERPEEK_NO_MINIFY=1 npx tsx scripts/build.ts --out .tmp/dist-profile --no-zip
 *   npx tsx scripts/profile-page.ts --dist .tmp/dist-profile
 *
 * The profiler itself slows the page: use it to see proportions, and
 * bench-page.ts for figures.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchExtension, startFixtureServer } from '../tests/e2e/harness';
import { median } from './bench-format';
import { buildPages, digestTitles, type TraceEvent } from './bench-page';

const ROOT = resolve(import.meta.dirname, '..');

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

function keyOf(node: ProfileNode): string {
  const frame = node.callFrame;
  const where = frame.url ? ` ${frame.url.replace(/^chrome-extension:\/\/[^/]+\//, 'ext:/').replace(/^http:\/\/127\.0\.0\.1:\d+/, 'page:')}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/** Self time per function (ms) from the trace's ProfileChunk events on the page's main thread. */
function selfTimes(events: TraceEvent[], pageUrl: string, callersOf: string | null): Map<string, number> {
  const commit = events.find((e) => e.name === 'CommitLoad' && e.args?.data?.url === pageUrl && e.args.data.isMainFrame === true);
  if (!commit) throw new Error(`no CommitLoad of ${pageUrl}`);
  const nodes = new Map<string, ProfileNode>();
  const times = new Map<string, number>();
  const profiles = new Set(events.filter((e) => e.name === 'Profile' && e.pid === commit.pid && e.tid === commit.tid).map((e) => e.id));
  for (const event of events) {
    if (event.name !== 'ProfileChunk' || event.pid !== commit.pid || !profiles.has(event.id)) continue;
    const data = event.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[]; lines?: number[] } | undefined;
    for (const node of data?.cpuProfile?.nodes ?? []) nodes.set(`${event.id}:${node.id}`, node);
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    samples.forEach((sample, i) => {
      const node = nodes.get(`${event.id}:${sample}`);
      if (!node) return;
      const key = keyOf(node);
      // A sample's delta is the time since the previous one: charge it to this sample.
      times.set(key, (times.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
      const line = data?.lines?.[i];
      if (callersOf && line !== undefined && key.includes(callersOf)) {
        // The same time again by the source line the sample was in (what in a function costs).
        const entry = `  ${key.split(' ')[0]} line ${line}`;
        times.set(entry, (times.get(entry) ?? 0) + (deltas[i] ?? 0) / 1000);
      }
      if (callersOf && key.includes(callersOf)) {
        // --callers: the same time again under the chain of callers, to tell who runs a native getter.
        const chain: string[] = [];
        for (let up = nodes.get(`${event.id}:${node.parent}`); up && chain.length < 4; up = nodes.get(`${event.id}:${up.parent}`)) chain.push(keyOf(up));
        const entry = `  ${key} <- ${chain.join(' <- ') || '(root)'}`;
        times.set(entry, (times.get(entry) ?? 0) + (deltas[i] ?? 0) / 1000);
      }
    });
  }
  // Rendering passes, which the profiler files under (program).
  for (const event of events) {
    if (event.pid !== commit.pid || event.tid !== commit.tid || event.ph !== 'X') continue;
    if (['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'ParseHTML'].includes(event.name)) {
      const key = `[${event.name}]`;
      times.set(key, (times.get(key) ?? 0) + (event.tdur ?? event.dur ?? 0) / 1000);
    }
  }
  return times;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { page: { type: 'string' }, runs: { type: 'string' }, dist: { type: 'string' }, top: { type: 'string' }, callers: { type: 'string' } },
  });
  const runs = Number(values.runs ?? 3);
  const top = Number(values.top ?? 40);
  const pages = buildPages(digestTitles());
  const wanted = values.page ?? 'links-10k';
  const page = pages.find((p) => p.path === `/${wanted}`);
  if (!page) throw new Error(`--page takes one of ${pages.map((p) => p.path.slice(1)).join(', ')}`);
  const distCopy = mkdtempSync(join(tmpdir(), 'paperpeek-profile-dist-'));
  cpSync(resolve(values.dist ?? join(ROOT, 'dist')), distCopy, { recursive: true });
  const server = await startFixtureServer({ [page.path]: page.html });
  const session = await launchExtension({ distDir: distCopy });
  try {
    const url = server.origin + page.path;
    // Warm up: the worker loads its digest on first install.
    const warm = await session.context.newPage();
    await warm.goto(url);
    await warm.waitForTimeout(3000);
    await warm.close();
    const perRun: Map<string, number>[] = [];
    for (let run = 0; run < runs; run++) {
      const tab = await session.context.newPage();
      const cdp = await session.context.newCDPSession(tab);
      const events: TraceEvent[] = [];
      cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
      await cdp.send('Tracing.start', {
        traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-v8.cpu_profiler', 'v8.execute', '__metadata'] },
        transferMode: 'ReportEvents',
      });
      await tab.goto(url, { waitUntil: 'load' });
      await tab.waitForTimeout(4000);
      const done = new Promise((resolveDone) => cdp.once('Tracing.tracingComplete', resolveDone));
      await cdp.send('Tracing.end');
      await done;
      perRun.push(selfTimes(events, url, values.callers ?? null));
      await tab.close();
    }
    const keys = new Set(perRun.flatMap((times) => [...times.keys()]));
    const rows = [...keys]
      .map((key) => ({ key, ms: median(perRun.map((times) => times.get(key) ?? 0)) }))
      .sort((a, b) => b.ms - a.ms);
    const ours = rows.filter((row) => row.key.includes('ext:/')).reduce((sum, row) => sum + row.ms, 0);
    console.log(`${page.name}: ${runs} loads, median self ms per function; content-script functions total ${ours.toFixed(1)} ms`);
    for (const row of rows.slice(0, top)) console.log(`${row.ms.toFixed(1).padStart(8)}  ${row.key}`);
  } finally {
    await session.close();
    await server.close();
    rmSync(distCopy, { recursive: true, force: true });
  }
}

await main();
