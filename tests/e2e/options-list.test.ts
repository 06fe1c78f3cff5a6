/**
 * The reading list's safety from the options page (issue 7 §4), in real Chromium:
 * export, wipe the database, import, and the list is what it was; sync writes
 * ids, statuses and notes (no titles) to the browser's sync storage and takes
 * another device's changes from it.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedPaper } from '../../src/shared/types';
import { BUNDLED_PAPERS } from './bundled-papers';
import { launchExtension, openExtensionPage, sendFrom, waitFor, type ExtensionSession } from './harness';

const OPTIONS = 'src/options/index.html';

const listSaved = async (page: Page) => ((await sendFrom(page, 'listSaved', {})).value as unknown as { papers: SavedPaper[] }).papers;

/** chrome.storage.sync as an extension page sees it. */
type StorageGlobal = {
  chrome: { storage: { sync: { get(keys: null): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } } };
};
const syncItems = (page: Page) => page.evaluate(() => (globalThis as unknown as StorageGlobal).chrome.storage.sync.get(null));

describe('the reading list from the options page', () => {
  let session: ExtensionSession;

  beforeAll(async () => {
    session = await launchExtension();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('exports, survives a wiped database, and imports back to the same list', async () => {
    const options = await openExtensionPage(session, OPTIONS);
    const [a, b, c] = BUNDLED_PAPERS;
    for (const paper of [a, b, c]) expect((await sendFrom(options, 'savePaper', { id: paper!.id })).ok).toBe(true);
    expect((await sendFrom(options, 'setSavedStatus', { id: b!.id, status: 'reading' })).ok).toBe(true);
    expect((await sendFrom(options, 'setSavedNote', { id: c!.id, note: 'Compare with "Pointer Networks", §3 <b>not bold</b>' })).ok).toBe(true);
    const original = await listSaved(options);
    expect(original).toHaveLength(3);

    await options.reload();
    await options.getByTestId('saved-count').waitFor();
    expect(await options.getByTestId('saved-count').textContent()).toMatch(/^3 saved papers/);
    const [download] = await Promise.all([options.waitForEvent('download'), options.getByRole('button', { name: 'JSON', exact: true }).click()]);
    const exported = readFileSync(await download.path(), 'utf8');

    // Wipe: the database is deleted under the running worker, which is then restarted.
    await options.evaluate(
      () =>
        new Promise<void>((done, failed) => {
          const request = indexedDB.deleteDatabase('paperpeek');
          request.onsuccess = () => done();
          request.onerror = () => failed(request.error);
        }),
    );
    await session.stopWorkers();
    await options.reload();
    await waitFor(async () => (await listSaved(options)).length === 0 || null, 'the wiped list');
    await options.getByTestId('saved-count').waitFor();
    expect(await options.getByTestId('saved-count').textContent()).toMatch(/^0 saved papers/);

    await options.locator('input[type=file][accept="application/json,.json"]').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await options.getByTestId('list-message').waitFor();
    expect(await options.getByTestId('list-message').textContent()).toBe('Imported 3 papers.');
    const restored = await listSaved(options);
    expect(restored).toEqual(original);
    await options.close();
  });

  it('syncs ids, statuses and notes through the browser’s sync storage, and takes another device’s changes', async () => {
    const options = await openExtensionPage(session, OPTIONS);
    await options.getByLabel('Sync my reading list through the browser’s own sync').check();
    await options.getByTestId('sync-status').waitFor();
    await waitFor(async () => /Last synced/.test((await options.getByTestId('sync-status').textContent()) ?? ''), 'the first sync');

    const items = await syncItems(options);
    const text = JSON.stringify(items);
    const saved = await listSaved(options);
    for (const paper of saved) {
      expect(text).toContain(paper.id);
      // Titles and abstracts never leave the device.
      expect(text).not.toContain(paper.title);
    }
    expect(text).toContain('Compare with \\"Pointer Networks\\"');

    // Another device saves a paper and sets it to "read": its record arrives in sync storage.
    const other = BUNDLED_PAPERS[10]!;
    const now = Date.now();
    const t = (ms: number) => ms.toString(36);
    await options.evaluate(
      async ([id, savedAt, at]) => {
        const sync = (globalThis as unknown as StorageGlobal).chrome.storage.sync;
        const all = await sync.get(null);
        const shard = Object.keys(all).find((key) => key.startsWith('pp.s')) as string;
        await sync.set({ [shard]: [...(all[shard] as unknown[]), [id, 2, savedAt, at, at, '0', 'from the other device']] });
      },
      [other.id, t(now), t(now)] as const,
    );
    await waitFor(async () => (await listSaved(options)).find((p) => p.id === other.id) ?? null, 'the paper saved on the other device', 20_000);
    const arrived = (await listSaved(options)).find((p) => p.id === other.id)!;
    expect(arrived).toMatchObject({ title: other.title, abstract: other.abstract, status: 'read', note: 'from the other device' });
    await options.close();
  });
});
