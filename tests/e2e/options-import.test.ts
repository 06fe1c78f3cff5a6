/**
 * Importing digests from the options page (issue 7 §1-2), in real Chromium:
 * preview, commit, detection of the imported papers on a served page, removal,
 * and every kind of bad input leaving the database as it was.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperIdForTitle } from '../../src/shared/normalize';
import { bundledPaper } from './bundled-papers';
import { axeViolations, launchExtension, openExtensionPage, sendFrom, startFixtureServer, waitFor, type ExtensionSession, type FixtureServer } from './harness';

const OPTIONS = 'src/options/index.html';

const SET_TRANSFORMER = 'Set Transformer: A Framework for Attention-based Permutation-Invariant Neural Networks';
const SENTINEL = 'Pointer Sentinel Mixture Models for Language Modelling';
const KNOWN = bundledPaper('Pointer Networks').title;

function digest(papers: { title: string; abstract: string }[], date = 'Mar 14'): string {
  return `new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n${date}\n\n${papers.map((p) => `${p.title}\n\n${p.abstract}`).join('\n\n')}\n`;
}

const MAR14 = digest([
  {
    title: SET_TRANSFORMER,
    abstract:
      'Many machine learning tasks such as multiple instance learning, 3D shape recognition, and few-shot image classification are defined on sets of instances. We present an attention-based neural network module, the Set Transformer. Code: https://github.com/juho-lee/set_transformer.',
  },
  {
    title: SENTINEL,
    abstract:
      'Recent neural network sequence models with softmax classifiers have achieved their best language modeling performance only with very large hidden states and large vocabularies. We introduce the pointer sentinel mixture architecture for neural sequence models.',
  },
  { title: KNOWN, abstract: 'Listed again in a later digest: already known, left as it is.' },
]);

const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"> Markup in a Digest Title Is Shown as Text';
const HOSTILE = digest([
  { title: HOSTILE_TITLE, abstract: 'An abstract with <script>window.__pwned = 2</script> and <b>bold</b> markup that stays text.' },
]);

interface Stats {
  papers: number;
  importedPapers: number;
  imports: number;
  saved: number;
}

const stats = async (page: Page) => (await sendFrom(page, 'stats', {})).value as unknown as Stats;

async function pickFile(page: Page, name: string, text: string | Buffer): Promise<void> {
  await page.locator('input[type=file][accept=".txt,text/plain"]').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.isBuffer(text) ? text : Buffer.from(text) });
}

describe('importing digests from the options page', () => {
  let session: ExtensionSession;
  let server: FixtureServer;
  let options: Page;
  const scratch = mkdtempSync(join(tmpdir(), 'paperpeek-import-'));

  beforeAll(async () => {
    session = await launchExtension();
    server = await startFixtureServer({
      '/reading.html': `<!doctype html><title>Reading</title><h1>Reading group</h1><ul>
        <li><a href="/a">${SET_TRANSFORMER}</a></li>
        <li><a href="/b">${KNOWN}</a></li>
        <li>Merity et al. (2016). ${SENTINEL}. ICLR.</li></ul>`,
    });
    options = await openExtensionPage(session, OPTIONS);
    await options.getByRole('heading', { name: 'Digests', exact: true }).waitFor();
    // The tests compare counts before and after each step, so the bundled digest
    // must have finished loading first: on a slow machine it is still going in when
    // the options page opens, and the count would grow under the test.
    await waitFor(async () => {
      const now = (await sendFrom(options, 'stats', {})).value as { papers?: number; loadingProgress?: number | null } | undefined;
      return now?.loadingProgress === null && (now.papers ?? 0) > 0;
    }, 'the bundled digest to finish loading', 60_000);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('previews a digest, imports it, and its papers are marked on a page, with related papers', async () => {
    const before = await stats(options);
    // A tab open before the import, marked with the bundled paper only.
    const openTab = await session.context.newPage();
    await openTab.goto(`${server.origin}/reading.html`);
    await openTab.locator(`[data-paperpeek-id="${bundledPaper('Pointer Networks').id}"]`).waitFor();
    await pickFile(options, 'mar14.txt', MAR14);
    const preview = options.getByTestId('import-preview');
    await preview.waitFor();
    expect(await options.getByTestId('preview-total').textContent()).toBe('3');
    expect(await options.getByTestId('preview-new').textContent()).toBe('2');
    expect(await options.getByTestId('preview-known').textContent()).toBe('1');
    // Nothing is written by a preview.
    expect(await stats(options)).toEqual(before);

    await options.getByRole('button', { name: 'Import 2 new papers' }).click();
    await options.getByTestId('import-done').waitFor();
    expect(await options.getByTestId('import-done').textContent()).toMatch(/Imported “mar14.txt”: 2 new papers/);
    const row = options.getByTestId('imported-digests').locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.first().innerText()).toMatch(/mar14\.txt\s+Mar 14\s+3 \(2 new\)/);
    expect(await stats(options)).toMatchObject({ papers: before.papers + 2, importedPapers: 2, imports: 1 });
    const popup = await openExtensionPage(session);
    await popup.getByTestId('digest-summary').waitFor();
    expect(await popup.getByTestId('digest-summary').textContent()).toBe(
      `${before.papers + 2} papers: ${before.papers} from the Mar 13 digest and 2 imported, 0 saved`,
    );
    // Search finds the imported papers, by title (with a typo) and by abstract, ranked with the bundled ones.
    const box = popup.getByRole('combobox', { name: 'Search papers' });
    await box.pressSequentially('set transformr', { delay: 5 });
    await waitFor(async () => (await popup.locator(`[role="option"][data-paper-id="${paperIdForTitle(SET_TRANSFORMER)}"]`).count()) > 0, 'the imported paper in search');
    await box.fill('');
    await box.pressSequentially('pointer sentinel', { delay: 5 });
    await waitFor(async () => (await popup.locator('[role="option"]').first().getAttribute('data-paper-id')) === paperIdForTitle(SENTINEL), 'the imported paper first');
    await box.fill('');
    await box.pressSequentially('few-shot image classification', { delay: 5 });
    await waitFor(async () => (await popup.locator(`[role="option"][data-paper-id="${paperIdForTitle(SET_TRANSFORMER)}"]`).count()) > 0, 'a match in an imported abstract');
    await popup.close();

    // The tab that was already open marks the imported papers too, without a reload.
    await openTab.locator(`[data-paperpeek-id="${paperIdForTitle(SENTINEL)}"]`).waitFor();
    await openTab.locator(`[data-paperpeek-id="${paperIdForTitle(SET_TRANSFORMER)}"]`).waitFor();
    await openTab.close();

    const page = await session.context.newPage();
    await page.goto(`${server.origin}/reading.html`);
    const marks = await waitFor(async () => {
      const found = await page.evaluate(() => [...document.querySelectorAll('[data-paperpeek-id]')].map((el) => el.getAttribute('data-paperpeek-id')));
      return found.length >= 3 ? found : null;
    }, 'marks of imported and bundled papers');
    expect(new Set(marks)).toEqual(new Set([paperIdForTitle(SET_TRANSFORMER), paperIdForTitle(SENTINEL), bundledPaper('Pointer Networks').id]));
    await page.close();

    const reply = await sendFrom(options, 'getPaper', { id: paperIdForTitle(SENTINEL) });
    const value = reply.value as { paper: { title: string; links: string[] }; related: { id: string }[] };
    expect(value.paper.title).toBe(SENTINEL);
    // Related papers were recomputed with the import: the bundled Pointer Networks is close to the pointer sentinel paper.
    expect(value.related.map((r) => r.id)).toContain(bundledPaper('Pointer Networks').id);
    const set = (await sendFrom(options, 'getPaper', { id: paperIdForTitle(SET_TRANSFORMER) })).value as { paper: { links: string[] } };
    expect(set.paper.links).toEqual(['https://github.com/juho-lee/set_transformer']);
  });

  it('refuses the same digest a second time, even renamed', async () => {
    const before = await stats(options);
    await pickFile(options, 'copy-of-mar14.txt', MAR14);
    await options.getByTestId('import-blocker').waitFor();
    expect(await options.getByTestId('import-blocker').textContent()).toMatch(/already imported on .* as “mar14\.txt”/);
    expect(await options.getByRole('button', { name: /^Import [\d,]+ new papers?$/ }).isDisabled()).toBe(true);
    await options.getByRole('button', { name: 'Close' }).click();
    expect(await stats(options)).toEqual(before);
  });

  it('says what is wrong with a binary file, a file in another format and a 50 MB file, and changes nothing', async () => {
    const before = await stats(options);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
    await pickFile(options, 'figure.png', png);
    await options.getByTestId('import-preview').waitFor();
    expect(await options.getByTestId('import-problems').textContent()).toMatch(/^Line 3 \(error\): the file looks binary/);
    expect(await options.getByRole('button', { name: /^Import [\d,]+ new papers?$/ }).isDisabled()).toBe(true);

    await pickFile(options, 'reading-list.json', JSON.stringify({ format: 'paperpeek-reading-list', version: 1, papers: [] }, null, 2));
    await waitFor(async () => /Preview of “reading-list\.json”/.test((await options.getByTestId('import-preview').textContent()) ?? ''), 'the JSON preview');
    expect(await options.getByTestId('import-problems').textContent()).toMatch(/Line 1 \(error\): /);
    expect(await options.getByTestId('import-blocker').textContent()).toMatch(/problems? stops? this import/);

    const big = join(scratch, 'huge-digest.txt');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 'a'));
    await options.locator('input[type=file][accept=".txt,text/plain"]').setInputFiles(big);
    await options.getByTestId('import-error').waitFor();
    expect(await options.getByTestId('import-error').textContent()).toBe(
      'Nothing was imported. huge-digest.txt is 50.0 MB: PaperPeek imports digests of up to 25.0 MB. Split it into smaller files and import each.',
    );
    expect(await stats(options)).toEqual(before);
    expect(((await sendFrom(options, 'listImports', {})).value as { digests: unknown[] }).digests).toHaveLength(1);
  });

  it('shows markup in a pasted digest as text, everywhere, and runs none of it', async () => {
    await options.getByText('Or paste a digest').click();
    await options.getByLabel('Digest text').fill(HOSTILE);
    await options.getByRole('button', { name: 'Preview pasted text' }).click();
    await options.getByTestId('import-preview').waitFor();
    await options.getByText('New papers (1)').click();
    expect(await options.getByTestId('preview-titles').textContent()).toBe(HOSTILE_TITLE);
    await options.getByRole('button', { name: 'Import 1 new paper' }).click();
    await options.getByTestId('import-done').waitFor();
    expect(await options.getByTestId('imported-digests').textContent()).toContain('Pasted text');
    expect(await options.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await options.locator('img').count()).toBe(0);

    const paperPage = await openExtensionPage(session, `src/paper/index.html?id=${paperIdForTitle(HOSTILE_TITLE)}`);
    await paperPage.getByRole('heading', { name: HOSTILE_TITLE }).waitFor();
    expect(await paperPage.locator('.abstract').textContent()).toContain('<script>window.__pwned = 2</script>');
    expect(await paperPage.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await paperPage.locator('img, b').count()).toBe(0);
    await paperPage.close();
  });

  it('imports a dropped file too', async () => {
    const dropped = digest([{ title: 'Perceiver: General Perception with Iterative Attention', abstract: 'A model that builds upon Transformers and scales to hundreds of thousands of inputs.' }], 'Mar 15');
    await options.evaluate(async (text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'mar15.txt', { type: 'text/plain' }));
      const zone = document.querySelector('[data-testid="dropzone"]') as HTMLElement;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, dropped);
    await waitFor(async () => /Preview of “mar15\.txt”/.test((await options.getByTestId('import-preview').textContent()) ?? ''), 'the dropped file preview');
    await options.getByRole('button', { name: 'Import 1 new paper' }).click();
    await waitFor(async () => /Imported “mar15\.txt”/.test((await options.getByTestId('import-done').textContent()) ?? ''), 'the dropped file import');
  });

  it('removes a digest: its papers are no longer marked, a saved one stays on the reading list', async () => {
    const sentinel = paperIdForTitle(SENTINEL);
    expect((await sendFrom(options, 'savePaper', { id: sentinel })).ok).toBe(true);
    const openTab = await session.context.newPage();
    await openTab.goto(`${server.origin}/reading.html`);
    await openTab.locator(`[data-paperpeek-id="${sentinel}"]`).waitFor();
    await options.getByRole('button', { name: 'Remove mar14.txt' }).click();
    await waitFor(async () => /Removed “mar14\.txt”/.test((await options.getByTestId('import-done').textContent()) ?? ''), 'the removal');
    expect(await options.getByTestId('imported-digests').textContent()).not.toContain('mar14.txt');
    // An open tab drops the marks of the removed papers and keeps the bundled one.
    await waitFor(async () => (await openTab.locator(`[data-paperpeek-id="${sentinel}"]`).count()) === 0, 'the removed paper’s mark to go');
    await openTab.locator(`[data-paperpeek-id="${bundledPaper('Pointer Networks').id}"]`).waitFor();
    await openTab.close();

    const page = await session.context.newPage();
    await page.goto(`${server.origin}/reading.html`);
    await page.locator(`[data-paperpeek-id="${bundledPaper('Pointer Networks').id}"]`).waitFor();
    // Give the scan of the whole page time to finish: the bundled mark is placed in the same batch.
    expect(await page.locator(`[data-paperpeek-id="${sentinel}"], [data-paperpeek-id="${paperIdForTitle(SET_TRANSFORMER)}"]`).count()).toBe(0);
    await page.close();

    expect((await sendFrom(options, 'getPaper', { id: sentinel })).value).toMatchObject({ paper: null });
    const list = (await sendFrom(options, 'listSaved', {})).value as { papers: { id: string; title: string }[] };
    expect(list.papers).toEqual([expect.objectContaining({ id: sentinel, title: SENTINEL })]);
  });

  it('has no axe violations with a preview, its problems and the imported digests, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await options.emulateMedia({ colorScheme: scheme });
      await options.reload();
      await options.getByTestId('imported-digests').waitFor();
      await pickFile(options, 'broken.txt', 'Mar 16\n\nA title without its abstract\n');
      await options.getByTestId('import-problems').waitFor();
      expect(await axeViolations(options), scheme).toEqual([]);
    }
  });
});
