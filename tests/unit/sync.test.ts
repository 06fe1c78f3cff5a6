import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { PaperPeekDatabase } from '../../src/background/db';
import { createDigestLoader, type DigestPart } from '../../src/background/digest-loader';
import { createHandlers, type Handlers } from '../../src/background/handlers';
import { createImportCatalog } from '../../src/background/imports';
import { LOCAL_DELAY_MS, createSyncEngine, type SyncArea, type SyncEngine, type SyncTimers } from '../../src/background/sync';
import { packBucket } from '../../src/shared/packed-buckets';
import { bucketCountFor, bucketize } from '../../src/shared/paper-buckets';
import { normalizeTitle, paperIdForTitle } from '../../src/shared/normalize';
import type { Result } from '../../src/shared/result';
import {
  SYNC_BUDGET,
  SYNC_QUOTA,
  TOMBSTONE_MS,
  decodeSyncItems,
  encodeSyncItems,
  itemBytes,
  joinNotes,
  localRecords,
  mergeRecord,
  mergeRecords,
  type SyncRecord,
} from '../../src/shared/sync-state';
import type { IndexedPaper, SavedPaper } from '../../src/shared/types';

const unwrap = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

const record = (id: string, fields: Partial<SyncRecord> = {}): SyncRecord => ({
  id,
  status: 'to-read',
  statusAt: 10,
  note: '',
  noteAt: 10,
  savedAt: 10,
  removedAt: 0,
  ...fields,
});

describe('merging two devices’ records', () => {
  it('takes the later status and the later note when only one side changed it', () => {
    const base = record('a', { note: 'old', noteAt: 10 });
    const local = record('a', { note: 'old', noteAt: 10, status: 'reading', statusAt: 30 });
    const remote = record('a', { note: 'new text', noteAt: 20, status: 'read', statusAt: 20 });
    expect(mergeRecord(local, remote, base)).toMatchObject({ status: 'reading', note: 'new text', noteAt: 20 });
  });

  it('keeps both notes when both sides changed a note since they last agreed', () => {
    const base = record('a', { note: 'shared', noteAt: 10 });
    const local = record('a', { note: 'written on the laptop', noteAt: 30 });
    const remote = record('a', { note: 'written on the desktop', noteAt: 20 });
    const merged = mergeRecord(local, remote, base);
    expect(merged.note).toBe('written on the laptop\n\nwritten on the desktop');
    expect(merged.noteAt).toBe(31);
    // Clearing a note on one side while the other wrote one keeps what was written.
    expect(mergeRecord(record('a', { note: '', noteAt: 30 }), remote, base).note).toBe('written on the desktop');
    // A note that extends the other keeps the longer alone.
    expect(joinNotes('shared, and more', 'shared')).toBe('shared, and more');
  });

  it('never takes a note that did not travel (noteAt 0) over a real one', () => {
    const local = record('a', { note: 'long local note', noteAt: 30 });
    expect(mergeRecord(local, record('a', { note: '', noteAt: 0 }), undefined).note).toBe('long local note');
  });

  it('removes a paper only by a removal newer than its save and its note; absence removes nothing', () => {
    const local = new Map([['a', record('a')], ['b', record('b')]]);
    const remote = new Map([['a', record('a', { removedAt: 50 })]]);
    const merged = mergeRecords(local, remote, new Map());
    expect(merged.get('a')?.removedAt).toBe(50);
    expect(merged.get('b')).toEqual(record('b'));
    // A note written after the removal (on a device that had not seen it) keeps the paper.
    const edited = mergeRecord(record('a', { note: 'still reading this', noteAt: 60 }), record('a', { removedAt: 50 }), record('a'));
    expect(edited).toMatchObject({ removedAt: 50, note: 'still reading this' });
  });

  it('derives local changes from the reading list: new, changed, removed here, and waiting papers', () => {
    const saved = (id: string, fields: Partial<SavedPaper> = {}): SavedPaper => ({
      id,
      title: id,
      abstract: '',
      links: [],
      digestDate: '',
      savedAt: 5,
      status: 'to-read',
      note: '',
      ...fields,
    });
    const previous = new Map([
      ['kept', record('kept')],
      ['removed', record('removed')],
      ['waiting', record('waiting')],
    ]);
    const next = localRecords([saved('kept', { status: 'read' }), saved('new')], previous, new Set(['kept', 'removed']), 100);
    expect(next.get('kept')).toMatchObject({ status: 'read', statusAt: 100, noteAt: 10 });
    expect(next.get('new')).toMatchObject({ savedAt: 5, statusAt: 100 });
    expect(next.get('removed')?.removedAt).toBe(100);
    expect(next.get('waiting')).toEqual(record('waiting'));
  });
});

