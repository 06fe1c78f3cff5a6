/**
 * The imported layer: what the worker derives from the reader's imported
 * digests so detection, search and related papers see their papers as they see
 * the bundled ones.
 *
 * - Papers: every imported paper the bundled digest does not hold (an earlier
 *   import wins over a later one for the same id), in hash buckets of their own
 *   sized for the layer (src/shared/paper-buckets.ts), so a lookup stays one get.
 * - Title keys and their signature prefilter, as the bundled digest has them.
 *   A main-title alias that a bundled paper also answers to names neither and
 *   is dropped, as dropAmbiguousAliases does within one digest.
 * - Related papers recomputed with the bundled papers (src/shared/related):
 *   over the whole corpus when it is at most FULL_RELATED_LIMIT papers, else over
 *   the newest FULL_RELATED_LIMIT of it (imports first). Papers outside that
 *   window keep the bundled digest's neighbours.
 * - The search documents of the imported papers, for the popup.
 *
 * Built in memory from the stored imports, then swapped in by the caller in one
 * transaction (imports.ts), so a scan never sees half a layer.
 */
import { bucketCountFor, bucketize, keyBucketOf, paperBucketOf, type KeyBucket, type PaperBucket } from '../shared/paper-buckets';
import { papersOf, titlesOf, type StoredPaperBucket } from '../shared/packed-buckets';
import { buildRelated, packRelated, type PackedRelated } from '../shared/related';
import { hashToBase36 } from '../shared/hash';
import { KEY_MAIN, TITLE_INDEX_FORMAT } from '../shared/title-index';
import type { SearchDoc } from '../shared/search';
import type { IndexedPaper } from '../shared/types';
import type { BundledDigestMeta, ImportRecord, PaperPeekDatabase } from './db';

/** Related papers are recomputed over at most this many papers (~0.5 ms a paper in the worker). */
export const FULL_RELATED_LIMIT = 5000;
/** Bucket rows read per bulkGet while checking ids against the bundled digest (~100 KB a row). */
const BUCKETS_PER_READ = 100;

export interface ImportedLayerMeta {
  /** Changes whenever the bundled digest or the set of imports changes. */
  version: string;
  bundledVersion: string;
  /** The imports it was built from, oldest first. */
  importIds: string[];
  /** Papers in the layer (imported papers the bundled digest does not hold). */
  count: number;
  bucketCount: number;
  /** Whether related papers were recomputed over every paper, or over the newest FULL_RELATED_LIMIT. */
  relatedScope: 'all' | 'recent';
  builtAt: number;
  buildMs: number;
}

/** What the worker serves: the bundled digest, and the imported layer when there are imports. */
export interface Corpus {
  bundled: BundledDigestMeta;
  imported: ImportedLayerMeta | null;
}

export interface LayerBuild {
  meta: ImportedLayerMeta;
  paperBuckets: PaperBucket[];
  keyBuckets: KeyBucket[];
  signatures: Uint32Array;
  /** Null when there was nothing to relate (a layer of papers the bundled digest already had, past the limit). */
  related: PackedRelated | null;
  searchDocs: SearchDoc[];
}

export function layerVersion(bundledVersion: string, importIds: readonly string[]): string {
  return `${bundledVersion}+${hashToBase36(`${TITLE_INDEX_FORMAT}:${importIds.join(',')}`)}`;
}

/** Reads the bucket rows with these numbers, a slice at a time. */
async function* bucketRows<T>(table: { bulkGet(keys: number[]): Promise<(T | undefined)[]> }, numbers: number[]): AsyncGenerator<T> {
  for (let i = 0; i < numbers.length; i += BUCKETS_PER_READ) {
    for (const row of await table.bulkGet(numbers.slice(i, i + BUCKETS_PER_READ))) if (row) yield row;
  }
}

/** Which of these ids the bundled digest holds (one read per bucket they fall in). */
export async function bundledIdsAmong(db: PaperPeekDatabase, bundled: BundledDigestMeta, ids: readonly string[]): Promise<Set<string>> {
  return idsInBuckets(db.paperBuckets, bundled.bucketCount, ids);
}

/** Which of these ids the imported layer holds. */
export async function layerIdsAmong(db: PaperPeekDatabase, layer: ImportedLayerMeta | null, ids: readonly string[]): Promise<Set<string>> {
  return layer ? idsInBuckets(db.importedPaperBuckets, layer.bucketCount, ids) : new Set();
}

