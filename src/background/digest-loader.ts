/**
 * Loads the digest bundled with the extension into IndexedDB when its version (a
 * content hash) differs from what the database holds. Runs on every worker start,
 * so it must be cheap when nothing changed and idempotent when a previous load
 * was cut short (Chrome stops idle workers; an update can land mid-load).
 *
 * The build has already grouped the papers into hash buckets
 * (src/shared/paper-buckets.ts): the loader writes packaged parts as they come.
 * The version is recorded last, and every request waits for the load, so a
 * half-written digest is never served: a cut-short load is simply redone.
 *
 * The reading list is never touched: saved papers keep their own copy of the text.
 */
import type { KeyBucket } from '../shared/paper-buckets';
import { paperCountOf, type PackedPaperBucket, type StoredPaperBucket } from '../shared/packed-buckets';
import type { PackedRelated } from '../shared/related';
import type { BundledDigestMeta, PaperPeekDatabase } from './db';

export const BUNDLED_META_KEY = 'bundledDigest';
/** Meta row holding every paper's related papers for the bundled digest. */
export const RELATED_META_KEY = 'relatedPapers';

export interface StoredRelated {
  version: string;
  pack: PackedRelated;
}

/** Meta row holding the signature prefilter of the bundled digest's keys. */
export const SIGNATURES_META_KEY = 'titleSignatures';

/** The prefilter as stored: every key signature once, for one digest version. */
export interface StoredSignatures {
  version: string;
  signatures: Uint32Array;
}
export const RETRY_AFTER_MS = 10_000;

/** Facts about the bundled digest, known at build time. */
export interface BundledDigestInfo {
  version: string;
  digestDate: string;
  count: number;
  bucketCount: number;
}

/** One packaged part of the bundled digest: a range of both bucket stores. */
export interface DigestPart {
  paperBuckets: StoredPaperBucket[];
  keyBuckets: KeyBucket[];
}

export interface DigestLoader {
  /** Resolves with the loaded digest's record once the database holds it; retries after a failure. */
  whenReady(): Promise<BundledDigestMeta>;
  /** Fraction loaded while a load is running, otherwise null. */
  progress(): number | null;
  /** Papers written by the running load (meaningful while progress() is not null). */
  writtenSoFar(): number;
  /** Forget the verified state, e.g. after the database was closed under us. */
  reset(): void;
}

