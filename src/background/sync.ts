/**
 * Optional reading-list sync (issue 7 §4), run by the worker: this device's
 * reading list (IndexedDB, the source of truth) against the browser's sync
 * storage, merged by src/shared/sync-state.ts.
 *
 * - Writes are batched: a local change waits LOCAL_DELAY_MS for the next ones,
 *   and a run writes only the items whose text changed, in one set() and at
 *   most one remove(); runs are held back to stay within SYNC_BUDGET's write rates.
 * - A change from another device (storage.onChanged) is merged REMOTE_DELAY_MS later.
 * - A paper saved elsewhere is added here once this device's digests hold it
 *   (its text comes from here, never from sync); until then it waits.
 * - Turning sync off leaves sync storage as it is, for the other devices.
 */
import { MAX_NOTE } from '../shared/reading-list-io';
import type { SavedNotice, SyncStatus } from '../shared/protocol';
import {
  SYNC_BUDGET,
  SYNC_PREFIX,
  decodeSyncItems,
  encodeSyncItems,
  isLive,
  localRecords,
  mergeRecords,
  type SyncRecord,
  type SyncRecords,
  type SyncReport,
} from '../shared/sync-state';
import type { SavedPaper } from '../shared/types';
import type { PaperPeekDatabase } from './db';
import { findPapers } from './papers';
import type { ImportCatalog } from './imports';

export const SYNC_STATE_KEY = 'syncState';
export const LOCAL_DELAY_MS = 2_000;
export const REMOTE_DELAY_MS = 500;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The browser's sync storage, as the engine uses it (src/platform/extension-api.ts; a fake in tests). */
export interface SyncArea {
  get(): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
  /** Calls back with the items another device (or this one) changed, and their new values. */
  onChanged(listener: (changes: Record<string, unknown>) => void): void;
}

export interface SyncTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface StoredSyncState {
  enabled: boolean;
  /** The merged records last applied here. */
  records: SyncRecord[];
  /** The records as sync storage held them after the last run: what both sides agreed on. */
  base: SyncRecord[];
  /** Ids on this device's list after the last run. */
  onList: string[];
  /** Times of recent writes to sync storage (the last hour), for the rate budget. */
  writes: number[];
  lastSyncAt: number;
  report: SyncReport | null;
  lastError: string;
}


const EMPTY: StoredSyncState = { enabled: false, records: [], base: [], onList: [], writes: [], lastSyncAt: 0, report: null, lastError: '' };

const toMap = (records: readonly SyncRecord[]): SyncRecords => new Map(records.map((r) => [r.id, r]));

export interface SyncEngine {
  status(): Promise<SyncStatus>;
  setEnabled(enabled: boolean): Promise<SyncStatus>;
  /** The reading list changed here: sync after the burst. */
  localChanged(): void;
  /** Registers the storage listener and, when sync is on, syncs soon. Call at worker start. */
  start(): void;
  /** One run now (waits for a running one); for tests and the options page's "Sync now". */
  syncNow(): Promise<SyncStatus>;
}

