/**
 * Papers are stored in hash buckets, not one row per paper. In Chromium each
 * IndexedDB put costs about 0.06 ms whatever its size, so 100k one-row-per-paper
 * writes take 6-10 s, while the same 137 MB in ~1,600 bucket rows takes under a
 * second (measured in the worker; see README, Benchmarks).
 *
 * Two bucket stores, both addressed by a hash modulo the bucket count:
 * - paper buckets by paper id: getPaper(id) is one get;
 * - key buckets by match key: lookup(keys) is one bulkGet, whatever the digest size.
 *
 * The build groups papers into buckets (the worker only writes them), so this
 * module is shared and pure.
 */
import { cyrb53 } from './hash';
import type { IndexedPaper } from './types';

/** Papers per bucket on average: a bucket row stays around 100 KB. */
export const PAPERS_PER_BUCKET = 64;
/** Seeds keep bucket placement independent of the id hash (ids are hashes too). */
const PAPER_BUCKET_SEED = 0x9e3779b9;
const KEY_BUCKET_SEED = 0x85ebca6b;

/** One match key of a paper: [key, paper id, title]. The title lets a lookup answer in one read. */
export type KeyEntry = [key: string, id: string, title: string];

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
  return cyrb53(key, KEY_BUCKET_SEED) % bucketCount;
}

/** Groups papers into paper buckets and key buckets; every bucket number in range is present. */
export function bucketize(
  papers: IndexedPaper[],
  bucketCount: number = bucketCountFor(papers.length),
): { paperBuckets: PaperBucket[]; keyBuckets: KeyBucket[] } {
  const paperBuckets: PaperBucket[] = Array.from({ length: bucketCount }, (_, bucket) => ({ bucket, papers: [] }));
  const keyBuckets: KeyBucket[] = Array.from({ length: bucketCount }, (_, bucket) => ({ bucket, entries: [] }));
  for (const paper of papers) {
    (paperBuckets[paperBucketOf(paper.id, bucketCount)] as PaperBucket).papers.push(paper);
    (keyBuckets[keyBucketOf(paper.key, bucketCount)] as KeyBucket).entries.push([paper.key, paper.id, paper.title]);
  }
  return { paperBuckets, keyBuckets };
}
