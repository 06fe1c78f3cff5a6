/**
 * The background's IndexedDB schema (Dexie). Every version ever shipped stays
 * declared here, in order: Dexie needs the full history to upgrade any older
 * install, and a removed version would strand users who skipped an update.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { KeyBucket, PaperBucket } from '../shared/paper-buckets';
import type { StoredPaperBucket } from '../shared/packed-buckets';
import type { ImportSummary } from '../shared/digest-import';
import type { IndexedPaper, SavedPaper } from '../shared/types';

export interface MetaRow {
  name: string;
  value: unknown;
}

export interface BundledDigestMeta {
  version: string;
  digestDate: string;
  count: number;
  /** Bucket count of both bucket stores for this digest (src/shared/paper-buckets.ts). */
  bucketCount: number;
  loadedAt: number;
  /** How long the load took (read, parse and write), for diagnostics and benchmarks. */
  loadMs: number;
  /** Of loadMs, the time spent waiting for packaged files (read, gunzip, parse), the rest being writes; absent in older records. */
  readWaitMs?: number;
}

/** A digest the reader imported, as the options page lists it. */
export interface ImportRecord extends ImportSummary {
  /** The `importPapers` rows that hold its papers (written before the record, see imports.ts). */
  rowsKey: string;
}

/** Up to IMPORT_CHUNK_PAPERS papers of one imported digest. */
export interface ImportPapersRow {
  rowsKey: string;
  chunk: number;
  papers: IndexedPaper[];
}

export const DATABASE_NAME = 'paperpeek';

/**
 * A connection for the bundled-digest loader only. Relaxed durability: a write is
 * done once the OS has it, not after an fsync. A crash can lose the last chunk of
 * a digest load, which the next start redoes (the version is recorded last), and
 * loading gets faster. The reading list keeps the default durability.
 */
export function openLoaderConnection(name: string = DATABASE_NAME): PaperPeekDatabase {
  return new PaperPeekDatabase(name, { chromeTransactionDurability: 'relaxed' });
}

export class PaperPeekDatabase extends Dexie {
  /** The bundled digest's papers: packed buckets (src/shared/packed-buckets.ts). */
  paperBuckets!: EntityTable<StoredPaperBucket, 'bucket'>;
  keyBuckets!: EntityTable<KeyBucket, 'bucket'>;
  saved!: EntityTable<SavedPaper, 'id'>;
  meta!: EntityTable<MetaRow, 'name'>;
  imports!: EntityTable<ImportRecord, 'id'>;
  importPapers!: Dexie.Table<ImportPapersRow, [string, number]>;
  importedPaperBuckets!: EntityTable<PaperBucket, 'bucket'>;
  importedKeyBuckets!: EntityTable<KeyBucket, 'bucket'>;

  constructor(name: string = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    // Version 1 (0.1.0): the bundled digest as hash buckets (by paper id, by match
    // key), the reading list and metadata.
    this.version(1).stores({
      paperBuckets: 'bucket',
      keyBuckets: 'bucket',
      saved: 'id, savedAt, status',
      meta: 'name',
    });
    // Version 2 (0.2.0): imported digests (the record, the papers as imported) and
    // the imported layer the worker derives from them: the papers of every import
    // that the bundled digest does not hold, in hash buckets of their own
    // (src/background/imports.ts). Nothing of version 1 changes, so no upgrade runs.
    this.version(2).stores({
      imports: 'id, importedAt',
      importPapers: '[rowsKey+chunk], rowsKey',
      importedPaperBuckets: 'bucket',
      importedKeyBuckets: 'bucket',
    });
  }
}
