/**
 * Reading-list sync through the browser's sync storage (issue 7 §4): what is
 * synced, how two devices' changes merge, and how it is packed into the
 * storage's quotas. Pure: no browser API (src/background/sync.ts drives it).
 *
 * Only ids, statuses and notes travel, with the time of each change: never a
 * title or an abstract. IndexedDB stays the source of truth; a device adds a
 * paper saved elsewhere once its own digests hold that paper.
 *
 * Merging is per field, last writer wins, with two rules so nothing a reader
 * wrote is lost:
 * - a note changed on both sides since they last agreed keeps both texts;
 * - a paper is on the list while its latest save, or its latest non-empty
 *   note, is newer than its latest removal. Absence never removes: only a
 *   removal record (a tombstone) does.
 */
import { cyrb53 } from './hash';
import { isPaperId } from './guards';
import { MAX_NOTE, READING_STATUSES } from './reading-list-io';
import type { ReadingStatus, SavedPaper } from './types';

export interface SyncRecord {
  id: string;
  status: ReadingStatus;
  statusAt: number;
  note: string;
  /** 0 when the note did not travel (too long for the quota): the other side keeps its own. */
  noteAt: number;
  savedAt: number;
  /** 0 when never removed. */
  removedAt: number;
}

export type SyncRecords = Map<string, SyncRecord>;

/** chrome.storage.sync's quotas (Firefox's are the same). */
export const SYNC_QUOTA = {
  totalBytes: 102_400,
  itemBytes: 8_192,
  maxItems: 512,
  writesPerMinute: 120,
  writesPerHour: 1_800,
} as const;

/** What PaperPeek allows itself, below the quotas (room for rounding in how a browser counts). */
export const SYNC_BUDGET = {
  totalBytes: 96_000,
  itemBytes: 8_000,
  writesPerMinute: 30,
  writesPerHour: 600,
} as const;

/** Removal records are kept this long for devices that were away, then dropped. */
export const TOMBSTONE_MS = 30 * 24 * 60 * 60 * 1000;

export const SYNC_PREFIX = 'pp.';
export const SYNC_META_ITEM = `${SYNC_PREFIX}v`;
/** Records are spread over this many items by a hash of their id: one change rewrites one item. */
export const SYNC_SHARDS = 16;
export const SYNC_FORMAT = 1;
const shardKey = (shard: number) => `${SYNC_PREFIX}s${shard}`;

export const isLive = (r: SyncRecord): boolean => r.savedAt > r.removedAt || (r.note !== '' && r.noteAt > r.removedAt);

/** A saved paper's sync record, for a paper first seen on this device. */
export function recordOf(saved: SavedPaper, at: number): SyncRecord {
  return { id: saved.id, status: saved.status, statusAt: at, note: saved.note, noteAt: at, savedAt: saved.savedAt, removedAt: 0 };
}

/**
 * This device's records after its own changes: what the reading list holds now
 * against the records it last agreed on. A change gets the time it was seen.
 * `onList` holds the ids that were on this device's list after the last sync:
 * a live record missing from the list was removed here only if it was on it;
 * otherwise it is a paper this device does not know yet, and waits.
 */
export function localRecords(saved: readonly SavedPaper[], previous: SyncRecords, onList: ReadonlySet<string>, now: number): SyncRecords {
  const next: SyncRecords = new Map();
  for (const paper of saved) {
    const before = previous.get(paper.id);
    if (!before) {
      next.set(paper.id, recordOf(paper, now));
      continue;
    }
    const record = { ...before };
    if (!isLive(before)) record.savedAt = Math.max(paper.savedAt, before.removedAt + 1, now);
    if (record.status !== paper.status) {
      record.status = paper.status;
      record.statusAt = Math.max(now, before.statusAt + 1);
    }
    if (record.note !== paper.note) {
      record.note = paper.note;
      record.noteAt = Math.max(now, before.noteAt + 1);
    }
    next.set(paper.id, record);
  }
  for (const [id, before] of previous) {
    if (next.has(id)) continue;
    const removedHere = isLive(before) && onList.has(id);
    next.set(id, removedHere ? { ...before, removedAt: Math.max(now, before.savedAt + 1, before.noteAt + 1) } : before);
  }
  return next;
}

