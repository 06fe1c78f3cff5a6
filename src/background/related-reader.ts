/**
 * Reads a paper's related papers from the pack the loader stored (one meta row,
 * read once per worker start and kept in memory: ~10 MB at 100k papers, and a
 * lookup is a binary search, O(log N + k)).
 */
import { readNeighbours, type RelatedNeighbour } from '../shared/related';
import type { BundledDigestMeta, PaperPeekDatabase } from './db';
import { RELATED_META_KEY, type StoredRelated } from './digest-loader';

export interface RelatedReader {
  neighbours(digest: BundledDigestMeta, id: string): Promise<RelatedNeighbour[]>;
}

export function createRelatedReader(db: PaperPeekDatabase): RelatedReader {
  let cached: { version: string; pack: Promise<StoredRelated['pack'] | null> } | null = null;
  return {
    async neighbours(digest, id) {
      if (cached?.version !== digest.version) {
        const pack = db.meta.get(RELATED_META_KEY).then((row) => {
          const stored = row?.value as StoredRelated | undefined;
          return stored?.version === digest.version ? stored.pack : null;
        });
        cached = { version: digest.version, pack };
        pack.catch(() => (cached = null));
      }
      const pack = await cached.pack;
      return pack ? (readNeighbours(pack, id) ?? []) : [];
    },
  };
}
