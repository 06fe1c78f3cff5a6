/**
 * The background's IndexedDB schema (Dexie). Every version ever shipped stays
 * declared here, in order: Dexie needs the full history to upgrade any older
 * install, and a removed version would strand users who skipped an update.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { IndexedPaper, SavedPaper } from '../shared/types';

/** A paper row: which load put it there, so a digest reload can drop only its own leftovers. */
export interface PaperRow extends IndexedPaper {
  /** `bundled` for the digest shipped with the extension. */
  origin: string;
  /** The digest version (content hash) of the load that last wrote this row (not indexed: writes stay cheap). */
  loadVersion: string;
}

export interface MetaRow {
  name: string;
  value: unknown;
}

export interface BundledDigestMeta {
  version: string;
  digestDate: string;
  count: number;
  loadedAt: number;
  /** How long the load took (read, parse and write), for diagnostics and benchmarks. */
  loadMs: number;
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
  papers!: EntityTable<PaperRow, 'id'>;
  saved!: EntityTable<SavedPaper, 'id'>;
  meta!: EntityTable<MetaRow, 'name'>;

  constructor(name: string = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    // Version 1 (0.1.0): papers keyed by id with a match-key index; the reading list; metadata.
    this.version(1).stores({
      papers: 'id, key',
      saved: 'id, savedAt, status',
      meta: 'name',
    });
  }
}
