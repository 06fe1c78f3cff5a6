import { describe, expect, it } from 'vitest';
import { bucketCountFor, bucketize, keyBucketOf, paperBucketOf, PAPERS_PER_BUCKET } from '../../src/shared/paper-buckets';
import { keyBucketOfSignature } from '../../src/shared/title-index';
import { normalizeTitle, paperIdForTitle } from '../../src/shared/normalize';

const papers = Array.from({ length: 5000 }, (_, i) => {
  const title = `A Study of Things, Part ${i}`;
  return { id: paperIdForTitle(title), key: normalizeTitle(title), title, abstract: '', links: [], digestDate: '', source: 'x' };
});

describe('paper buckets', () => {
  it('sizes the bucket count to the digest', () => {
    expect(bucketCountFor(0)).toBe(1);
    expect(bucketCountFor(81)).toBe(2);
    expect(bucketCountFor(100_000)).toBe(Math.ceil(100_000 / PAPERS_PER_BUCKET));
  });

  it('puts every paper in the bucket its id hashes to, and every key in its key bucket', () => {
    const count = bucketCountFor(papers.length);
    const { paperBuckets, keyBuckets } = bucketize(papers, count);
    expect(paperBuckets.map((b) => b.bucket)).toEqual([...Array(count).keys()]);
    expect(keyBuckets.map((b) => b.bucket)).toEqual([...Array(2 * count).keys()]); // openings, then skip entries
    for (const bucket of paperBuckets) for (const p of bucket.papers) expect(paperBucketOf(p.id, count)).toBe(bucket.bucket);
    // A key's first filing is where its key hashes to; a typo anchor's, where its own signature does.
    for (const bucket of keyBuckets) {
      for (const entry of bucket.entries) {
        expect(keyBucketOfSignature(entry[5], count) + (entry[6] === 1 ? count : 0)).toBe(bucket.bucket);
        if (entry[6] === undefined) expect(keyBucketOf(entry[0], count)).toBe(bucket.bucket);
      }
    }
    expect(paperBuckets.reduce((n, b) => n + b.papers.length, 0)).toBe(papers.length);
    expect(keyBuckets.flatMap((b) => b.entries).filter((entry) => entry[6] === undefined)).toHaveLength(papers.length);
  });

  it('spreads papers evenly enough that no paper bucket is a hot spot', () => {
    const { paperBuckets } = bucketize(papers);
    expect(Math.max(...paperBuckets.map((b) => b.papers.length))).toBeLessThan(PAPERS_PER_BUCKET * 2);
  });

  it('files keys by their first three words: titles with distinct openings spread evenly', () => {
    // Key buckets follow title openings on purpose (a scan reads a bucket per opening it
    // meets); titles that all open alike ("A Study of ...", above) share one bucket.
    const varied = Array.from({ length: 5000 }, (_, i) => {
      const title = `Topic${i % 997} Method${i} for Task ${i}`;
      return { ...papers[0]!, id: paperIdForTitle(title), key: normalizeTitle(title), title };
    });
    const { keyBuckets } = bucketize(varied);
    // Entries, not papers: a key of five words or more is filed twice (its typo anchor).
    const entries = keyBuckets.reduce((n, b) => n + b.entries.length, 0);
    expect(Math.max(...keyBuckets.map((b) => b.entries.length))).toBeLessThan((2 * entries) / keyBuckets.length);
  });
});
