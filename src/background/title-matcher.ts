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

/**
 * Key buckets kept in memory between scans (most recently used last), grouped by
 * signature so a probe compares only the keys that open the way it does. Pages of
 * one field cite the same openings again and again; 512 buckets are ~8 MB at most.
 */
const CACHED_BUCKETS = 512;

export function createTitleMatcher(db: PaperPeekDatabase): TitleMatcher {
  let cached: { version: string; prefilter: Promise<Set<number>> } | null = null;
  /** Bucket number -> its entries grouped by signature. */
  let bucketCache = new Map<number, Map<number, KeyEntry[]>>();
  let bucketCacheVersion = '';

  async function readBuckets(numbers: number[], digest: BundledDigestMeta): Promise<Map<number, Map<number, KeyEntry[]>>> {
    if (bucketCacheVersion !== digest.version) {
      bucketCache = new Map();
      bucketCacheVersion = digest.version;
    }
    const found = new Map<number, Map<number, KeyEntry[]>>();
    const missing: number[] = [];
    for (const number of numbers) {
      const entries = bucketCache.get(number);
      if (entries) {
        found.set(number, entries);
        bucketCache.delete(number);
        bucketCache.set(number, entries);
      } else missing.push(number);
    }
    if (missing.length > 0) {
      const rows = await db.keyBuckets.bulkGet(missing);
      rows.forEach((row, i) => {
        const number = missing[i] as number;
        const bySignature = new Map<number, KeyEntry[]>();
        for (const entry of row?.entries ?? []) {
          const group = bySignature.get(entry[5]);
          if (group) group.push(entry);
          else bySignature.set(entry[5], [entry]);
        }
        found.set(number, bySignature);
        bucketCache.set(number, bySignature);
      });
      for (const oldest of bucketCache.keys()) {
        if (bucketCache.size <= CACHED_BUCKETS) break;
        bucketCache.delete(oldest);
      }
    }
    return found;
  }

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
      const entriesByBucket = await readBuckets(numbers, digest);
      return matchProbes(probes, (signature) => entriesByBucket.get(bucketOf(signature))?.get(signature) ?? []);
    },
  };
}
