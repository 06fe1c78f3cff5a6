/**
 * Reading papers by id from what the worker serves: the bundled digest's
 * buckets and, when there are imports, the imported layer's.
 */
import Dexie from 'dexie';
import { paperBucketOf } from '../shared/paper-buckets';
import { papersOf, titlesOf, type StoredPaperBucket } from '../shared/packed-buckets';
import type { IndexedPaper, Paper } from '../shared/types';
import type { PaperPeekDatabase } from './db';
import type { Corpus } from './imported-layer';

export function toPaper(stored: IndexedPaper): Paper {
  const { id, title, abstract, links, digestDate, source } = stored;
  return { id, title, abstract, links, digestDate, source };
}

/** Reads one paper: one bucket get per layer, whatever the digest size. */
export async function findPaper(db: PaperPeekDatabase, corpus: Corpus, id: string): Promise<IndexedPaper | undefined> {
  return (await findPapers(db, corpus, [id])).get(id);
}

/** Reads papers by id from the bundled digest and the imported layer: one bulkGet per layer. */
export function findPapers(db: PaperPeekDatabase, corpus: Corpus, ids: readonly string[]): Promise<Map<string, IndexedPaper>> {
  return findInBuckets(db, corpus, ids, papersOf);
}

/** Reads the titles of papers by id without inflating a packed bucket (a card's related papers). */
export async function findTitles(db: PaperPeekDatabase, corpus: Corpus, ids: readonly string[]): Promise<Map<string, string>> {
  const found = await findInBuckets(db, corpus, ids, titlesOf);
  return new Map([...found].map(([id, { title }]) => [id, title]));
}

/**
 * The first layer's entry for each id: the bundled digest, then the imported layer for what it lacks.
 * Safe inside a transaction (sync.ts reads papers in one): inflating a packed
 * bucket is not IndexedDB work, and IndexedDB would commit a transaction that
 * waits on it, so Dexie.waitFor keeps the transaction alive meanwhile.
 */
async function findInBuckets<T extends { id: string }>(
  db: PaperPeekDatabase,
  corpus: Corpus,
  ids: readonly string[],
  entriesOf: (row: StoredPaperBucket) => T[] | Promise<T[]>,
): Promise<Map<string, T>> {
  const wanted = new Set(ids);
  const found = new Map<string, T>();
  const read = async (table: { bulkGet(keys: number[]): Promise<(StoredPaperBucket | undefined)[]> }, bucketCount: number) => {
    const rows = await table.bulkGet([...new Set(ids.map((id) => paperBucketOf(id, bucketCount)))]);
    const entries = Promise.all(rows.map((row) => (row ? entriesOf(row) : [])));
    for (const entry of (await (Dexie.currentTransaction ? Dexie.waitFor(entries) : entries)).flat()) {
      if (wanted.has(entry.id) && !found.has(entry.id)) found.set(entry.id, entry);
    }
  };
  await read(db.paperBuckets, corpus.bundled.bucketCount);
  if (corpus.imported && found.size < wanted.size) await read(db.importedPaperBuckets, corpus.imported.bucketCount);
  return found;
}
