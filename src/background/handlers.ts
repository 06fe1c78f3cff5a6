/**
 * The background's answers to each protocol method. Payloads arrive already
 * validated by the router; every handler that reads papers waits for the digest.
 */
import { renderedUnits, spansOf } from '../shared/rendered-scan';
import {
  unitsOf,
  type Method,
  type Payload,
  type RelatedPaper,
  type Reply,
  type DigestNotice,
  type SavedNotice,
  type SettingsNotice,
  type SenderKind,
  type SyncStatus,
} from '../shared/protocol';
import { fail, ok, type Result } from '../shared/result';
import type { SavedPaper } from '../shared/types';
import { findPaper, findTitles, toPaper } from './papers';
import { BUNDLED_META_KEY, type DigestLoader } from './digest-loader';
import type { BundledDigestMeta, PaperPeekDatabase } from './db';
import { createTitleMatcher } from './title-matcher';
import { createRelatedReader } from './related-reader';
import { settingsFrom } from '../shared/settings';
import type { Corpus } from './imported-layer';
import { IMPORTED_LAYER_KEY, IMPORTED_SEARCH_KEY, ImportError, createImportCatalog, type ImportCatalog } from './imports';
import type { ImportedLayerMeta } from './imported-layer';
import type { SearchDoc } from '../shared/search';
import type { SyncEngine } from './sync';

export type Handlers = {
  [M in Method]: (payload: Payload<M>, sender: SenderKind, tabId?: number) => Promise<Result<Reply<M>>>;
};

/** Related papers a reply carries (the pack stores up to 8; the card shows the first few). */
const RELATED_SHOWN = 8;

/** Meta row holding the reader's settings (src/shared/settings.ts). */
export const SETTINGS_META_KEY = 'settings';

/** The full paper page (the hover card's "Open"). */
export const PAPER_PAGE = 'src/paper/index.html';

export interface HandlerEffects {
  /** Pushes a notice to every tab's content script (saved state of cards, settings, a changed set of papers). */
  notify(notice: SavedNotice | SettingsNotice | DigestNotice): void;
  /** Opens one of the extension's pages in a new tab. */
  openExtensionPage(path: string): Promise<void>;
  /** Shows how many digest papers a tab holds on the toolbar icon. */
  setBadge?(tabId: number, count: number): Promise<void>;
}

/** The badge text for a paper count: empty for none, `999+` past three digits. */
export function badgeText(count: number): string {
  return count <= 0 ? '' : count > 999 ? '999+' : String(count);
}

const NO_EFFECTS: HandlerEffects = { notify: () => undefined, openExtensionPage: async () => undefined };

/** An import failure the reader can act on is a clear `invalid-request`; anything else is thrown to the router. */
async function importStep<T>(step: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await step());
  } catch (error) {
    if (error instanceof ImportError) return fail('invalid-request', error.message);
    throw error;
  }
}

