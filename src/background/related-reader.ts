/**
 * Reads a paper's related papers from the packs the worker stored: the bundled
 * digest's (built with the extension), and, when there are imports, the one
 * recomputed with them (imported-layer.ts), which is asked first. Each pack is
 * one meta row, read once per worker start or layer change and kept in memory
 * (~10 MB at 100k papers); a lookup is a binary search, O(log N + k).
 */
import { readNeighbours, type PackedRelated, type RelatedNeighbour } from '../shared/related';
import type { PaperPeekDatabase } from './db';
import { RELATED_META_KEY, type StoredRelated } from './digest-loader';
import type { Corpus } from './imported-layer';
import { IMPORTED_RELATED_KEY } from './imports';

export interface RelatedReader {
  neighbours(corpus: Corpus, id: string): Promise<RelatedNeighbour[]>;
}

export function createRelatedReader(db: PaperPeekDatabase): RelatedReader {
  const packs = new Map<string, { version: string; pack: Promise<PackedRelated | null> }>();

  function packOf(metaKey: string, version: string): Promise<PackedRelated | null> {
    const current = packs.get(metaKey);
    if (current?.version === version) return current.pack;
    const pack = db.meta.get(metaKey).then((row) => {
      const stored = row?.value as StoredRelated | undefined;
      return stored?.version === version ? stored.pack : null;
    });
    const entry = { version, pack };
    packs.set(metaKey, entry);
    pack.catch(() => {
      if (packs.get(metaKey) === entry) packs.delete(metaKey);
    });
    return pack;
  }

  return {
    async neighbours(corpus, id) {
      if (corpus.imported) {
        const overlay = await packOf(IMPORTED_RELATED_KEY, corpus.imported.version);
        const found = overlay ? readNeighbours(overlay, id) : undefined;
        if (found) return found;
      }
      const bundled = await packOf(RELATED_META_KEY, corpus.bundled.version);
      return bundled ? (readNeighbours(bundled, id) ?? []) : [];
    },
  };
}
