/**
 * The background's answers to each protocol method. Payloads arrive already
 * validated by the router; every handler that reads papers waits for the digest.
 */
import { paperBucketOf } from '../shared/paper-buckets';
import type { Method, Payload, Reply, SenderKind } from '../shared/protocol';
import { fail, ok, type Result } from '../shared/result';
import type { IndexedPaper, Paper, SavedPaper } from '../shared/types';
import { BUNDLED_META_KEY, type DigestLoader } from './digest-loader';
import type { BundledDigestMeta, PaperPeekDatabase } from './db';
import { createTitleMatcher } from './title-matcher';

export type Handlers = {
  [M in Method]: (payload: Payload<M>, sender: SenderKind) => Promise<Result<Reply<M>>>;
};

export function toPaper(stored: IndexedPaper): Paper {
  const { id, title, abstract, links, digestDate, source } = stored;
  return { id, title, abstract, links, digestDate, source };
}

/** Reads one paper: one bucket get, whatever the digest size. */
export async function findPaper(db: PaperPeekDatabase, digest: BundledDigestMeta, id: string): Promise<IndexedPaper | undefined> {
  const bucket = await db.paperBuckets.get(paperBucketOf(id, digest.bucketCount));
  return bucket?.papers.find((paper) => paper.id === id);
}

export function createHandlers(db: PaperPeekDatabase, loader: DigestLoader, now: () => number = Date.now): Handlers {
  const matcher = createTitleMatcher(db);
  return {
    async scan({ units }) {
      const digest = await loader.whenReady();
      return ok({ hits: await matcher.scan(units, digest) });
    },

    async getPaper({ id }) {
      const stored = await findPaper(db, await loader.whenReady(), id);
      return ok({ paper: stored ? toPaper(stored) : null });
    },

    async stats() {
      // Answers at once, even mid-load: the popup shows progress instead of waiting.
      const progress = loader.progress();
      const [saved, meta] = await Promise.all([db.saved.count(), db.meta.get(BUNDLED_META_KEY)]);
      const digest = meta?.value as BundledDigestMeta | undefined;
      return ok({
        papers: progress === null ? (digest?.count ?? 0) : loader.writtenSoFar(),
        saved,
        digestDate: digest?.digestDate ?? '',
        digestVersion: digest?.version ?? '',
        loadingProgress: progress,
      });
    },

    async savePaper({ id }) {
      const digest = await loader.whenReady();
      const existing = await db.saved.get(id);
      if (existing) return ok({ saved: existing });
      const stored = await findPaper(db, digest, id);
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
      return ok({ saved: added ? saved : ((await db.saved.get(id)) ?? saved) });
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
