/**
 * The foundation in a real browser: the built extension (dist/) loaded in Debian's
 * Chromium, pages served on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DIST,
  ROOT,
  launchExtension,
  openExtensionPage,
  reloadExtension,
  sendFrom,
  startFixtureServer,
  waitFor,
  type ExtensionSession,
  type FixtureServer,
} from './harness';

/** The bundled papers as maintainers see them: `npm run digest -- list`. */
function listedPapers(seedsDir?: string): Map<string, string> {
  const out = execFileSync('npx', ['tsx', 'scripts/digest-cli.ts', 'list'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...(seedsDir ? { PAPERPEEK_SEEDS_DIR: seedsDir } : {}) },
  });
  const byTitle = new Map<string, string>();
  for (const line of out.trim().split('\n')) {
    const [id, title] = line.split('\t');
    if (id && title) byTitle.set(title, id);
  }
  return byTitle;
}

const PAPERS = listedPapers();
const idOf = (title: string): string => {
  const id = PAPERS.get(title);
  if (!id) throw new Error(`not a bundled paper: ${title}`);
  return id;
};

const ROUND_TRIP_PAGE = `<!doctype html><title>Reading group</title>
<h1>Reading group</h1>
<h2>Pointer Networks</h2>
<ul>
  <li><a href="/p/1">Deep Model Assembling</a></li>
  <li><a href="/p/2">E^2-LLM: Efficient and Extreme Length Extension of Large Language Models</a></li>
  <li><a href="/p/3">A paper that is not in the digest at all</a></li>
</ul>`;

/** Reads the marks the content script put on a page: element text -> paper id. */
async function marksOn(session: ExtensionSession, url: string): Promise<Record<string, string>> {
  const page = await session.context.newPage();
  await page.goto(url);
  const marks = await waitFor(async () => {
    const found = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('[data-paperpeek-id]')].map((el) => [el.textContent, el.getAttribute('data-paperpeek-id')]),
      ),
    );
    return Object.keys(found).length >= 3 ? found : null;
  }, `marks on ${url}`);
  await page.close();
  return marks as Record<string, string>;
}

const EXPECTED_MARKS = {
  'Pointer Networks': idOf('Pointer Networks'),
  'Deep Model Assembling': idOf('Deep Model Assembling'),
  'E^2-LLM: Efficient and Extreme Length Extension of Large Language Models': idOf(
    'E^2-LLM: Efficient and Extreme Length Extension of Large Language Models',
  ),
};