export function createHandlers(
  db: PaperPeekDatabase,
  loader: DigestLoader,
  now: () => number = Date.now,
  effects: HandlerEffects = NO_EFFECTS,
  catalog: ImportCatalog = createImportCatalog(db, loader, now),
  /** Reading-list sync; null where the browser has no sync storage (and in most unit tests). */
  sync: SyncEngine | null = null,
): Handlers {
  const { notify, openExtensionPage, setBadge } = effects;
  /** Every change to the reading list goes to sync, which batches them. */
  const listChanged = () => sync?.localChanged();
  const withSync = async (step: (engine: SyncEngine) => Promise<SyncStatus>): Promise<Result<SyncStatus>> =>
    sync ? ok(await step(sync)) : fail('internal', 'this browser has no sync storage');
  const matcher = createTitleMatcher(db);
  const relatedPapers = createRelatedReader(db);

  /** A paper's related papers with their titles: one pack read (cached) and one bulkGet. */
  async function relatedOf(corpus: Corpus, id: string): Promise<RelatedPaper[]> {
    const neighbours = (await relatedPapers.neighbours(corpus, id)).slice(0, RELATED_SHOWN);
    const titles = await findTitles(
      db,
      corpus,
      neighbours.map((n) => n.id),
    );
    return neighbours.flatMap((n) => {
      const title = titles.get(n.id);
      return title ? [{ id: n.id, title, reason: n.reason }] : [];
    });
  }
  async function updateSaved(id: string, change: Partial<Pick<SavedPaper, 'status' | 'note'>>): Promise<Result<{ saved: SavedPaper }>> {
    const updated = await db.transaction('rw', db.saved, async () => {
      const existing = await db.saved.get(id);
      if (!existing) return undefined;
      const next = { ...existing, ...change };
      await db.saved.put(next);
      return next;
    });
    if (updated) listChanged();
    return updated ? ok({ saved: updated }) : fail('not-found', 'this paper is not on the reading list');
  }

  return {
    async scan(payload) {
      return ok({ hits: await matcher.scan(unitsOf(payload), await catalog.corpus()) });
    },

    async scanRendered({ texts }) {
      const { units, tokens } = renderedUnits(texts);
      // Rendered text runs a link into a label beside it (`…linear modelsarxiv.org`,
      // the label set off by a margin): found glued here, judged on the exact read.
      return ok({ spans: spansOf(await matcher.scan(units, await catalog.corpus(), { gluedEnds: true }), tokens, texts) });
    },

    async getPaper({ id }) {
      const corpus = await catalog.corpus();
      const stored = await findPaper(db, corpus, id);
      return ok({ paper: stored ? toPaper(stored) : null, related: stored ? await relatedOf(corpus, id) : [] });
    },

    async openPaper({ id }) {
      await openExtensionPage(`${PAPER_PAGE}?id=${encodeURIComponent(id)}`);
      return ok({ opened: true });
    },

    async stats() {
      // Answers at once, even mid-load: the popup shows progress instead of waiting.
      const progress = loader.progress();
      const [saved, meta, layerRow, imports] = await Promise.all([
        db.saved.count(),
        db.meta.get(BUNDLED_META_KEY),
        db.meta.get(IMPORTED_LAYER_KEY),
        db.imports.count(),
      ]);
      const digest = meta?.value as BundledDigestMeta | undefined;
      const importedPapers = imports > 0 ? ((layerRow?.value as ImportedLayerMeta | undefined)?.count ?? 0) : 0;
      return ok({
        papers: (progress === null ? (digest?.count ?? 0) : loader.writtenSoFar()) + importedPapers,
        saved,
        digestDate: digest?.digestDate ?? '',
        digestVersion: digest?.version ?? '',
        loadingProgress: progress,
        importedPapers,
        imports,
      });
    },

    async savePaper({ id }) {
      const corpus = await catalog.corpus();
      const existing = await db.saved.get(id);
      if (existing) return ok({ saved: existing });
      const stored = await findPaper(db, corpus, id);
      if (!stored) return fail('not-found', `no paper with id ${id}`);
      const saved: SavedPaper = {
        id: stored.id,
        title: stored.title,
        abstract: stored.abstract,
        links: [...stored.links],
        digestDate: stored.digestDate,
        savedAt: now(),
        status: 'to-read',
        note: '',
      };
      // add, not put: if another tab saved it in between, its save (and note) wins.
      const added = await db.saved.add(saved).then(
        () => true,
        (error: unknown) => {
          if (error instanceof Error && error.name === 'ConstraintError') return false;
          throw error;
        },
      );
      notify({ type: 'saved', id, saved: true });
      if (added) listChanged();
      return ok({ saved: added ? saved : ((await db.saved.get(id)) ?? saved) });
    },

    async unsavePaper({ id }, sender) {
      // Check and delete in one transaction: a note written meanwhile in the popup
      // must not be deleted by a page's unsave that checked before it.
      const outcome = await db.transaction('rw', db.saved, async () => {
        const existing = await db.saved.get(id);
        if (!existing) return 'absent' as const;
        if (sender === 'content-script' && (existing.note !== '' || existing.status !== 'to-read')) return 'annotated' as const;
        await db.saved.delete(id);
        return 'removed' as const;
      });
      if (outcome === 'annotated') {
        return fail('forbidden', 'this paper has a note or a reading status: remove it from the reading list in the popup');
      }
      if (outcome === 'removed') {
        notify({ type: 'saved', id, saved: false });
        listChanged();
      }
      return ok({ removed: outcome === 'removed' });
    },

    async savedState({ ids }) {
      const rows = await db.saved.bulkGet(ids);
      return ok({ saved: rows.filter((row): row is SavedPaper => row !== undefined).map((row) => row.id) });
    },

    async getSettings() {
      return ok(settingsFrom((await db.meta.get(SETTINGS_META_KEY))?.value));
    },

    async setSettings(settings) {
      await db.meta.put({ name: SETTINGS_META_KEY, value: settings });
      notify({ type: 'settings', settings });
      return ok(settings);
    },

    async listSaved() {
      const papers = await db.saved.orderBy('savedAt').reverse().toArray();
      return ok({ papers });
    },

    async setSavedStatus({ id, status }) {
      return updateSaved(id, { status });
    },

    async setSavedNote({ id, note }) {
      return updateSaved(id, { note });
    },

    async importSaved({ papers }) {
      // One transaction: all of the file goes in, or none of it.
      const added = await db.transaction('rw', db.saved, async () => {
        const existing = await db.saved.bulkGet(papers.map((p) => p.id));
        const fresh = papers.filter((_, i) => existing[i] === undefined);
        await db.saved.bulkAdd(fresh);
        return fresh.map((p) => p.id);
      });
      // No notice per imported paper: thousands of them would go to every tab, and
      // only an open card shows saved state (marks never do; see main.iife.ts).
      if (added.length > 0) listChanged();
      return ok({ added: added.length, kept: papers.length - added.length });
    },

    checkImport: ({ contentId, ids }) => importStep(() => catalog.check(contentId, ids)),
    beginImport: (info) => importStep(async () => ({ token: await catalog.begin(info) })),
    addImportChunk: ({ token, index, papers }) => importStep(async () => ({ received: await catalog.addChunk(token, index, papers) })),
    commitImport: ({ token }) =>
      importStep(async () => {
        const digest = await catalog.commit(token);
        // Open tabs look for the new papers at once.
        notify({ type: 'digest' });
        return { digest };
      }),
    async cancelImport({ token }) {
      await catalog.cancel(token);
      return ok({ cancelled: true });
    },
    async listImports() {
      return ok({ digests: await catalog.list() });
    },
    async removeImport({ id }) {
      const removed = await catalog.remove(id);
      if (removed) notify({ type: 'digest' });
      return ok({ removed });
    },

    async importedSearchDocs() {
      const { imported } = await catalog.corpus();
      if (!imported) return ok({ version: '', docs: [] });
      const stored = (await db.meta.get(IMPORTED_SEARCH_KEY))?.value as { version: string; docs: SearchDoc[] } | undefined;
      return ok(stored?.version === imported.version ? stored : { version: imported.version, docs: [] });
    },

    getSyncStatus: () => withSync((engine) => engine.status()),
    setSyncEnabled: ({ enabled }) => withSync((engine) => engine.setEnabled(enabled)),
    syncNow: () => withSync((engine) => engine.syncNow()),

    async reportMarks({ count }, _sender, tabId) {
      if (tabId === undefined || !setBadge) return ok({ shown: false });
      await setBadge(tabId, count);
      return ok({ shown: true });
    },
  };
}