describe('packing records into sync storage', () => {
  const now = Date.UTC(2026, 11, 1);
  const many = (n: number, note: (i: number) => string) =>
    new Map(
      Array.from({ length: n }, (_, i) => {
        const id = paperIdForTitle(`Paper number ${i}`);
        return [id, record(id, { savedAt: now - i * 1000, statusAt: now, note: note(i), noteAt: now })] as const;
      }),
    );

  it('round-trips records and stays within every quota', () => {
    const records = many(50, (i) => (i % 3 === 0 ? `note ${i}` : ''));
    const { items, report } = encodeSyncItems(records, now);
    const byId = (m: Map<string, SyncRecord>) => [...m.values()].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(decodeSyncItems(items))).toEqual(byId(records));
    expect(report).toMatchObject({ records: 50, notesKept: [], left: [] });
    for (const [key, value] of Object.entries(items)) expect(itemBytes(key, value)).toBeLessThanOrEqual(SYNC_BUDGET.itemBytes);
    expect(report.bytes).toBeLessThanOrEqual(SYNC_BUDGET.totalBytes);
  });

  it('fits 600 saved papers with long notes: every paper travels, the longest notes stay local', () => {
    const records = many(600, (i) => 'x'.repeat(20 + (i % 10) * 60));
    const { items, report } = encodeSyncItems(records, now);
    expect(report.records).toBe(600);
    expect(report.left).toEqual([]);
    expect(report.notesKept.length).toBeGreaterThan(0);
    expect(report.bytes).toBeLessThanOrEqual(SYNC_BUDGET.totalBytes);
    expect(Object.keys(items).length).toBeLessThanOrEqual(SYNC_QUOTA.maxItems);
    const decoded = decodeSyncItems(items);
    for (const id of report.notesKept) expect(decoded.get(id)).toMatchObject({ note: '', noteAt: 0 });
    // The notes that travelled are whole.
    const travelled = [...decoded.values()].filter((r) => r.noteAt !== 0);
    expect(travelled.length + report.notesKept.length).toBe(600);
    for (const r of travelled) expect(r.note).toBe(records.get(r.id)?.note);
  });

  it('drops old removals first, and ignores items it cannot read', () => {
    const records = new Map([
      ['old', record('old', { removedAt: now - TOMBSTONE_MS - 1 })],
      ['recent', record('recent', { removedAt: now - 1000 })],
    ]);
    const { items, report } = encodeSyncItems(records, now);
    expect([...decodeSyncItems(items).keys()]).toEqual(['recent']);
    expect(report.tombstonesDropped).toBe(1);
    expect(decodeSyncItems({ 'pp.s0': [['bad id!', 0, '1', '1', '1', '0'], 'junk', ['ok', 9, '1', '1', '1', '0']], 'other.key': [1] }).size).toBe(0);
    expect(decodeSyncItems({ 'pp.v': { format: 99 }, 'pp.s0': [['a', 0, '1', '1', '1', '0']] }).size).toBe(0);
  });
});

// ---------------------------------------------------------------- two devices through a fake sync service

/** chrome.storage.sync as documented: quotas per item, in total, in items and in write rate; changes reach every device. */
class FakeSyncService {
  items = new Map<string, string>();
  listeners: ((changes: Record<string, unknown>) => void)[] = [];
  writes: number[] = [];
  refusals: string[] = [];
  constructor(readonly clock: () => number) {}

  private countWrite(): void {
    const now = this.clock();
    const lastMinute = this.writes.filter((t) => now - t < 60_000).length;
    const lastHour = this.writes.filter((t) => now - t < 3_600_000).length;
    if (lastMinute >= SYNC_QUOTA.writesPerMinute) this.refuse('MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded');
    if (lastHour >= SYNC_QUOTA.writesPerHour) this.refuse('MAX_WRITE_OPERATIONS_PER_HOUR quota exceeded');
    this.writes.push(now);
  }