export function createSyncEngine(
  db: PaperPeekDatabase,
  catalog: Pick<ImportCatalog, 'corpus'>,
  area: SyncArea,
  timers: SyncTimers = { now: Date.now, setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (h) => clearTimeout(h as number) },
  notify: (notice: SavedNotice) => void = () => undefined,
): SyncEngine {
  let timer: unknown = null;
  let timerDue = Number.POSITIVE_INFINITY;
  let running: Promise<void> = Promise.resolve();
  /** Item texts this device last wrote, so its own writes coming back are not merged again. */
  const written = new Map<string, string>();

  const readState = async (): Promise<StoredSyncState> => ({ ...EMPTY, ...((await db.meta.get(SYNC_STATE_KEY))?.value as Partial<StoredSyncState> | undefined) });
  const writeState = (state: StoredSyncState) => db.meta.put({ name: SYNC_STATE_KEY, value: state });

  const statusOf = (state: StoredSyncState): SyncStatus => {
    const onList = new Set(state.onList);
    return {
      enabled: state.enabled,
      lastSyncAt: state.lastSyncAt,
      waiting: state.records.filter((r) => isLive(r) && !onList.has(r.id)).length,
      report: state.report,
      lastError: state.lastError,
    };
  };

  /** Runs once the delay passes; an earlier request wins over a later, longer one. */
  function schedule(delay: number): void {
    const due = timers.now() + delay;
    if (timer !== null && due >= timerDue) return;
    if (timer !== null) timers.clearTimeout(timer);
    timerDue = due;
    timer = timers.setTimeout(() => {
      timer = null;
      timerDue = Number.POSITIVE_INFINITY;
      void run().catch((error: unknown) => console.error('PaperPeek: sync failed', error));
    }, delay);
  }

  /** When the write budget allows the next write (0: now). */
  function nextWriteAllowedAt(writes: readonly number[], now: number): number {
    const lastMinute = writes.filter((t) => now - t < MINUTE);
    const lastHour = writes.filter((t) => now - t < HOUR);
    let at = 0;
    if (lastMinute.length >= SYNC_BUDGET.writesPerMinute) at = Math.max(at, (lastMinute[lastMinute.length - SYNC_BUDGET.writesPerMinute] as number) + MINUTE);
    if (lastHour.length >= SYNC_BUDGET.writesPerHour) at = Math.max(at, (lastHour[lastHour.length - SYNC_BUDGET.writesPerHour] as number) + HOUR);
    return at;
  }

  async function runOnce(): Promise<void> {
    if (!(await readState()).enabled) return;
    const remoteItems = Object.fromEntries(Object.entries(await area.get()).filter(([key]) => key.startsWith(SYNC_PREFIX)));
    const remote = decodeSyncItems(remoteItems);
    const corpus = await catalog.corpus();
    const notices: SavedNotice[] = [];

    // Merge and apply in one transaction: a note typed meanwhile is either in
    // this merge or waits for the next, never overwritten by it.
    const merged = await db.transaction('rw', [db.saved, db.meta, db.paperBuckets, db.importedPaperBuckets], async () => {
      const state = await readState();
      const saved = await db.saved.toArray();
      const local = localRecords(saved, toMap(state.records), new Set(state.onList), timers.now());
      const result = mergeRecords(local, remote, toMap(state.base));
      const byId = new Map(saved.map((p) => [p.id, p]));
      const missing = [...result.values()].filter((r) => isLive(r) && !byId.has(r.id)).map((r) => r.id);
      const known = missing.length > 0 ? await findPapers(db, corpus, missing) : new Map();
      const puts: SavedPaper[] = [];
      const deletes: string[] = [];
      for (const record of result.values()) {
        const mine = byId.get(record.id);
        if (isLive(record)) {
          const note = record.note.slice(0, MAX_NOTE);
          if (mine) {
            if (mine.status !== record.status || mine.note !== note) puts.push({ ...mine, status: record.status, note });
            continue;
          }
          const paper = known.get(record.id);
          if (!paper) continue; // not in this device's digests yet
          const { id, title, abstract, links, digestDate } = paper;
          puts.push({ id, title, abstract, links: [...links], digestDate, savedAt: record.savedAt, status: record.status, note });
          notices.push({ type: 'saved', id, saved: true });
        } else if (mine) {
          deletes.push(record.id);
          notices.push({ type: 'saved', id: record.id, saved: false });
        }
      }
      await db.saved.bulkPut(puts);
      await db.saved.bulkDelete(deletes);
      const onList = new Set(byId.keys());
      for (const p of puts) onList.add(p.id);
      for (const id of deletes) onList.delete(id);
      await writeState({ ...state, records: [...result.values()], onList: [...onList] });
      return result;
    });
    notices.forEach(notify);

    const now = timers.now();
    const { items, report } = encodeSyncItems(merged, now);
    const changed = Object.fromEntries(Object.entries(items).filter(([key, value]) => JSON.stringify(remoteItems[key]) !== JSON.stringify(value)));
    const obsolete = Object.keys(remoteItems).filter((key) => !(key in items));
    const state = await readState();
    const writes = state.writes.filter((t) => now - t < HOUR);
    let base = remote;
    let lastError = '';
    if (Object.keys(changed).length > 0 || obsolete.length > 0) {
      const allowedAt = nextWriteAllowedAt(writes, now);
      if (allowedAt > now) {
        schedule(allowedAt - now);
        await writeState({ ...state, writes, report });
        return;
      }
      try {
        for (const [key, value] of Object.entries(changed)) written.set(key, JSON.stringify(value));
        if (Object.keys(changed).length > 0) {
          await area.set(changed);
          writes.push(now);
        }
        if (obsolete.length > 0) {
          await area.remove(obsolete);
          writes.push(now);
        }
        base = decodeSyncItems(items);
      } catch (error) {
        // Quota or rate refusal: nothing here changes; the next run retries.
        lastError = error instanceof Error ? error.message : String(error);
        schedule(MINUTE);
      }
    }
    await writeState({ ...state, base: [...base.values()], writes, lastSyncAt: now, report, lastError });
  }

  function run(): Promise<void> {
    const next = running.then(runOnce, runOnce);
    running = next.catch(() => undefined);
    return next;
  }

  return {
    async status() {
      return statusOf(await readState());
    },
    async setEnabled(enabled) {
      const state = await readState();
      await writeState({ ...state, enabled, lastError: '' });
      if (enabled) await run();
      return statusOf(await readState());
    },
    localChanged() {
      schedule(LOCAL_DELAY_MS);
    },
    start() {
      area.onChanged((changes) => {
        // Our own write coming back changes nothing: no run for it.
        const foreign = Object.entries(changes).filter(([key, value]) => key.startsWith(SYNC_PREFIX) && written.get(key) !== JSON.stringify(value));
        if (foreign.length > 0) schedule(REMOTE_DELAY_MS);
      });
      void readState().then((state) => state.enabled && schedule(REMOTE_DELAY_MS));
    },
    async syncNow() {
      await run();
      return statusOf(await readState());
    },
  };
}
