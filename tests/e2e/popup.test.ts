/**
 * The toolbar popup in real Chromium, opened as a page in a tab (Playwright
 * cannot click the toolbar button). Search as you type with typos and phrases,
 * the paper view and its related papers, the reading list (status, note,
 * remove and undo, exports that read back, imports that refuse bad files), and
 * "On this tab" against a served page.
 *
 * "On this tab" in a popup opened as a tab would read the popup's own tab, so
 * the test passes the page's tab with `?tab=<id>` (the popup's override for
 * exactly this); the tab id is found by asking every tab's content script.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_PAPERS, bundledPaper } from './bundled-papers';
import { parseBibtex, parseCsv, parseMarkdown, parseImport } from '../../src/shared/reading-list-io';
import type { SavedPaper } from '../../src/shared/types';
import { POPUP_AS_PAGE_PATH, POPUP_PATH, axeViolations, launchExtension, openExtensionPage, sendFrom, startFixtureServer, waitFor, type ExtensionSession, type FixtureServer } from './harness';

const paper = bundledPaper;
const POINTER = paper('Pointer Networks');
const SEQ2SEQ = paper('Sequence to Sequence Learning with Neural Networks');

type TabsGlobal = {
  chrome: {
    tabs: { query(q: object): Promise<{ id?: number }[]>; sendMessage(id: number, m: unknown): Promise<unknown> };
    action: { getBadgeText(d: { tabId: number }): Promise<string> };
  };
};

let session: ExtensionSession;
let server: FixtureServer;

async function resultTitles(page: Page): Promise<string[]> {
  return page.locator('[role="option"] .result-title').allTextContents();
}

async function search(page: Page, query: string): Promise<string[]> {
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.fill('');
  await box.pressSequentially(query, { delay: 5 });
  // The full list: title matches may show first while abstract postings are read.
  await page.locator(`section[aria-label="Search"][data-complete-for="${query.replace(/["\\]/g, '\\$&')}"]`).waitFor();
  await waitFor(async () => (await page.locator('[role="option"], [data-testid="search-none"]').count()) > 0, `results for ${query}`);
  return resultTitles(page);
}

async function listSaved(page: Page): Promise<SavedPaper[]> {
  const reply = await sendFrom(page, 'listSaved', {});
  return (reply.value?.papers ?? []) as SavedPaper[];
}

async function clearList(page: Page): Promise<void> {
  for (const p of await listSaved(page)) await sendFrom(page, 'unsavePaper', { id: p.id });
}

async function openList(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Reading list/ }).click();
  await page.getByRole('group', { name: 'Export and import' }).waitFor();
}

beforeAll(async () => {
  session = await launchExtension();
  server = await startFixtureServer({
    '/tab.html': `<!doctype html><title>On this tab</title>
<p>First we cite <a href="#s1">${SEQ2SEQ.title}</a>.</p>
<div style="height:3000px"></div>
<p>Then <a id="ptr" href="#p1">${POINTER.title}</a>, and once more:</p>
<p><a href="#s2">${SEQ2SEQ.title}</a></p>`,
  });
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('popup search', () => {
  it('finds papers as you type, with typos, prefixes and phrases, and highlights as text', async () => {
    const page = await openExtensionPage(session);
    await page.getByTestId('search-empty').waitFor();
    // Focus lands in the search box (the keyboard shortcut opens the popup the same way).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search papers');

    const continual = await search(page, 'contnual lerning');
    expect(continual.length).toBeGreaterThan(0);
    expect(continual.slice(0, 3).every((t) => /continual/i.test(t))).toBe(true);

    const inContext = await search(page, 'in-cont');
    expect(inContext[0]).toMatch(/in-context/i);

    const phrase = await search(page, '"in-context learning"');
    expect(phrase.length).toBeGreaterThan(0);
    for (const title of phrase) {
      const p = BUNDLED_PAPERS.find((x) => x.title === title);
      expect(`${p?.title} ${p?.abstract}`.toLowerCase().replace(/[^a-z0-9]+/g, ' ')).toContain('in context learning');
    }

    // Highlights are <mark> elements holding text.
    const marks = await page.locator('[role="option"] mark').allTextContents();
    expect(marks.some((m) => /in|context/i.test(m))).toBe(true);

    expect(await search(page, 'zqxjv wvvk')).toEqual([]);
    await page.getByTestId('search-none').waitFor();
    await page.close();
  });

  it('starts with the query "Find in PaperPeek" passes (?q=), also as a full page', async () => {
    const popup = await openExtensionPage(session, `${POPUP_PATH}?q=${encodeURIComponent('pointer netwrks')}`);
    await expect.poll(() => resultTitles(popup)).toContain(POINTER.title);
    expect(await popup.getByRole('combobox', { name: 'Search papers' }).inputValue()).toBe('pointer netwrks');
    await popup.close();

    // As a page in a tab (no popup could open): laid out as a page from its first frame, before the module has run.
    const page = await session.context.newPage();
    await page.setViewportSize({ width: 1000, height: 700 });
    let releaseModule = () => undefined as void;
    const moduleHeld = new Promise<void>((done) => (releaseModule = done));
    await page.route(/\/popup\/[^/]+\.js$/, async (route) => {
      await moduleHeld;
      await route.continue();
    });
    const bodyWidth = () => page.evaluate(() => Math.round(document.body.getBoundingClientRect().width));
    void page.goto(`chrome-extension://${session.extensionId}/${POPUP_AS_PAGE_PATH}?q=${encodeURIComponent('pointer netwrks')}`);
    await page.locator('input.search').waitFor();
    const beforeModule = await bodyWidth();
    expect(await page.locator('[role="option"]').count()).toBe(0); // the module has not run
    expect(beforeModule).toBeGreaterThan(500);
    releaseModule();
    await expect.poll(() => resultTitles(page)).toContain(POINTER.title);
    expect(await page.getByRole('combobox', { name: 'Search papers' }).inputValue()).toBe('pointer netwrks');
    expect(await bodyWidth()).toBe(beforeModule);
    await page.close();
  });

  it('paints a static first frame that the module renders over, keeping what was typed before it ran', async () => {
    const page = await session.context.newPage();
    // Types into the static box as soon as the parser has made it, before the module (deferred)
    // runs. Typed later, with no input event, the text would never be searched: the results
    // for it below show the module took it up.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const box = document.querySelector<HTMLInputElement>('input.search');
        if (!box) return;
        observer.disconnect();
        box.value = 'pointer netw';
        (window as unknown as { staticBox: HTMLInputElement }).staticBox = box;
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`chrome-extension://${session.extensionId}/${POPUP_PATH}`);
    await page.locator('section[aria-label="Search"][data-complete-for="pointer netw"]').waitFor();
    // The module rendered over the static elements, reusing them: the same box, one header, one view.
    expect(
      await page.evaluate(() => ({
        sameBox: document.querySelector('input.search') === (window as unknown as { staticBox?: HTMLInputElement }).staticBox,
        headers: document.querySelectorAll('header').length,
        views: document.querySelectorAll('#view').length,
      })),
    ).toEqual({ sameBox: true, headers: 1, views: 1 });
    expect(await page.getByRole('combobox', { name: 'Search papers' }).inputValue()).toBe('pointer netw');
    expect(await resultTitles(page)).toContain('Pointer Networks');
    // The static frame (the packaged HTML) holds the same header and search box as the render.
    // (No named functions in the page: it does not know tsx's helpers.)
    const [packaged, rendered] = await page.evaluate(async () => {
      const html = await (await fetch(location.href)).text();
      return [new DOMParser().parseFromString(html, 'text/html'), document].map((root) =>
        [...root.querySelectorAll('header, header *, #view, section.panel, input.search')].map(
          (el) =>
            [el.tagName, ...[...el.attributes].filter((a) => !/^(data-|value$|autofocus$|aria-expanded$|aria-activedescendant$)/.test(a.name)).map((a) => `${a.name}=${a.value}`).sort()].join(' ') +
            (el.children.length === 0 ? `: ${el.textContent?.replace(/ \(\d+\)$/, '')}` : ''),
        ),
      );
    });
    expect(packaged?.length).toBeGreaterThan(8);
    expect(packaged).toEqual(rendered);
    await page.close();
  });

  it('ranks title matches above abstract-only matches', async () => {
    const page = await openExtensionPage(session);
    await search(page, 'retrieval');
    const flags = await page.locator('[role="option"]').evaluateAll((items) => items.map((li) => !li.textContent?.includes('in the abstract')));
    const firstAbstractOnly = flags.indexOf(false);
    // The query has both kinds, so the order is really tested.
    expect(firstAbstractOnly).toBeGreaterThan(0);
    expect(flags.slice(firstAbstractOnly).every((inTitle) => !inTitle)).toBe(true);
    await page.close();
  });

  it('shows the title matches at once while the abstracts are read, then the abstract-only ones below them', async () => {
    const page = await openExtensionPage(session);
    // Warm: the title postings and the paper list are loaded; no abstract postings yet.
    await page.waitForFunction(() => performance.getEntriesByName('paperpeek-search-warm').length > 0);
    const readItems = () =>
      page.locator('[role="option"]').evaluateAll((items) =>
        items.map((li) => ({ title: li.querySelector('.result-title')?.textContent ?? '', abstractOnly: li.textContent?.includes('in the abstract') ?? false })),
      );
    // What the panel shows the first time it answers for the query.
    const first = await page.evaluate((query) => {
      const panel = document.querySelector('section[aria-label="Search"]');
      const box = document.querySelector<HTMLInputElement>('input[role="combobox"]');
      if (!panel || !box) throw new Error('no search panel');
      const seen = new Promise<{ busy: string | null; status: string; items: { title: string; abstractOnly: boolean }[] }>((done) => {
        new MutationObserver((_, observer) => {
          if (panel.getAttribute('data-results-for') !== query) return;
          observer.disconnect();
          done({
            busy: panel.querySelector('#results')?.getAttribute('aria-busy') ?? null,
            status: panel.querySelector('[role="status"]')?.textContent ?? '',
            items: [...panel.querySelectorAll('[role="option"]')].map((li) => ({
              title: li.querySelector('.result-title')?.textContent ?? '',
              abstractOnly: li.textContent?.includes('in the abstract') ?? false,
            })),
          });
        }).observe(panel, { attributes: true });
      });
      box.value = query;
      box.dispatchEvent(new InputEvent('input', { bubbles: true }));
      return seen;
    }, 'retrieval');
    expect(first.busy).toBe('true');
    expect(first.status).toMatch(/in titles; searching abstracts/);
    expect(first.items.length).toBeGreaterThan(0);
    expect(first.items.some((item) => item.abstractOnly)).toBe(false);
    await page.locator('section[aria-label="Search"][data-complete-for="retrieval"]').waitFor();
    const all = await readItems();
    // The title matches stay first; the abstract-only ones come below them.
    expect(new Set(all.slice(0, first.items.length).map((item) => item.title))).toEqual(new Set(first.items.map((item) => item.title)));
    expect(all.slice(first.items.length).length).toBeGreaterThan(0);
    expect(all.slice(first.items.length).every((item) => item.abstractOnly)).toBe(true);
    expect(await page.locator('#results').getAttribute('aria-busy')).toBeNull();
    await page.close();
  });

  it('opens a result with the keyboard, then a related paper, and goes back', async () => {
    const page = await openExtensionPage(session);
    await search(page, 'pointer netw');
    const box = page.getByRole('combobox', { name: 'Search papers' });
    await box.press('ArrowDown');
    await box.press('ArrowUp');
    await box.press('Enter');
    await expect.poll(() => page.locator('#paper-title').textContent()).toBe(POINTER.title);
    const related = page.locator('.related button.link');
    expect(await related.count()).toBeGreaterThan(0);
    const relatedTitle = (await related.first().textContent()) ?? '';
    await related.first().click();
    await expect.poll(() => page.locator('#paper-title').textContent()).toBe(relatedTitle);
    await page.getByRole('button', { name: '← Back' }).click();
    await expect.poll(() => page.locator('#paper-title').textContent()).toBe(POINTER.title);
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Search papers' }).waitFor();
    await page.close();
  });
});

describe('reading list', () => {
  it('saves from the paper view, sets status and note, removes and undoes', async () => {
    const page = await openExtensionPage(session);
    await clearList(page);
    await search(page, 'pointer networks');
    await page.locator('[role="option"]').first().click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Saved', exact: true }).waitFor();
    expect((await listSaved(page)).map((p) => p.id)).toEqual([POINTER.id]);
    // Unsave and save again from the toggle.
    await page.getByRole('button', { name: 'Saved', exact: true }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).waitFor();
    expect(await listSaved(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Saved', exact: true }).waitFor();

    await openList(page);
    await page.getByRole('combobox', { name: `Status of ${POINTER.title}` }).selectOption('reading');
    await expect.poll(async () => (await listSaved(page))[0]?.status).toBe('reading');
    const note = page.getByRole('textbox', { name: `Note on ${POINTER.title}` });
    await note.fill('Read section 3 first');
    await note.blur();
    await expect.poll(async () => (await listSaved(page))[0]?.note).toBe('Read section 3 first');

    await page.getByRole('button', { name: `Remove ${POINTER.title}` }).click();
    await expect.poll(async () => (await listSaved(page)).length).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => (await listSaved(page))[0]).toMatchObject({ id: POINTER.id, status: 'reading', note: 'Read section 3 first' });
    await page.getByRole('button', { name: `Remove ${POINTER.title}` }).waitFor();

    // Filter by text and by status.
    await sendFrom(page, 'savePaper', { id: SEQ2SEQ.id });
    await page.reload();
    await openList(page);
    await page.getByRole('searchbox', { name: 'Filter the reading list' }).fill('pointer');
    expect(await page.locator('li.saved').count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Filter the reading list' }).fill('');
    await page.getByRole('combobox', { name: 'Show status' }).selectOption('to-read');
    expect(await page.locator('li.saved').evaluateAll((li) => li.map((x) => x.getAttribute('data-paper-id')))).toEqual([SEQ2SEQ.id]);
    await page.close();
  });

  it('exports Markdown, CSV, JSON and BibTeX that read back as the same list', async () => {
    const page = await openExtensionPage(session);
    await clearList(page);
    await sendFrom(page, 'savePaper', { id: POINTER.id });
    await sendFrom(page, 'savePaper', { id: SEQ2SEQ.id });
    await sendFrom(page, 'setSavedStatus', { id: POINTER.id, status: 'read' });
    await sendFrom(page, 'setSavedNote', { id: SEQ2SEQ.id, note: 'Tricky: "quotes", commas, {braces} & 50%\nsecond line' });
    const list = await listSaved(page);
    expect(list.map((p) => p.id)).toEqual([SEQ2SEQ.id, POINTER.id]);
    await openList(page);

    const exported = async (label: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label, exact: true }).click()]);
      return readFileSync(await download.path(), 'utf8');
    };
    const json = parseImport(await exported('JSON'));
    expect(json).toEqual({ ok: true, papers: list });
    expect(parseCsv(await exported('CSV'))).toEqual(list);
    expect(parseMarkdown(await exported('Markdown'))).toEqual(list.map(({ abstract: _a, ...rest }) => rest));
    expect(parseBibtex(await exported('BibTeX'))).toEqual(list.map(({ id, title, status, note }) => ({ id, title, status, note })));
    await page.close();
  });

  it('refuses a malformed import with a clear message and changes nothing; merges a good one', async () => {
    const page = await openExtensionPage(session);
    await clearList(page);
    await sendFrom(page, 'savePaper', { id: POINTER.id });
    const before = await listSaved(page);
    await openList(page);
    const input = page.locator('input[type="file"]');
    const bad = JSON.stringify({ format: 'paperpeek-reading-list', version: 1, papers: [{ id: SEQ2SEQ.id, title: SEQ2SEQ.title }, { id: 'x', title: 'Y', status: 'done' }] });
    await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
    await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/Nothing was imported\. Paper 2 .*status must be one of/);
    expect(await listSaved(page)).toEqual(before);

    await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"papers": [') });
    await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/not valid JSON/);
    expect(await listSaved(page)).toEqual(before);

    const good = JSON.stringify({
      format: 'paperpeek-reading-list',
      version: 1,
      papers: [
        { id: SEQ2SEQ.id, title: SEQ2SEQ.title, status: 'reading', note: 'imported', savedAt: 1_700_000_000_000 },
        { id: POINTER.id, title: POINTER.title, status: 'read', note: 'should not overwrite' },
      ],
    });
    await input.setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(good) });
    await expect.poll(() => page.getByTestId('list-status').textContent()).toMatch(/Imported 1 paper; 1 already on the list/);
    const after = await listSaved(page);
    expect(after.map((p) => p.id)).toEqual([POINTER.id, SEQ2SEQ.id]);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toMatchObject({ status: 'reading', note: 'imported' });
    // Only extension pages may import: the protocol refuses a malformed payload too.
    expect((await sendFrom(page, 'importSaved', { papers: [{ id: 'x' }] })).error?.code).toBe('invalid-request');
    await page.close();
  });
});

describe('accessibility', () => {
  it('has no axe violations in search results, the paper view and the reading list, light and dark', async () => {
    const page = await openExtensionPage(session);
    await sendFrom(page, 'savePaper', { id: POINTER.id });
    const check = async (what: string) => expect(await axeViolations(page), what).toEqual([]);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.reload();
      await search(page, 'contnual lerning');
      await check(`search, ${scheme}`);
      await page.getByRole('combobox', { name: 'Search papers' }).press('Enter');
      await page.locator('#paper-title').waitFor();
      await check(`paper view, ${scheme}`);
      await page.getByRole('button', { name: '← Back' }).click();
      await openList(page);
      await check(`reading list, ${scheme}`);
    }
    await page.close();
  });
});

describe('layout', () => {
  /** Elements wider than the popup's body, or whose content is cut off inside them (form fields and scrollers aside). */
  const clipped = (page: Page) =>
    page.evaluate(() => {
      const body = document.body.getBoundingClientRect();
      const out: string[] = [];
      for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
        if (el.matches('input, textarea, select, option, .visually-hidden, .visually-hidden *')) continue;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        if (style.display === 'none' || rect.width === 0) continue;
        const scrolls = /auto|scroll/.test(style.overflowX);
        const cut = !scrolls && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
        if (cut || rect.right > body.right + 1) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${(el.textContent ?? '').slice(0, 50)}`);
      }
      return out;
    });

  it('fits the 380 px popup: long titles wrap in results, the paper view and the reading list', async () => {
    const longest = [...BUNDLED_PAPERS].sort((a, b) => b.title.length - a.title.length)[0] as (typeof BUNDLED_PAPERS)[number];
    const page = await openExtensionPage(session);
    await sendFrom(page, 'savePaper', { id: longest.id });
    await sendFrom(page, 'setSavedNote', { id: longest.id, note: 'A note long enough to wrap over several lines of the popup, as notes do.' });
    await page.reload();
    const titles = await search(page, longest.title.split(' ').slice(0, 5).join(' '));
    expect(titles[0]).toBe(longest.title);
    expect(await clipped(page), 'search results').toEqual([]);
    await page.getByRole('combobox', { name: 'Search papers' }).press('Enter');
    await expect.poll(() => page.locator('#paper-title').textContent()).toBe(longest.title);
    expect(await clipped(page), 'paper view').toEqual([]);
    await page.getByRole('button', { name: '← Back' }).click();
    await openList(page);
    await page.locator('li.saved').first().waitFor();
    expect(await clipped(page), 'reading list').toEqual([]);
    await sendFrom(page, 'unsavePaper', { id: longest.id });
    await page.close();
  });
});

describe('on this tab', () => {
  it('lists the page’s papers in page order with counts, reveals one, and badges the tab', async () => {
    const web = await session.context.newPage();
    await web.goto(`${server.origin}/tab.html`);
    await waitFor(() => web.locator('[data-paperpeek-id]').count().then((n) => n === 3), 'three marks');
    const helper = await openExtensionPage(session);
    // The served page's tab: the one whose content script answers with papers.
    const tabId = await waitFor(
      () =>
        helper.evaluate(async () => {
          const { chrome } = globalThis as unknown as TabsGlobal;
          for (const tab of await chrome.tabs.query({})) {
            if (tab.id === undefined) continue;
            const reply = (await chrome.tabs.sendMessage(tab.id, { type: 'pagePapers' }).catch(() => null)) as { papers?: unknown[] } | null;
            if (reply?.papers?.length) return tab.id;
          }
          return null;
        }),
      'the served tab',
    );
    await expect
      .poll(() => helper.evaluate((id) => (globalThis as unknown as TabsGlobal).chrome.action.getBadgeText({ tabId: id }), tabId))
      .toBe('2');
    // A request of the wrong shape gets no answer.
    const odd = await helper.evaluate(
      (id) => (globalThis as unknown as TabsGlobal).chrome.tabs.sendMessage(id, { type: 'pagePapers', x: 1 }).catch(() => 'rejected'),
      tabId,
    );
    // Unanswered: rejected or undefined, depending on the Chromium version; never papers.
    expect((odd as { papers?: unknown } | undefined)?.papers).toBeUndefined();

    const popup = await openExtensionPage(session, `${POPUP_PATH}?tab=${tabId}`);
    await popup.getByRole('tab', { name: 'On this tab' }).click();
    const rows = popup.locator('.tab-list li');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.evaluateAll((li) => li.map((x) => x.getAttribute('data-paper-id')))).toEqual([SEQ2SEQ.id, POINTER.id]);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('×2'), expect.stringContaining('×1')]);

    expect(await web.evaluate(() => scrollY)).toBe(0);
    await popup.getByRole('button', { name: `Show ${POINTER.title} on the page (1×)` }).click();
    await expect.poll(() => web.evaluate(() => scrollY)).toBeGreaterThan(1000);
    expect(await web.locator('#ptr').getAttribute('data-paperpeek-revealed')).toBe('');
    await expect.poll(() => web.locator('#ptr').getAttribute('data-paperpeek-revealed'), { timeout: 5000 }).toBeNull();

    // One click in the popup turns PaperPeek off on this site, and back on.
    const siteSwitch = popup.getByLabel('PaperPeek on 127.0.0.1');
    expect(await siteSwitch.isChecked()).toBe(true);
    const marksBefore = await web.locator('[data-paperpeek-id]').count();
    await siteSwitch.uncheck();
    await expect.poll(() => web.locator('[data-paperpeek-id]').count()).toBe(0);
    await siteSwitch.check();
    await expect.poll(() => web.locator('[data-paperpeek-id]').count(), { timeout: 10_000 }).toBe(marksBefore);
    // Two clicks before the first one's reply: the second must not undo the first from a stale copy.
    await popup.evaluate(() => {
      const box = document.querySelector<HTMLInputElement>('.site-switch input')!;
      box.click();
      box.click();
    });
    // Their end state equals the start, so there is no change to wait for: give both
    // round trips time (a few ms each here), then the site must be on, as the box says.
    await popup.waitForTimeout(2000);
    expect(await sendFrom(popup, 'getSettings', {})).toMatchObject({ ok: true, value: { disabledSites: [] } });
    expect(await siteSwitch.isChecked()).toBe(true);
    await expect.poll(() => web.locator('[data-paperpeek-id]').count(), { timeout: 10_000 }).toBe(marksBefore);
    await popup.close();
    await helper.close();
    await web.close();
  });
});