  private refuse(message: string): never {
    this.refusals.push(message);
    throw new Error(message);
  }

  area(): SyncArea {
    return {
      get: async () => Object.fromEntries([...this.items].map(([k, v]) => [k, JSON.parse(v) as unknown])),
      set: async (items) => {
        this.countWrite();
        const next = new Map(this.items);
        for (const [key, value] of Object.entries(items)) {
          if (itemBytes(key, value) > SYNC_QUOTA.itemBytes) this.refuse('QUOTA_BYTES_PER_ITEM quota exceeded');
          next.set(key, JSON.stringify(value));
        }
        if (next.size > SYNC_QUOTA.maxItems) this.refuse('MAX_ITEMS quota exceeded');
        const total = [...next].reduce((sum, [key, value]) => sum + itemBytes(key, JSON.parse(value)), 0);
        if (total > SYNC_QUOTA.totalBytes) this.refuse('QUOTA_BYTES quota exceeded');
        this.items = next;
        for (const listener of this.listeners) listener(items);
      },
      remove: async (keys) => {
        this.countWrite();
        for (const key of keys) this.items.delete(key);
        for (const listener of this.listeners) listener(Object.fromEntries(keys.map((k) => [k, undefined])));
      },
      onChanged: (listener) => void this.listeners.push(listener),
    };
  }
}

/** Timers the test moves by hand (Dexie needs the real ones, so no fake timers). */
class ManualClock implements SyncTimers {
  time = Date.UTC(2026, 11, 1);
  private queue: { at: number; run: () => void; id: number }[] = [];
  private ids = 0;
  now = () => this.time;
  setTimeout = (run: () => void, ms: number) => {
    const id = ++this.ids;
    this.queue.push({ at: this.time + ms, run, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.queue = this.queue.filter((t) => t.id !== handle);
  };
  /** Moves time on, running the timers that come due. */
  advance(ms: number): void {
    this.time += ms;
    const due = this.queue.filter((t) => t.at <= this.time);
    this.queue = this.queue.filter((t) => t.at > this.time);
    for (const t of due) t.run();
  }
}

function paper(title: string): IndexedPaper {
  return { id: paperIdForTitle(title), title, abstract: `About ${title}.`, links: [], digestDate: 'Mar 13', source: 't.txt', key: normalizeTitle(title) };
}

const CORPUS = Array.from({ length: 700 }, (_, i) => paper(`Shared corpus paper ${i} on sparse attention`));

interface Device {
  db: PaperPeekDatabase;
  handlers: Handlers;
  engine: SyncEngine;
}

let dbCounter = 0;
const opened: PaperPeekDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()));
});

function device(service: FakeSyncService, clock: ManualClock, papers: IndexedPaper[] = CORPUS): Device {
  const db = new PaperPeekDatabase(`paperpeek-sync-${++dbCounter}`);
  opened.push(db);
  const bucketCount = bucketCountFor(papers.length);
  const { paperBuckets, keyBuckets } = bucketize(structuredClone(papers), bucketCount);
  const loader = createDigestLoader(db, { version: 'v1', digestDate: 'Mar 13', count: papers.length, bucketCount }, async function* () {
    // Packed as the build packs the bundled digest: the merge then reads papers inside its transaction.
    yield { paperBuckets: await Promise.all(paperBuckets.map(packBucket)), keyBuckets } satisfies DigestPart;
  });
  const catalog = createImportCatalog(db, loader, clock.now);
  const engine = createSyncEngine(db, catalog, service.area(), clock);
  engine.start();
  const handlers = createHandlers(db, loader, clock.now, undefined, catalog, engine);
  return { db, handlers, engine };
}

const listOf = async (d: Device) =>
  unwrap(await d.handlers.listSaved({}, 'extension-page')).papers.map(({ id, status, note }) => ({ id, status, note })).sort((a, b) => a.id.localeCompare(b.id));

/** Runs both devices until neither has anything left to say. */
async function settle(...devices: Device[]): Promise<void> {
  for (let round = 0; round < 3; round++) for (const d of devices) await d.engine.syncNow();
}

