import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperPeekDatabase } from '../../src/background/db';
import { BUNDLED_META_KEY, RETRY_AFTER_MS, createDigestLoader, parseDigestPart, type BundledDigestInfo, type DigestPart } from '../../src/background/digest-loader';
import { createHandlers } from '../../src/background/handlers';
import { bucketize, bucketCountFor, type PaperBucket } from '../../src/shared/paper-buckets';
import { packBucket, papersOf, titlesOf, type PackedPaperBucket } from '../../src/shared/packed-buckets';
import { normalizeTitle, paperIdForTitle } from '../../src/shared/normalize';
import type { IndexedPaper } from '../../src/shared/types';
import type { Result } from '../../src/shared/result';

function paper(title: string, abstract = `Abstract of ${title}.`): IndexedPaper {
  return {
    id: paperIdForTitle(title),
    title,
    abstract,
    links: [],
    digestDate: 'Mar 13',
    source: 'test.txt',
    key: normalizeTitle(title),
  };
}

/** A packaged digest as the build makes it: bucketed, papers packed, split into parts of `bucketsPerPart`. */
function packaged(version: string, papers: IndexedPaper[], bucketsPerPart = 2, bucketCount = bucketCountFor(papers.length)) {
  const info: BundledDigestInfo = { version, digestDate: 'Mar 13', count: papers.length, bucketCount };
  const { paperBuckets, keyBuckets } = bucketize(structuredClone(papers), bucketCount);
  const parts: DigestPart[] = [];
  for (let start = 0; start < bucketCount; start += bucketsPerPart) {
    parts.push({ paperBuckets: paperBuckets.slice(start, start + bucketsPerPart), keyBuckets: keyBuckets.slice(start, start + bucketsPerPart) });
  }
  /** Part `i` with its papers packed, as parseDigestPart hands it to the loader. */
  const packedPart = async (i: number): Promise<DigestPart> => {
    const part = parts[i] as DigestPart;
    return { ...part, paperBuckets: await Promise.all(part.paperBuckets.map((bucket) => packBucket(bucket as PaperBucket))) };
  };
  async function* read(): AsyncGenerator<DigestPart> {
    for (let i = 0; i < parts.length; i++) yield await packedPart(i);
  }
  return { info, parts, packedPart, read };
}

