import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperPeekDatabase } from '../../src/background/db';
import { createDigestLoader, type BundledDigestInfo, type DigestPart } from '../../src/background/digest-loader';
import { badgeText, createHandlers } from '../../src/background/handlers';
import { createRouter } from '../../src/background/router';
import { bucketCountFor, bucketize } from '../../src/shared/paper-buckets';
import { normalizeTitle, paperIdForTitle } from '../../src/shared/normalize';
import type { Result } from '../../src/shared/result';
import type { IndexedPaper, SavedPaper } from '../../src/shared/types';

const paper = (title: string): IndexedPaper => ({
  id: paperIdForTitle(title),
  title,
  abstract: `Abstract of ${title}.`,
  links: [],
  digestDate: 'Mar 13',
  source: 't.txt',
  key: normalizeTitle(title),
});
const digest = [paper('Pointer Networks'), paper('Deep Model Assembling')];
const info: BundledDigestInfo = { version: 'v1', digestDate: 'Mar 13', count: digest.length, bucketCount: bucketCountFor(digest.length) };
async function* read(): AsyncGenerator<DigestPart> {
  yield bucketize(structuredClone(digest), info.bucketCount);
}
const unwrap = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

let db: PaperPeekDatabase;
let n = 0;
const notices: unknown[] = [];
const badges: [number, number][] = [];
const handlers = () =>
  createHandlers(db, createDigestLoader(db, info, read), () => 1000, {
    notify: (notice) => notices.push(notice),
    openExtensionPage: async () => undefined,
    setBadge: async (tabId, count) => void badges.push([tabId, count]),
  });
beforeEach(() => {
  db = new PaperPeekDatabase(`paperpeek-list-${++n}`);
  notices.length = 0;
  badges.length = 0;
});
afterEach(() => db.delete());

const POINTER = paperIdForTitle('Pointer Networks');
const saved = (id: string, extra: Partial<SavedPaper> = {}): SavedPaper => ({
  id,
  title: id,
  abstract: '',
  links: [],
  digestDate: '',
  savedAt: 5,
  status: 'to-read',
  note: '',
  ...extra,
});

describe('reading list handlers', () => {
  it('sets status and note, and refuses papers not on the list', async () => {
    const h = handlers();
    unwrap(await h.savePaper({ id: POINTER }, 'extension-page'));
    expect(unwrap(await h.setSavedStatus({ id: POINTER, status: 'read' }, 'extension-page')).saved.status).toBe('read');
    expect(unwrap(await h.setSavedNote({ id: POINTER, note: 'ok' }, 'extension-page')).saved).toMatchObject({ status: 'read', note: 'ok' });
    const missing = await h.setSavedNote({ id: 'nope', note: 'x' }, 'extension-page');
    expect(missing.ok).toBe(false);
  });

  it('imports new papers and keeps existing ones untouched, in one transaction', async () => {
    const h = handlers();
    unwrap(await h.savePaper({ id: POINTER }, 'extension-page'));
    unwrap(await h.setSavedNote({ id: POINTER, note: 'mine' }, 'extension-page'));
    const reply = unwrap(await h.importSaved({ papers: [saved(POINTER, { note: 'theirs' }), saved('other', { status: 'reading' })] }, 'extension-page'));
    expect(reply).toEqual({ added: 1, kept: 1 });
    expect((await db.saved.get(POINTER))?.note).toBe('mine');
    expect(await db.saved.get('other')).toEqual(saved('other', { status: 'reading' }));
    // A bulk import sends no per-paper notice to every tab (only an open card shows saved state).
    expect(notices).toEqual([{ type: 'saved', id: POINTER, saved: true }]);
  });

  it('sets the badge of the reporting tab only', async () => {
    const h = handlers();
    expect(unwrap(await h.reportMarks({ count: 3 }, 'content-script', 7))).toEqual({ shown: true });
    expect(unwrap(await h.reportMarks({ count: 3 }, 'content-script'))).toEqual({ shown: false });
    expect(badges).toEqual([[7, 3]]);
    expect([0, 1, 999, 1000].map(badgeText)).toEqual(['', '1', '999', '999+']);
  });
});

describe('reading list requests through the router', () => {
  const identity = { runtimeId: 'ext', extensionOrigin: 'chrome-extension://ext/' };
  const page = { id: 'ext', url: 'chrome-extension://ext/src/popup/index.html' };
  const content = { id: 'ext', url: 'https://example.org/', tab: { id: 9 } };

  it('lets only extension pages change status, note or import, and only tabs report marks', async () => {
    const route = createRouter(handlers(), identity, () => undefined);
    for (const [method, payload] of [
      ['setSavedStatus', { id: POINTER, status: 'read' }],
      ['setSavedNote', { id: POINTER, note: 'x' }],
      ['importSaved', { papers: [] }],
    ] as const) {
      const reply = await route({ method, payload }, content);
      expect(reply.ok ? 'ok' : reply.error.code).toBe('forbidden');
    }
    expect(await route({ method: 'reportMarks', payload: { count: 2 } }, content)).toEqual({ ok: true, value: { shown: true } });
    expect(badges).toEqual([[9, 2]]);
    const fromPage = await route({ method: 'reportMarks', payload: { count: 2 } }, page);
    expect(fromPage.ok ? 'ok' : fromPage.error.code).toBe('forbidden');
    const badStatus = await route({ method: 'setSavedStatus', payload: { id: POINTER, status: 'done' } }, page);
    expect(badStatus.ok ? 'ok' : badStatus.error.code).toBe('invalid-request');
    const badCount = await route({ method: 'reportMarks', payload: { count: -1 } }, content);
    expect(badCount.ok ? 'ok' : badCount.error.code).toBe('invalid-request');
  });
});
