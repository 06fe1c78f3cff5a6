/**
 * The background's answers to each protocol method. Payloads arrive already
 * validated by the router; every handler that reads papers waits for the digest.
 */
import { ok, fail } from '../shared/result';
import type { Method, Payload, Reply, SenderKind, PaperMatch } from '../shared/protocol';
import type { Result } from '../shared/result';
import type { Paper, SavedPaper } from '../shared/types';
import { BUNDLED_META_KEY, type DigestLoader } from './digest-loader';
import type { BundledDigestMeta, PaperPeekDatabase, PaperRow } from './db';

export type Handlers = {
  [M in Method]: (payload: Payload<M>, sender: SenderKind) => Promise<Result<Reply<M>>>;
};

export function toPaper(row: PaperRow): Paper {
  const { id, title, abstract, links, digestDate, source } = row;
  return { id, title, abstract, links, digestDate, source };
}

export function createHandlers(db: PaperPeekDatabase, loader: DigestLoader, now: () => number = Date.now): Handlers {
  return {
    async lookup({ keys }) {
      await loader.whenReady();
      const unique = [...new Set(keys)].filter((key) => key !== '');
      const rows = unique.length === 0 ? [] : await db.papers.where('key').anyOf(unique).toArray();
      const matches: PaperMatch[] = rows.map((row) => ({ key: row.key, id: row.id, title: row.title }));
      return ok({ matches });
    },

    async getPaper({ id }) {
      await loader.whenReady();
      const row = await db.papers.get(id);
      return ok({ paper: row ? toPaper(row) : null });
    },

    async stats() {
      // Answers at once, even mid-load: the popup shows progress instead of waiting.
      // Mid-load it does not touch the papers table, whose reads queue behind the
      // load's write transactions.
      const progress = loader.progress();
      const [papers, saved, meta] = await Promise.all([
        progress === null ? db.papers.count() : loader.writtenSoFar(),
        db.saved.count(),
        db.meta.get(BUNDLED_META_KEY),
      ]);
      const digest = meta?.value as BundledDigestMeta | undefined;
      return ok({
        papers,
        saved,
        digestDate: digest?.digestDate ?? '',
        digestVersion: digest?.version ?? '',
        loadingProgress: progress,
      });
    },

    async savePaper({ id }) {
      await loader.whenReady();
      const result = await db.transaction('rw', db.papers, db.saved, async (): Promise<Result<Reply<'savePaper'>>> => {
        const existing = await db.saved.get(id);
        if (existing) return ok({ saved: existing });
        const row = await db.papers.get(id);
        if (!row) return fail('not-found', `no paper with id ${id}`);
        const saved: SavedPaper = {
          id: row.id,
          title: row.title,
          abstract: row.abstract,
          links: [...row.links],
          digestDate: row.digestDate,
          savedAt: now(),
          status: 'to-read',
          note: '',
        };
        await db.saved.put(saved);
        return ok({ saved });
      });
      return result;
    },

    async unsavePaper({ id }) {
      const existing = await db.saved.get(id);
      if (existing) await db.saved.delete(id);
      return ok({ removed: existing !== undefined });
    },

    async savedState({ ids }) {
      const rows = await db.saved.bulkGet(ids);
      return ok({ saved: rows.filter((row): row is SavedPaper => row !== undefined).map((row) => row.id) });
    },

    async listSaved() {
      const papers = await db.saved.orderBy('savedAt').reverse().toArray();
      return ok({ papers });
    },
  };
}
