/**
 * Loads the digest bundled with the extension into IndexedDB when its version (a
 * content hash) differs from what the database holds. Runs on every worker start,
 * so it must be cheap when nothing changed and idempotent when a previous load
 * was cut short (Chrome stops idle workers; an update can land mid-load).
 *
 * The reading list is never touched: saved papers keep their own copy of the text.
 */
import type { IndexedPaper } from '../shared/types';
import type { BundledDigestMeta, PaperPeekDatabase, PaperRow } from './db';

export const BUNDLED_ORIGIN = 'bundled';
export const BUNDLED_META_KEY = 'bundledDigest';
/** Rows per transaction: small enough that a lookup queued behind a chunk waits only a few ms. */
export const LOAD_CHUNK_SIZE = 2000;

/** Facts about the bundled digest, known at build time. */
export interface BundledDigestInfo {
  version: string;
  digestDate: string;
  count: number;
}

export interface DigestLoader {
  /** Resolves once the database holds the bundled digest; retries after a failure. */
  whenReady(): Promise<void>;
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
  readChunks: () => AsyncIterable<IndexedPaper[]>,
  chunkSize: number = LOAD_CHUNK_SIZE,
): DigestLoader {
  let loading: Promise<void> | null = null;
  let fraction: number | null = null;
  let written = 0;

  /**
   * Writes rows with plain IndexedDB puts inside a Dexie transaction: Dexie's
   * bulkPut bookkeeping cost about a third of the load time at 100k papers.
   */
  function writeRows(rows: PaperRow[]): Promise<void> {
    return db.transaction('rw', db.papers, (tx) => {
      const store = tx.idbtrans.objectStore(db.papers.name);
      for (const row of rows) store.put(row);
    });
  }

  async function load(): Promise<void> {
    const meta = (await db.meta.get(BUNDLED_META_KEY))?.value as BundledDigestMeta | undefined;
    if (meta?.version === info.version) return;
    fraction = 0;
    written = 0;
    const startedAt = Date.now();
    const loadedIds = new Set<string>();
    for await (const papers of readChunks()) {
      for (let start = 0; start < papers.length; start += chunkSize) {
        // Tag rows in place: copying 100k objects would cost more than the tags.
        const rows = papers.slice(start, start + chunkSize) as PaperRow[];
        for (const row of rows) {
          row.origin = BUNDLED_ORIGIN;
          row.loadVersion = info.version;
          loadedIds.add(row.id);
        }
        await writeRows(rows);
        written += rows.length;
        fraction = Math.min(1, written / Math.max(1, info.count));
      }
    }
    if (written !== info.count) {
      throw new Error(`the packaged digest holds ${written} papers, the build announced ${info.count}`);
    }
    // Only now is the new digest complete: drop the previous digest's leftovers and
    // record the version in one transaction, so an interrupted load is simply redone.
    await db.transaction('rw', db.papers, db.meta, async () => {
      // Keys only (cheap); rows are read just for the few ids the new digest lacks.
      const stale = (await db.papers.toCollection().primaryKeys()).filter((id) => !loadedIds.has(id));
      const staleRows = await db.papers.bulkGet(stale);
      await db.papers.bulkDelete(
        staleRows.filter((row): row is PaperRow => row?.origin === BUNDLED_ORIGIN).map((row) => row.id),
      );
      const record: BundledDigestMeta = {
        version: info.version,
        digestDate: info.digestDate,
        count: written,
        loadedAt: Date.now(),
        loadMs: Date.now() - startedAt,
      };
      await db.meta.put({ name: BUNDLED_META_KEY, value: record });
    });
  }

  return {
    whenReady() {
      if (loading) return loading;
      const attempt: Promise<void> = load().then(
        () => {
          if (loading === attempt) fraction = null;
        },
        (error: unknown) => {
          // Only the current attempt may clear the state: after reset() a newer load owns it.
          if (loading === attempt) {
            loading = null;
            fraction = null;
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
    },
  };
}

/** Checks a packaged digest chunk's shape before any of it is written. */
export function parseBundledChunk(json: unknown, expectedVersion: string): IndexedPaper[] {
  if (typeof json !== 'object' || json === null) throw new Error('bundled digest is not a JSON object');
  const { version, papers } = json as { version?: unknown; papers?: unknown };
  if (version !== expectedVersion) {
    throw new Error(`bundled digest version ${String(version)} does not match the build (${expectedVersion})`);
  }
  if (!Array.isArray(papers)) throw new Error('bundled digest has no papers array');
  return papers as IndexedPaper[];
}
