/**
 * Papers are stored in hash buckets, not one row per paper. In Chromium each
 * IndexedDB put costs about 0.06 ms whatever its size, so 100k one-row-per-paper
 * writes take 6-10 s, while the same 137 MB in ~1,600 bucket rows takes under a
 * second (measured in the worker; see README, Benchmarks).
 *
 * Two bucket stores, both addressed by a hash modulo the bucket count:
 * - paper buckets by paper id: getPaper(id) is one get;
 * - key buckets by the signature of each match key (src/shared/title-index.ts):
 *   a scan reads only the buckets its signature hits point to, whatever the digest size.
 *
 * The build groups papers into buckets (the worker only writes them), so this
 * module is shared and pure.
 */
import { cyrb53 } from './hash';
import { normalizeTitle } from './normalize';
import { dropAmbiguousAliases, keyBucketOfSignature, keyEntriesOf, signatureOfKey, type KeyEntry } from './title-index';
import type { IndexedPaper } from './types';

/** Papers per bucket on average: a bucket row stays around 100 KB. */
export const PAPERS_PER_BUCKET = 64;
/** Seeds keep bucket placement independent of the id hash (ids are hashes too). */
const PAPER_BUCKET_SEED = 0x9e3779b9;

export type { KeyEntry };

export interface PaperBucket {
  bucket: number;
  papers: IndexedPaper[];
}

export interface KeyBucket {
  bucket: number;
  entries: KeyEntry[];
}

export function bucketCountFor(paperCount: number): number {
  return Math.max(1, Math.ceil(paperCount / PAPERS_PER_BUCKET));
}

export function paperBucketOf(id: string, bucketCount: number): number {
  return cyrb53(id, PAPER_BUCKET_SEED) % bucketCount;
}

export function keyBucketOf(key: string, bucketCount: number): number {
  return keyBucketOfSignature(signatureOfKey(key), bucketCount);
}

/**
 * The key bucket an entry is filed in. Skip entries (a title's second filing, for
 * a slip: title-index.ts) have buckets of their own, after the openings' ones,
 * so a scan that needs only openings does not read them.
 */
export function keyBucketOfEntry(entry: KeyEntry, bucketCount: number): number {
  return (entry[6] === 1 ? bucketCount : 0) + keyBucketOfSignature(entry[5], bucketCount);
}

/** Groups papers into paper buckets and key buckets (2 × bucketCount: openings, then skip entries); every bucket number in range is present. */
export function bucketize(
  papers: IndexedPaper[],
  bucketCount: number = bucketCountFor(papers.length),
): { paperBuckets: PaperBucket[]; keyBuckets: KeyBucket[] } {
  const paperBuckets: PaperBucket[] = Array.from({ length: bucketCount }, (_, bucket) => ({ bucket, papers: [] }));
  const keyBuckets: KeyBucket[] = Array.from({ length: 2 * bucketCount }, (_, bucket) => ({ bucket, entries: [] }));
  const entries: KeyEntry[] = [];
  for (const paper of papers) {
    (paperBuckets[paperBucketOf(paper.id, bucketCount)] as PaperBucket).papers.push(paper);
    entries.push(...keyEntriesOf(paper, normalizeTitle));
  }
  for (const entry of dropAmbiguousAliases(entries)) {
    (keyBuckets[keyBucketOfEntry(entry, bucketCount)] as KeyBucket).entries.push(entry);
  }
  return { paperBuckets, keyBuckets };
}