function concat(arrays: Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out.buffer;
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

let dbCounter = 0;
let db: PaperPeekDatabase;

beforeEach(() => {
  db = new PaperPeekDatabase(`paperpeek-test-${++dbCounter}`);
});
afterEach(async () => {
  await db.delete();
});

async function storedIds(): Promise<string[]> {
  const buckets = await db.paperBuckets.toArray();
  return (await Promise.all(buckets.map(papersOf))).flat().map((p) => p.id).sort();
}

const digestV1 = [paper('Pointer Networks'), paper('Deep Model Assembling'), paper('Order Matters: Sequence to sequence for sets')];
const digestV2 = [paper('Pointer Networks', 'A rewritten abstract in the new digest.'), paper('Discrete Key-Value Bottleneck')];
// Many papers, several buckets: placement and stale-bucket removal are exercised.
const synthetic = (n: number, tag = '') => Array.from({ length: n }, (_, i) => paper(`Synthetic paper ${tag}number ${i}`));

describe('bundled digest loading', () => {
  it('loads the digest once and skips the load when the version is unchanged', async () => {
    const v1 = packaged('v1', digestV1);
    let reads = 0;
    const read = () => {
      reads++;
      return v1.read();
    };
    await createDigestLoader(db, v1.info, read).whenReady();
    expect(await storedIds()).toEqual(digestV1.map((p) => p.id).sort());
    // A new worker start (a new loader) with the same version must not read the files again.
    const record = await createDigestLoader(db, v1.info, read).whenReady();
    expect(reads).toBe(1);
    expect(record).toMatchObject({ version: 'v1', count: 3, digestDate: 'Mar 13', bucketCount: 1 });
  });

  it('a digest reload replaces papers but keeps the reading list and its own copy of the text', async () => {
    const v1 = packaged('v1', [...digestV1, ...synthetic(300)]);
    const loaderV1 = createDigestLoader(db, v1.info, v1.read);
    const handlersV1 = createHandlers(db, loaderV1, () => 1000);
    const assembling = paperIdForTitle('Deep Model Assembling');
    const pointer = paperIdForTitle('Pointer Networks');
    unwrap(await handlersV1.savePaper({ id: assembling }, 'content-script'));
    unwrap(await handlersV1.savePaper({ id: pointer }, 'content-script'));

    // A smaller digest: fewer buckets, so the previous digest's extra buckets must go.
    const v2 = packaged('v2', digestV2);
    expect(v2.info.bucketCount).toBeLessThan(v1.info.bucketCount);
    const handlersV2 = createHandlers(db, createDigestLoader(db, v2.info, v2.read));
    expect(unwrap(await handlersV2.stats({}, 'extension-page')).papers).toBe(v1.info.count);
    await handlersV2.getPaper({ id: pointer }, 'content-script');

    expect(await storedIds()).toEqual(digestV2.map((p) => p.id).sort());
    expect(await db.paperBuckets.count()).toBe(v2.info.bucketCount);
    expect(await db.keyBuckets.count()).toBe(2 * v2.info.bucketCount); // openings, then skip entries
    expect(unwrap(await handlersV2.getPaper({ id: assembling }, 'content-script')).paper).toBeNull();
    expect(unwrap(await handlersV2.getPaper({ id: pointer }, 'content-script')).paper?.abstract).toBe(
      'A rewritten abstract in the new digest.',
    );

    // The reading list is untouched: both saved papers remain with the text they were saved with.
    const saved = unwrap(await handlersV2.listSaved({}, 'extension-page')).papers;
    expect(saved.map((s) => s.id).sort()).toEqual([assembling, pointer].sort());
    expect(saved.find((s) => s.id === assembling)?.title).toBe('Deep Model Assembling');
    expect(saved.find((s) => s.id === pointer)?.abstract).toBe('Abstract of Pointer Networks.');
    expect(unwrap(await handlersV2.stats({}, 'extension-page'))).toMatchObject({
      papers: 2,
      saved: 2,
      digestVersion: 'v2',
      digestDate: 'Mar 13',
    });
  });

  it('an interrupted load is redone on the next start', async () => {
    const big = packaged('big', synthetic(400), 1);
    expect(big.parts.length).toBeGreaterThan(3);
    // The worker dies after the first packaged part was written.
    async function* dying(): AsyncGenerator<DigestPart> {
      yield await big.packedPart(0);
      throw new Error('worker stopped');
    }
    await expect(createDigestLoader(db, big.info, dying).whenReady()).rejects.toThrow('worker stopped');
    expect(await db.meta.get(BUNDLED_META_KEY)).toBeUndefined();

    const handlers = createHandlers(db, createDigestLoader(db, big.info, big.read));
    const last = synthetic(400)[399] as IndexedPaper;
    expect(unwrap(await handlers.getPaper({ id: last.id }, 'content-script')).paper?.title).toBe(last.title);
    expect(await storedIds()).toEqual(synthetic(400).map((p) => p.id).sort());
  });

  it('refuses a packaged digest whose size differs from what the build announced', async () => {
    const v1 = packaged('v1', digestV1);
    const loader = createDigestLoader(db, { ...v1.info, count: 5 }, v1.read);
    await expect(loader.whenReady()).rejects.toThrow('holds 3 papers, the build announced 5');
    expect(await db.meta.get(BUNDLED_META_KEY)).toBeUndefined();
  });

  it('reads a packaged part as the build lays it out, and names what is wrong with a broken one', async () => {
    const v1 = packaged('v1', synthetic(200), 4);
    const rows = (await v1.packedPart(0)).paperBuckets as PackedPaperBucket[];
    const papers = concat(rows.map((row) => row.packed));
    const json = { version: 'v1', bucketCount: v1.info.bucketCount, paperBuckets: rows.map(({ bucket, ids, titles, packed }) => ({ bucket, length: packed.length, ids, titles })), keyBuckets: [] };
    const part = parseDigestPart(json, papers, v1.info);
    expect(await Promise.all(part.paperBuckets.map(papersOf))).toEqual(v1.parts[0]?.paperBuckets.map((bucket) => (bucket as PaperBucket).papers));
    // A row holds its own bytes, not a view of the part's buffer (IndexedDB would store all of it).
    expect((part.paperBuckets[1] as PackedPaperBucket).packed.buffer.byteLength).toBe(rows[1]?.packed.length);

    expect(() => parseDigestPart(json, papers.slice(0, papers.byteLength - 1), v1.info)).toThrow(/outside its \d+ packed bytes/);
    expect(() => parseDigestPart(json, concat([new Uint8Array(papers), new Uint8Array(3)]), v1.info)).toThrow('hold 3 bytes no bucket claims');
    const whole = { ...(json.paperBuckets[0] as object), length: papers.byteLength };
    expect(() => parseDigestPart({ ...json, paperBuckets: [{ ...whole, bucket: v1.info.bucketCount }] }, papers, v1.info)).toThrow(
      `places paper bucket ${v1.info.bucketCount} (${papers.byteLength} bytes at 0) outside`,
    );
    expect(() => parseDigestPart({ ...json, paperBuckets: [{ ...whole, titles: undefined }] }, papers, v1.info)).toThrow('lists no ids and titles for paper bucket');
    expect(() => parseDigestPart({ ...json, version: 'v0' }, papers, v1.info)).toThrow('does not match the build');
    await expect(papersOf({ bucket: 7, ids: ['a'], titles: ['A'], packed: new Uint8Array([1, 2, 3]) })).rejects.toThrow('paper bucket 7 is corrupt');
    const row = rows[0] as PackedPaperBucket;
    await expect(papersOf({ ...row, ids: [...row.ids, 'extra'] })).rejects.toThrow(`paper bucket ${row.bucket} does not hold its ${row.ids.length + 1} papers`);
    expect(titlesOf(row)).toEqual((await papersOf(row)).map(({ id, title }) => ({ id, title })));
  });

  it('reads papers from buckets a database written before packing holds', async () => {
    const v1 = packaged('v1', digestV1);
    const loader = createDigestLoader(db, v1.info, v1.read);
    await loader.whenReady();
    // Rows as an older version wrote them: papers as objects.
    await db.paperBuckets.bulkPut(bucketize(structuredClone(digestV1), v1.info.bucketCount).paperBuckets);
    const h = createHandlers(db, loader);
    expect(unwrap(await h.getPaper({ id: paperIdForTitle('Pointer Networks') }, 'content-script')).paper?.title).toBe('Pointer Networks');
  });

  it('does not re-read a failing package for every request, but retries after a pause', async () => {
    const v1 = packaged('v1', digestV1);
    let reads = 0;
    let failing = true;
    let clock = 0;
    async function* read(): AsyncGenerator<DigestPart> {
      reads++;
      if (failing) throw new Error('corrupt part');
      yield* v1.read();
    }
    const loader = createDigestLoader(db, v1.info, read, () => clock);
    await expect(loader.whenReady()).rejects.toThrow('corrupt part');
    await expect(loader.whenReady()).rejects.toThrow('corrupt part');
    expect(reads).toBe(1);
    failing = false;
    clock = RETRY_AFTER_MS;
    await expect(loader.whenReady()).resolves.toMatchObject({ version: 'v1' });
    expect(reads).toBe(2);
  });

  it('requests that arrive mid-load wait for it instead of seeing a partial digest', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const v1 = packaged('v1', digestV1);
    const loader = createDigestLoader(db, v1.info, async function* () {
      await gate;
      yield* v1.read();
    });
    const handlers = createHandlers(db, loader);
    void loader.whenReady();
    const pending = handlers.scan({ texts: [normalizeTitle('Pointer Networks')], joins: [], cuts: [] }, 'content-script');
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    // stats does not wait: it reports progress while the load runs.
    expect(unwrap(await handlers.stats({}, 'extension-page')).loadingProgress).toBe(0);
    release();
    const { hits } = unwrap(await pending);
    expect(hits).toEqual([
      { unit: 0, start: 0, end: 2, id: paperIdForTitle('Pointer Networks'), title: 'Pointer Networks', kind: 'full', distinctive: false },
    ]);
  });
});