export function createDigestLoader(
  db: PaperPeekDatabase,
  info: BundledDigestInfo,
  readParts: () => AsyncIterable<DigestPart>,
  now: () => number = Date.now,
  /** The related-papers pack of this digest; null when the build has none. */
  readRelated: () => Promise<PackedRelated | null> = async () => null,
): DigestLoader {
  let loading: Promise<BundledDigestMeta> | null = null;
  // A load that failed (say, a corrupt package) is not retried by every request
  // from every tab: requests within RETRY_AFTER_MS get the same error at once.
  let lastFailure: { at: number; error: unknown } | null = null;
  let fraction: number | null = null;
  let written = 0;

  async function load(): Promise<BundledDigestMeta> {
    const current = (await db.meta.get(BUNDLED_META_KEY))?.value as BundledDigestMeta | undefined;
    if (current?.version === info.version) return current;
    fraction = 0;
    written = 0;
    const startedAt = Date.now();
    const signatures = new Set<number>();
    const related = readRelated(); // read while the parts are written
    related.catch(() => undefined);
    // Time spent waiting for the next part, as opposed to writing (for benchmarks).
    let readWaitMs = 0;
    let waitFrom = Date.now();
    for await (const part of readParts()) {
      readWaitMs += Date.now() - waitFrom;
      for (const bucket of part.keyBuckets) for (const entry of bucket.entries) signatures.add(entry[5]);
      await db.transaction('rw', db.paperBuckets, db.keyBuckets, async () => {
        await db.paperBuckets.bulkPut(part.paperBuckets);
        await db.keyBuckets.bulkPut(part.keyBuckets);
      });
      written += part.paperBuckets.reduce((sum, bucket) => sum + paperCountOf(bucket), 0);
      fraction = Math.min(1, written / Math.max(1, info.count));
      waitFrom = Date.now();
    }
    readWaitMs += Date.now() - waitFrom;
    if (written !== info.count) {
      throw new Error(`the packaged digest holds ${written} papers, the build announced ${info.count}`);
    }
    const record: BundledDigestMeta = {
      version: info.version,
      digestDate: info.digestDate,
      count: written,
      bucketCount: info.bucketCount,
      loadedAt: Date.now(),
      loadMs: 0,
    };
    // Drop buckets a larger previous digest had beyond this one's range, and
    // record the version, in one transaction.
    // Awaited outside the transaction: IndexedDB commits a transaction that waits on anything else.
    waitFrom = Date.now();
    const pack = await related;
    readWaitMs += Date.now() - waitFrom;
    await db.transaction('rw', db.paperBuckets, db.keyBuckets, db.meta, async () => {
      await db.paperBuckets.where('bucket').aboveOrEqual(info.bucketCount).delete();
      // Key buckets number twice as many: openings, then skip entries (paper-buckets.ts).
      await db.keyBuckets.where('bucket').aboveOrEqual(2 * info.bucketCount).delete();
      record.loadMs = Date.now() - startedAt;
      record.readWaitMs = readWaitMs;
      const stored: StoredSignatures = { version: info.version, signatures: Uint32Array.from(signatures) };
      await db.meta.put({ name: SIGNATURES_META_KEY, value: stored });
      if (pack) await db.meta.put({ name: RELATED_META_KEY, value: { version: info.version, pack } satisfies StoredRelated });
      else await db.meta.delete(RELATED_META_KEY);
      await db.meta.put({ name: BUNDLED_META_KEY, value: record });
    });
    return record;
  }

  return {
    whenReady() {
      if (loading) return loading;
      if (lastFailure && now() - lastFailure.at < RETRY_AFTER_MS) return Promise.reject(lastFailure.error);
      const attempt: Promise<BundledDigestMeta> = load().then(
        (record) => {
          if (loading === attempt) fraction = null;
          lastFailure = null;
          return record;
        },
        (error: unknown) => {
          // Only the current attempt may clear the state: after reset() a newer load owns it.
          if (loading === attempt) {
            loading = null;
            fraction = null;
            lastFailure = { at: now(), error };
          }
          throw error;
        },
      );
      loading = attempt;
      return attempt;
    },
    progress: () => fraction,
    writtenSoFar: () => written,
    reset() {
      loading = null;
      lastFailure = null;
    },
  };
}

/**
 * Checks a packaged part's shape and version before any of it is written. A part
 * is its JSON (the key buckets, and where each packed paper bucket lies) and the
 * packed paper buckets end to end (`papers`, see src/shared/packed-buckets.ts).
 */
export function parseDigestPart(json: unknown, papers: ArrayBuffer, info: BundledDigestInfo): DigestPart {
  if (typeof json !== 'object' || json === null) throw new Error('a bundled digest part is not a JSON object');
  const { version, bucketCount, paperBuckets, keyBuckets } = json as Record<string, unknown>;
  if (version !== info.version || bucketCount !== info.bucketCount) {
    throw new Error(`bundled digest part ${String(version)}/${String(bucketCount)} does not match the build (${info.version}/${info.bucketCount})`);
  }
  if (!Array.isArray(paperBuckets) || !Array.isArray(keyBuckets)) throw new Error('a bundled digest part has no buckets');
  const rows: PackedPaperBucket[] = [];
  let offset = 0;
  for (const placed of paperBuckets as unknown[]) {
    const { bucket, length, ids, titles } = (placed ?? {}) as Record<string, unknown>;
    if (!isIndex(bucket) || bucket >= info.bucketCount || !isIndex(length) || offset + length > papers.byteLength) {
      throw new Error(`a bundled digest part places paper bucket ${String(bucket)} (${String(length)} bytes at ${offset}) outside its ${papers.byteLength} packed bytes`);
    }
    if (!isStrings(ids) || !isStrings(titles) || ids.length !== titles.length) throw new Error(`a bundled digest part lists no ids and titles for paper bucket ${bucket}`);
    // A copy, not a view: IndexedDB would store a view's whole buffer.
    rows.push({ bucket, ids, titles, packed: new Uint8Array(papers.slice(offset, offset + length)) });
    offset += length;
  }
  if (offset !== papers.byteLength) throw new Error(`a bundled digest part's packed papers hold ${papers.byteLength - offset} bytes no bucket claims`);
  return { paperBuckets: rows, keyBuckets: keyBuckets as KeyBucket[] };
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isIndex(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
