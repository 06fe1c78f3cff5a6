/**
 * What sending a page's text to the worker costs the page, apart from
 * PaperPeek: a bare MV3 extension whose content script sends ~850 KB (as the
 * 10k-link bench page sends) in 20 messages, seven times per message shape,
 * and reports the median of the calls' synchronous time (what blocks the page)
 * and of the whole round trip.
 *
 *   npx tsx scripts/probe-messaging.ts
 *
 * Shapes: `{ method, payload: { texts } }` as PaperPeek sends it, the same
 * texts joined into one string, and a bare string.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchExtension, startFixtureServer } from '../tests/e2e/harness';

const MANIFEST = {
  manifest_version: 3,
  name: 'messaging probe',
  version: '1',
  background: { service_worker: 'worker.js' },
  content_scripts: [{ matches: ['http://127.0.0.1/*'], js: ['content.js'], run_at: 'document_idle' }],
};
const WORKER = `chrome.runtime.onMessage.addListener((message, sender, reply) => { reply({ ok: true }); });`;
// Deterministic text: lines of 80 characters, 30 to a unit (~2.4 KB), 17 units a message (~41 KB).
const CONTENT = `(async () => {
  let seed = 1;
  const next = () => (seed = (seed * 48271) % 2147483647);
  const word = () => Array.from({ length: 3 + (next() % 8) }, () => String.fromCharCode(97 + (next() % 26))).join('');
  const line = () => { let text = ''; while (text.length < 80) text += word() + ' '; return text; };
  const unit = () => Array.from({ length: 30 }, line).join('\\n');
  const batches = Array.from({ length: 20 }, () => Array.from({ length: 17 }, unit));
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  const results = {};
  const time = async (name, make) => {
    const sync = [];
    const total = [];
    for (let run = 0; run < 7; run++) {
      let blocked = 0;
      const replies = [];
      const started = performance.now();
      for (const batch of batches) {
        const message = make(batch);
        const before = performance.now();
        replies.push(chrome.runtime.sendMessage(message));
        blocked += performance.now() - before;
      }
      await Promise.all(replies);
      sync.push(blocked);
      total.push(performance.now() - started);
    }
    results[name] = { syncMs: median(sync).toFixed(1), roundTripMs: median(total).toFixed(1) };
  };
  await time('texts array (as PaperPeek sends)', (batch) => ({ method: 'scanRendered', payload: { texts: batch } }));
  await time('one joined string', (batch) => ({ method: 'scanRendered', payload: { text: batch.join('\\u0000') } }));
  await time('bare string', (batch) => batch.join('\\u0000'));
  await time('texts array, again', (batch) => ({ method: 'scanRendered', payload: { texts: batch } }));
  const chars = batches.reduce((sum, batch) => sum + batch.reduce((s, text) => s + text.length, 0), 0);
  document.body.dataset.result = JSON.stringify({ chars, messages: batches.length, results });
})();`;

const dir = mkdtempSync(join(tmpdir(), 'paperpeek-probe-'));
writeFileSync(join(dir, 'manifest.json'), JSON.stringify(MANIFEST));
writeFileSync(join(dir, 'worker.js'), WORKER);
writeFileSync(join(dir, 'content.js'), CONTENT);
const server = await startFixtureServer({ '/page': '<!doctype html><p>probe</p>' });
const session = await launchExtension({ distDir: dir });
try {
  const page = await session.context.newPage();
  await page.goto(`${server.origin}/page`);
  await page.waitForSelector('body[data-result]', { timeout: 60_000 });
  const { chars, messages, results } = JSON.parse((await page.getAttribute('body', 'data-result')) ?? '{}') as {
    chars: number;
    messages: number;
    results: Record<string, { syncMs: string; roundTripMs: string }>;
  };
  console.log(`${chars.toLocaleString('en')} characters in ${messages} messages, medians of 7 sends:`);
  for (const [shape, { syncMs, roundTripMs }] of Object.entries(results)) {
    console.log(`  ${shape.padEnd(34)} blocks the page ${syncMs.padStart(6)} ms, round trip ${roundTripMs.padStart(6)} ms`);
  }
} finally {
  await session.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