async function idsInBuckets(
  table: { bulkGet(keys: number[]): Promise<(StoredPaperBucket | undefined)[]> },
  bucketCount: number,
  ids: readonly string[],
): Promise<Set<string>> {
  const wanted = new Set(ids);
  const found = new Set<string>();
  const numbers = [...new Set(ids.map((id) => paperBucketOf(id, bucketCount)))].sort((a, b) => a - b);
  for await (const row of bucketRows(table, numbers)) for (const paper of titlesOf(row)) if (wanted.has(paper.id)) found.add(paper.id);
  return found;
}

/** Every paper of these imports, oldest import first, each id once (the first import that had it). */
export async function importedPapers(db: PaperPeekDatabase, records: readonly ImportRecord[]): Promise<IndexedPaper[]> {
  const byId = new Map<string, IndexedPaper>();
  for (const record of records) {
    const rows = await db.importPapers.where('rowsKey').equals(record.rowsKey).sortBy('chunk');
    for (const row of rows) for (const paper of row.papers) if (!byId.has(paper.id)) byId.set(paper.id, paper);
  }
  return [...byId.values()];
}

/** Every paper of the bundled digest (for recomputing related papers over the whole corpus). */
async function allBundledPapers(db: PaperPeekDatabase): Promise<IndexedPaper[]> {
  const papers: IndexedPaper[] = [];
  // Read first, then inflated: inflating inside `each` would outlive its transaction.
  for (const bucket of await db.paperBuckets.toArray()) papers.push(...(await papersOf(bucket)));
  return papers;
}

/** Drops main-title aliases of the layer that a bundled paper also answers to. */
async function dropAliasesClashingWithBundled(db: PaperPeekDatabase, bundled: BundledDigestMeta, keyBuckets: KeyBucket[]): Promise<void> {
  const aliasKeys = keyBuckets.flatMap((bucket) => bucket.entries.filter((entry) => entry[3] === KEY_MAIN).map((entry) => entry[0]));
  if (aliasKeys.length === 0) return;
  const numbers = [...new Set(aliasKeys.map((key) => keyBucketOf(key, bundled.bucketCount)))].sort((a, b) => a - b);
  const bundledKeys = new Set<string>();
  for await (const row of bucketRows(db.keyBuckets, numbers)) for (const entry of row.entries) bundledKeys.add(entry[0]);
  for (const bucket of keyBuckets) bucket.entries = bucket.entries.filter((entry) => entry[3] !== KEY_MAIN || !bundledKeys.has(entry[0]));
}

/** Builds the layer for these imports over this bundled digest. Reads only; the caller writes it. */
export async function buildImportedLayer(
  db: PaperPeekDatabase,
  bundled: BundledDigestMeta,
  records: readonly ImportRecord[],
  now: () => number = Date.now,
  relatedLimit: number = FULL_RELATED_LIMIT,
): Promise<LayerBuild> {
  const startedAt = now();
  const ordered = [...records].sort((a, b) => a.importedAt - b.importedAt || a.id.localeCompare(b.id));
  const candidates = await importedPapers(db, ordered);
  const inBundle = await bundledIdsAmong(
    db,
    bundled,
    candidates.map((p) => p.id),
  );
  const papers = candidates.filter((paper) => !inBundle.has(paper.id));
  const bucketCount = bucketCountFor(papers.length);
  const { paperBuckets, keyBuckets } = bucketize(papers, bucketCount);
  await dropAliasesClashingWithBundled(db, bundled, keyBuckets);
  const signatures = new Set<number>();
  for (const bucket of keyBuckets) for (const entry of bucket.entries) signatures.add(entry[5]);

  // Newest papers first, so a window keeps what the reader just imported.
  const newestFirst = [...papers].reverse();
  let relatedScope: ImportedLayerMeta['relatedScope'] = 'recent';
  let relatedInput: IndexedPaper[];
  if (bundled.count + papers.length <= relatedLimit) {
    relatedScope = 'all';
    relatedInput = [...newestFirst, ...(await allBundledPapers(db))];
  } else {
    relatedInput = newestFirst.slice(0, relatedLimit);
  }
  const related = relatedInput.length > 1 ? packRelated(buildRelated(relatedInput)) : null;

  const importIds = ordered.map((record) => record.id);
  return {
    meta: {
      version: layerVersion(bundled.version, importIds),
      bundledVersion: bundled.version,
      importIds,
      count: papers.length,
      bucketCount,
      relatedScope,
      builtAt: now(),
      buildMs: now() - startedAt,
    },
    paperBuckets,
    keyBuckets,
    signatures: Uint32Array.from(signatures),
    related,
    searchDocs: papers.map(({ id, title, abstract, digestDate }) => ({ id, title, abstract, digestDate })),
  };
}
