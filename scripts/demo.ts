/**
 * `npm run demo`: builds the extension and opens Chromium with it loaded on a
 * demo page that shows digest titles the way real sites write them (a reading
 * list, an APA reference list, an arXiv-style listing, a blog paragraph).
 *
 * With a display it opens a normal window and waits until you close it. With no
 * display (CI, this machine) it runs headless, hovers a title and writes
 * screenshots to docs/screenshots/: the card on a light page, in dark mode, and
 * on a hostile page (page CSS that tries to break it, RTL, transformed body).
 *
 *   npm run demo                  (builds first)
 *   npx tsx scripts/demo.ts [--headless]
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchExtension, startFixtureServer, waitFor } from '../tests/e2e/harness';
import { bundledPaper } from '../tests/e2e/bundled-papers';

const ROOT = resolve(import.meta.dirname, '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');

const title = (t: string): string => bundledPaper(t).title;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const CODA = title('CODA-Prompt: COntinual Decomposed Attention-based Prompting for Rehearsal-Free Continual Learning');
const SEQ2SEQ = title('Sequence to Sequence Learning with Neural Networks');
const POINTER = title('Pointer Networks');
const E2LLM = title('E^2-LLM: Efficient and Extreme Length Extension of Large Language Models');
const TOOL = title('Symbolic Discovery of Optimization Algorithms');

const DEMO_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PaperPeek demo</title>
<style>
  body { font: 16px/1.6 Georgia, serif; max-width: 46rem; margin: 40px auto; padding: 0 20px; color: #222; background: #fff; }
  h1, h2 { font-family: system-ui, sans-serif; } .meta { color: #666; font-size: 14px; }
  dl dt { font-family: monospace; color: #666; margin-top: 12px; } dl dd { margin: 0 0 0 1rem; }
  @media (prefers-color-scheme: dark) { body { background: #15171a; color: #ddd; } a { color: #8ab4f8; } .meta { color: #999; } }
</style></head><body>
<h1>Reading group, week 12</h1>
<p>This week we read <a href="#coda" id="demo-anchor">${escape(CODA)}</a>, and compared it with the classic
<em>${escape(SEQ2SEQ)}</em> (Sutskever et al., 2014).</p>
<h2>References</h2>
<ol>
  <li>Vinyals, O., Fortunato, M., &amp; Jaitly, N. (2015). ${escape(POINTER)}. <i>NeurIPS</i>.</li>
  <li>Chen, X. et al. (2023). ${escape(TOOL)}. <i>arXiv:2302.06675</i>.</li>
</ol>
<h2>New on arXiv</h2>
<dl><dt>arXiv:2401.06951</dt><dd><div><b>Title:</b> ${escape(E2LLM)}</div><div class="meta">Liu et al. Comments: 12 pages</div></dd></dl>
</body></html>`;

const HOSTILE_PAGE = `<!doctype html><html dir="rtl" lang="ar"><head><meta charset="utf-8"><title>Hostile</title><style>
  * { all: unset !important; }
  html { font-size: 48px !important; background: repeating-linear-gradient(45deg, #fde, #fde 20px, #eef 20px, #eef 40px) !important; }
  body { display: block !important; transform: rotate(-1deg) scale(1.2) !important; padding: 60px !important; }
  p, div { display: block !important; z-index: 2147483647 !important; position: relative !important; font-family: cursive !important; }
</style></head><body>
<div style="position:fixed;inset:0;z-index:2147483647;pointer-events:none"></div>
<p>قائمة القراءة: <a href="#coda" id="demo-anchor">${escape(CODA)}</a></p>
</body></html>`;

async function hoverAndShoot(page: Page, file: string): Promise<void> {
  await waitFor(async () => (await page.locator('[data-paperpeek-id]').count()) > 0, 'marks on the demo page');
  await page.hover('#demo-anchor', { force: true });
  await page.waitForTimeout(1200); // hover intent (150 ms) + the card's 500 ms floor + positioning
  await page.screenshot({ path: join(SHOTS, file) });
  console.log(`wrote docs/screenshots/${file}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { headless: { type: 'boolean' } } });
  const headless = values.headless === true || !process.env.DISPLAY;
  const server = await startFixtureServer({ '/': DEMO_PAGE, '/hostile': HOSTILE_PAGE });
  const session = await launchExtension({ headless });
  try {
    const page = await session.context.newPage();
    await page.setViewportSize({ width: 1100, height: 760 });
    if (!headless) {
      await page.goto(server.origin);
      console.log(`Demo page: ${server.origin}/ (and ${server.origin}/hostile). Close the browser to stop.`);
      await new Promise((done) => session.context.on('close', done));
      return;
    }
    mkdirSync(SHOTS, { recursive: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(server.origin);
    await hoverAndShoot(page, 'card-light.png');
    await page.mouse.move(5, 5);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.origin}/?dark`);
    await hoverAndShoot(page, 'card-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.origin}/hostile`);
    await hoverAndShoot(page, 'card-hostile.png');
  } finally {
    await session.close().catch(() => undefined);
    await server.close();
  }
}

await main();