/** Both texts of a note two devices changed apart, newer first; one that holds the other stays alone. */
export function joinNotes(newer: string, older: string): string {
  if (newer.includes(older)) return newer;
  if (older.includes(newer)) return older;
  return `${newer}\n\n${older}`.slice(0, MAX_NOTE);
}

/** Merges one paper's record from this device and from sync storage, given the last record both agreed on. */
export function mergeRecord(local: SyncRecord, remote: SyncRecord, base: SyncRecord | undefined): SyncRecord {
  const merged: SyncRecord = {
    id: local.id,
    status: local.status,
    statusAt: local.statusAt,
    note: local.note,
    noteAt: local.noteAt,
    savedAt: Math.max(local.savedAt, remote.savedAt),
    removedAt: Math.max(local.removedAt, remote.removedAt),
  };
  if (remote.statusAt > local.statusAt || (remote.statusAt === local.statusAt && remote.status > local.status)) {
    merged.status = remote.status;
    merged.statusAt = remote.statusAt;
  }
  if (remote.note !== local.note) {
    const baseNoteAt = base?.noteAt ?? 0;
    // noteAt 0: the note did not travel, so it says nothing about the text.
    const bothChanged = local.noteAt > baseNoteAt && remote.noteAt > baseNoteAt && local.noteAt !== 0 && remote.noteAt !== 0;
    if (bothChanged) {
      const [newer, older] = remote.noteAt > local.noteAt ? [remote.note, local.note] : [local.note, remote.note];
      merged.note = joinNotes(newer, older);
      merged.noteAt = Math.max(local.noteAt, remote.noteAt) + 1;
    } else if (remote.noteAt > local.noteAt) {
      merged.note = remote.note;
      merged.noteAt = remote.noteAt;
    }
  } else merged.noteAt = Math.max(local.noteAt, remote.noteAt);
  return merged;
}

/** Merges every record; a record on one side only is taken as it is (absence removes nothing). */
export function mergeRecords(local: SyncRecords, remote: SyncRecords, base: SyncRecords): SyncRecords {
  const merged: SyncRecords = new Map(local);
  for (const [id, theirs] of remote) {
    const mine = local.get(id);
    merged.set(id, mine ? mergeRecord(mine, theirs, base.get(id)) : theirs);
  }
  return merged;
}

// ---------------------------------------------------------------- packing into the quota

type PackedRecord = [id: string, status: number, savedAt: string, statusAt: string, noteAt: string, removedAt: string, note?: string];

const time36 = (ms: number) => Math.max(0, Math.round(ms)).toString(36);
const STATUS_CODES = READING_STATUSES;

function pack(record: SyncRecord, withNote: boolean): PackedRecord {
  const packed: PackedRecord = [
    record.id,
    STATUS_CODES.indexOf(record.status),
    time36(record.savedAt),
    time36(record.statusAt),
    withNote ? time36(record.noteAt) : '0',
    time36(record.removedAt),
  ];
  if (withNote && record.note !== '') packed.push(record.note);
  return packed;
}

const TIME36 = /^[0-9a-z]{1,11}$/;

function unpack(value: unknown): SyncRecord | null {
  if (!Array.isArray(value) || value.length < 6 || value.length > 7) return null;
  const [id, status, savedAt, statusAt, noteAt, removedAt, note = ''] = value as unknown[];
  const times = [savedAt, statusAt, noteAt, removedAt];
  if (!isPaperId(id) || typeof status !== 'number' || !STATUS_CODES[status] || !times.every((t) => typeof t === 'string' && TIME36.test(t))) return null;
  if (typeof note !== 'string' || note.length > MAX_NOTE) return null;
  const [saved, statusTime, noteTime, removed] = (times as string[]).map((t) => parseInt(t, 36)) as [number, number, number, number];
  return { id, status: STATUS_CODES[status] as ReadingStatus, statusAt: statusTime, note, noteAt: noteTime, savedAt: saved, removedAt: removed };
}

const encoder = new TextEncoder();
/** How the storage counts an item: its key plus the JSON of its value, in bytes. */
export const itemBytes = (key: string, value: unknown): number => encoder.encode(key).length + encoder.encode(JSON.stringify(value)).length;

export const shardOf = (id: string): number => cyrb53(id, 0x5bd1e995) % SYNC_SHARDS;

