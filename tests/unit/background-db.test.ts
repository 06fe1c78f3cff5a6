import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperPeekDatabase } from '../../src/background/db';
import { createDigestLoader, BUNDLED_META_KEY } from '../../src/background/digest-loader';
import { createHandlers } from '../../src/background/handlers';
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

/** A packaged digest that arrives as one chunk. */
async function* once(papers: IndexedPaper[]): AsyncGenerator<IndexedPaper[]> {
  yield papers.map((p) => ({ ...p }));
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

const digestV1 = [paper('Pointer Networks'), paper('Deep Model Assembling'), paper('Order Matters: Sequence to sequence for sets')];
const digestV2 = [
  paper('Pointer Networks', 'A rewritten abstract in the new digest.'),
  paper('Discrete Key-Value Bottleneck'),
];

describe('bundled digest loading', () => {
  it('loads the digest once and skips the load when the version is unchanged', async () => {
    let reads = 0;
    const read = () => {
      reads++;
      return once(digestV1);
    };
    await createDigestLoader(db, { version: 'v1', digestDate: 'Mar 13', count: 3 }, read).whenReady();
    expect(await db.papers.count()).toBe(3);
    // A new worker start (a new loader) with the same version must not read the file again.
    await createDigestLoader(db, { version: 'v1', digestDate: 'Mar 13', count: 3 }, read).whenReady();
    expect(reads).toBe(1);
    const meta = await db.meta.get(BUNDLED_META_KEY);
    expect(meta?.value).toMatchObject({ version: 'v1', count: 3, digestDate: 'Mar 13' });
  });

  it('a digest reload replaces papers but keeps the reading list and its own copy of the text', async () => {
    await createDigestLoader(db, { version: 'v1', digestDate: 'Mar 13', count: 3 }, () => once(digestV1)).whenReady();
    const loaderV1 = createDigestLoader(db, { version: 'v1', digestDate: 'Mar 13', count: 3 }, () => once(digestV1));
    const handlersV1 = createHandlers(db, loaderV1, () => 1000);
    const assembling = paperIdForTitle('Deep Model Assembling');
    const pointer = paperIdForTitle('Pointer Networks');
    unwrap(await handlersV1.savePaper({ id: assembling }, 'content-script'));
    unwrap(await handlersV1.savePaper({ id: pointer }, 'content-script'));

    const loaderV2 = createDigestLoader(db, { version: 'v2', digestDate: 'Mar 14', count: 2 }, () => once(digestV2));
    const handlersV2 = createHandlers(db, loaderV2);
    await loaderV2.whenReady();

    // Papers now mirror the new digest exactly: the dropped paper is gone, the new one is there.
    const ids = (await db.papers.toCollection().primaryKeys()).sort();
    expect(ids).toEqual(digestV2.map((p) => p.id).sort());
    expect(unwrap(await handlersV2.getPaper({ id: assembling }, 'content-script')).paper).toBeNull();

    // The reading list is untouched: both saved papers remain with the text they were saved with.
    const saved = unwrap(await handlersV2.listSaved({}, 'extension-page')).papers;
    expect(saved.map((s) => s.id).sort()).toEqual([assembling, pointer].sort());
    expect(saved.find((s) => s.id === assembling)?.title).toBe('Deep Model Assembling');
    expect(saved.find((s) => s.id === pointer)?.abstract).toBe('Abstract of Pointer Networks.');
    expect(unwrap(await handlersV2.stats({}, 'extension-page'))).toMatchObject({
      papers: 2,
      saved: 2,
      digestVersion: 'v2',
      digestDate: 'Mar 14',
    });
  });

  it('an interrupted load is redone on the next start and leaves no duplicates', async () => {
    const chunk = 50;
    const many = Array.from({ length: chunk * 2 + 10 }, (_, i) => paper(`Synthetic paper number ${i}`));
    const info = { version: 'big', digestDate: '', count: many.length };
    // The worker dies after the first packaged chunk was written.
    async function* dying(): AsyncGenerator<IndexedPaper[]> {
      yield many.slice(0, chunk);
      throw new Error('worker stopped');
    }
    await expect(createDigestLoader(db, info, dying, chunk).whenReady()).rejects.toThrow('worker stopped');
    expect(await db.papers.count()).toBe(chunk);
    expect(await db.meta.get(BUNDLED_META_KEY)).toBeUndefined();

    async function* whole(): AsyncGenerator<IndexedPaper[]> {
      yield many.slice(0, chunk * 2);
      yield many.slice(chunk * 2);
    }
    await createDigestLoader(db, info, whole, chunk).whenReady();
    expect(await db.papers.count()).toBe(many.length);
    expect(await db.meta.get(BUNDLED_META_KEY)).toBeDefined();
  });

  it('refuses a packaged digest whose size differs from what the build announced', async () => {
    const loader = createDigestLoader(db, { version: 'v1', digestDate: '', count: 5 }, () => once(digestV1));
    await expect(loader.whenReady()).rejects.toThrow('holds 3 papers, the build announced 5');
    expect(await db.meta.get(BUNDLED_META_KEY)).toBeUndefined();
  });

  it('requests that arrive mid-load wait for it instead of seeing a partial digest', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loader = createDigestLoader(db, { version: 'v1', digestDate: 'Mar 13', count: 3 }, async function* () {
      await gate;
      yield* once(digestV1);
    });
    const handlers = createHandlers(db, loader);
    void loader.whenReady();
    const pending = handlers.lookup({ keys: [normalizeTitle('Pointer Networks')] }, 'content-script');
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    // stats does not wait: it reports progress while the load runs.
    expect(unwrap(await handlers.stats({}, 'extension-page')).loadingProgress).toBe(0);
    release();
    const { matches } = unwrap(await pending);
    expect(matches).toEqual([{ key: 'pointer networks', id: paperIdForTitle('Pointer Networks'), title: 'Pointer Networks' }]);
  });
});

describe('handlers', () => {
  beforeEach(async () => {
    await createDigestLoader(db, { version: 'v1', digestDate: 'Mar 13', count: 3 }, () => once(digestV1)).whenReady();
  });
  const handlers = () =>
    createHandlers(db, createDigestLoader(db, { version: 'v1', digestDate: 'Mar 13', count: 3 }, () => once(digestV1)));

  it('lookup answers only the keys that match, once each', async () => {
    const { matches } = unwrap(
      await handlers().lookup(
        { keys: ['pointer networks', 'pointer networks', 'not a paper title at all', ''] },
        'content-script',
      ),
    );
    expect(matches.map((m) => m.title)).toEqual(['Pointer Networks']);
  });

  it('saving an unknown id is a not-found error, and saving twice keeps the first save', async () => {
    const h = handlers();
    const missing = await h.savePaper({ id: 'zzzzzzzzzzz' }, 'content-script');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('not-found');
    const id = paperIdForTitle('Pointer Networks');
    const first = unwrap(await h.savePaper({ id }, 'content-script')).saved;
    const second = unwrap(await h.savePaper({ id }, 'content-script')).saved;
    expect(second.savedAt).toBe(first.savedAt);
    expect(unwrap(await h.savedState({ ids: [id, 'other'] }, 'content-script')).saved).toEqual([id]);
    expect(unwrap(await h.unsavePaper({ id }, 'content-script')).removed).toBe(true);
    expect(unwrap(await h.unsavePaper({ id }, 'content-script')).removed).toBe(false);
  });
});