describe('handlers', () => {
  const papers = [...digestV1, ...synthetic(500)];
  const v1 = packaged('v1', papers);
  const handlers = () => createHandlers(db, createDigestLoader(db, v1.info, v1.read));

  it('scan finds the titles inside candidate texts, across buckets, and nothing else', async () => {
    const some = synthetic(500).filter((_, i) => i % 50 === 0);
    const texts = [
      'pointer networks',
      'vinyals o 2015 pointer networks neurips',
      'not a paper title at all',
      '',
      ...some.map((p) => `see ${p.key} 2024`),
    ];
    const { hits } = unwrap(await handlers().scan({ texts, joins: [], cuts: [] }, 'content-script'));
    expect(hits.map((h) => [h.unit, h.title])).toEqual([
      [0, 'Pointer Networks'],
      [1, 'Pointer Networks'],
      ...some.map((p, i) => [i + 4, p.title]),
    ]);
    expect(hits[1]).toMatchObject({ start: 3, end: 5 });
    expect(hits.every((h) => h.id === paperIdForTitle(h.title))).toBe(true);
  });

  it('scan survives a worker restart: the prefilter is read back from the database', async () => {
    const first = createHandlers(db, createDigestLoader(db, v1.info, v1.read));
    await first.stats({}, 'extension-page');
    const payload = { texts: ['pointer networks'], joins: [], cuts: [] };
    expect(unwrap(await first.scan(payload, 'content-script')).hits).toHaveLength(1);
    // A new worker: fresh handlers, nothing in memory, the packaged digest unreadable.
    const restarted = createHandlers(
      db,
      createDigestLoader(db, v1.info, async function* () {
        yield* [];
        throw new Error('must not be read again');
      }),
    );
    expect(unwrap(await restarted.scan(payload, 'content-script')).hits).toHaveLength(1);
  });

  it('finds every paper by id', async () => {
    const h = handlers();
    for (const p of papers.filter((_, i) => i % 37 === 0)) {
      expect(unwrap(await h.getPaper({ id: p.id }, 'content-script')).paper).toEqual({
        id: p.id,
        title: p.title,
        abstract: p.abstract,
        links: p.links,
        digestDate: p.digestDate,
        source: p.source,
      });
    }
  });

  it('saving an unknown id is a not-found error, and saving twice keeps the first save', async () => {
    let clock = 1;
    const h = createHandlers(db, createDigestLoader(db, v1.info, v1.read), () => clock++);
    const missing = await h.savePaper({ id: 'zzzzzzzzzzz' }, 'content-script');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('not-found');
    const id = paperIdForTitle('Pointer Networks');
    const first = unwrap(await h.savePaper({ id }, 'content-script')).saved;
    const second = unwrap(await h.savePaper({ id }, 'content-script')).saved;
    expect(second.savedAt).toBe(first.savedAt);
    expect(unwrap(await h.savedState({ ids: [id, 'other'] }, 'content-script')).saved).toEqual([id]);
    expect(unwrap(await h.unsavePaper({ id }, 'extension-page')).removed).toBe(true);
    expect(unwrap(await h.unsavePaper({ id }, 'extension-page')).removed).toBe(false);
  });

  it('lets a page take back a bare save, never one with a note or a status', async () => {
    const notices: unknown[] = [];
    const h = createHandlers(db, createDigestLoader(db, v1.info, v1.read), Date.now, {
      notify: (notice) => notices.push(notice),
      openExtensionPage: async () => undefined,
    });
    const id = paperIdForTitle('Pointer Networks');
    unwrap(await h.savePaper({ id }, 'content-script'));
    expect(unwrap(await h.unsavePaper({ id }, 'content-script')).removed).toBe(true);
    unwrap(await h.savePaper({ id }, 'content-script'));
    await db.saved.update(id, { note: 'read section 3' });
    const refused = await h.unsavePaper({ id }, 'content-script');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('forbidden');
    expect(await db.saved.get(id)).toMatchObject({ note: 'read section 3' });
    expect(unwrap(await h.unsavePaper({ id }, 'extension-page')).removed).toBe(true);
    // Every change is pushed to the tabs, so marks everywhere show it.
    expect(notices).toEqual([
      { type: 'saved', id, saved: true },
      { type: 'saved', id, saved: false },
      { type: 'saved', id, saved: true },
      { type: 'saved', id, saved: false },
    ]);
  });
});
