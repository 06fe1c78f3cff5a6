/**
 * Answers `scan` requests: finds digest titles in the page's candidate texts.
 * Keeps the signature prefilter of the loaded digest in memory (one read per
 * worker start, ~4 bytes per key) and reads only the key buckets that the
 * prefilter lets through, in one bulkGet.
 */
import { keyBucketOfSignature, type KeyEntry } from '../shared/title-index';
import { matchProbes, probeSignatures, type ScanHit, type ScanUnit } from '../shared/title-scanner';
import type { BundledDigestMeta, PaperPeekDatabase } from './db';
import { SIGNATURES_META_KEY, type StoredSignatures } from './digest-loader';

export interface TitleMatcher {
  scan(units: readonly ScanUnit[], digest: BundledDigestMeta): Promise<ScanHit[]>;
}

export function createTitleMatcher(db: PaperPeekDatabase): TitleMatcher {
  let cached: { version: string; prefilter: Promise<Set<number>> } | null = null;

  function prefilterFor(digest: BundledDigestMeta): Promise<Set<number>> {
    if (cached?.version !== digest.version) {
      const prefilter = db.meta.get(SIGNATURES_META_KEY).then((row) => {
        const stored = row?.value as StoredSignatures | undefined;
        if (stored?.version !== digest.version) throw new Error('the title index is missing for the loaded digest');
        return new Set(stored.signatures);
      });
      cached = { version: digest.version, prefilter };
      // A failed read is retried by the next request rather than cached.
      prefilter.catch(() => {
        if (cached?.prefilter === prefilter) cached = null;
      });
    }
    return cached.prefilter;
  }

  return {
    async scan(units, digest) {
      const probes = probeSignatures(units, await prefilterFor(digest));
      if (probes.length === 0) return [];
      const bucketOf = (signature: number) => keyBucketOfSignature(signature, digest.bucketCount);
      const numbers = [...new Set(probes.map((probe) => bucketOf(probe.signature)))];
      const rows = await db.keyBuckets.bulkGet(numbers);
      const entriesByBucket = new Map<number, readonly KeyEntry[]>();
      rows.forEach((row, i) => entriesByBucket.set(numbers[i] as number, row?.entries ?? []));
      return matchProbes(probes, (signature) => entriesByBucket.get(bucketOf(signature)) ?? []);
    },
  };
}
