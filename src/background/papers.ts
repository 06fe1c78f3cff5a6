/**
 * Reading papers by id from what the worker serves: the bundled digest's
 * buckets and, when there are imports, the imported layer's.
 */
import { paperBucketOf } from '../shared/paper-buckets';
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
export async function findPapers(db: PaperPeekDatabase, corpus: Corpus, ids: readonly string[]): Promise<Map<string, IndexedPaper>> {
  const wanted = new Set(ids);
  const found = new Map<string, IndexedPaper>();
  const read = async (table: PaperPeekDatabase['paperBuckets'], bucketCount: number) => {
    const rows = await table.bulkGet([...new Set(ids.map((id) => paperBucketOf(id, bucketCount)))]);
    for (const row of rows) for (const paper of row?.papers ?? []) if (wanted.has(paper.id) && !found.has(paper.id)) found.set(paper.id, paper);
  };
  await read(db.paperBuckets, corpus.bundled.bucketCount);
  if (corpus.imported && found.size < wanted.size) await read(db.importedPaperBuckets, corpus.imported.bucketCount);
  return found;
}