describe('syncing the reading list between two devices', () => {
  it('brings saves, statuses, notes and removals across, and keeps both of two concurrent notes', async () => {
    const clock = new ManualClock();
    const service = new FakeSyncService(clock.now);
    const laptop = device(service, clock);
    const desktop = device(service, clock);
    const [x, y] = [CORPUS[0] as IndexedPaper, CORPUS[1] as IndexedPaper];
    unwrap(await laptop.handlers.setSyncEnabled({ enabled: true }, 'extension-page'));
    unwrap(await desktop.handlers.setSyncEnabled({ enabled: true }, 'extension-page'));

    unwrap(await laptop.handlers.savePaper({ id: x.id }, 'extension-page'));
    unwrap(await desktop.handlers.savePaper({ id: y.id }, 'extension-page'));
    await settle(laptop, desktop);
    expect(await listOf(laptop)).toEqual(await listOf(desktop));
    expect((await listOf(desktop)).map((p) => p.id).sort()).toEqual([x.id, y.id].sort());

    // Both write a note on the same paper before either syncs.
    clock.advance(1000);
    unwrap(await laptop.handlers.setSavedNote({ id: x.id, note: 'laptop: compare with Longformer' }, 'extension-page'));
    clock.advance(1000);
    unwrap(await desktop.handlers.setSavedNote({ id: x.id, note: 'desktop: read section 3' }, 'extension-page'));
    unwrap(await desktop.handlers.setSavedStatus({ id: y.id, status: 'reading' }, 'extension-page'));
    await settle(laptop, desktop);
    const notes = (await listOf(laptop)).find((p) => p.id === x.id)?.note;
    expect(notes).toContain('laptop: compare with Longformer');
    expect(notes).toContain('desktop: read section 3');
    expect(await listOf(laptop)).toEqual(await listOf(desktop));
    expect((await listOf(laptop)).find((p) => p.id === y.id)?.status).toBe('reading');

    clock.advance(1000);
    unwrap(await laptop.handlers.unsavePaper({ id: y.id }, 'extension-page'));
    await settle(laptop, desktop);
    expect((await listOf(desktop)).map((p) => p.id)).toEqual([x.id]);
    expect(service.refusals).toEqual([]);
  });

  it('batches a burst of 200 toggles into a few writes within the rate quota, ending where the list ends', async () => {
    const clock = new ManualClock();
    const service = new FakeSyncService(clock.now);
    const laptop = device(service, clock);
    const desktop = device(service, clock);
    unwrap(await laptop.handlers.setSyncEnabled({ enabled: true }, 'extension-page'));
    unwrap(await desktop.handlers.setSyncEnabled({ enabled: true }, 'extension-page'));
    const writesBefore = service.writes.length;
    for (let i = 0; i < 200; i++) {
      const target = CORPUS[(i * 7) % 13] as IndexedPaper;
      const saved = (await laptop.db.saved.get(target.id)) !== undefined;
      if (saved) unwrap(await laptop.handlers.unsavePaper({ id: target.id }, 'extension-page'));
      else unwrap(await laptop.handlers.savePaper({ id: target.id }, 'extension-page'));
      // 50 ms apart: ten seconds of clicking. Due syncs run as time passes.
      clock.advance(50);
      await new Promise((done) => setTimeout(done, 0));
    }
    clock.advance(LOCAL_DELAY_MS);
    await settle(laptop, desktop);
    const writes = service.writes.length - writesBefore;
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThanOrEqual(16);
    expect(service.refusals).toEqual([]);
    expect((await listOf(laptop)).length).toBeGreaterThan(0);
    expect(await listOf(desktop)).toEqual(await listOf(laptop));
  });

  it('syncs 600 saved papers with notes within the storage quota; notes that do not fit stay on their device', async () => {
    const clock = new ManualClock();
    const service = new FakeSyncService(clock.now);
    const laptop = device(service, clock);
    const desktop = device(service, clock);
    const papers: SavedPaper[] = CORPUS.slice(0, 600).map((p, i) => ({
      id: p.id,
      title: p.title,
      abstract: p.abstract,
      links: [],
      digestDate: p.digestDate,
      savedAt: clock.time - i,
      status: i % 3 === 0 ? 'read' : 'to-read',
      note: i % 2 === 0 ? `Note ${i}: ${'worth a second read '.repeat(4 + (i % 16))}` : '',
    }));
    unwrap(await laptop.handlers.importSaved({ papers }, 'extension-page'));
    const status = unwrap(await laptop.handlers.setSyncEnabled({ enabled: true }, 'extension-page'));
    expect(status.report?.records).toBe(600);
    expect(status.report?.left).toEqual([]);
    // ~70 KB of notes do not all fit beside 600 records: some stay on the laptop only.
    expect(status.report?.notesKept.length).toBeGreaterThan(0);
    expect(status.report?.bytes).toBeLessThanOrEqual(SYNC_QUOTA.totalBytes);
    unwrap(await desktop.handlers.setSyncEnabled({ enabled: true }, 'extension-page'));
    await settle(laptop, desktop);
    expect(service.refusals).toEqual([]);

    const there = await listOf(desktop);
    expect(there).toHaveLength(600);
    const kept = new Set(status.report?.notesKept);
    for (const p of papers) {
      const synced = there.find((q) => q.id === p.id);
      expect(synced?.status).toBe(p.status);
      expect(synced?.note).toBe(kept.has(p.id) ? '' : p.note);
    }
    // The laptop lost nothing: its long notes are still there.
    const laptopNotes = new Map((await listOf(laptop)).map((p) => [p.id, p.note]));
    for (const p of papers) expect(laptopNotes.get(p.id)).toBe(p.note);
  });

  it('adds a paper saved elsewhere once this device’s digests hold it', async () => {
    const clock = new ManualClock();
    const service = new FakeSyncService(clock.now);
    const extra = paper('A paper only the laptop knows about');
    const laptop = device(service, clock, [...CORPUS.slice(0, 5), extra]);
    const desktop = device(service, clock, CORPUS.slice(0, 5));
    unwrap(await laptop.handlers.setSyncEnabled({ enabled: true }, 'extension-page'));
    unwrap(await desktop.handlers.setSyncEnabled({ enabled: true }, 'extension-page'));
    unwrap(await laptop.handlers.savePaper({ id: extra.id }, 'extension-page'));
    unwrap(await laptop.handlers.setSavedNote({ id: extra.id, note: 'from the laptop' }, 'extension-page'));
    await settle(laptop, desktop);
    expect(await listOf(desktop)).toEqual([]);
    expect(unwrap(await desktop.handlers.getSyncStatus({}, 'extension-page')).waiting).toBe(1);

    // The desktop imports a digest that has it: the next sync adds it, note and all.
    const text = `Mar 14\n\n${extra.title}\n\n${extra.abstract}\n`;
    const { parseDigest } = await import('../../src/shared/digest-parser');
    const { digestContentId } = await import('../../src/shared/digest-import');
    const parsed = parseDigest(text, 'extra.txt');
    const contentId = digestContentId(parsed.papers);
    const { token } = unwrap(await desktop.handlers.beginImport({ name: 'extra.txt', digestDate: 'Mar 14', contentId, count: 1 }, 'extension-page'));
    unwrap(await desktop.handlers.addImportChunk({ token, index: 0, papers: JSON.stringify(parsed.papers) }, 'extension-page'));
    unwrap(await desktop.handlers.commitImport({ token }, 'extension-page'));
    await settle(desktop, laptop);
    expect(await listOf(desktop)).toEqual([{ id: extra.id, status: 'to-read', note: 'from the laptop' }]);
    expect(unwrap(await desktop.handlers.getSyncStatus({}, 'extension-page')).waiting).toBe(0);
    // The desktop's list had never had it, so nothing removed it on the laptop meanwhile.
    expect((await listOf(laptop)).map((p) => p.id)).toEqual([extra.id]);
  });

  it('does nothing while sync is off', async () => {
    const clock = new ManualClock();
    const service = new FakeSyncService(clock.now);
    const laptop = device(service, clock);
    unwrap(await laptop.handlers.savePaper({ id: (CORPUS[0] as IndexedPaper).id }, 'extension-page'));
    clock.advance(LOCAL_DELAY_MS);
    await laptop.engine.syncNow();
    expect(service.items.size).toBe(0);
    expect(unwrap(await laptop.handlers.getSyncStatus({}, 'extension-page')).enabled).toBe(false);
  });
});