describe('extension in Chromium', () => {
  let session: ExtensionSession;
  let server: FixtureServer;

  beforeAll(async () => {
    server = await startFixtureServer({ '/reading-group': ROUND_TRIP_PAGE, '/canary': 'canary' });
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close(); // fails the suite if the extension made any network request
    await server?.close();
  });

  it('starts its service worker and fills IndexedDB with the 81 bundled papers', async () => {
    const count = await waitFor(
      () =>
        session.worker.evaluate(
          () =>
            new Promise<number>((resolve, reject) => {
              const open = indexedDB.open('paperpeek');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const db = open.result;
                const meta = db.transaction('meta').objectStore('meta').get('bundledDigest');
                meta.onsuccess = () => {
                  if (!meta.result) return resolve(0); // still loading
                  const req = db.transaction('paperBuckets').objectStore('paperBuckets').getAll();
                  req.onsuccess = () =>
                    // Bundled buckets are packed (src/shared/packed-buckets.ts), with their ids beside.
                    resolve((req.result as { ids: string[]; packed: Uint8Array }[]).reduce((n, bucket) => n + (bucket.packed.length > 0 ? bucket.ids.length : 0), 0));
                };
              };
            }),
        ),
      'the bundled digest in IndexedDB',
    );
    expect(count).toBe(81);
    const popup = await openExtensionPage(session);
    const stats = await sendFrom(popup, 'stats', {});
    expect(stats).toMatchObject({ ok: true, value: { papers: 81, digestDate: 'Mar 13', loadingProgress: null } });
    const summary = await waitFor(async () => {
      const text = await popup.getByTestId('digest-summary').textContent().catch(() => null);
      return text?.includes('81 papers') ? text : null;
    }, 'the popup summary');
    expect(summary).toMatch(/^81 papers from the Mar 13 digest, 0 saved$/);
    await popup.close();
  });

  it('answers a content script on a served page: digest titles get marked with their ids', async () => {
    const marks = await marksOn(session, `${server.origin}/reading-group`);
    expect(marks).toEqual(EXPECTED_MARKS);
  });

  it('answers the next message after the worker was stopped, with the data still there', async () => {
    await session.stopWorkers();
    // The stopped worker is woken by the content script's scan on a fresh page load.
    const marks = await marksOn(session, `${server.origin}/reading-group?after-stop`);
    expect(marks).toEqual(EXPECTED_MARKS);
    await session.stopWorkers();
    const popup = await openExtensionPage(session);
    const paper = await sendFrom(popup, 'getPaper', { id: idOf('Pointer Networks') });
    expect(paper.ok).toBe(true);
    expect((paper.value?.paper as { title: string }).title).toBe('Pointer Networks');
    expect((await sendFrom(popup, 'stats', {})).value).toMatchObject({ papers: 81 });
    await popup.close();
  });

  it('marks titles on a page with more links than one scan request may carry', async () => {
    const filler = Array.from({ length: 2600 }, (_, i) => `<li><a href="/n/${i}">Unrelated link number ${i}</a></li>`).join('');
    server.route('/many-links', `<!doctype html><ul>${filler}</ul><h2>Pointer Networks</h2>`);
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/many-links`);
    const marked = await waitFor(
      () => page.evaluate(() => document.querySelector('h2')?.getAttribute('data-paperpeek-id') ?? null),
      'the heading after 2,600 links to be marked',
    );
    expect(marked).toBe(idOf('Pointer Networks'));
    expect(await page.evaluate(() => document.querySelectorAll('[data-paperpeek-id]').length)).toBe(1);
    await page.close();
  });

  it('rejects malformed payloads from a page with a typed error', async () => {
    const popup = await openExtensionPage(session);
    const reply = await sendFrom(popup, 'scan', { units: 'pointer networks' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await sendFrom(popup, 'dropTables', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    await popup.close();
  });

  it('records requests made by the extension (the no-network check can fail)', async () => {
    const canary = `${server.origin}/canary`;
    session.allowRequest(canary);
    await session.worker.evaluate(async (url) => {
      await fetch(url);
    }, canary);
    await waitFor(async () => session.extensionRequests().some((r) => r.url === canary), 'the canary request');
    expect(session.extensionRequests().map((r) => r.url)).toEqual([canary]);
  });
});

describe('extension update', () => {
  const work = mkdtempSync(join(tmpdir(), 'paperpeek-update-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('keeps a saved paper when the extension is reloaded with a changed digest', async () => {
    // The unpacked extension lives in one folder for the whole test, as an installed one would.
    const installed = join(work, 'installed');
    cpSync(DIST, installed, { recursive: true });

    // The next version's digest: the saved paper is gone from it and another abstract changed.
    const seeds = join(work, 'seeds');
    mkdirSync(seeds);
    const original = readFileSync(join(ROOT, 'seeds', '000_c65d2d98e23c96f3.txt'), 'utf8');
    const savedTitle = 'Deep Model Assembling';
    const withoutSaved = original.replace(/\nDeep Model Assembling\n\n[^\n]+\n/, '\n');
    expect(withoutSaved.length).toBeLessThan(original.length);
    writeFileSync(join(seeds, '001_next.txt'), withoutSaved.replace('Pointer Networks\n\nWe introduce', 'Pointer Networks\n\nIn this revised abstract, we introduce'));
    const nextBuild = join(work, 'next');
    execFileSync('npx', ['tsx', 'scripts/build.ts', '--seeds', seeds, '--out', nextBuild, '--no-zip'], { cwd: ROOT, stdio: 'pipe' });

    const session = await launchExtension({ distDir: installed });
    try {
      let popup = await openExtensionPage(session);
      await waitFor(async () => {
        const reply = await sendFrom(popup, 'stats', {});
        return reply.value?.loadingProgress === null && reply.value?.papers === 81;
      }, 'first load');
      const savedId = idOf(savedTitle);
      expect((await sendFrom(popup, 'savePaper', { id: savedId })).ok).toBe(true);
      const before = (await sendFrom(popup, 'stats', {})).value?.digestVersion;

      // Ship the next version into the installed folder and reload it from disk.
      rmSync(installed, { recursive: true, force: true });
      cpSync(nextBuild, installed, { recursive: true });
      await reloadExtension(session);

      popup = await openExtensionPage(session);
      const stats = await waitFor(async () => {
        const reply = await sendFrom(popup, 'stats', {});
        return reply.value?.digestVersion !== before && reply.value?.loadingProgress === null ? reply.value : null;
      }, 'the new digest to load');
      expect(stats).toMatchObject({ papers: 80, saved: 1 });
      expect((await sendFrom(popup, 'getPaper', { id: savedId })).value).toEqual({ paper: null, related: [] });
      const pointer = await sendFrom(popup, 'getPaper', { id: idOf('Pointer Networks') });
      expect((pointer.value?.paper as { abstract: string }).abstract).toMatch(/^In this revised abstract/);
      const list = await sendFrom(popup, 'listSaved', {});
      const saved = (list.value?.papers as { id: string; title: string; abstract: string }[]) ?? [];
      expect(saved.map((p) => p.id)).toEqual([savedId]);
      expect(saved[0]?.title).toBe(savedTitle);
      expect(saved[0]?.abstract).toMatch(/^Large deep learning models have achieved remarkable success/);
    } finally {
      await session.close();
    }
  });
});