export interface SyncReport {
  /** Records written (live papers and recent removals). */
  records: number;
  /** Papers whose note stays on this device only (it did not fit the quota). */
  notesKept: string[];
  /** Papers left out of sync altogether (the quota is full). */
  left: string[];
  /** Removal records dropped for age or room. */
  tombstonesDropped: number;
  bytes: number;
}

/**
 * Packs records into sync items within the budget. When they do not fit, in
 * this order: removals older than TOMBSTONE_MS go, then the longest notes stay
 * local (their records still travel), then the oldest removals, then the oldest
 * saved papers stay local. Nothing is lost: what does not travel stays here.
 */
export function encodeSyncItems(records: SyncRecords, now: number, budget: { totalBytes: number; itemBytes: number } = SYNC_BUDGET): { items: Record<string, unknown>; report: SyncReport } {
  const report: SyncReport = { records: 0, notesKept: [], left: [], tombstonesDropped: 0, bytes: 0 };
  const kept = [...records.values()].filter((r) => {
    const stale = !isLive(r) && now - r.removedAt > TOMBSTONE_MS;
    if (stale) report.tombstonesDropped++;
    return !stale;
  });
  // Records whose note travels (an empty note too: clearing a note is a change). Shed notes get noteAt 0.
  const withNote = new Set(kept.filter((r) => r.noteAt !== 0).map((r) => r.id));
  const included = new Set(kept.map((r) => r.id));
  const shards: SyncRecord[][] = Array.from({ length: SYNC_SHARDS }, () => []);
  for (const record of kept) (shards[shardOf(record.id)] as SyncRecord[]).push(record);
  for (const shard of shards) shard.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const shardValue = (shard: SyncRecord[]) => shard.filter((r) => included.has(r.id)).map((r) => pack(r, withNote.has(r.id)));
  const sizeOf = (index: number) => itemBytes(shardKey(index), shardValue(shards[index] as SyncRecord[]));
  const metaValue = { format: SYNC_FORMAT, shards: SYNC_SHARDS };
  const total = () => itemBytes(SYNC_META_ITEM, metaValue) + shards.reduce((sum, _, i) => sum + sizeOf(i), 0);

  /** Candidates to shed, in order: notes (longest first), removals (oldest first), saved papers (oldest first). */
  const shed = (pool: SyncRecord[], fits: () => boolean) => {
    const notes = pool.filter((r) => withNote.has(r.id) && r.note !== '').sort((a, b) => b.note.length - a.note.length);
    for (const r of notes) {
      if (fits()) return;
      withNote.delete(r.id);
    }
    const tombstones = pool.filter((r) => included.has(r.id) && !isLive(r)).sort((a, b) => a.removedAt - b.removedAt);
    for (const r of tombstones) {
      if (fits()) return;
      included.delete(r.id);
      report.tombstonesDropped++;
    }
    const papers = pool.filter((r) => included.has(r.id)).sort((a, b) => a.savedAt - b.savedAt);
    for (const r of papers) {
      if (fits()) return;
      included.delete(r.id);
    }
  };
  shards.forEach((shard, i) => shed(shard, () => sizeOf(i) <= budget.itemBytes));
  shed(kept, () => total() <= budget.totalBytes);

  const items: Record<string, unknown> = { [SYNC_META_ITEM]: metaValue };
  shards.forEach((shard, i) => {
    const value = shardValue(shard);
    if (value.length > 0) items[shardKey(i)] = value;
  });
  for (const r of kept) {
    if (!included.has(r.id)) report.left.push(r.id);
    else if (r.note !== '' && r.noteAt !== 0 && !withNote.has(r.id)) report.notesKept.push(r.id);
  }
  report.records = included.size;
  report.bytes = Object.entries(items).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0);
  return { items, report };
}

/** Reads PaperPeek's records from sync storage items; anything malformed is ignored, never trusted. */
export function decodeSyncItems(items: Record<string, unknown>): SyncRecords {
  const records: SyncRecords = new Map();
  const meta = items[SYNC_META_ITEM] as { format?: unknown } | undefined;
  if (meta !== undefined && meta.format !== SYNC_FORMAT) return records;
  for (const [key, value] of Object.entries(items)) {
    if (!key.startsWith(`${SYNC_PREFIX}s`) || !Array.isArray(value)) continue;
    for (const entry of value) {
      const record = unpack(entry);
      if (record) records.set(record.id, record);
    }
  }
  return records;
}
